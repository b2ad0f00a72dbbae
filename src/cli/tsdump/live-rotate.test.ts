// -w rotation (-C/-W/-G) against tcpdump's own output, strftime against GNU date, and a full disk.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { forEachInputPacket, INPUT_LINKTYPE, INPUT_SNAPLEN } from '../../../test/e2e/live-rotate/input.js';
import type { PacketRecord } from '../../pcap/record.js';
import {
  makeFilename,
  ROTATE_LIMIT_REACHED,
  ROTATE_OK,
  RotatingPcapWriter,
  wflagChars,
} from './live-rotate.js';
import { strftime } from './live-strftime.js';

const GOLDEN = fileURLToPath(new URL('../../../test/e2e/live-rotate/', import.meta.url));

interface Golden {
  cases: { args: string[]; files: { name: string; size: number; sha256: string }[] }[];
}

function flag(args: string[], f: string): number | undefined {
  const i = args.indexOf(f);
  return i >= 0 ? Number(args[i + 1]) : undefined;
}

function record(size: number, tsSec: number): PacketRecord {
  return {
    buf: new Uint8Array(size),
    off: 0,
    caplen: size,
    len: size,
    tsSec,
    tsNsec: 0,
    linktype: 1,
    ifIndex: 0,
  };
}

describe('-C/-W rotation makes the files tcpdump makes, byte for byte', () => {
  const golden = JSON.parse(readFileSync(join(GOLDEN, 'cases.json'), 'utf8')) as Golden;
  for (const c of golden.cases) {
    test(`tcpdump -w dump ${c.args.join(' ')}`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'tsvs-rot-'));
      try {
        const w = new RotatingPcapWriter({
          path: join(dir, 'dump'),
          fileSize: (flag(c.args, '-C') ?? 0) * 1000000,
          fileCount: flag(c.args, '-W'),
          linktype: INPUT_LINKTYPE,
          snaplen: INPUT_SNAPLEN,
        });
        forEachInputPacket((r) => assert.equal(w.write(r), ROTATE_OK));
        w.close();
        const got = readdirSync(dir)
          .sort()
          .map((name) => {
            const data = readFileSync(join(dir, name));
            return { name, size: data.length, sha256: createHash('sha256').update(data).digest('hex') };
          });
        assert.deepEqual(got, c.files);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

test('packets of 8 KiB and more are written straight through, the file as if buffered', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsvs-big-'));
  try {
    const w = new RotatingPcapWriter({ path: join(dir, 'big.pcap'), linktype: 1, snaplen: 262144 });
    const sizes = [100, 70000, 8192, 60, 8191, 65535];
    const expected: Buffer[] = [
      Buffer.from('d4c3b2a1020004000000000000000000000004000100000000', 'hex').subarray(0, 24),
    ];
    sizes.forEach((size, i) => {
      const r = record(size, 1000 + i);
      for (let j = 0; j < size; j++) r.buf[j] = (i * 31 + j) & 0xff;
      r.tsNsec = 123456789;
      r.len = size + 1;
      assert.equal(w.write(r), ROTATE_OK);
      const h = Buffer.alloc(16);
      h.writeUInt32LE(1000 + i, 0);
      h.writeUInt32LE(123456, 4);
      h.writeUInt32LE(size, 8);
      h.writeUInt32LE(size + 1, 12);
      expected.push(h, Buffer.from(r.buf));
    });
    w.close();
    assert.deepEqual(readFileSync(join(dir, 'big.pcap')), Buffer.concat(expected));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('file names', () => {
  test('getWflagChars: digits of the largest index', () => {
    assert.deepEqual([1, 2, 10, 11, 100, 101].map(wflagChars), [0, 1, 1, 2, 2, 3]);
  });
  test('MakeFilename: no number for the first file without -W, padded with it', () => {
    assert.equal(makeFilename('f.pcap', 0, 0), 'f.pcap');
    assert.equal(makeFilename('f.pcap', 3, 0), 'f.pcap3');
    assert.equal(makeFilename('f.pcap', 3, 2), 'f.pcap03');
    assert.equal(makeFilename('f-%Y', 0, 0, 0), strftime('f-%Y', 0));
    assert.equal(makeFilename('f-%Y.', 1, 2, 0), `${strftime('f-%Y.', 0)}01`);
  });

  test('strftime agrees with GNU date', () => {
    const saved = process.env.TZ;
    try {
      const rows = readFileSync(join(GOLDEN, 'strftime.tsv'), 'utf8').split('\n');
      let n = 0;
      for (const row of rows) {
        if (row === '' || row.startsWith('#')) continue;
        const [tz, epoch, fmt, expected] = row.split('\t');
        process.env.TZ = tz;
        assert.equal(strftime(fmt, Number(epoch)), expected, `TZ=${tz} date -d @${epoch} +'${fmt}'`);
        n++;
      }
      assert.ok(n > 50);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe('-G rotation (by the wall clock, checked when a packet arrives)', () => {
  test('-G 10 names files with strftime of the rotation time; -W 3 stops at the third rotation', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsvs-rotg-'));
    try {
      let now = 1000;
      const w = new RotatingPcapWriter({
        path: join(dir, 'dump-%s'),
        rotateSeconds: 10,
        fileCount: 3,
        linktype: 1,
        snaplen: 65535,
        now: () => now,
      });
      const seq: [number, number][] = [];
      for (const t of [1001, 1009, 1010, 1019, 1035, 1036, 1050]) {
        now = t;
        seq.push([t, w.write(record(100, t))]);
      }
      w.close();
      assert.deepEqual(seq, [
        [1001, ROTATE_OK],
        [1009, ROTATE_OK],
        [1010, ROTATE_OK],
        [1019, ROTATE_OK],
        [1035, ROTATE_OK],
        [1036, ROTATE_OK],
        [1050, ROTATE_LIMIT_REACHED],
      ]);
      assert.deepEqual(
        w.opened.map((p) => p.slice(dir.length + 1)),
        ['dump-1000', 'dump-1010', 'dump-1035'],
      );
      const sizes = readdirSync(dir)
        .sort()
        .map((n) => readFileSync(join(dir, n)).length);
      assert.deepEqual(sizes, [24 + 2 * 116, 24 + 2 * 116, 24 + 2 * 116]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('-G with -C numbers the size rotations inside each interval, from 0 again after -G', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsvs-rotgc-'));
    try {
      let now = 2000;
      const w = new RotatingPcapWriter({
        path: join(dir, 'd%s.'),
        rotateSeconds: 60,
        fileSize: 1000,
        fileCount: 10,
        linktype: 1,
        snaplen: 65535,
        now: () => now,
      });
      for (let i = 0; i < 7; i++) w.write(record(400, now)); // 24 + n*416: rotates when > 1000
      now = 2060;
      for (let i = 0; i < 4; i++) w.write(record(400, now));
      w.close();
      assert.deepEqual(
        w.opened.map((p) => p.slice(dir.length + 1)),
        ['d2000.0', 'd2000.1', 'd2000.2', 'd2060.0', 'd2060.1'],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('write errors', () => {
  test('a file that cannot be created: "<name>: <strerror>"', () => {
    assert.throws(
      () => new RotatingPcapWriter({ path: '/nonexistent-dir/x.pcap', linktype: 1, snaplen: 100 }),
      (e: Error) => e.message === '/nonexistent-dir/x.pcap: No such file or directory',
    );
  });

  const isRoot = process.getuid?.() === 0;
  test('a full disk is reported and the file stays valid up to the last whole packet', {
    skip: isRoot ? undefined : 'needs root to mount a small tmpfs',
  }, (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'tsvs-full-'));
    const mnt = join(dir, 'm');
    mkdirSync(mnt);
    const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tsvs-full', mnt], { encoding: 'utf8' });
    if (m.status !== 0) {
      rmSync(dir, { recursive: true, force: true });
      t.skip(`cannot mount tmpfs: ${m.stderr}`);
      return;
    }
    try {
      const name = join(mnt, 'f.pcap');
      const w = new RotatingPcapWriter({ path: name, linktype: 1, snaplen: 65535 });
      let err: Error | undefined;
      let written = 0;
      try {
        for (let i = 0; i < 10000; i++) {
          w.write(record(1000 + (i % 7), i));
          written++;
        }
        w.close();
      } catch (e) {
        err = e as Error;
        w.close(); // after a write error, closing must not throw again
      }
      assert.equal(err?.message, `${name}: No space left on device`);
      // Walk the file: every record must be whole.
      const data = readFileSync(name);
      assert.equal(data.readUInt32LE(0), 0xa1b2c3d4);
      let off = 24;
      let packets = 0;
      while (off < data.length) {
        const caplen = data.readUInt32LE(off + 8);
        assert.ok(off + 16 + caplen <= data.length, `record ${packets} is whole`);
        off += 16 + caplen;
        packets++;
      }
      assert.equal(off, data.length);
      assert.ok(packets > 100 && packets <= written, `${packets} whole packets of ${written} written`);
      writeFileSync(join(dir, 'ok'), ''); // the test's own disk is fine
    } finally {
      spawnSync('umount', [mnt]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
