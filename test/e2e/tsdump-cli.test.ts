// tsdump from the command line: bad input gets tcpdump's message and a non-zero exit with the
// output so far kept; -w writes what tcpdump (and our reader) read back; -c, --count, -r -, filters.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'dist', 'cli', 'tsdump.js');
const lo = join(root, 'test', 'golden', 'tcpdump', 'core', 'pcap', 'lo.pcap');
const tmp = mkdtempSync(join(tmpdir(), 'tsdump-cli-'));

function run(args: string[], input?: Buffer) {
  const r = spawnSync(process.execPath, [cli, ...args], {
    input,
    env: { ...process.env, TZ: 'GMT0' },
    maxBuffer: 1 << 26,
  });
  return {
    status: r.status,
    stdout: r.stdout.toString('latin1'),
    stderr: r.stderr.toString('latin1'),
    raw: r.stdout,
  };
}

test('a missing file, a directory, an empty file and garbage are refused', () => {
  let r = run(['-r', join(tmp, 'nope.pcap')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^tsdump: .*nope\.pcap: No such file or directory\n$/);
  r = run(['-r', tmp]);
  assert.equal(r.status, 1);
  assert.equal(r.stderr, 'tsdump: error reading dump file: Is a directory\n');
  writeFileSync(join(tmp, 'empty.pcap'), '');
  r = run(['-r', join(tmp, 'empty.pcap')]);
  assert.equal(r.stderr, 'tsdump: truncated dump file; tried to read 4 file header bytes, only got 0\n');
  writeFileSync(join(tmp, 'junk.pcap'), 'GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  r = run(['-r', join(tmp, 'junk.pcap')]);
  assert.equal(r.status, 1);
  assert.equal(r.stderr, 'tsdump: unknown file format\n');
  assert.doesNotMatch(r.stderr, /at .*\.js:\d+/, 'no stack trace');
});

test('a file cut in the middle of a packet keeps the packets printed before, then fails', () => {
  const whole = readFileSync(lo);
  writeFileSync(join(tmp, 'cut.pcap'), whole.subarray(0, 200));
  const r = run(['-n', '-r', join(tmp, 'cut.pcap')]);
  assert.equal(r.status, 1);
  assert.equal(r.stdout.split('\n').length - 1, 1, 'the first packet was printed');
  assert.match(
    r.stderr,
    /tsdump: pcap_loop: truncated dump file; tried to read \d+ captured bytes, only got \d+\n$/,
  );
});

test('an absurd capture length and an unknown link type are refused', () => {
  const hdr = Buffer.alloc(24);
  hdr.writeUInt32LE(0xa1b2c3d4, 0);
  hdr.writeUInt16LE(2, 4);
  hdr.writeUInt16LE(4, 6);
  hdr.writeUInt32LE(262144, 16);
  hdr.writeUInt32LE(1, 20);
  const rec = Buffer.alloc(16);
  rec.writeUInt32LE(0x7fffffff, 8);
  writeFileSync(join(tmp, 'huge.pcap'), Buffer.concat([hdr, rec]));
  let r = run(['-r', join(tmp, 'huge.pcap')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /invalid packet capture length 2147483647, bigger than snaplen of 262144/);
  hdr.writeUInt32LE(4242, 20);
  writeFileSync(join(tmp, 'lt.pcap'), hdr);
  r = run(['-r', join(tmp, 'lt.pcap')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /unknown data link type 4242/);
});

test('bad options get a usage error', () => {
  const r = run(['-k']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /invalid option -- 'k'/);
  assert.match(r.stderr, /Usage: tsdump/);
});

test('-w writes a savefile that reads back to the same text, through a file and through -w - | -r -', () => {
  const want = run(['-n', '-r', lo]).stdout;
  const out = join(tmp, 'copy.pcap');
  assert.equal(run(['-r', lo, '-w', out]).status, 0);
  assert.equal(run(['-n', '-r', out]).stdout, want);
  assert.deepEqual(readFileSync(out), readFileSync(lo), 'byte for byte the same file');
  const piped = run(['-r', lo, '-w', '-']);
  assert.equal(piped.status, 0);
  assert.equal(run(['-n', '-r', '-'], piped.raw).stdout, want);
});

test('-c, --count, a filter and -d', () => {
  assert.equal(run(['-n', '-c', '2', '-r', lo]).stdout.split('\n').length - 1, 2);
  assert.equal(run(['-n', '-c3', '-r', lo]).stdout.split('\n').length - 1, 3);
  const all = run(['--count', '-r', lo]).stdout;
  assert.match(all, /^\d+ packets\n$/);
  const icmp = run(['-n', '-r', lo, 'icmp'])
    .stdout.split('\n')
    .filter((l) => l !== '');
  assert.ok(icmp.length > 0 && icmp.every((l) => l.includes('ICMP')));
  const listing = run(['-d', '-y', 'EN10MB', 'tcp', 'port', '80']);
  assert.equal(listing.status, 0);
  assert.match(listing.stdout, /^\(000\) ldh\s+\[12\]\n/);
  const bad = run(['-r', lo, 'port', '99999']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /port number 99999/);
});

test('-r wins over -i and -L, as in tcpdump (an interface that does not exist is not opened)', () => {
  const plain = run(['-n', '-c', '2', '-r', lo]);
  const withIface = run(['-n', '-c', '2', '-r', lo, '-i', 'tsvs-no-such-if0']);
  assert.equal(withIface.status, 0, withIface.stderr);
  assert.equal(withIface.stdout, plain.stdout);
  const withL = run(['-L', '-r', lo, '-c', '1', '-n']);
  assert.equal(withL.status, 0, withL.stderr);
  assert.equal(withL.stdout, plain.stdout.split('\n')[0] + '\n');
  const live = run(['-n', '-c', '1', '-i', 'tsvs-no-such-if0']);
  assert.equal(live.status, 1);
});

test('without -n, host names come from the hosts file (TSDUMP_HOSTS), -N keeps the first label', () => {
  const hosts = join(tmp, 'hosts');
  writeFileSync(hosts, '# test\n127.0.0.1 lo.example.test other\n127.0.0.1 second\n');
  const named = (args: string[]) =>
    spawnSync(process.execPath, [cli, '-c', '1', '-r', lo, ...args], {
      env: { ...process.env, TZ: 'GMT0', TSDUMP_HOSTS: hosts },
    }).stdout.toString();
  assert.match(named([]), / IP lo\.example\.test\.\S+ > lo\.example\.test\.\S+: /);
  assert.match(named(['-N']), / IP lo\.\S+ > lo\.\S+: /);
  assert.match(named(['-n']), / IP 127\.0\.0\.1\.\d+ > 127\.0\.0\.1\.\d+: /);
});

test('the linked commands run by their shebang, without loading NODE_EXTRA_CA_CERTS', () => {
  // Node warns on stderr when that file cannot be loaded, so its absence proves the variable was dropped.
  for (const [name, args] of [
    ['tsdump.js', ['-r', lo, '-c', '1', '-nn']],
    ['tsvsadm.js', ['-v']],
  ] as const) {
    const r = spawnSync(join(root, 'dist', 'cli', name), args, {
      env: { ...process.env, TZ: 'GMT0', NODE_EXTRA_CA_CERTS: join(tmp, 'no-such-bundle.pem') },
    });
    assert.equal(r.status, 0, `${name}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr.toString(), /extra certs/i, name);
    assert.ok(r.stdout.length > 0, name);
  }
  // The same start through plain node does load it (so the check above can fail).
  const plain = spawnSync(process.execPath, ['-e', '0'], {
    env: { ...process.env, NODE_EXTRA_CA_CERTS: join(tmp, 'no-such-bundle.pem') },
  });
  assert.match(plain.stderr.toString(), /extra certs/i);
});

test('-w to a pipe that closes fails with the write error, not a read error', () => {
  // 3 MB of adjacent records, all kept: they are copied as stored, in runs flushed when the
  // reader refills its buffer, so the write that fails happens inside the reader's next().
  const rec = Buffer.alloc(16 + 1500);
  rec.writeUInt32LE(1500, 8);
  rec.writeUInt32LE(1500, 12);
  const head = Buffer.from('d4c3b2a1020004000000000000000000ffff000001000000', 'hex');
  const big = join(tmp, 'big-records.pcap');
  writeFileSync(big, Buffer.concat([head, ...Array.from({ length: 2000 }, () => rec)]));
  const r = spawnSync('sh', [
    '-c',
    `"${process.execPath}" "${cli}" -r "${big}" -w - | head -c 100000 >/dev/null`,
  ]);
  assert.match(r.stderr.toString(), /\ntsdump: standard output: Broken pipe\n$/);
});
