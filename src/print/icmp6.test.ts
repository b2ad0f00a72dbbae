// Unit tests of the ICMPv6 printer (ND options, node information, router renumbering, MLD, errors)
// over packets from tcpdump's test captures, expected text from tcpdump 4.99.3.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultPrintOptions, PrintContext, TRUNCATED } from './context.js';
import { ip6Print } from './ip6.js';

function p6(hex: string, v = 0): string {
  const opts = defaultPrintOptions();
  opts.nflag = 1;
  opts.vflag = v;
  const ctx = new PrintContext(opts);
  const buf = Uint8Array.from(Buffer.from(hex, 'hex'));
  ctx.reset(buf, 0, buf.length, buf.length, 229);
  try {
    ip6Print(ctx, 0, buf.length);
  } catch (err) {
    if (err !== TRUNCATED) throw err;
    ctx.s += ` [|${ctx.protocol}]`;
  }
  return ctx.s;
}

const RA_OPT24 =
  '6000000000783afffe8000000000000016cf92fffe8723d6ff0200000000000000000000000000018600688200c000000000000000000000010114cf928723d605010000000005dc030440c000001c200000070800000000fd8d4fb35b2e000000000000000000001802300000001c20fd8d4fb35b2e00001903000000000708fd8d4fb35b2e000000000000000000011f02000000000708036c616e00000000';
const NS_NONCE =
  '6000000000203aff00000000000000000000000000000000ff0200000000000000000001ffe1000f8700566e00000000fe80000000000000546ff7fffee1000f0e016069604c0aaa';
const NI_QUERY =
  '600183bf00203a40fe80000000000000505400fffe432ca8fe80000000000000505400fffe2c36298b00630d0003000200018b56bbf6472ffe80000000000000505400fffe2c3629';
const RR =
  '6000000000483a4020010db8000100000a0027fffef44dcf20010db8000100000a0027fffef44dcf8a00df3a0000000000100000000000000107003000800000fec000000000000000000000000000003010000000278d0000093a80000000003ffe0501fffe00000000000000000000';

test('router advertisement with route info, RDNSS and DNSSL options at -v', () => {
  assert.equal(
    p6(RA_OPT24, 1),
    'IP6 (hlim 255, next-header ICMPv6 (58) payload length: 120) fe80::16cf:92ff:fe87:23d6 > ff02::1: [icmp6 sum ok] ICMP6, router advertisement, length 120\n' +
      '\thop limit 0, Flags [managed, other stateful], pref medium, router lifetime 0s, reachable time 0ms, retrans timer 0ms\n' +
      '\t  source link-address option (1), length 8 (1): 14:cf:92:87:23:d6\n' +
      '\t  mtu option (5), length 8 (1):  1500\n' +
      '\t  prefix info option (3), length 32 (4): fd8d:4fb3:5b2e::/64, Flags [onlink, auto], valid time 7200s, pref. time 1800s\n' +
      '\t  route info option (24), length 16 (2):  fd8d:4fb3:5b2e::/48, pref=medium, lifetime=7200s\n' +
      '\t  rdnss option (25), length 24 (3):  lifetime 1800s, addr: fd8d:4fb3:5b2e::1\n' +
      '\t  dnssl option (31), length 16 (2):  lifetime 1800s, domain(s): lan.',
  );
  assert.equal(
    p6(RA_OPT24),
    'IP6 fe80::16cf:92ff:fe87:23d6 > ff02::1: ICMP6, router advertisement, length 120',
  );
});

test('neighbor solicitation with an option 4.99.3 does not know (nonce)', () => {
  assert.equal(
    p6(NS_NONCE),
    'IP6 :: > ff02::1:ffe1:f: ICMP6, neighbor solicitation, who has fe80::546f:f7ff:fee1:f, length 32',
  );
  assert.equal(
    p6(NS_NONCE, 1),
    'IP6 (hlim 255, next-header ICMPv6 (58) payload length: 32) :: > ff02::1:ffe1:f: [icmp6 sum ok] ICMP6, neighbor solicitation, length 32, who has fe80::546f:f7ff:fee1:f\n' +
      '\t  unknown option (14), length 8 (1): \n' +
      '\t  0x0000:  6069 604c 0aaa',
  );
  assert.equal(
    p6(NS_NONCE, 2),
    'IP6 (hlim 255, next-header ICMPv6 (58) payload length: 32) :: > ff02::1:ffe1:f: [icmp6 sum ok] ICMP6, neighbor solicitation, length 32, who has fe80::546f:f7ff:fee1:f\n' +
      '\t  unknown option (14), length 8 (1): \n' +
      '\t    0x0000:  6069 604c 0aaa',
  );
});

test('node information query: 139 is first named who-are-you request', () => {
  assert.equal(
    p6(NI_QUERY),
    'IP6 fe80::5054:ff:fe43:2ca8 > fe80::5054:ff:fe2c:3629: ICMP6, who-are-you request node information query (node addresses [A], subject=fe80::5054:ff:fe2c:3629), length 32',
  );
});

test('router renumbering command at default and -v', () => {
  const ip =
    'IP6 2001:db8:1:0:a00:27ff:fef4:4dcf > 2001:db8:1:0:a00:27ff:fef4:4dcf: ICMP6, router renumbering, command, seq=0';
  assert.equal(p6(RR), `${ip} match(add,fec0::/48) use(3ffe:501:fffe::/48/16), length 72`);
  assert.match(
    p6(RR, 1),
    /seq=0\[S,seg=0,maxdelay=0\] match\(add,ord=0,min=0,max=128,fec0::\/48\) use\(mask=0x0,raflags=0x0,vltime=2592000,pltime=604800,3ffe:501:fffe::\/48\/16\)$/,
  );
  assert.match(p6(RR, 2), /maxdelay=0\]\n\tmatch\(add,.*\n\tuse\(/);
});

function icmp6Packet(body: string): string {
  const plen = (body.length / 2).toString(16).padStart(4, '0');
  return `60000000${plen}3a40fd000000000000000000000000000001fd000000000000000000000000000002${body}`;
}

test('errors: port unreachable through the quoted header chain, too big, time exceeded, length 0', () => {
  const quoted = `60000000000811${'40'}${'fd00'.padEnd(32, '0')}${'fd00'.padEnd(30, '0')}09303900350008ffff`;
  assert.equal(
    p6(icmp6Packet(`0104000000000000${quoted}`)),
    'IP6 fd00::1 > fd00::2: ICMP6, destination unreachable, unreachable port, fd00::9 udp port 53, length 56',
  );
  assert.equal(
    p6(icmp6Packet(`0200000000000500${quoted}`)),
    'IP6 fd00::1 > fd00::2: ICMP6, packet too big, mtu 1280, length 56',
  );
  assert.equal(
    p6(icmp6Packet(`0300000000000000${quoted}`)),
    'IP6 fd00::1 > fd00::2: ICMP6, time exceeded in-transit for fd00::9, length 56',
  );
  assert.equal(
    p6(icmp6Packet(`0301000000000000${quoted}`)),
    'IP6 fd00::1 > fd00::2: ICMP6, time exceeded in-transit (reassembly), length 56',
  );
  assert.equal(p6(icmp6Packet('')), 'IP6 fd00::1 > fd00::2: ICMP6, length 0 (invalid)');
  assert.equal(
    p6(icmp6Packet('0107000000000000')),
    'IP6 fd00::1 > fd00::2: ICMP6, destination unreachable, unknown unreach code (7)\n\t0x0000:  0107 0000 0000 0000',
  );
});

test('MLDv1 report and a v2 query at -vv', () => {
  assert.equal(
    p6(icmp6Packet(`8300000000000000ff02${'0'.repeat(26)}fb`)),
    'IP6 fd00::1 > fd00::2: ICMP6, multicast listener reportmax resp delay: 0 addr: ff02::fb, length 24',
  );
  assert.match(
    p6(
      icmp6Packet(`820000002710000000000000000000000000000000000000027d0001fd000000000000000000000000000009`),
      2,
    ),
    /ICMP6, multicast listener query v2 \[max resp delay=10000\] \[gaddr :: robustness=2 qqi=125 \{ fd00::9 \}\]$/,
  );
});
