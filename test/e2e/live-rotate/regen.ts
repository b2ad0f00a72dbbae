// Rebuilds cases.json and strftime.tsv from the oracles: tcpdump 4.99 (-r input -w out -C/-W) and GNU date.
//   node --import tsx test/e2e/live-rotate/regen.ts
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inputPcap } from './input.js';

const here = fileURLToPath(new URL('.', import.meta.url));
export const ROTATE_CASES = [
  ['-C', '1'],
  ['-C', '1', '-W', '2'],
  ['-C', '1', '-W', '11'],
  ['-C', '2', '-W', '3'],
  ['-C', '3'],
];

const dir = mkdtempSync(join(tmpdir(), 'tsvs-rotate-'));
chmodSync(dir, 0o777); // tcpdump drops root privileges before it opens the next files
try {
  writeFileSync(join(dir, 'input.pcap'), inputPcap());
  const cases = [];
  for (const args of ROTATE_CASES) {
    const out = join(dir, `case${cases.length}`);
    const r = spawnSync('mkdir', ['-m', '777', out]);
    if (r.status !== 0) throw new Error('mkdir failed');
    const t = spawnSync('tcpdump', ['-r', join(dir, 'input.pcap'), '-w', join(out, 'dump'), ...args], {
      encoding: 'utf8',
    });
    if (t.status !== 0) throw new Error(`tcpdump ${args.join(' ')}: ${t.stderr}`);
    const files = readdirSync(out)
      .sort()
      .map((name) => {
        const data = readFileSync(join(out, name));
        return { name, size: data.length, sha256: createHash('sha256').update(data).digest('hex') };
      });
    cases.push({ args, files });
  }
  writeFileSync(
    join(here, 'cases.json'),
    `${JSON.stringify({ oracle: spawnSync('tcpdump', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0], cases }, null, 2)}\n`,
  );

  // strftime: GNU date formats with the C library's strftime.
  const formats = [
    '%Y%m%d-%H%M%S',
    '%F_%T',
    '%y%j.%a.%b.%e',
    '%I%p-%A-%B-%U-%W-%V-%G-%g-%u-%w',
    '%s',
    '%D %R %C %k %l %%',
    'dump-%H:%M:%S.pcap',
  ];
  const times = [0, 1700000000, 1710000000, 1735689599, 1751328000];
  const zones = ['UTC', 'America/New_York', 'Asia/Kolkata'];
  let tsv = '# tz\tepoch\tformat\texpected (from GNU date +FORMAT)\n';
  for (const tz of zones) {
    for (const t of times) {
      for (const f of formats) {
        const d = spawnSync('date', ['-d', `@${t}`, `+${f}`], {
          encoding: 'utf8',
          env: { ...process.env, TZ: tz, LC_ALL: 'C' },
        });
        tsv += `${tz}\t${t}\t${f}\t${d.stdout.replace(/\n$/, '')}\n`;
      }
    }
  }
  writeFileSync(join(here, 'strftime.tsv'), tsv);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
