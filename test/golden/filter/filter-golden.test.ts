// Golden test: the packets our compiler + interpreter (and compiled function) select from real
// captures equal what tcpdump 4.99.3 selected (cases.tsv, rebuilt by test/tools/regen-filter.ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isTsvsError } from '../../../src/errors.js';
import { compileFilter, compileToFunction, interpret } from '../../../src/filter/index.js';
import { readSavefile } from '../../../src/filter/tools/savefile.js';

const dir = import.meta.dirname;

// Where we knowingly differ from libpcap 1.10.3 (the oracle): none now. Keys are
// "capture<TAB>expression" or "*<TAB>expression".
const VERSION_DIFFERENCES = new Set<string>([]);

const rows = readFileSync(join(dir, 'cases.tsv'), 'utf8')
  .split('\n')
  .filter((l) => l && !l.startsWith('#'))
  .map((l) => l.split('\t') as [string, string, string]);

test('filter goldens: same packets as tcpdump', () => {
  const files = new Map<string, ReturnType<typeof readSavefile>>();
  let checked = 0;
  const failures: string[] = [];
  for (const [cap, expr, want] of rows) {
    if (VERSION_DIFFERENCES.has(`*\t${expr}`) || VERSION_DIFFERENCES.has(`${cap}\t${expr}`)) continue;
    let sf = files.get(cap);
    if (!sf) files.set(cap, (sf = readSavefile(join(dir, cap))));
    for (const optimize of [true, false]) {
      let prog: ReturnType<typeof compileFilter>;
      try {
        prog = compileFilter(expr, {
          linktype: sf.linktype,
          snaplen: sf.snaplen,
          optimize,
          // As tcpdump -r compiles: netmask 0 (so `ip broadcast` compiles), code for the file's byte order.
          netmask: 0,
          offline: sf.swapped ? 'swapped' : 'unswapped',
        });
      } catch (e) {
        assert.ok(isTsvsError(e), `${expr}: ${String(e)}`);
        if (!want.startsWith('!'))
          failures.push(`${cap} ${JSON.stringify(expr)}: refused (${e.message}), tcpdump accepts`);
        continue;
      }
      if (want.startsWith('!')) {
        if (optimize)
          failures.push(`${cap} ${JSON.stringify(expr)}: accepted, tcpdump says ${want.slice(1)}`);
        continue;
      }
      const fn = compileToFunction(prog);
      const got: number[] = [];
      sf.packets.forEach((p, i) => {
        const r = interpret(prog, sf.data, p.off, p.caplen, p.len);
        assert.equal(fn(sf.data, p.off, p.caplen, p.len), r, `${expr}: function != interpreter`);
        if (r !== 0) got.push(i + 1);
      });
      if (got.join(',') !== want)
        failures.push(`${cap} ${JSON.stringify(expr)} (opt=${optimize}): got ${got} want ${want}`);
      checked++;
    }
  }
  assert.deepEqual(failures, []);
  assert.ok(checked > 1000, `only ${checked} programs checked`);
});
