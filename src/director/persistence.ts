// Persistence templates (ip_vs_core.c ip_vs_sched_persist): the key a client's template is found
// by. <protocol, client net, 0, vaddr, vport> for an ordinary service; vport 0 for FTP (21) and
// port-zero services; <IP, client net, 0, fwmark, 0> for firewall-mark services.

import type { Family } from './addr.js';
import { maskWords } from './addr.js';
import type { Service } from './model.js';
import { IPPROTO_IP } from './types.js';

/** FTP control port: its template has vport/dport 0 so data connections on other ports match. */
export const FTP_PORT = 21;
/** A template that still controls connections when its timer fires lives on 60 s at a time. */
export const TEMPLATE_REARM_MS = 60_000;

/**
 * Build the template key of a client: the masked client address into `outClient`, the virtual
 * address (or the fwmark as an IPv4 word) into `outVirtual`. Returns protocol * 65536 + vport.
 */
export function templateKey(
  svc: Service,
  caddr: Uint32Array,
  family: Family,
  outClient: Uint32Array,
  outVirtual: Uint32Array,
): number {
  outClient.set(caddr);
  maskWords(
    family,
    outClient,
    svc.family === 4 ? svc.netmask : 0xffffffff,
    svc.family === 6 ? svc.netmask : 128,
  );
  if (svc.kind === 'fwmark') {
    outVirtual[0] = 0;
    outVirtual[1] = 0;
    outVirtual[2] = 0;
    outVirtual[3] = svc.fwmark;
    return IPPROTO_IP * 0x10000;
  }
  outVirtual.set(svc.addr);
  const vport = svc.port === FTP_PORT || svc.port === 0 ? 0 : svc.port;
  return svc.proto * 0x10000 + vport;
}
