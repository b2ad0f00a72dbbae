// The tsdump command itself capturing live in namespaces: -i/-c/-w, -r of what it wrote, -D, -i any + SIGINT.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { netnsSkipReason, payloadOf, ROOT, udpTraffic, VethPair } from './live/netns.js';

const TSDUMP = join(ROOT, 'dist', 'cli', 'tsdump.js');
const N = 20;
const SIZE = 100;

function skipReason(): string | undefined {
  const r = netnsSkipReason();
  if (r) return r;
  if (!existsSync(TSDUMP)) return 'dist/cli/tsdump.js is not built (npx tsc -p tsconfig.build.json)';
  return undefined;
}

/** Runs tsdump in a namespace; resolves when it prints "listening on". */
async function start(
  ns: string,
  args: string[],
): Promise<{
  p: ChildProcess;
  out: () => string;
  outBytes: () => Buffer;
  err: () => string;
  done: Promise<number | null>;
}> {
  const p = spawn('ip', ['netns', 'exec', ns, process.execPath, TSDUMP, ...args], { cwd: ROOT });
  const out: Buffer[] = [];
  let err = '';
  p.stdout?.on('data', (d: Buffer) => {
    out.push(d);
  });
  p.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const done = new Promise<number | null>((resolve) => p.on('exit', (code) => resolve(code)));
  for (let i = 0; i < 150 && !err.includes('listening on') && p.exitCode === null; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.match(err, /listening on/, `tsdump did not start: ${err}`);
  return {
    p,
    out: () => Buffer.concat(out).toString(),
    outBytes: () => Buffer.concat(out),
    err: () => err,
    done,
  };
}

async function bounded(done: Promise<number | null>, p: ChildProcess, ms: number): Promise<number | null> {
  const t = setTimeout(() => p.kill('SIGKILL'), ms);
  const code = await done;
  clearTimeout(t);
  return code;
}

describe('tsdump -i (the command)', { skip: skipReason() }, () => {
  const pair = new VethPair('lc');
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsvs-cli-'));
    try {
      pair.setUp();
    } catch (e) {
      pair.tearDown();
      throw e;
    }
  });
  after(() => {
    pair.tearDown();
    rmSync(dir, { recursive: true, force: true });
  });

  test("-i VETH -c 20 -w FILE 'udp port 9000': tcpdump's lines; -r prints what was sent", async () => {
    const file = join(dir, 'f.pcap');
    const t = await start(pair.a.ns, ['-i', pair.a.veth, '-c', String(N), '-w', file, 'udp port 9000']);
    await udpTraffic(pair, pair.b, pair.a, N, 'in', SIZE);
    const code = await bounded(t.done, t.p, 10000);
    assert.equal(code, 0);
    assert.equal(
      t.err(),
      `tsdump: listening on ${pair.a.veth}, link-type EN10MB (Ethernet), snapshot length 262144 bytes\n` +
        `${N} packets captured\n${N} packets received by filter\n0 packets dropped by kernel\n`,
    );
    const r = spawnSync(process.execPath, [TSDUMP, '-r', file, '-nn'], { encoding: 'utf8', timeout: 10000 });
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, N);
    const re = new RegExp(
      `^\\d\\d:\\d\\d:\\d\\d\\.\\d{6} IP ${pair.b.addr.replaceAll('.', '\\.')}\\.9000 > ${pair.a.addr.replaceAll('.', '\\.')}\\.9000: UDP, length ${SIZE}$`,
    );
    for (const l of lines) assert.match(l, re);
    // And the payloads, in order, are the ones sent.
    const f = readFileSync(file);
    let off = 24;
    for (let i = 0; i < N; i++) {
      const caplen = f.readUInt32LE(off + 8);
      assert.deepEqual(f.subarray(off + 16 + 42, off + 16 + caplen), payloadOf('in', i, SIZE));
      off += 16 + caplen;
    }
    assert.equal(off, f.length);
  });

  test('-w - writes the savefile to the standard output', async () => {
    const t = await start(pair.a.ns, ['-i', pair.a.veth, '-c', String(N), '-w', '-', 'udp port 9000']);
    await udpTraffic(pair, pair.b, pair.a, N, 'in', SIZE);
    assert.equal(await bounded(t.done, t.p, 10000), 0);
    const f = t.outBytes();
    assert.equal(f.readUInt32LE(0), 0xa1b2c3d4);
    assert.equal(f.length, 24 + N * (16 + 14 + 28 + SIZE));
  });

  test('-i any, printing, SIGINT: the data link line, one line per packet, the extra newline, the counts', async () => {
    const t = await start(pair.a.ns, ['-i', 'any', '-nn', 'udp port 9000']);
    await udpTraffic(pair, pair.a, pair.b, N, 'out', SIZE);
    await new Promise((r) => setTimeout(r, 400));
    t.p.kill('SIGINT');
    const code = await bounded(t.done, t.p, 10000);
    assert.equal(code, 0);
    assert.equal(
      t.err(),
      'tsdump: data link type LINUX_SLL2\n' +
        'tsdump: verbose output suppressed, use -v[v]... for full protocol decode\n' +
        'listening on any, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 262144 bytes\n' +
        `${N} packets captured\n${N} packets received by filter\n0 packets dropped by kernel\n`,
    );
    const lines = t.out().split('\n');
    assert.equal(lines.length, N + 2);
    for (const l of lines.slice(0, N))
      assert.match(l, new RegExp(` ${pair.a.veth} Out IP .*: UDP, length ${SIZE}$`));
  });

  test("-D lists the namespace's devices", () => {
    const r = spawnSync('ip', ['netns', 'exec', pair.a.ns, process.execPath, TSDUMP, '-D'], {
      encoding: 'utf8',
      timeout: 10000,
    });
    assert.equal(r.status, 0);
    assert.equal(
      r.stdout,
      `1.${pair.a.veth} [Up, Running, Connected]\n2.any (Pseudo-device that captures on all interfaces) [Up, Running]\n3.lo [Up, Running, Loopback]\n`,
    );
  });

  test('an unknown device: the message and exit status 1', () => {
    const r = spawnSync('ip', ['netns', 'exec', pair.a.ns, process.execPath, TSDUMP, '-i', 'tsvsnosuch0'], {
      encoding: 'utf8',
      timeout: 10000,
    });
    assert.equal(r.status, 1);
    assert.equal(r.stderr, 'tsdump: tsvsnosuch0: No such device exists\n(No such device exists)\n');
  });
});
