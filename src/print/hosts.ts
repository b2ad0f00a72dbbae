// Host names for addresses when tsdump runs without -n, from the hosts file (/etc/hosts).
// tcpdump asks the system resolver, which may send DNS queries while a file is being read; tsdump
// reads the hosts file only, so printing never waits on (or causes) network traffic.
import { readFileSync } from 'node:fs';
import { parseIpv4 } from '../wire/ipv4.js';
import { parseIpv6 } from '../wire/ipv6.js';

/** Address -> first name, keyed by the IPv4 u32 (as a number) or the 16 IPv6 bytes in hex. */
export interface HostTable {
  v4: Map<number, string>;
  v6: Map<string, string>;
}

/** Parses hosts(5) text. The first line that lists an address names it, as the files backend does. */
export function parseHosts(text: string): HostTable {
  const t: HostTable = { v4: new Map(), v6: new Map() };
  for (const raw of text.split('\n')) {
    const fields = raw.replace(/#.*/, '').trim().split(/\s+/);
    if (fields.length < 2 || fields[0] === '') continue;
    const addr = fields[0]!;
    const name = fields[1]!;
    const a4 = parseIpv4(addr);
    if (a4 >= 0) {
      if (!t.v4.has(a4)) t.v4.set(a4, name);
      continue;
    }
    const a6 = parseIpv6(addr);
    if (a6 !== null) {
      const key = Buffer.from(a6).toString('hex');
      if (!t.v6.has(key)) t.v6.set(key, name);
    }
  }
  return t;
}

let system: HostTable | null = null;

/** The system's table, read once on first use (empty when the file cannot be read). */
export function systemHosts(): HostTable {
  if (system === null) {
    let text = '';
    try {
      text = readFileSync(process.env.TSDUMP_HOSTS ?? '/etc/hosts', 'latin1');
    } catch {
      // no hosts file: addresses stay numeric
    }
    system = parseHosts(text);
  }
  return system;
}

/** tcpdump's -N: only the first label of a host name. */
export function shortName(name: string): string {
  const dot = name.indexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}
