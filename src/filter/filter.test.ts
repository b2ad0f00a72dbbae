// Unit tests of the filter compiler: listings, errors, qualifier inheritance, execution.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isTsvsError } from '../errors.js';
import { compileFilter, compileToFunction, formatProgram, interpret } from './index.js';
import type { NameResolver } from './names.js';

const names: NameResolver = {
  host: (n) => (n === 'web' ? { v4: [0x0a000001], v6: [] } : null),
  service: (n, p) => (n === 'http' ? 80 : n === 'domain' ? 53 : n === 'tftp' && p === 'udp' ? 69 : -1),
  protocol: (n) => ({ tcp: 6, udp: 17, icmp: 1 })[n] ?? -1,
  network: () => 0,
  ether: () => null,
};

const list = (expr: string, optimize = false, linktype = 1) =>
  formatProgram(compileFilter(expr, { linktype, snaplen: 262144, optimize, resolver: names }), 1);

test('tcp port 80 lists like libpcap (unoptimized)', () => {
  const out = list('tcp port 80');
  assert.match(out, /^\(000\) ldh {6}\[12\]\n\(001\) jeq {6}#0x86dd {10}jt 2\tjf 8\n/);
  assert.match(out, /\(014\) ldxb {5}4\*\(\[14\]&0xf\)\n/);
  assert.match(out, /\(020\) ret {6}#262144\n\(021\) ret {6}#0\n$/);
});

test('qualifier inheritance: port 80 or 443 == port 80 or port 443', () => {
  assert.equal(list('port 80 or 443'), list('port 80 or port 443'));
  assert.equal(list('host web or 10.0.0.2'), list('host web or host 10.0.0.2'));
  assert.equal(list('src host 1.2.3.4 and 5.6.7.8'), list('src host 1.2.3.4 and src host 5.6.7.8'));
});

test('errors carry libpcap messages', () => {
  const msg = (expr: string) => {
    try {
      compileFilter(expr, { linktype: 1, snaplen: 65535, optimize: true, resolver: names });
    } catch (e) {
      assert.ok(isTsvsError(e));
      return e.message;
    }
    assert.fail(`${expr} compiled`);
  };
  // libpcap 1.10.3's wording, as tcpdump 4.99.3 prints it.
  assert.equal(msg('port 99999'), 'illegal port number 99999 > 65535');
  assert.equal(msg('host nosuch'), "unknown host 'nosuch'");
  assert.equal(msg('tcp host 1.2.3.4'), "'tcp' modifier applied to host");
  assert.equal(msg('net 10.0.0.0/33'), 'mask length must be <= 32');
  assert.equal(msg('host 10.0.0.0/8'), 'Mask syntax for networks only');
  assert.equal(msg('port 1.2.3.4'), "'port' modifier applied to ip host");
  assert.equal(msg('tcp port tftp'), "port 'tftp' is udp");
  assert.equal(msg('tcp and'), "can't parse filter expression: syntax error");
  assert.equal(msg('vlan 4096'), 'VLAN tag 4096 greater than maximum 4095');
  assert.equal(msg('ip broadcast'), "netmask not known, so 'ip broadcast' not supported");
  assert.equal(msg('08'), 'number 08 contains non-octal digit');
  // Names that are also Object.prototype's are plain unknown names, as in libpcap.
  assert.equal(msg('host toString'), "unknown host 'toString'");
  assert.equal(msg('net constructor'), "unknown network 'constructor'");
  assert.equal(msg('ether proto \\toString'), "unknown ether proto 'toString'");
  assert.equal(msg('iso proto \\valueOf'), "unknown osi proto 'valueOf'");
  assert.equal(msg('llc toString'), 'unknown LLC type name "toString"');
  const onNull = (expr: string) => {
    try {
      compileFilter(expr, { linktype: 0, snaplen: 65535, optimize: true, resolver: names });
    } catch (e) {
      assert.ok(isTsvsError(e));
      return e.message;
    }
    assert.fail(`${expr} compiled`);
  };
  assert.equal(onNull('vlan 4096'), 'no VLAN support for BSD loopback');
  assert.equal(
    onNull('ether host 00:11:22:33:44:55'),
    'ethernet addresses supported only on ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel',
  );
});

test('SYN filter runs in the interpreter and the compiled function alike', () => {
  const prog = compileFilter('tcp[tcpflags] & tcp-syn != 0', {
    linktype: 1,
    snaplen: 65535,
    optimize: false,
  });
  const fn = compileToFunction(prog);
  const pkt = new Uint8Array(54);
  pkt[12] = 0x08;
  pkt[14] = 0x45;
  pkt[23] = 6;
  pkt[14 + 20 + 13] = 0x02;
  assert.equal(interpret(prog, pkt, 0, 54, 54), 65535);
  assert.equal(fn(pkt, 0, 54, 54), 65535);
  pkt[14 + 20 + 13] = 0x10;
  assert.equal(interpret(prog, pkt, 0, 54, 54), 0);
  assert.equal(fn(pkt, 0, 54, 54), 0);
  // Truncated capture: the flags byte is past caplen, so the load rejects.
  pkt[14 + 20 + 13] = 0x02;
  assert.equal(fn(pkt, 0, 40, 54), 0);
});

test('-dd and -ddd formats', () => {
  const prog = compileFilter('ip', { linktype: 1, snaplen: 65535, optimize: false });
  assert.equal(formatProgram(prog, 2).split('\n')[0], '{ 0x28, 0, 0, 0x0000000c },');
  assert.equal(formatProgram(prog, 3).split('\n').slice(0, 2).join('|'), '4|40 0 0 12');
});
