// Golden test of tsdump's Wireshark-style analysis: for every capture under analysis/pcap, the
// per-frame fields and the -z tables equal what tshark 4.0 printed (test/tools/regen-analysis.sh).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(import.meta.dirname, '..', '..');
const dir = join(import.meta.dirname, 'analysis');
const cli = join(root, 'dist', 'cli', 'tsdump.js');
const fields = readFileSync(join(dir, 'fields.txt'), 'latin1')
  .split('\n')
  .filter((l) => l !== '');

function tsdump(args: string[]): string {
  const r = spawnSync(process.execPath, [cli, ...args], {
    encoding: 'latin1',
    maxBuffer: 1 << 28,
    env: { ...process.env, TZ: 'GMT0' },
  });
  assert.equal(r.status, 0, `tsdump ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

const ZS: [string, string][] = [
  ['expert.txt', 'expert'],
  ['conv-tcp.txt', 'conv,tcp'],
  ['conv-udp.txt', 'conv,udp'],
  ['conv-ip.txt', 'conv,ip'],
  ['conv-ipv6.txt', 'conv,ipv6'],
  ['endpoints-ip.txt', 'endpoints,ip'],
  ['io-stat-1.txt', 'io,stat,1'],
  ['io-stat-0.01.txt', 'io,stat,0.01'],
  ['follow-ascii-0.txt', 'follow,tcp,ascii,0'],
  ['follow-hex-0.txt', 'follow,tcp,hex,0'],
  ['follow-raw-0.txt', 'follow,tcp,raw,0'],
];

for (const p of readdirSync(join(dir, 'pcap')).sort()) {
  const name = p.replace(/\.pcap$/, '');
  const pcap = join(dir, 'pcap', p);
  const exp = join(dir, 'expected', name);
  test(`analysis ${name}: per-frame fields equal tshark's`, () => {
    const args = ['-r', pcap, '-T', 'fields', '-E', 'header=y', '-E', 'separator=,', '-E', 'occurrence=f'];
    for (const f of fields) args.push('-e', f);
    assert.equal(tsdump(args), readFileSync(join(exp, 'fields.csv'), 'latin1'));
  });
  test(`analysis ${name}: -z tables equal tshark's`, () => {
    for (const [file, z] of ZS) {
      const path = join(exp, file);
      if (!existsSync(path)) continue;
      assert.equal(tsdump(['-r', pcap, '-q', '-z', z]), readFileSync(path, 'latin1'), `-z ${z}`);
    }
  });
}
