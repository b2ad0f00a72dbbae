// Name lookups for ipvsadm listings without -n: /etc/hosts (address -> first name) and
// /etc/services (port/proto -> name, name/proto -> port). Read once, synchronously, on first use;
// no DNS queries, so a listing never blocks on the network.

import { readFileSync } from 'node:fs';
import { canonicalAddr } from '../director/index.js';
import type { NameResolver } from './ipvsadm/format.js';
import type { PortResolver } from './ipvsadm/grammar.js';

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

interface Tables {
  hosts: Map<string, string>;
  portNames: Map<string, string>;
  namePorts: Map<string, number>;
}

let tables: Tables | undefined;

function load(): Tables {
  if (tables) return tables;
  const hosts = new Map<string, string>();
  for (const raw of readText('/etc/hosts').split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [addr, name] = line.split(/\s+/);
    const c = addr ? canonicalAddr(addr) : null;
    if (c && name && !hosts.has(c)) hosts.set(c, name);
  }
  const portNames = new Map<string, string>();
  const namePorts = new Map<string, number>();
  for (const raw of readText('/etc/services').split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [name, pp, ...aliases] = line.split(/\s+/);
    const m = pp ? /^(\d+)\/(tcp|udp)$/.exec(pp) : null;
    if (!name || !m) continue;
    const key = `${m[1]}/${m[2]}`;
    if (!portNames.has(key)) portNames.set(key, name);
    for (const n of [name, ...aliases]) {
      const nk = `${n}/${m[2]}`;
      if (!namePorts.has(nk)) namePorts.set(nk, Number(m[1]));
    }
  }
  tables = { hosts, portNames, namePorts };
  return tables;
}

/** Resolver used by listings and -S without -n. */
export const systemNames: NameResolver = {
  host: (address) => load().hosts.get(address),
  port: (port, proto) => load().portNames.get(`${port}/${proto}`),
};

/** Port names in `-t host:http`. */
export const systemPorts: PortResolver = (name, proto) => load().namePorts.get(`${name}/${proto}`);
