// Rebuilds test/golden/filter/cases.tsv: for every capture x expression, the packets tcpdump
// selects (`tcpdump -r F -w - EXPR`), as 1-based positions; "!" + message when tcpdump refuses.
//   node --import tsx test/tools/regen-filter.ts
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSavefile, readSavefile } from '../../src/filter/tools/savefile.js';
import { FILTER_EXPRESSIONS } from '../golden/filter/expressions.js';

const dir = join(import.meta.dirname, '../golden/filter');
const captures = readdirSync(dir)
  .filter((f) => f.endsWith('.pcap'))
  .sort();

function sameBytes(a: Uint8Array, ao: number, b: Uint8Array, bo: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (a[ao + i] !== b[bo + i]) return false;
  return true;
}

const rows: string[] = ['# capture\texpression\tmatched (1-based packet numbers, or !error)'];
for (const cap of captures) {
  const sf = readSavefile(join(dir, cap));
  for (const expr of FILTER_EXPRESSIONS) {
    const r = spawnSync('tcpdump', ['-r', join(dir, cap), '-w', '-', expr], { maxBuffer: 1 << 26 });
    if (r.status !== 0) {
      const msg = r.stderr.toString().trim().split('\n').pop() ?? '';
      rows.push(`${cap}\t${expr}\t!${msg.replace(/^tcpdump: /, '')}`);
      continue;
    }
    const out = parseSavefile(new Uint8Array(r.stdout));
    const matched: number[] = [];
    let i = 0;
    for (const p of out.packets) {
      while (i < sf.packets.length) {
        const q = sf.packets[i]!;
        i++;
        if (
          q.caplen === p.caplen &&
          q.len === p.len &&
          sameBytes(sf.data, q.off, out.data, p.off, p.caplen)
        ) {
          matched.push(i);
          break;
        }
      }
    }
    rows.push(`${cap}\t${expr}\t${matched.join(',')}`);
  }
}
writeFileSync(join(dir, 'cases.tsv'), `${rows.join('\n')}\n`);
console.log(
  `${rows.length - 1} cases from ${captures.length} captures x ${FILTER_EXPRESSIONS.length} expressions`,
);
