// Compiles an expression the way `tcpdump -r FILE` does, for the goldens and tools that compare
// with it: netmask 0, optimized, code for a savefile in this host's byte order.
import { type BpfInsn, compileFilter, type NameResolver } from '../../../src/filter/index.js';
import { linktypeByName } from '../../../src/pcap/linktype.js';

/** `linktype` is a DLT name (EN10MB, LINUX_SLL, ...); throws as compileFilter does. */
export function compileAsTcpdumpR(expr: string, linktype: string, resolver: NameResolver): BpfInsn[] {
  return compileFilter(expr, {
    linktype: linktypeByName(linktype)!,
    snaplen: 262144,
    optimize: true,
    netmask: 0,
    offline: 'unswapped',
    resolver,
  });
}
