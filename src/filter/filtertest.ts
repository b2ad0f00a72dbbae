// filtertest: compile an expression and list it (-d style), or apply it to a savefile and print
// each packet's filter return value (libpcap's testprogs/filtertest, for the filter corpus).
//   node --import tsx src/filter/filtertest.ts [-O] [-dd|-ddd] -y DLT [-s SNAPLEN] [-m NETMASK] EXPR...
//   node --import tsx src/filter/filtertest.ts [-O] [-m NETMASK] -r SAVEFILE EXPR...
import { readFileSync } from 'node:fs';
import { isTsvsError } from '../errors.js';
import { compileFilter, compileToFunction, formatProgram, interpret } from './index.js';
import { parseIpv4Dotted } from './names.js';
import { readSavefile, SavefileError } from './tools/savefile.js';

const DLTS: Record<string, number> = {
  EN10MB: 1,
  NULL: 0,
  LOOP: 108,
  RAW: 101,
  LINUX_SLL: 113,
  LINUX_SLL2: 276,
  IPV4: 228,
  IPV6: 229,
};

function usage(msg: string): never {
  process.stderr.write(
    `filtertest: ${msg}\nusage: filtertest [-O] [-d|-dd|-ddd] [-s snaplen] [-m netmask] [-F file] (-y DLT | -r savefile) [expression]\n`,
  );
  process.exit(64);
}

function main(argv: string[]): number {
  let optimize = true;
  let level: 1 | 2 | 3 = 1;
  let dlt: number | null = null;
  let snaplen = 262144;
  let netmask: number | undefined;
  let savefile: string | null = null;
  let exprFile: string | null = null;
  let useInterp = false;
  let linuxExtensions = false;
  let offline: 'swapped' | 'unswapped' | undefined;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const val = () => {
      const v = argv[++i];
      if (v === undefined) usage(`option ${a} needs an argument`);
      return v;
    };
    if (a === '-O') optimize = false;
    else if (a === '-d') level = 1;
    else if (a === '-dd') level = 2;
    else if (a === '-ddd') level = 3;
    else if (a === '-y') {
      const v = val();
      const n = DLTS[v.toUpperCase()] ?? (/^[0-9]+$/.test(v) ? Number(v) : undefined);
      if (n === undefined) usage(`unknown data link type ${v}`);
      dlt = n;
    } else if (a === '-s') snaplen = Number(val());
    else if (a === '-m') {
      const v = val();
      const m = parseIpv4Dotted(v);
      if (m === null) usage(`invalid netmask ${v}`);
      netmask = m;
    } else if (a === '-r') savefile = val();
    else if (a === '-F') exprFile = val();
    else if (a === '-S') {
      const v = val();
      if (v !== 'swapped' && v !== 'unswapped') usage(`invalid -S ${v}`);
      offline = v;
    } else if (a === '--interp') useInterp = true;
    else if (a === '-l') linuxExtensions = true;
    else if (a === '--') {
      rest.push(...argv.slice(i + 1));
      break;
    } else rest.push(a);
  }
  const expr =
    exprFile !== null ? readFileSync(exprFile, 'utf8').replace(/#.*$/gm, ' ').trim() : rest.join(' ');
  try {
    if (savefile !== null) {
      let sf: ReturnType<typeof readSavefile>;
      try {
        sf = readSavefile(savefile);
      } catch (e) {
        if (e instanceof SavefileError) {
          process.stderr.write(`filtertest: Failed opening: ${e.message}\n`);
          return 66;
        }
        throw e;
      }
      const prog = compileFilter(expr, {
        linktype: sf.linktype,
        snaplen: sf.snaplen,
        netmask,
        optimize,
        offline: sf.swapped ? 'swapped' : 'unswapped',
      });
      const fn = compileToFunction(prog);
      let out = '';
      for (const p of sf.packets) {
        const r = useInterp
          ? interpret(prog, sf.data, p.off, p.caplen, p.len)
          : fn(sf.data, p.off, p.caplen, p.len);
        out += `${r}\n`;
      }
      process.stdout.write(out);
      return 0;
    }
    if (dlt === null) usage('-y DLT or -r savefile is required');
    const prog = compileFilter(expr, { linktype: dlt, snaplen, netmask, optimize, offline, linuxExtensions });
    process.stdout.write(formatProgram(prog, level));
    return 0;
  } catch (e) {
    if (isTsvsError(e)) {
      process.stderr.write(`filtertest: ${e.message}\n`);
      return 65;
    }
    process.stderr.write(`filtertest: internal error: ${(e as Error).message}\n`);
    return 70;
  }
}

process.exitCode = main(process.argv.slice(2));
