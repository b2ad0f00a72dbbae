// Name lookups the filter language needs (hosts, services, protocols, networks, ethers), resolved
// synchronously from the files glibc's "files" service reads; injectable so the compiler stays pure.
import { readFileSync } from 'node:fs';
import { parseIpv6 } from './lexer.js';

export interface HostAddrs {
  v4: number[];
  v6: Uint8Array[];
}

export interface NameResolver {
  /** Addresses of a host name (numeric strings are parsed too); null when unknown. */
  host(name: string): HostAddrs | null;
  /** Port of a service name for 'tcp' or 'udp'; -1 when unknown. */
  service(name: string, proto: 'tcp' | 'udp'): number;
  /** IP protocol number of a protocol name (protocols(5)); -1 when unknown. */
  protocol(name: string): number;
  /** Network number of a networks(5) name (host order, unshifted); 0 when unknown. */
  network(name: string): number;
  /** MAC-48 address of an ethers(5) name; null when unknown. */
  ether(name: string): Uint8Array | null;
}

function readLines(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').split('\n');
  } catch {
    return [];
  }
}

function fields(line: string): string[] {
  const hash = line.indexOf('#');
  const body = hash >= 0 ? line.slice(0, hash) : line;
  return body.split(/\s+/).filter((f) => f.length > 0);
}

export function parseIpv4Dotted(s: string): number | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let v = 0;
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p) || Number(p) > 255) return null;
    v = v * 256 + Number(p);
  }
  return v >>> 0;
}

function parseMac(s: string): Uint8Array | null {
  const parts = s.split(/[:.-]/);
  if (parts.length !== 6 || !parts.every((p) => /^[0-9A-Fa-f]{1,2}$/.test(p))) return null;
  return Uint8Array.from(parts.map((p) => Number.parseInt(p, 16)));
}

// A few protocol names libpcap relies on, used when /etc/protocols is missing.
const BUILTIN_PROTOCOLS: Record<string, number> = {
  ip: 0,
  icmp: 1,
  igmp: 2,
  ggp: 3,
  ipencap: 4,
  st: 5,
  tcp: 6,
  egp: 8,
  igp: 9,
  pup: 12,
  udp: 17,
  hmp: 20,
  'xns-idp': 22,
  rdp: 27,
  'iso-tp4': 29,
  dccp: 33,
  xtp: 36,
  ddp: 37,
  'idpr-cmtp': 38,
  ipv6: 41,
  'ipv6-route': 43,
  'ipv6-frag': 44,
  idrp: 45,
  rsvp: 46,
  gre: 47,
  esp: 50,
  ah: 51,
  skip: 57,
  'ipv6-icmp': 58,
  'ipv6-nonxt': 59,
  'ipv6-opts': 60,
  rspf: 73,
  vmtp: 88,
  eigrp: 88,
  ospf: 89,
  'ax.25': 93,
  ipip: 94,
  etherip: 97,
  encap: 98,
  pim: 103,
  ipcomp: 108,
  vrrp: 112,
  l2tp: 115,
  isis: 124,
  sctp: 132,
  fc: 133,
  'mobility-header': 135,
  udplite: 136,
  'mpls-in-ip': 137,
  manet: 138,
  hip: 139,
  shim6: 140,
  wesp: 141,
  rohc: 142,
  ethernet: 143,
};

/** The default resolver: /etc/hosts, /etc/services, /etc/protocols, /etc/networks, /etc/ethers. */
export class FileResolver implements NameResolver {
  private hosts: Map<string, HostAddrs> | null = null;
  private services: Map<string, number> | null = null;
  private protocols: Map<string, number> | null = null;
  private networks: Map<string, number> | null = null;
  private ethers: Map<string, Uint8Array> | null = null;

  constructor(private readonly etc = '/etc') {}

  host(name: string): HostAddrs | null {
    const v4 = parseIpv4Dotted(name);
    if (v4 !== null) return { v4: [v4], v6: [] };
    if (name.includes(':')) {
      const v6 = parseIpv6(name);
      if (v6) return { v4: [], v6: [v6] };
    }
    if (!this.hosts) {
      this.hosts = new Map();
      for (const line of readLines(`${this.etc}/hosts`)) {
        const f = fields(line);
        if (f.length < 2) continue;
        const a4 = parseIpv4Dotted(f[0]!);
        const a6 = a4 === null ? parseIpv6(f[0]!) : null;
        if (a4 === null && !a6) continue;
        for (const n of f.slice(1)) {
          const key = n.toLowerCase();
          let e = this.hosts.get(key);
          if (!e) this.hosts.set(key, (e = { v4: [], v6: [] }));
          if (a4 !== null) {
            if (!e.v4.includes(a4)) e.v4.push(a4);
          } else if (a6 && !e.v6.some((x) => x.every((b, i) => b === a6[i]))) e.v6.push(a6);
        }
      }
    }
    const key = name.toLowerCase().replace(/\.$/, '');
    const e = this.hosts.get(key) ?? null;
    return e && (e.v4.length > 0 || e.v6.length > 0) ? e : null;
  }

  service(name: string, proto: 'tcp' | 'udp'): number {
    if (!this.services) {
      this.services = new Map();
      for (const line of readLines(`${this.etc}/services`)) {
        const f = fields(line);
        if (f.length < 2) continue;
        const m = /^([0-9]+)\/(tcp|udp|sctp|dccp)$/.exec(f[1]!);
        if (!m) continue;
        for (const n of [f[0]!, ...f.slice(2)]) {
          const key = `${n}/${m[2]}`;
          if (!this.services.has(key)) this.services.set(key, Number(m[1]));
        }
      }
    }
    return this.services.get(`${name}/${proto}`) ?? -1;
  }

  protocol(name: string): number {
    if (!this.protocols) {
      this.protocols = new Map();
      for (const line of readLines(`${this.etc}/protocols`)) {
        const f = fields(line);
        if (f.length < 2 || !/^[0-9]+$/.test(f[1]!)) continue;
        for (const n of [f[0]!, ...f.slice(2)])
          if (!this.protocols.has(n)) this.protocols.set(n, Number(f[1]));
      }
      if (this.protocols.size === 0)
        for (const [k, v] of Object.entries(BUILTIN_PROTOCOLS)) this.protocols.set(k, v);
    }
    return this.protocols.get(name) ?? -1;
  }

  network(name: string): number {
    if (!this.networks) {
      this.networks = new Map();
      for (const line of readLines(`${this.etc}/networks`)) {
        const f = fields(line);
        if (f.length < 2) continue;
        const parts = f[1]!.split('.');
        if (parts.length > 4 || !parts.every((p) => /^[0-9]{1,3}$/.test(p) && Number(p) <= 255)) continue;
        // inet_network(): "10.20" is 0x0a14 (right-aligned), as getnetbyname returns it.
        let v = 0;
        for (const p of parts) v = v * 256 + Number(p);
        for (const n of [f[0]!, ...f.slice(2)])
          if (!this.networks.has(n.toLowerCase())) this.networks.set(n.toLowerCase(), v >>> 0);
      }
    }
    return this.networks.get(name.toLowerCase()) ?? 0;
  }

  ether(name: string): Uint8Array | null {
    if (!this.ethers) {
      this.ethers = new Map();
      for (const line of readLines(`${this.etc}/ethers`)) {
        const f = fields(line);
        if (f.length < 2) continue;
        const mac = parseMac(f[0]!);
        if (mac && !this.ethers.has(f[1]!.toLowerCase())) this.ethers.set(f[1]!.toLowerCase(), mac);
      }
    }
    return this.ethers.get(name.toLowerCase()) ?? null;
  }
}
