// The filter layer's public API: compile pcap-filter(7) to classic BPF, list it, run it.
import { TsvsError } from '../errors.js';
import { assemble } from './assemble.js';
import type { Node } from './ast.js';
import { FilterError } from './errors.js';
import { Generator, linktypeToDlt } from './gen.js';
import { compileProgram } from './jit.js';
import { listProgram } from './listing.js';
import type { NameResolver } from './names.js';
import { FileResolver } from './names.js';
import { optimize } from './optimize.js';
import { parseFilter, parsePrefixes } from './parser.js';

/** One classic BPF instruction, as `struct sock_filter`. */
export interface BpfInsn {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

export interface CompileOptions {
  /** LINKTYPE_* number of the packets the program will see. */
  linktype: number;
  snaplen: number;
  /** IPv4 netmask as a 32-bit number, for `ip broadcast`; undefined = unknown (libpcap's PCAP_NETMASK_UNKNOWN). */
  netmask?: number;
  /** false for tcpdump -O. */
  optimize: boolean;
  /** Where host/port/protocol/network/ether names come from (default: the files under /etc). */
  resolver?: NameResolver;
  /**
   * Code for a savefile rather than a live capture: DLT_NULL/LOOP then test every BSD AF_INET6
   * value, in the file's byte order ('unswapped') or the other ('swapped'), as libpcap does offline.
   */
  offline?: 'swapped' | 'unswapped';
  /**
   * Code for a live capture on Linux (libpcap's BPF_SPECIAL_* handling): `inbound`, `outbound` and
   * `ifindex` load the kernel's ancillary data, and the first `vlan` also accepts tags the kernel
   * stripped ([vlanp], [vlan_tci]). Such programs only work when attached to a socket.
   */
  linuxExtensions?: boolean;
}

let defaultResolver: FileResolver | null = null;

/** Compiles a pcap-filter(7) expression; throws TsvsError('TSVS_ERR_FILTER', libpcap's message). */
export function compileFilter(expr: string, opts: CompileOptions): BpfInsn[] {
  try {
    if (opts.snaplen === 0) throw new FilterError('snaplen of 0 rejects all packets');
    const resolver = opts.resolver ?? (defaultResolver ??= new FileResolver());
    const gen = generatorFor(opts, resolver);
    let ast: ReturnType<typeof parseFilter>;
    try {
      ast = parseFilter(expr);
    } catch (e) {
      if (e instanceof FilterError) reportPrefixError(expr, opts, resolver);
      throw e;
    }
    let root = ast ? gen.finish(gen.gen(ast)) : gen.genRetblk(opts.snaplen);
    if (opts.optimize && !gen.noOptimize) {
      root = optimize(root);
      if (root.s.code === 0x06 && root.s.k === 0) throw new FilterError('expression rejects all packets');
    }
    return assemble(root);
  } catch (e) {
    if (e instanceof FilterError) throw new TsvsError('TSVS_ERR_FILTER', e.message);
    if (e instanceof RangeError) throw new TsvsError('TSVS_ERR_FILTER', 'expression too complex to compile');
    throw e;
  }
}

function generatorFor(opts: CompileOptions, resolver: NameResolver): Generator {
  return new Generator({
    dlt: linktypeToDlt(opts.linktype),
    snaplen: opts.snaplen,
    // 255.255.255.255 is libpcap's PCAP_NETMASK_UNKNOWN.
    netmask: opts.netmask === 0xffffffff ? undefined : opts.netmask,
    resolver,
    offline: opts.offline,
    linuxExtensions: opts.linuxExtensions,
  });
}

function rightmostLeaf(n: Node): Node {
  while (n.t === 'and' || n.t === 'or' || n.t === 'not') n = n.t === 'not' ? n.e : n.r;
  return n;
}

/**
 * Throws the code generator's error for the part of a bad expression before its syntax error or
 * bad token, if that part has one: the longest leading part that parses and does not end in a
 * protocol name (which waits for what follows it: `ether proto`, `link[`).
 */
function reportPrefixError(expr: string, opts: CompileOptions, resolver: NameResolver): void {
  let prefix: Node | null = null;
  for (const p of parsePrefixes(expr)) {
    if (rightmostLeaf(p).t !== 'abbrev') {
      prefix = p;
      break;
    }
  }
  if (!prefix) return;
  const gen = generatorFor(opts, resolver);
  try {
    gen.gen(prefix);
  } catch (e) {
    if (e instanceof FilterError && e.message !== 'syntax error in filter expression') throw e;
    if (!(e instanceof FilterError) && !(e instanceof RangeError)) throw e;
  }
}

/** tcpdump -d (level 1), -dd (2), -ddd (3) listing of a program, each line ending in '\n'. */
export function formatProgram(prog: BpfInsn[], level: 1 | 2 | 3): string {
  return listProgram(prog, level);
}

/** A JavaScript function equal to the program: returns the accept length (0 = reject). */
export type CompiledFilter = (pkt: Uint8Array, off: number, caplen: number, wirelen: number) => number;

export function compileToFunction(prog: BpfInsn[]): CompiledFilter {
  return compileProgram(prog);
}

export { interpret } from './interp.js';
export type { NameResolver } from './names.js';
export { FileResolver } from './names.js';
