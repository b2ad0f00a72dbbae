// The filter layer's public API (contract used by tsdump; implemented by the filter issue).
import { TsvsError } from '../errors.js';

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
}

/** Compiles a pcap-filter(7) expression; throws TsvsError('TSVS_ERR_FILTER', libpcap's message). */
export function compileFilter(expr: string, opts: CompileOptions): BpfInsn[] {
  void expr;
  void opts;
  throw new TsvsError('TSVS_ERR_FILTER', 'filter expressions are not available yet');
}

/** tcpdump -d (level 1), -dd (2), -ddd (3) listing of a program, each line ending in '\n'. */
export function formatProgram(prog: BpfInsn[], level: 1 | 2 | 3): string {
  void prog;
  void level;
  throw new TsvsError('TSVS_ERR_FILTER', 'filter listings are not available yet');
}

/** A JavaScript function equal to the program: returns the accept length (0 = reject). */
export type CompiledFilter = (pkt: Uint8Array, off: number, caplen: number, wirelen: number) => number;

export function compileToFunction(prog: BpfInsn[]): CompiledFilter {
  void prog;
  throw new TsvsError('TSVS_ERR_FILTER', 'filter execution is not available yet');
}
