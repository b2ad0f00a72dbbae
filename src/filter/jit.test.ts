// Property test: the compiled JavaScript function equals the reference interpreter on random
// programs (every opcode, random jumps and offsets) over random packets.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { BpfInsn } from './index.js';
import { interpret } from './interp.js';
import { compileProgram } from './jit.js';

const OPCODES = [
  0x06, 0x16, 0x20, 0x28, 0x30, 0x80, 0x81, 0x40, 0x48, 0x50, 0x00, 0x01, 0xb1, 0x60, 0x61, 0x02, 0x03, 0x05,
  0x25, 0x35, 0x15, 0x45, 0x2d, 0x3d, 0x1d, 0x4d, 0x0c, 0x1c, 0x2c, 0x3c, 0x9c, 0x5c, 0x4c, 0xac, 0x6c, 0x7c,
  0x04, 0x14, 0x24, 0x34, 0x94, 0x54, 0x44, 0xa4, 0x64, 0x74, 0x84, 0x07, 0x87, 0xff,
];

// Small k values hit packet bytes and scratch slots; a few large ones test bounds and wrap-around.
const kArb = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 70 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1, 31, 32, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffff000) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffffffff }) },
);

const insnArb: fc.Arbitrary<BpfInsn> = fc.record({
  code: fc.constantFrom(...OPCODES),
  jt: fc.integer({ min: 0, max: 6 }),
  jf: fc.integer({ min: 0, max: 6 }),
  k: kArb,
});

// Programs end in a return so most runs produce a value; jumps may still leave the program.
const progArb = fc
  .tuple(fc.array(insnArb, { minLength: 0, maxLength: 24 }), kArb)
  .map(([body, r]) => [...body, { code: 0x16, jt: 0, jf: 0, k: 0 }, { code: 0x06, jt: 0, jf: 0, k: r }]);

test('compiled function == interpreter on random programs and packets', () => {
  fc.assert(
    fc.property(progArb, fc.uint8Array({ minLength: 0, maxLength: 80 }), fc.nat(8), (prog, bytes, cut) => {
      const caplen = Math.max(0, bytes.length - cut);
      const wirelen = bytes.length + cut;
      const fn = compileProgram(prog);
      assert.equal(fn(bytes, 0, caplen, wirelen), interpret(prog, bytes, 0, caplen, wirelen));
    }),
    { numRuns: 3000 },
  );
});

test('programs see only their window of a larger buffer', () => {
  fc.assert(
    fc.property(progArb, fc.uint8Array({ minLength: 10, maxLength: 80 }), fc.nat(9), (prog, bytes, off) => {
      const caplen = bytes.length - off;
      assert.equal(
        compileProgram(prog)(bytes, off, caplen, caplen),
        interpret(prog, bytes, off, caplen, caplen),
      );
    }),
    { numRuns: 1000 },
  );
});
