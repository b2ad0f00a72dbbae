// The `tsvs run --config FILE` format: one directive per line, `#` starts a comment.
//
//   # firewall-mark listeners: the addr:port sockets that feed FWM service MARK (the seeds' 80+443)
//   fwmark 99 tcp 127.0.0.1:80 tcp 127.0.0.1:443
//   # PROXY protocol (haproxy's v1 text / v2 binary) sent first to every real server of a service;
//   # the service as ipvsadm names it: -t ADDR:PORT | -u ADDR:PORT | -f MARK [-6]
//   proxy-protocol v2 -t 127.0.0.1:8080
//   proxy-protocol v1 -f 99
//   # FULLNAT (--fullnat reals, packet plane): the director's local addresses that replace clients'
//   local-address 10.99.2.250 10.99.2.251
//   # ipvsadm rule lines, exactly as `ipvsadm -R` reads them (a leading ipvsadm/tsvsadm is allowed)
//   -A -f 99 -s rr -p
//   -a -f 99 -r 127.0.0.1:8081 -m
//   # another ipvsadm-restore file, path relative to this file
//   rules more-rules.txt
//
// IPv6 listeners are written `tcp [::1]:443`. Errors name the place: `FILE:LINE: what is wrong`.
// The rule lines are checked later, together with --rules, in a scratch director (rules.ts).

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { FwmarkListener, PlaneConfig } from '../../dataplane/plane.js';
import { canonicalAddr } from '../../director/index.js';
import { TsvsError } from '../../errors.js';
import { builtinPorts, parseHostPort, splitRestoreLine } from '../ipvsadm/grammar.js';
import { type RuleLine, ruleLines } from './rules.js';

export interface DaemonConfig {
  plane: PlaneConfig;
  rules: RuleLine[];
}

function fail(where: string, what: string): never {
  throw new TsvsError('TSVS_ERR_FORMAT', `${where}: ${what}`, 1);
}

/** Read a file's text or throw `TSVS_ERR_FILE` with the reason. */
export function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new TsvsError('TSVS_ERR_FILE', `cannot read ${what} ${path} (${code})`, 1);
  }
}

function parseMark(text: string | undefined, where: string): number {
  if (text === undefined || !/^\d+$/.test(text))
    fail(where, `expected a firewall mark (1..4294967295), got '${text ?? ''}'`);
  const n = Number(text);
  if (n < 1 || n > 0xffffffff) fail(where, `firewall mark ${text} is out of range (1..4294967295)`);
  return n;
}

/** `ADDR:PORT` / `[V6]:PORT` with a port 1..65535, canonical address. */
function parseListen(text: string | undefined, where: string): { address: string; port: number } {
  const hp = text === undefined ? null : parseHostPort(text, 'tcp', builtinPorts);
  if (!hp?.portGiven || hp.port === 0)
    fail(where, `expected ADDR:PORT (IPv6 as [ADDR]:PORT, port 1..65535), got '${text ?? ''}'`);
  return { address: canonicalAddr(hp.address) ?? hp.address, port: hp.port };
}

/** Service text as the plane keys it: "TCP 127.0.0.1:8080", "TCP [::1]:80", "FWM 99", "FWM 99 IPv6". */
export function serviceText(words: readonly string[], where: string): string {
  const [opt, arg, extra] = words;
  if (opt === '-f' || opt === '--fwmark-service') {
    const mark = parseMark(arg, where);
    if (extra !== undefined && extra !== '-6') fail(where, `unexpected '${extra}' after the firewall mark`);
    if (words.length > 3) fail(where, `unexpected '${words[3]}'`);
    return extra === '-6' ? `FWM ${mark} IPv6` : `FWM ${mark}`;
  }
  if (opt === '-t' || opt === '-u' || opt === '--tcp-service' || opt === '--udp-service') {
    if (words.length > 2) fail(where, `unexpected '${words[2]}'`);
    const l = parseListen(arg, where);
    const proto = opt === '-u' || opt === '--udp-service' ? 'UDP' : 'TCP';
    return `${proto} ${l.address.includes(':') ? `[${l.address}]` : l.address}:${l.port}`;
  }
  return fail(
    where,
    `expected a service: -t ADDR:PORT, -u ADDR:PORT or -f MARK [-6], got '${words.join(' ')}'`,
  );
}

/**
 * Parse a config file's text. `file` names it in messages and anchors `rules` includes.
 * `read` is how included files are read (tests pass their own).
 */
export function parseConfig(
  text: string,
  file: string,
  read: (path: string) => string = (p) => readText(p, 'rules file'),
): DaemonConfig {
  const plane: PlaneConfig = { fwmarks: new Map(), proxyProtocol: new Map(), localAddresses: [] };
  const rules: RuleLine[] = [];
  const listenerOwner = new Map<string, number>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const where = `${file}:${i + 1}`;
    const raw = lines[i]!;
    const t = raw.trim();
    if (t === '' || t.startsWith('#')) continue;
    const words = t.replace(/\s+#.*$/, '').split(/\s+/);
    const head = words[0]!;
    if (head.startsWith('-') || head === 'ipvsadm' || head === 'tsvsadm') {
      const argv = splitRestoreLine(t);
      if (argv) rules.push({ file, line: i + 1, argv });
      continue;
    }
    switch (head) {
      case 'fwmark': {
        const mark = parseMark(words[1], where);
        if (words.length < 4 || words.length % 2 !== 0)
          fail(where, 'expected: fwmark MARK tcp|udp ADDR:PORT [tcp|udp ADDR:PORT ...]');
        const list = plane.fwmarks.get(mark) ?? [];
        for (let w = 2; w < words.length; w += 2) {
          const p = words[w]!.toLowerCase();
          if (p !== 'tcp' && p !== 'udp') fail(where, `expected tcp or udp, got '${words[w]}'`);
          const l = parseListen(words[w + 1], where);
          const protocol: FwmarkListener['protocol'] = p === 'udp' ? 'UDP' : 'TCP';
          const id = `${protocol} ${l.address} ${l.port}`;
          const owner = listenerOwner.get(id);
          if (owner !== undefined)
            fail(
              where,
              `${p} ${words[w + 1]} already feeds firewall mark ${owner}; a listener feeds one mark`,
            );
          listenerOwner.set(id, mark);
          list.push({ protocol, address: l.address, port: l.port });
        }
        plane.fwmarks.set(mark, list);
        break;
      }
      case 'proxy-protocol': {
        const v = words[1];
        if (v !== 'v1' && v !== 'v2') fail(where, `expected proxy-protocol v1|v2 SERVICE, got '${v ?? ''}'`);
        const svc = serviceText(words.slice(2), where);
        if (svc.startsWith('UDP') && v === 'v1')
          fail(where, 'PROXY protocol v1 carries TCP only; use v2 for UDP');
        plane.proxyProtocol.set(svc, v === 'v1' ? 1 : 2);
        break;
      }
      case 'local-address': {
        if (words.length < 2) fail(where, 'expected: local-address ADDR [ADDR ...]');
        for (const w of words.slice(1)) {
          const a = canonicalAddr(w);
          if (a === null || a.includes(':'))
            fail(where, `'${w}' is not an IPv4 address (FULLNAT local addresses are IPv4)`);
          if (!plane.localAddresses.includes(a)) plane.localAddresses.push(a);
        }
        break;
      }
      case 'rules': {
        if (words.length !== 2) fail(where, 'expected: rules FILE');
        const path = resolve(dirname(file), words[1]!);
        let body: string;
        try {
          body = read(path);
        } catch (e) {
          fail(where, e instanceof Error ? e.message : String(e));
        }
        rules.push(...ruleLines(body, path));
        break;
      }
      default:
        fail(
          where,
          `unknown directive '${head}' (expected fwmark, proxy-protocol, local-address, rules or an ipvsadm rule line)`,
        );
    }
  }
  return { plane, rules };
}

/** Read and parse a config file. */
export function loadConfig(path: string): DaemonConfig {
  return parseConfig(readText(path, 'config file'), path);
}
