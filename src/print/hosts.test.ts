import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseHosts, shortName } from './hosts.js';

test('hosts(5): first line naming an address wins; comments, aliases and bad lines are ignored', () => {
  const t = parseHosts(
    '127.0.0.1\tlocalhost\n# 10.0.0.1 commented\n10.0.0.2 a.example b\n10.0.0.2 later\n::1 ip6-localhost ip6-loopback\n' +
      'fe80::1%eth0 scoped\nnot-an-address name\n10.0.0.3\n  \n2001:db8::a:b  v6host # trailing\n',
  );
  assert.equal(t.v4.get(0x7f000001), 'localhost');
  assert.equal(t.v4.get(0x0a000002), 'a.example');
  assert.equal(t.v4.has(0x0a000001), false);
  assert.equal(t.v4.has(0x0a000003), false);
  assert.equal(t.v6.get('00000000000000000000000000000001'), 'ip6-localhost');
  assert.equal(t.v6.get('20010db80000000000000000000a000b'), 'v6host');
  assert.equal(t.v4.size, 2);
});

test('-N keeps the first label', () => {
  assert.equal(shortName('www.example.com'), 'www');
  assert.equal(shortName('localhost'), 'localhost');
});
