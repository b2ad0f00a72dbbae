import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isTsvsError } from '../errors.js';
import { openSavefile } from './reader.js';
import { PcapWriter } from './writer.js';

const core = join(import.meta.dirname, '..', '..', 'test', 'golden', 'tcpdump', 'core', 'pcap');

interface Rec {
  data: string;
  len: number;
  sec: number;
  nsec: number;
  lt: number;
}

function readAll(path: string, readSize?: number): Rec[] {
  const f = openSavefile(path, readSize, { mixedInterfaces: true });
  const out: Rec[] = [];
  for (let r = f.next(); r !== null; r = f.next()) {
    out.push({
      data: Buffer.from(r.buf.subarray(r.off, r.off + r.caplen)).toString('hex'),
      len: r.len,
      sec: r.tsSec,
      nsec: r.tsNsec,
      lt: r.linktype,
    });
  }
  f.close();
  return out;
}

test('every savefile reads the same whatever the read size (records split at every offset)', () => {
  for (const name of readdirSync(core)) {
    const whole = readAll(join(core, name));
    assert.ok(whole.length > 0, name);
    for (const size of [1, 2, 3, 7, 16, 61, 1000]) {
      assert.deepEqual(readAll(join(core, name), size), whole, `${name} at read size ${size}`);
    }
  }
});

test('both byte orders and both precisions give the same packets', () => {
  const le = readAll(join(core, 'lo-nano.pcap'));
  const be = readAll(join(core, 'lo-nano-be.pcap'));
  assert.deepEqual(be, le);
  assert.ok(
    le.some((r) => r.nsec % 1000 !== 0),
    'nanosecond fractions are kept',
  );
});

test('pcapng with two interfaces keeps each packet link type', () => {
  const recs = readAll(join(core, 'two-ifaces.pcapng'));
  const types = new Set(recs.map((r) => r.lt));
  assert.deepEqual(
    [...types].sort((a, b) => a - b),
    [1, 276],
  );
  // The same packets as the pcap files it was merged from.
  const n = readAll(join(core, 'lo.pcap')).length + readAll(join(core, 'any-sll2.pcap')).length;
  assert.equal(recs.length, n);
});

test('pcapng interfaces that differ are refused by default, with libpcap message', () => {
  const f = openSavefile(join(core, 'two-ifaces.pcapng'));
  assert.throws(
    () => {
      while (f.next() !== null);
    },
    (e: unknown) =>
      isTsvsError(e) &&
      e.message === 'an interface has a type 276 different from the type of the first interface',
  );
  f.close();
});

test('what the writer writes reads back identically (micro and nano)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsvs-pcap-'));
  for (const name of ['lo.pcap', 'lo-nano.pcap', 'any-sll2.pcap']) {
    const src = openSavefile(join(core, name));
    const out = join(dir, name);
    const w = new PcapWriter(out, src.linktype, src.snaplen, src.nano);
    for (let r = src.next(); r !== null; r = src.next()) w.write(r);
    w.close();
    src.close();
    assert.deepEqual(readAll(out), readAll(join(core, name)), name);
  }
});

test('records copied as stored (-r -w) give the same bytes as records written field by field', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsvs-pcap-'));
  // Little- and big-endian, nano, cut to the snaplen, pcapng; tiny reads refill the buffer inside
  // runs of adjacent records; the pattern keeps runs of two, single records and everything.
  const names = ['lo.pcap', 'lo-nano.pcap', 'lo-nano-be.pcap', 'lo-s60.pcap', 'lo.pcapng'];
  const keeps: ((i: number) => boolean)[] = [(i) => i % 3 !== 1, (i) => i % 2 === 0, () => true];
  for (const name of names) {
    for (const [k, keep] of keeps.entries()) {
      for (const readSize of [undefined, 7, 100]) {
        const outs: Buffer[] = [];
        for (const stored of [false, true]) {
          const src = openSavefile(join(core, name), readSize);
          const out = join(dir, `${name}-${k}-${readSize}-${stored}`);
          const w = new PcapWriter(out, src.linktype, src.snaplen, src.nano);
          w.copyStored = stored;
          if (stored) src.beforeRefill(() => w.flushRun());
          let i = 0;
          for (let r = src.next(); r !== null; r = src.next()) if (keep(i++)) w.write(r);
          w.close();
          src.close();
          outs.push(readFileSync(out));
        }
        assert.ok(outs[0]!.length > 24, name);
        assert.deepEqual(outs[1], outs[0], `${name} pattern ${k} read size ${readSize}`);
      }
    }
  }
});

function errorOf(bytes: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsvs-pcap-'));
  const p = join(dir, 'f.pcap');
  writeFileSync(p, bytes);
  try {
    readAll(p);
  } catch (e) {
    assert.ok(isTsvsError(e), String(e));
    return e.message;
  }
  return '';
}

test('corrupt files are refused with libpcap messages', () => {
  assert.equal(
    errorOf(new Uint8Array(0)),
    'truncated dump file; tried to read 4 file header bytes, only got 0',
  );
  assert.equal(errorOf(Buffer.from('hello, this is not a capture')), 'unknown file format');
  const hdr = Buffer.alloc(24);
  hdr.writeUInt32LE(0xa1b2c3d4, 0);
  hdr.writeUInt16LE(2, 4);
  hdr.writeUInt16LE(4, 6);
  hdr.writeUInt32LE(262144, 16);
  hdr.writeUInt32LE(1, 20);
  assert.equal(
    errorOf(hdr.subarray(0, 10)),
    'truncated dump file; tried to read 24 file header bytes, only got 6',
  );
  const rec = Buffer.alloc(16);
  rec.writeUInt32LE(0xffffffff, 8);
  assert.equal(
    errorOf(Buffer.concat([hdr, rec])),
    'invalid packet capture length 4294967295, bigger than snaplen of 262144',
  );
  rec.writeUInt32LE(60, 8);
  assert.equal(
    errorOf(Buffer.concat([hdr, rec, Buffer.alloc(20)])),
    'truncated dump file; tried to read 60 captured bytes, only got 20',
  );
  assert.equal(
    errorOf(Buffer.concat([hdr, rec.subarray(0, 5)])),
    'truncated dump file; tried to read 16 header bytes, only got 5',
  );
  const v = Buffer.from(hdr);
  v.writeUInt16LE(3, 4);
  assert.equal(errorOf(v), 'unsupported pcap savefile version 3.4');
});
