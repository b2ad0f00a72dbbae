import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultPrintOptions, isTruncated, PrintContext } from './context.js';
import { ipPrint } from './ip.js';

/** IPv4 headers nested `layers` deep (protocol `proto` between them), an ICMP echo reply inside. */
function nested(layers: number, proto: number, gap: Uint8Array): Uint8Array {
  const step = 20 + gap.length;
  const len = step * layers + 8;
  const p = new Uint8Array(len);
  for (let i = 0; i < layers; i++) {
    const o = step * i;
    const tl = len - o;
    p[o] = 0x45;
    p[o + 2] = tl >> 8;
    p[o + 3] = tl & 255;
    p[o + 8] = 64;
    p[o + 9] = i === layers - 1 ? 1 : proto;
    p.set(gap, o + 20);
  }
  return p;
}

function print(p: Uint8Array): string {
  const ctx = new PrintContext({ ...defaultPrintOptions(), nflag: 1 });
  ctx.reset(p, 0, p.length, p.length, 228);
  try {
    ipPrint(ctx, 0, p.length);
  } catch (e) {
    if (!isTruncated(e)) throw e;
    ctx.s += ` [|${ctx.protocol}]`;
  }
  return ctx.s;
}

test('IP-in-IP as deep as a packet allows prints like tcpdump, without exhausting the stack', () => {
  const s = print(nested(3270, 4, new Uint8Array(0)));
  assert.equal(s.split('IP 0.0.0.0 > 0.0.0.0: ').length - 1, 3270);
  assert.ok(s.endsWith('ICMP echo reply, id 0, seq 0, length 8'));
});

test('deep nesting through GRE ends truncated instead of overflowing the stack', () => {
  const s = print(nested(2000, 47, Uint8Array.of(0, 0, 8, 0)));
  assert.ok(s.startsWith('IP 0.0.0.0 > 0.0.0.0: GREv0, length'));
  assert.match(s, /: {2}\[\|(ip|gre)\]$/);
});

test('a header cut short and the 4.99.3 length messages', () => {
  const p = nested(1, 1, new Uint8Array(0));
  assert.equal(print(p.subarray(0, 19)), 'IP  [|ip]');
  const bad = p.slice();
  bad[0] = 0x44;
  assert.equal(print(bad), 'IP bad-hlen 16');
  const v6 = p.slice();
  v6[0] = 0x60;
  assert.equal(print(v6), 'IP6, wrong link-layer encapsulation (invalid)');
  const short = p.slice();
  short[3] = 19;
  assert.equal(print(short), 'IP bad-len 19');
});
