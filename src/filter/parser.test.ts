// Parser and lexer tests: precedence as bison resolves it, qualifier inheritance, tokens.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Arth, Node } from './ast.js';
import { BPF_ADD, BPF_MOD, BPF_MUL, BPF_SUB, BPF_XOR } from './insn.js';
import { parseIpv6, stoulen, tokenize } from './lexer.js';
import { FileResolver } from './names.js';
import { parseFilter } from './parser.js';

function arthOf(expr: string): Arth {
  const n = parseFilter(expr) as Extract<Node, { t: 'rel' }>;
  assert.equal(n.t, 'rel');
  return n.a0;
}

const show = (a: Arth): string => {
  switch (a.t) {
    case 'num':
      return String(a.v);
    case 'len':
      return 'len';
    case 'neg':
      return `(-${show(a.e)})`;
    case 'load':
      return `${a.proto}[${show(a.idx)}:${a.size}]`;
    case 'bin': {
      const op =
        { [BPF_ADD]: '+', [BPF_SUB]: '-', [BPF_MUL]: '*', [BPF_MOD]: '%', [BPF_XOR]: '^' }[a.op] ??
        `op${a.op}`;
      return `(${show(a.l)} ${op} ${show(a.r)})`;
    }
  }
};

test('arithmetic precedence follows the bison grammar', () => {
  assert.equal(show(arthOf('1 + 2 * 3 = 7')), '(1 + (2 * 3))');
  assert.equal(show(arthOf('1 - 2 - 3 = 0')), '((1 - 2) - 3)');
  assert.equal(show(arthOf('-1 * 2 = 0')), '((-1) * 2)');
  // '%' and '^' have no declared precedence: the conflict resolves to shift.
  assert.equal(show(arthOf('1 % 2 + 3 = 0')), '(1 % (2 + 3))');
  assert.equal(show(arthOf('1 + 2 % 3 = 0')), '(1 + (2 % 3))');
  assert.equal(show(arthOf('ip[2:2] ^ 1 = 0')), '(ip[2:2] ^ 1)');
  assert.equal(show(arthOf('tcp[(tcp[12]>>2):4] = 1')).startsWith('tcp[(tcp[12:1] op'), true);
});

test('qualifiers are inherited by bare ids after and/or, inside parentheses too', () => {
  const n = parseFilter('src host 1.2.3.4 or (5.6.7.8 and 9.9.9.9)') as Extract<Node, { t: 'and' | 'or' }>;
  const r = n.r as Extract<Node, { t: 'and' | 'or' }>;
  for (const leaf of [r.l, r.r]) {
    assert.equal(leaf.t, 'nid');
    if (leaf.t === 'nid') assert.deepEqual(leaf.q, { proto: 'default', dir: 'src', addr: 'host' });
  }
  const p = parseFilter('tcp port 80 or not 443') as Extract<Node, { t: 'and' | 'or' }>;
  assert.equal(p.r.t, 'not');
  if (p.r.t === 'not' && p.r.e.t === 'pnum')
    assert.deepEqual(p.r.e.q, { proto: 'tcp', dir: 'default', addr: 'port' });
  // After a term, the qualifiers are reset: "tcp and 80" is a syntax error at code generation.
  const t = parseFilter('tcp and 80') as Extract<Node, { t: 'and' | 'or' }>;
  assert.equal(t.r.t, 'pnum');
  if (t.r.t === 'pnum') assert.equal(t.r.q.addr, 'undef');
});

test('syntax errors', () => {
  for (const bad of ['tcp and', '(tcp', 'host', 'port 80 80', 'src or host 1.2.3.4', '1 +', 'tcp[1:2']) {
    assert.throws(() => parseFilter(bad), /can't parse filter expression: syntax error/, bad);
  }
});

test('lexer: numbers, addresses, names', () => {
  assert.equal(stoulen('0x10'), 16);
  assert.equal(stoulen('010'), 8);
  assert.equal(stoulen('4294967295'), 0xffffffff);
  assert.equal(stoulen('4294967296'), 'number 4294967296 overflows 32 bits');
  assert.equal(stoulen('09'), 'number 09 contains non-octal digit');
  const kinds = (s: string) => tokenize(s).map((t) => `${t.kind}:${t.text}`);
  assert.deepEqual(kinds('ether[0:2]'), ['KW:link', 'OP:[', 'NUM:0', 'OP::', 'NUM:2', 'OP:]', 'EOF:']);
  assert.deepEqual(kinds('host ::1'), ['KW:host', 'HID6:::1', 'EOF:']);
  assert.deepEqual(kinds('10.1 && aa:bb:cc:dd:ee:ff'), [
    'HID:10.1',
    'KW:and',
    'EID:aa:bb:cc:dd:ee:ff',
    'EOF:',
  ]);
  assert.deepEqual(kinds('proto \\tcp'), ['KW:proto', 'ID:tcp', 'EOF:']);
  assert.deepEqual(kinds('tcp-syn tcp-synx'), ['NUM:tcp-syn', 'ID:tcp-synx', 'EOF:']);
  assert.throws(() => tokenize('host fe80::1.2.3.256'), /bogus IPv6 address fe80::1.2.3.256/);
  assert.deepEqual([...parseIpv6('::ffff:1.2.3.4')!].slice(10), [0xff, 0xff, 1, 2, 3, 4]);
  assert.equal(parseIpv6('1::2::3'), null);
});

test('FileResolver reads hosts, services, protocols, networks and ethers files', () => {
  const etc = mkdtempSync(join(tmpdir(), 'tsvs-etc-'));
  writeFileSync(
    join(etc, 'hosts'),
    '10.0.0.1 web Web.example # comment\n::1 localhost ip6-localhost\n127.0.0.1 localhost\n',
  );
  writeFileSync(join(etc, 'services'), 'http 80/tcp www\ndomain 53/tcp\ndomain 53/udp\ntftp 69/udp\n');
  writeFileSync(join(etc, 'protocols'), 'tcp 6 TCP\nudp 17 UDP\n');
  writeFileSync(join(etc, 'networks'), 'lan 10.20\n');
  writeFileSync(join(etc, 'ethers'), 'aa:bb:cc:dd:ee:ff Gw\n');
  const r = new FileResolver(etc);
  assert.deepEqual(r.host('WEB.EXAMPLE')?.v4, [0x0a000001]);
  const lh = r.host('localhost');
  assert.equal(lh?.v4.length, 1);
  assert.equal(lh?.v6.length, 1);
  assert.equal(r.host('nosuch'), null);
  assert.equal(r.service('www', 'tcp'), 80);
  assert.equal(r.service('tftp', 'tcp'), -1);
  assert.equal(r.service('tftp', 'udp'), 69);
  assert.equal(r.protocol('UDP'), 17);
  assert.equal(r.network('LAN'), 0x0a14);
  assert.deepEqual([...r.ether('gw')!], [0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff]);
});
