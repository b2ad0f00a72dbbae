// ipvsadm 1.31's command line grammar (popt style) parsed into one IpvsadmCommand value.
// Reference: shared/reference/ipvs-semantics.md §5.1-5.3 (commands, options, legal combinations,
// parser messages and exit statuses). Name resolution is numeric plus /etc/services port names.

import {
  DEFAULT_PERSISTENT_TIMEOUT,
  DEFAULT_SCHEDULER,
  type ForwardMethod,
  parseAddr,
  type RealServerConfig,
  SCHED_FLAG_1,
  SCHED_FLAG_2,
  SCHED_FLAG_3,
  type ServiceConfig,
  type ServiceKey,
  type TunnelConfig,
} from '../../director/index.js';

/** Command names as ipvsadm uses them in its messages. */
export type CommandName =
  | 'add-service'
  | 'edit-service'
  | 'delete-service'
  | 'flush'
  | 'list'
  | 'add-server'
  | 'edit-server'
  | 'delete-server'
  | 'set'
  | 'start-daemon'
  | 'stop-daemon'
  | 'restore'
  | 'save'
  | 'zero'
  | 'help'
  | 'version';

/** Option names in ipvsadm's check order (the order of its option table). */
export const OPTION_NAMES = [
  'numeric',
  'connection',
  'service-address',
  'scheduler',
  'persistent',
  'netmask',
  'real-server',
  'forwarding-method',
  'weight',
  'u-threshold',
  'l-threshold',
  'mcast-interface',
  'timeout',
  'daemon',
  'stats',
  'rate',
  'thresholds',
  'persistent-conn',
  'nosort',
  'syncid',
  'exact',
  'ops',
  'pe',
  'sched-flags',
  'mcast-group',
  'mcast-port',
  'mcast-ttl',
  'sync-maxlen',
  'tun-info',
  'tun-type',
  'tun-port',
  'tun-nocsum',
  'tun-csum',
  'tun-remcsum',
] as const;
export type OptionName = (typeof OPTION_NAMES)[number];

/** Listing variants of `-L`. */
export interface ListFlags {
  numeric: boolean;
  connection: boolean;
  timeout: boolean;
  daemon: boolean;
  stats: boolean;
  rate: boolean;
  thresholds: boolean;
  persistentConn: boolean;
  nosort: boolean;
  exact: boolean;
  tunInfo: boolean;
}

/** One parsed ipvsadm invocation. Fields not used by `cmd` keep their defaults. */
export interface IpvsadmCommand {
  cmd: CommandName;
  service?: ServiceKey;
  /** Complete settings for -A/-E (ipvsadm sends a full object built from defaults). */
  serviceConfig: ServiceConfig;
  /** Complete settings for -a/-e, address and port for -d. */
  real?: RealServerConfig;
  list: ListFlags;
  /** --set tcp tcpfin udp. */
  timeouts?: [number, number, number];
  /** Options given, for the caller's checks. */
  options: ReadonlySet<OptionName>;
}

/** A refusal by the parser: ipvsadm's message and exit status (2 or 255). */
export interface ParseError {
  message: string;
  status: number;
}

export type ParseResult = { ok: true; command: IpvsadmCommand } | { ok: false; error: ParseError };

/** Port names for `host:name` (the caller may load /etc/services; a few defaults otherwise). */
export type PortResolver = (name: string, proto: 'tcp' | 'udp') => number | undefined;

interface OptSpec {
  long: string;
  short?: string;
  /** 'none' | 'required' | 'optional' (popt's POPT_ARGFLAG_OPTIONAL: next word if not an option). */
  arg: 'none' | 'required' | 'optional';
  /** A command, or an option of a command. */
  kind: 'cmd' | 'opt';
  name: string;
}

const SPECS: OptSpec[] = [
  { long: 'add-service', short: 'A', arg: 'none', kind: 'cmd', name: 'add-service' },
  { long: 'edit-service', short: 'E', arg: 'none', kind: 'cmd', name: 'edit-service' },
  { long: 'delete-service', short: 'D', arg: 'none', kind: 'cmd', name: 'delete-service' },
  { long: 'clear', short: 'C', arg: 'none', kind: 'cmd', name: 'flush' },
  { long: 'list', short: 'L', arg: 'none', kind: 'cmd', name: 'list' },
  { long: 'list', short: 'l', arg: 'none', kind: 'cmd', name: 'list' },
  { long: 'add-server', short: 'a', arg: 'none', kind: 'cmd', name: 'add-server' },
  { long: 'edit-server', short: 'e', arg: 'none', kind: 'cmd', name: 'edit-server' },
  { long: 'delete-server', short: 'd', arg: 'none', kind: 'cmd', name: 'delete-server' },
  { long: 'set', arg: 'none', kind: 'cmd', name: 'set' },
  { long: 'start-daemon', arg: 'required', kind: 'cmd', name: 'start-daemon' },
  { long: 'stop-daemon', arg: 'required', kind: 'cmd', name: 'stop-daemon' },
  { long: 'restore', short: 'R', arg: 'none', kind: 'cmd', name: 'restore' },
  { long: 'save', short: 'S', arg: 'none', kind: 'cmd', name: 'save' },
  { long: 'zero', short: 'Z', arg: 'none', kind: 'cmd', name: 'zero' },
  { long: 'help', short: 'h', arg: 'none', kind: 'cmd', name: 'help' },
  { long: 'version', short: 'v', arg: 'none', kind: 'cmd', name: 'version' },
  { long: 'tcp-service', short: 't', arg: 'required', kind: 'opt', name: 'tcp-service' },
  { long: 'udp-service', short: 'u', arg: 'required', kind: 'opt', name: 'udp-service' },
  { long: 'sctp-service', arg: 'required', kind: 'opt', name: 'sctp-service' },
  { long: 'fwmark-service', short: 'f', arg: 'required', kind: 'opt', name: 'fwmark-service' },
  { long: 'ipv6', short: '6', arg: 'none', kind: 'opt', name: 'ipv6' },
  { long: 'scheduler', short: 's', arg: 'required', kind: 'opt', name: 'scheduler' },
  { long: 'persistent', short: 'p', arg: 'optional', kind: 'opt', name: 'persistent' },
  { long: 'netmask', short: 'M', arg: 'required', kind: 'opt', name: 'netmask' },
  { long: 'pe', arg: 'required', kind: 'opt', name: 'pe' },
  { long: 'sched-flags', short: 'b', arg: 'required', kind: 'opt', name: 'sched-flags' },
  { long: 'ops', short: 'o', arg: 'none', kind: 'opt', name: 'ops' },
  { long: 'real-server', short: 'r', arg: 'required', kind: 'opt', name: 'real-server' },
  { long: 'gatewaying', short: 'g', arg: 'none', kind: 'opt', name: 'gatewaying' },
  { long: 'ipip', short: 'i', arg: 'none', kind: 'opt', name: 'ipip' },
  { long: 'masquerading', short: 'm', arg: 'none', kind: 'opt', name: 'masquerading' },
  // tsvsadm extension (no short form: ipvsadm's -b is --sched-flags): FULLNAT, as the packet plane
  // does it (the client's address is replaced by one of the director's local addresses).
  { long: 'fullnat', arg: 'none', kind: 'opt', name: 'fullnat' },
  { long: 'tun-type', arg: 'required', kind: 'opt', name: 'tun-type' },
  { long: 'tun-port', arg: 'required', kind: 'opt', name: 'tun-port' },
  { long: 'tun-nocsum', arg: 'none', kind: 'opt', name: 'tun-nocsum' },
  { long: 'tun-csum', arg: 'none', kind: 'opt', name: 'tun-csum' },
  { long: 'tun-remcsum', arg: 'none', kind: 'opt', name: 'tun-remcsum' },
  { long: 'weight', short: 'w', arg: 'required', kind: 'opt', name: 'weight' },
  { long: 'u-threshold', short: 'x', arg: 'required', kind: 'opt', name: 'u-threshold' },
  { long: 'l-threshold', short: 'y', arg: 'required', kind: 'opt', name: 'l-threshold' },
  { long: 'connection', short: 'c', arg: 'none', kind: 'opt', name: 'connection' },
  { long: 'timeout', arg: 'none', kind: 'opt', name: 'timeout' },
  { long: 'daemon', arg: 'none', kind: 'opt', name: 'daemon' },
  { long: 'stats', arg: 'none', kind: 'opt', name: 'stats' },
  { long: 'rate', arg: 'none', kind: 'opt', name: 'rate' },
  { long: 'thresholds', arg: 'none', kind: 'opt', name: 'thresholds' },
  { long: 'persistent-conn', arg: 'none', kind: 'opt', name: 'persistent-conn' },
  { long: 'tun-info', arg: 'none', kind: 'opt', name: 'tun-info' },
  { long: 'nosort', arg: 'none', kind: 'opt', name: 'nosort' },
  { long: 'sort', arg: 'none', kind: 'opt', name: 'sort' },
  { long: 'exact', short: 'X', arg: 'none', kind: 'opt', name: 'exact' },
  { long: 'numeric', short: 'n', arg: 'none', kind: 'opt', name: 'numeric' },
  { long: 'syncid', arg: 'required', kind: 'opt', name: 'syncid' },
  { long: 'mcast-interface', arg: 'required', kind: 'opt', name: 'mcast-interface' },
  { long: 'mcast-group', arg: 'required', kind: 'opt', name: 'mcast-group' },
  { long: 'mcast-port', arg: 'required', kind: 'opt', name: 'mcast-port' },
  { long: 'mcast-ttl', arg: 'required', kind: 'opt', name: 'mcast-ttl' },
  { long: 'sync-maxlen', arg: 'required', kind: 'opt', name: 'sync-maxlen' },
];

const BY_SHORT = new Map<string, OptSpec>();
const BY_LONG = new Map<string, OptSpec>();
for (const s of SPECS) {
  if (s.short) BY_SHORT.set(s.short, s);
  if (!BY_LONG.has(s.long)) BY_LONG.set(s.long, s);
}

// Legal combinations: '+' required, ' ' optional, '1' one of a group; anything absent is illegal.
type Rule = Partial<Record<OptionName, '+' | ' ' | '1'>>;
const TUN: Rule = {
  'tun-type': ' ',
  'tun-port': ' ',
  'tun-nocsum': ' ',
  'tun-csum': ' ',
  'tun-remcsum': ' ',
};
const RULES: Partial<Record<CommandName, Rule>> = {
  'add-service': {
    'service-address': '+',
    scheduler: ' ',
    persistent: ' ',
    netmask: ' ',
    ops: ' ',
    pe: ' ',
    'sched-flags': ' ',
  },
  'edit-service': {
    'service-address': '+',
    scheduler: ' ',
    persistent: ' ',
    netmask: ' ',
    ops: ' ',
    pe: ' ',
    'sched-flags': ' ',
  },
  'delete-service': { 'service-address': '+' },
  flush: {},
  list: {
    numeric: ' ',
    connection: '1',
    'service-address': '1',
    timeout: '1',
    daemon: '1',
    stats: ' ',
    rate: ' ',
    thresholds: ' ',
    'persistent-conn': ' ',
    nosort: ' ',
    syncid: ' ',
    exact: ' ',
    'tun-info': ' ',
  },
  'add-server': {
    'service-address': '+',
    'real-server': '+',
    'forwarding-method': ' ',
    weight: ' ',
    'u-threshold': ' ',
    'l-threshold': ' ',
    ...TUN,
  },
  'edit-server': {
    'service-address': '+',
    'real-server': '+',
    'forwarding-method': ' ',
    weight: ' ',
    'u-threshold': ' ',
    'l-threshold': ' ',
    ...TUN,
  },
  'delete-server': { 'service-address': '+', 'real-server': '+' },
  set: {},
  'start-daemon': {
    'mcast-interface': ' ',
    syncid: ' ',
    'mcast-group': ' ',
    'mcast-port': ' ',
    'mcast-ttl': ' ',
    'sync-maxlen': ' ',
  },
  'stop-daemon': { syncid: ' ' },
  restore: {},
  save: { numeric: ' ' },
  zero: { 'service-address': ' ' },
};

/** The service kind each service option (-t -u --sctp-service -f) names. */
const SERVICE_KIND: Record<string, 'tcp' | 'udp' | 'sctp' | 'fwmark'> = {
  'tcp-service': 'tcp',
  'udp-service': 'udp',
  'sctp-service': 'sctp',
  'fwmark-service': 'fwmark',
};

/** The forwarding method each method option (-g -i -m --fullnat) names. */
const FORWARD_METHOD: Record<string, ForwardMethod> = {
  gatewaying: 'gate',
  ipip: 'ipip',
  masquerading: 'masq',
  fullnat: 'fullnat',
};

const MAX_TIMEOUT = 2678400;
const INT_MAX = 2147483647;

function fail(message: string, status = 2): ParseResult {
  return { ok: false, error: { message, status } };
}

/** Strict decimal (popt/strtoul style without sign or garbage). */
function parseUint(text: string, max: number): number | undefined {
  if (!/^[0-9]+$/.test(text)) return undefined;
  const v = Number(text);
  return v <= max ? v : undefined;
}

/** A few well-known names so `-t host:http` works without /etc/services. */
const BUILTIN_PORTS: Record<string, number> = {
  http: 80,
  https: 443,
  domain: 53,
  ssh: 22,
  ftp: 21,
  smtp: 25,
};

export const builtinPorts: PortResolver = (name) => BUILTIN_PORTS[name];

interface HostPort {
  address: string;
  family: 4 | 6;
  port: number;
  portGiven: boolean;
}

/** `host[:port]`, IPv6 as `[addr]:port` (or a bare IPv6 address without a port). */
export function parseHostPort(text: string, proto: 'tcp' | 'udp', ports: PortResolver): HostPort | null {
  let host = text;
  let portText: string | undefined;
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    if (end < 0) return null;
    host = text.slice(1, end);
    const rest = text.slice(end + 1);
    if (rest !== '') {
      if (!rest.startsWith(':')) return null;
      portText = rest.slice(1);
    }
  } else {
    const colons = text.split(':').length - 1;
    if (colons === 1) {
      const i = text.indexOf(':');
      host = text.slice(0, i);
      portText = text.slice(i + 1);
    }
  }
  if (host === 'localhost') host = '127.0.0.1';
  const a = parseAddr(host);
  if (!a) return null;
  let port = 0;
  if (portText !== undefined) {
    const n = parseUint(portText, 65535);
    const p = n ?? (portText === '' ? undefined : ports(portText, proto));
    if (p === undefined) return null;
    port = p;
  }
  return { address: host, family: a.family, port, portGiven: portText !== undefined };
}

function emptyList(): ListFlags {
  return {
    numeric: false,
    connection: false,
    timeout: false,
    daemon: false,
    stats: false,
    rate: false,
    thresholds: false,
    persistentConn: false,
    nosort: false,
    exact: false,
    tunInfo: false,
  };
}

/**
 * Parse one argument vector (without the program name). `prog` is used in the "Try ..." hint.
 * No arguments at all means "list everything".
 */
export function parseIpvsadm(
  args: readonly string[],
  prog = 'ipvsadm',
  ports: PortResolver = builtinPorts,
): ParseResult {
  const options = new Set<OptionName>();
  const list = emptyList();
  let cmd: CommandName | undefined;
  let svcText: { kind: 'tcp' | 'udp' | 'sctp' | 'fwmark'; text: string } | undefined;
  let ipv6 = false;
  let scheduler = DEFAULT_SCHEDULER;
  let persistent = 0;
  let netmaskText: string | undefined;
  let pe = '';
  let schedFlags = 0;
  let ops = false;
  let realText: string | undefined;
  let method: ForwardMethod | undefined;
  let weight = 1;
  let uThreshold = 0;
  let lThreshold = 0;
  let tunType: TunnelConfig['type'] | undefined;
  let tunPort = 0;
  let tunCsum: TunnelConfig['csum'] | undefined;
  const positional: string[] = [];

  if (args.length === 0) {
    return {
      ok: true,
      command: { cmd: 'list', serviceConfig: {}, list, options },
    };
  }

  const setOpt = (name: OptionName): ParseResult | null => {
    if (options.has(name)) return fail(`multiple '${name}' options specified`);
    options.add(name);
    return null;
  };

  // Expand into (spec, value) pairs in order, popt style.
  const items: { spec: OptSpec; value?: string; word: string }[] = [];
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    if (w === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (w.startsWith('--')) {
      const eq = w.indexOf('=');
      const name = eq < 0 ? w.slice(2) : w.slice(2, eq);
      const spec = BY_LONG.get(name);
      if (!spec) return fail(`${w}: unknown option`, 255);
      let value: string | undefined;
      if (eq >= 0) {
        if (spec.arg === 'none') return fail(`${w}: option does not take an argument`, 255);
        value = w.slice(eq + 1);
      } else if (spec.arg === 'required') {
        if (i + 1 >= args.length) return fail(`${w}: missing argument`, 255);
        value = args[++i];
      } else if (spec.arg === 'optional' && i + 1 < args.length && !args[i + 1]!.startsWith('-')) {
        value = args[++i];
      }
      items.push({ spec, value, word: w });
    } else if (w.startsWith('-') && w.length > 1) {
      for (let j = 1; j < w.length; j++) {
        const spec = BY_SHORT.get(w[j]!);
        if (!spec) return fail(`-${w[j]}: unknown option`, 255);
        if (spec.arg === 'none') {
          items.push({ spec, word: `-${w[j]}` });
          continue;
        }
        const rest = w.slice(j + 1);
        let value: string | undefined;
        if (rest !== '') value = rest;
        else if (spec.arg === 'required') {
          if (i + 1 >= args.length) return fail(`-${w[j]}: missing argument`, 255);
          value = args[++i];
        } else if (i + 1 < args.length && !args[i + 1]!.startsWith('-')) value = args[++i];
        items.push({ spec, value, word: `-${w[j]}` });
        break;
      }
    } else positional.push(w);
  }

  for (const { spec, value } of items) {
    if (spec.kind === 'cmd') {
      if (cmd !== undefined) return fail('multiple commands specified');
      cmd = spec.name as CommandName;
      continue;
    }
    const v = value ?? '';
    let r: ParseResult | null = null;
    switch (spec.name) {
      case 'tcp-service':
      case 'udp-service':
      case 'sctp-service':
      case 'fwmark-service':
        r = setOpt('service-address');
        svcText = { kind: SERVICE_KIND[spec.name]!, text: v };
        if (!r && svcText.kind === 'fwmark') {
          const m = parseUint(v, 4294967295);
          if (m === undefined || m === 0) return fail(`invalid fwmark value \`${v}' specified`);
        }
        break;
      case 'ipv6':
        if (svcText?.kind !== 'fwmark') return fail('-6 used before -f');
        ipv6 = true;
        break;
      case 'scheduler':
        r = setOpt('scheduler');
        scheduler = v;
        break;
      case 'persistent': {
        r = setOpt('persistent');
        if (value === undefined) persistent = DEFAULT_PERSISTENT_TIMEOUT;
        else {
          const t = parseUint(v, MAX_TIMEOUT);
          if (t === undefined || t === 0) return fail(`invalid timeout value \`${v}' specified`);
          persistent = t;
        }
        break;
      }
      case 'netmask':
        r = setOpt('netmask');
        netmaskText = v;
        break;
      case 'pe':
        r = setOpt('pe');
        pe = v;
        break;
      case 'sched-flags': {
        r = setOpt('sched-flags');
        for (const f of v.split(',')) {
          if (f === 'flag-1' || f === 'sh-fallback' || f === 'mh-fallback') schedFlags |= SCHED_FLAG_1;
          else if (f === 'flag-2' || f === 'sh-port' || f === 'mh-port') schedFlags |= SCHED_FLAG_2;
          else if (f === 'flag-3') schedFlags |= SCHED_FLAG_3;
          else return fail(`invalid scheduler flag \`${f}'`);
        }
        break;
      }
      case 'ops':
        r = setOpt('ops');
        ops = true;
        break;
      case 'real-server':
        r = setOpt('real-server');
        realText = v;
        break;
      case 'gatewaying':
      case 'ipip':
      case 'masquerading':
      case 'fullnat':
        r = setOpt('forwarding-method');
        method = FORWARD_METHOD[spec.name]!;
        break;
      case 'weight': {
        r = setOpt('weight');
        const n = parseUint(v, 65535);
        if (n === undefined) return fail('illegal weight specified');
        weight = n;
        break;
      }
      case 'u-threshold': {
        r = setOpt('u-threshold');
        const n = parseUint(v, INT_MAX);
        if (n === undefined) return fail('illegal u_threshold specified');
        uThreshold = n;
        break;
      }
      case 'l-threshold': {
        r = setOpt('l-threshold');
        const n = parseUint(v, INT_MAX);
        if (n === undefined) return fail('illegal l_threshold specified');
        lThreshold = n;
        break;
      }
      case 'tun-type':
        r = setOpt('tun-type');
        if (v !== 'ipip' && v !== 'gue' && v !== 'gre') return fail('illegal tunnel type specified');
        tunType = v;
        break;
      case 'tun-port': {
        r = setOpt('tun-port');
        const n = parseUint(v, 65535);
        if (n === undefined || n === 0) return fail('illegal tunnel port specified');
        tunPort = n;
        break;
      }
      case 'tun-nocsum':
      case 'tun-csum':
      case 'tun-remcsum':
        r = setOpt(spec.name);
        tunCsum = spec.name === 'tun-nocsum' ? 'nocsum' : spec.name === 'tun-csum' ? 'csum' : 'remcsum';
        break;
      case 'connection':
        r = setOpt('connection');
        list.connection = true;
        break;
      case 'timeout':
        r = setOpt('timeout');
        list.timeout = true;
        break;
      case 'daemon':
        r = setOpt('daemon');
        list.daemon = true;
        break;
      case 'stats':
        r = setOpt('stats');
        list.stats = true;
        break;
      case 'rate':
        r = setOpt('rate');
        list.rate = true;
        break;
      case 'thresholds':
        r = setOpt('thresholds');
        list.thresholds = true;
        break;
      case 'persistent-conn':
        r = setOpt('persistent-conn');
        list.persistentConn = true;
        break;
      case 'tun-info':
        r = setOpt('tun-info');
        list.tunInfo = true;
        break;
      case 'nosort':
        r = setOpt('nosort');
        list.nosort = true;
        break;
      case 'sort':
        break; // the default; accepted as a no-op
      case 'exact':
        r = setOpt('exact');
        list.exact = true;
        break;
      case 'numeric':
        r = setOpt('numeric');
        list.numeric = true;
        break;
      case 'syncid': {
        r = setOpt('syncid');
        if (parseUint(v, 255) === undefined) return fail('illegal syncid specified');
        break;
      }
      case 'mcast-interface':
      case 'mcast-group':
      case 'mcast-port':
      case 'mcast-ttl':
      case 'sync-maxlen':
        r = setOpt(spec.name);
        break;
    }
    if (r) return r;
  }

  if (cmd === undefined) {
    return fail(`Try \`${prog} -h' or '${prog} --help' for more information.`, 255);
  }
  if (cmd === 'set') {
    if (positional.length !== 3) return fail('--set option requires 3 timeout values');
    const t: number[] = [];
    for (const p of positional) {
      const n = parseUint(p, MAX_TIMEOUT);
      if (n === undefined) return fail(`invalid timeout value \`${p}' specified`);
      t.push(n);
    }
    positional.length = 0;
    const command: IpvsadmCommand = {
      cmd,
      serviceConfig: {},
      list,
      options,
      timeouts: [t[0]!, t[1]!, t[2]!],
    };
    return { ok: true, command };
  }
  if (positional.length > 0) return fail(`unexpected argument ${positional[0]}`);
  if (cmd === 'help' || cmd === 'version')
    return { ok: true, command: { cmd, serviceConfig: {}, list, options } };

  // Legal combinations, in ipvsadm's option order.
  const rule = RULES[cmd] ?? {};
  let groupFirst: OptionName | undefined;
  for (const name of OPTION_NAMES) {
    const r = rule[name];
    const has = options.has(name);
    if (r === undefined && has) return fail(`Illegal '${name}' option with the '${cmd}' command`);
    if (r === '+' && !has) return fail(`You need to supply the '${name}' option for the '${cmd}' command`);
    if (r === '1' && has) {
      if (groupFirst !== undefined)
        return fail(`The option '${name}' conflicts with the '${groupFirst}' option in the '${cmd}' command`);
      groupFirst = name;
    }
  }
  if (cmd === 'list') {
    const fmt = list.stats || list.rate || list.thresholds;
    if (
      ((list.connection || list.timeout || list.daemon) && fmt) ||
      ((list.timeout || list.daemon) && list.persistentConn)
    )
      return fail('options conflicts in the list command');
  }

  // The service.
  let service: ServiceKey | undefined;
  let svcFamily: 4 | 6 = 4;
  let svcPort = 0;
  if (svcText) {
    if (svcText.kind === 'fwmark') {
      svcFamily = ipv6 ? 6 : 4;
      service = { kind: 'fwmark', fwmark: Number(svcText.text), family: svcFamily };
    } else {
      if (svcText.kind === 'sctp') return fail('SCTP services are not supported by tsvs', 2);
      const hp = parseHostPort(svcText.text, svcText.kind, ports);
      if (!hp) return fail('illegal virtual server address[:port] specified');
      svcFamily = hp.family;
      svcPort = hp.port;
      service = {
        kind: 'addr',
        protocol: svcText.kind === 'tcp' ? 'TCP' : 'UDP',
        address: hp.address,
        port: hp.port,
      };
    }
  }

  const serviceConfig: ServiceConfig = { scheduler, schedFlags, persistent, ops, pe };
  if (cmd === 'add-service' || cmd === 'edit-service') {
    if (netmaskText !== undefined) {
      if (svcFamily === 6) {
        const n = parseUint(netmaskText, 128);
        if (n === undefined || n === 0) return fail('illegal ipv6 netmask specified');
        serviceConfig.netmask = n;
      } else {
        const a = parseAddr(netmaskText);
        const m = a?.family === 4 ? a.w[3]! >>> 0 : -1;
        if (m < 0) return fail('illegal virtual server persistent mask specified');
        serviceConfig.netmask = m;
      }
    }
    if (service?.kind === 'addr' && service.port === 0 && persistent === 0)
      return fail('Zero port specified for non-persistent service');
    if (ops && service?.kind === 'addr' && service.protocol !== 'UDP')
      return fail('One-Packet Scheduling is only for UDP virtual services');
  }

  let real: RealServerConfig | undefined;
  if (realText !== undefined) {
    const hp = parseHostPort(realText, svcText?.kind === 'udp' ? 'udp' : 'tcp', ports);
    if (!hp) return fail('illegal real server address[:port] specified');
    const m: ForwardMethod = method ?? 'gate';
    if (hp.family !== svcFamily && m !== 'ipip')
      return fail('Different address family is allowed only for tunneling servers');
    let port = hp.portGiven ? hp.port : svcPort;
    // Direct routing and tunneling cannot change the port: the packet keeps it.
    if ((m === 'gate' || m === 'ipip') && service?.kind === 'addr') port = svcPort;
    real = { address: hp.address, port, weight, method: m, uThreshold, lThreshold };
    if (cmd === 'add-server' || cmd === 'edit-server') {
      const tunGiven = tunType !== undefined || tunPort !== 0 || tunCsum !== undefined;
      if (tunGiven && m !== 'ipip') return fail('Tunnel options conflict with forward method');
      if (m === 'ipip') {
        const type = tunType ?? 'ipip';
        if (type === 'gue' && tunPort === 0)
          return fail(`You need to supply the 'tun-port' option for the 'gue' tunnel type`);
        if (type !== 'gue' && tunPort !== 0)
          return fail(`Illegal 'tun-port' option with the '${type}' tunnel type`);
        if (type === 'ipip' && tunCsum !== undefined)
          return fail(`Illegal 'tun-${tunCsum}' option with the 'ipip' tunnel type`);
        if (type === 'gre' && tunCsum === 'remcsum')
          return fail(`Illegal 'tun-remcsum' option with the 'gre' tunnel type`);
        const csumGiven = ['tun-nocsum', 'tun-csum', 'tun-remcsum'].filter((n) =>
          options.has(n as OptionName),
        );
        if (csumGiven.length > 1)
          return fail(
            `The option '${csumGiven[1]}' conflicts with the '${csumGiven[0]}' option in the '${type}' tunnel type`,
          );
        real.tunnel = { type, port: tunPort, csum: tunCsum ?? 'nocsum' };
      }
    }
  }

  const command: IpvsadmCommand = { cmd, serviceConfig, list, options };
  if (service) command.service = service;
  if (real) command.real = real;
  return { ok: true, command };
}

/**
 * Split one `-R` line into words (shell-like whitespace splitting; a leading `ipvsadm` word is
 * dropped). Returns null for blank lines and `#` comments.
 */
export function splitRestoreLine(line: string): string[] | null {
  const t = line.trim();
  if (t === '' || t.startsWith('#')) return null;
  const words = t.split(/\s+/);
  if (words[0] === 'ipvsadm' || words[0] === 'tsvsadm') words.shift();
  return words;
}
