// tsdump's command line: tcpdump 4.99's options with getopt semantics (bundled flags, attached or
// separate arguments, long options), plus tshark's -T fields / -e / -E / -z in tshark mode.

import { TsvsError } from '../../errors.js';
import { defaultPrintOptions, type PrintOptions } from '../../print/context.js';

export interface TsdumpOptions {
  print: PrintOptions;
  readFile?: string;
  writeFile?: string;
  iface?: string;
  listInterfaces: boolean;
  /** -L: list the data link types of the -i device. */
  listDataLinks: boolean;
  count: number;
  /** --count: print only the number of packets. */
  countOnly: boolean;
  filterFile?: string;
  /** -d count: 1 = -d, 2 = -dd, 3 = -ddd. */
  dumpLevel: number;
  /** -O: no optimizer. */
  noOptimize: boolean;
  /** -y NAME. */
  linktypeName?: string;
  snaplenGiven: boolean;
  lineBuffered: boolean;
  packetBuffered: boolean;
  /** --print: print packets even with -w. */
  printWithWrite: boolean;
  promisc: boolean;
  direction: 'in' | 'out' | 'inout';
  immediate: boolean;
  bufferKiB?: number;
  /** -C (millions of bytes), -W, -G. */
  fileSizeMb?: number;
  fileCount?: number;
  rotateSeconds?: number;
  /** --time-stamp-precision given. */
  precisionGiven: boolean;
  /** The filter expression: the remaining words joined by spaces. */
  expression: string;
  /** tshark mode (-T fields, -e, -E, -z). */
  tshark: {
    fieldsMode: boolean;
    fields: string[];
    eopts: string[];
    stats: string[];
    quiet: boolean;
  };
  analyze: boolean;
  flowGraph: boolean;
  report?: string;
  help: boolean;
  version: boolean;
  verboseGiven: boolean;
}

function usageError(msg: string): TsvsError {
  return new TsvsError('TSVS_ERR_USAGE', msg, 1);
}

/** Options taking an argument (tcpdump's getopt string), with -e/-E/-z decided by mode. */
const WITH_ARG = new Set([
  'B',
  'c',
  'C',
  'F',
  'G',
  'i',
  'j',
  'm',
  'M',
  'Q',
  'r',
  's',
  'T',
  'V',
  'w',
  'W',
  'y',
  'z',
  'Z',
  'E',
]);
const FLAGS = new Set([
  'A',
  'd',
  'D',
  'e',
  'h',
  'K',
  'l',
  'L',
  'n',
  'N',
  'O',
  'p',
  'q',
  'S',
  't',
  'U',
  'v',
  'x',
  'X',
  '#',
]);

function intArg(opt: string, v: string, min = 0): number {
  if (!/^-?\d+$/.test(v))
    throw usageError(
      `invalid number of packets ${v}`.replace(
        'number of packets',
        opt === 'c' ? 'packet count' : `argument to -${opt}`,
      ),
    );
  const n = Number(v);
  if (n < min) throw usageError(`invalid argument to -${opt}: ${v}`);
  return n;
}

/** Parses argv (without node and the script). Throws TsvsError with tcpdump's wording. */
export function parseOptions(argv: string[]): TsdumpOptions {
  const o: TsdumpOptions = {
    print: defaultPrintOptions(),
    listInterfaces: false,
    listDataLinks: false,
    count: 0,
    countOnly: false,
    dumpLevel: 0,
    noOptimize: false,
    snaplenGiven: false,
    lineBuffered: false,
    packetBuffered: false,
    printWithWrite: false,
    promisc: true,
    direction: 'inout',
    immediate: false,
    precisionGiven: false,
    expression: '',
    tshark: { fieldsMode: false, fields: [], eopts: [], stats: [], quiet: false },
    analyze: false,
    flowGraph: false,
    help: false,
    version: false,
    verboseGiven: false,
  };
  // tshark mode: -T fields anywhere makes -e take a field name.
  let fieldsMode = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if ((a === '-T' && argv[i + 1] === 'fields') || a === '-Tfields') fieldsMode = true;
  }
  o.tshark.fieldsMode = fieldsMode;
  const rest: string[] = [];
  let qcount = 0;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      rest.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const val = (): string => {
        if (eq >= 0) return a.slice(eq + 1);
        const v = argv[++i];
        if (v === undefined) throw usageError(`option '--${name}' requires an argument`);
        return v;
      };
      switch (name) {
        case 'number':
          o.print.numberFlag = true;
          break;
        case 'nano':
          o.print.nano = true;
          o.precisionGiven = true;
          break;
        case 'micro':
          o.print.nano = false;
          o.precisionGiven = true;
          break;
        case 'time-stamp-precision': {
          const v = val();
          if (v === 'nano') o.print.nano = true;
          else if (v === 'micro') o.print.nano = false;
          else throw usageError(`unsupported time stamp precision ${v}`);
          o.precisionGiven = true;
          break;
        }
        case 'count':
          o.countOnly = true;
          break;
        case 'immediate-mode':
          o.immediate = true;
          break;
        case 'print':
          o.printWithWrite = true;
          break;
        case 'list-interfaces':
          o.listInterfaces = true;
          break;
        case 'interface':
          o.iface = val();
          break;
        case 'no-promiscuous-mode':
          o.promisc = false;
          break;
        case 'buffer-size':
          o.bufferKiB = intArg('B', val(), 1);
          break;
        case 'snapshot-length':
          o.print.snaplen = intArg('s', val());
          o.snaplenGiven = true;
          break;
        case 'direction': {
          const v = val();
          if (v !== 'in' && v !== 'out' && v !== 'inout')
            throw usageError(`unknown capture direction '${v}'`);
          o.direction = v;
          break;
        }
        case 'analyze':
          o.analyze = true;
          break;
        case 'flow-graph':
          o.flowGraph = true;
          break;
        case 'report':
          o.report = val();
          break;
        case 'help':
          o.help = true;
          break;
        case 'version':
          o.version = true;
          break;
        default:
          throw usageError(`unrecognized option '${a}'`);
      }
      continue;
    }
    if (a.length < 2 || a[0] !== '-') {
      rest.push(a);
      continue;
    }
    // A bundle of short options.
    for (let k = 1; k < a.length; k++) {
      const c = a[k]!;
      const takesArg = WITH_ARG.has(c) || (c === 'e' && fieldsMode);
      if (!takesArg && !FLAGS.has(c)) throw usageError(`invalid option -- '${c}'`);
      let arg = '';
      if (takesArg) {
        if (k + 1 < a.length) arg = a.slice(k + 1);
        else {
          const v = argv[++i];
          if (v === undefined) throw usageError(`option requires an argument -- '${c}'`);
          arg = v;
        }
        k = a.length;
      }
      switch (c) {
        case 'A':
          o.print.Aflag++;
          break;
        case 'B':
          o.bufferKiB = intArg('B', arg, 1);
          break;
        case 'c':
          o.count = intArg('c', arg, 1);
          break;
        case 'C':
          o.fileSizeMb = Number(arg);
          if (!(o.fileSizeMb > 0)) throw usageError(`invalid file size ${arg}`);
          break;
        case 'd':
          o.dumpLevel++;
          break;
        case 'D':
          o.listInterfaces = true;
          break;
        case 'e':
          if (fieldsMode) o.tshark.fields.push(arg);
          else o.print.eflag++;
          break;
        case 'E':
          o.tshark.eopts.push(arg);
          break;
        case 'F':
          o.filterFile = arg;
          break;
        case 'G':
          o.rotateSeconds = intArg('G', arg, 0);
          break;
        case 'h':
          o.help = true;
          break;
        case 'i':
          o.iface = arg;
          break;
        case 'K':
          o.print.Kflag++;
          break;
        case 'l':
          o.lineBuffered = true;
          break;
        case 'n':
          o.print.nflag++;
          break;
        case 'N':
          o.print.Nflag++;
          break;
        case 'O':
          o.noOptimize = true;
          break;
        case 'p':
          o.promisc = false;
          break;
        case 'q':
          qcount++;
          break;
        case 'Q':
          if (arg !== 'in' && arg !== 'out' && arg !== 'inout')
            throw usageError(`unknown capture direction '${arg}'`);
          o.direction = arg;
          break;
        case 'r':
          o.readFile = arg;
          break;
        case 's': {
          const n = intArg('s', arg);
          o.print.snaplen = n;
          o.snaplenGiven = true;
          break;
        }
        case 'S':
          o.print.Sflag++;
          break;
        case 't':
          o.print.tflag++;
          break;
        case 'T':
          if (arg === 'fields') o.tshark.fieldsMode = true;
          else o.print.packetType = arg;
          break;
        case 'U':
          o.packetBuffered = true;
          break;
        case 'v':
          o.print.vflag++;
          o.verboseGiven = true;
          break;
        case 'w':
          o.writeFile = arg;
          break;
        case 'W':
          o.fileCount = intArg('W', arg, 1);
          break;
        case 'x':
          o.print.xflag++;
          break;
        case 'X':
          o.print.Xflag++;
          break;
        case 'y':
          o.linktypeName = arg;
          break;
        case 'z':
          o.tshark.stats.push(arg);
          break;
        case '#':
          o.print.numberFlag = true;
          break;
        case 'L':
          o.listDataLinks = true;
          break;
        default:
          throw usageError(`option -${c} is not supported`);
      }
    }
  }
  // -q is tshark's "quiet" when statistics are asked for, tcpdump's "quick" otherwise.
  if (o.tshark.stats.length > 0) o.tshark.quiet = qcount > 0;
  else o.print.qflag = qcount;
  // tcpdump's -t count maps to its print modes: 1 none, 2 -tt, 3 -ttt, 4 -tttt, 5 -ttttt.
  o.expression = rest.join(' ');
  return o;
}

export const USAGE = `Usage: tsdump [-AdDeflLnNOpqStuUvxX#] [ -B size ] [ -c count ] [--count]
\t\t[ -C file_size ] [ -E algo:secret ] [ -F file ] [ -G seconds ]
\t\t[ -i interface ] [ --immediate-mode ] [ -j tstamptype ]
\t\t[ -M secret ] [ --number ] [ --print ] [ -Q in|out|inout ]
\t\t[ -r file ] [ -s snaplen ] [ -T type ] [ --version ]
\t\t[ -V file ] [ -w file ] [ -W filecount ] [ -y datalinktype ]
\t\t[ --time-stamp-precision precision ] [ --micro ] [ --nano ]
\t\t[ expression ]
       tshark-style analysis (tsdump -r FILE ...):
\t\t-T fields [-E header=y|n] [-E separator=,] [-E occurrence=f|l|a] -e FIELD ...
\t\t-z expert | conv,tcp|udp|ip|ipv6 | endpoints,ip|ipv6|tcp|udp | io,stat,SECS
\t\t   | follow,tcp,ascii|hex|raw,STREAM   [-q]
\t\t--analyze (Wireshark's notes after each line)
`;
