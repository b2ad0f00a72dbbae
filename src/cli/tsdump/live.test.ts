// Cooked-socket filter fix-up (what libpcap does before SO_ATTACH_FILTER on "any").
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closingLines, cookedKernelProgram, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2 } from './live.js';

const AD = 0xfffff000;
const i = (code: number, k: number) => ({ code, jt: 0, jf: 0, k });

test('SLL2: payload offsets move down 20, protocol/ifindex/pkttype become ancillary loads', () => {
  const prog = [i(0x28, 0), i(0x20, 4), i(0x30, 10), i(0x30, 29), i(0xb1, 20), i(0x48, 22), i(0x06, 262144)];
  assert.deepEqual(cookedKernelProgram(prog, LINKTYPE_LINUX_SLL2), [
    i(0x28, AD + 0),
    i(0x20, AD + 8),
    i(0x30, AD + 4),
    i(0x30, 9),
    i(0xb1, 0),
    i(0x48, 2),
    i(0x06, 262144),
  ]);
});

test('SLL: packet type at 0 and protocol at 14; offsets move down 16', () => {
  const prog = [i(0x28, 0), i(0x28, 14), i(0x30, 25), i(0x06, 0)];
  assert.deepEqual(cookedKernelProgram(prog, LINKTYPE_LINUX_SLL), [
    i(0x28, AD + 4),
    i(0x28, AD + 0),
    i(0x30, 9),
    i(0x06, 0),
  ]);
});

test('other header fields cannot be loaded in the kernel: null (filter in userland)', () => {
  assert.equal(cookedKernelProgram([i(0x28, 8), i(0x06, 1)], LINKTYPE_LINUX_SLL2), null);
  assert.equal(cookedKernelProgram([i(0x20, 6), i(0x06, 1)], LINKTYPE_LINUX_SLL), null);
});

test('ancillary loads already in the program are left alone; non-loads untouched', () => {
  const prog = [i(0x20, AD + 48), i(0x02, 3), i(0x61, 3), i(0x06, 0)];
  assert.deepEqual(cookedKernelProgram(prog, LINKTYPE_LINUX_SLL2), prog);
});

test("closing lines: tcpdump's plural rule, the interface line only when not 0", () => {
  assert.equal(
    closingLines({ captured: 1, received: 2, dropped: 0, ifDropped: 0 }),
    '1 packet captured\n2 packets received by filter\n0 packets dropped by kernel\n',
  );
  assert.equal(
    closingLines({ captured: 5, received: 7, dropped: 1, ifDropped: 3 }),
    '5 packets captured\n7 packets received by filter\n1 packet dropped by kernel\n3 packets dropped by interface\n',
  );
});
