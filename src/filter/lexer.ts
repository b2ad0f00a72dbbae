// pcap-filter(7) lexer: the keywords, numbers, addresses and names of libpcap's scanner.l.

import { FilterError } from './errors.js';
import { nameTable } from './table.js';

export type TokKind =
  | 'KW' // keyword: value in `text`
  | 'NUM'
  | 'ID'
  | 'HID'
  | 'HID6'
  | 'EID'
  | 'AID'
  | 'OP' // punctuation / operators: + - * / % : [ ] ! < > ( ) & | ^ = >= <= != << >>
  | 'EOF';

export interface Token {
  kind: TokKind;
  /** Keyword name (canonical), operator text, or the identifier/address text. */
  text: string;
  /** NUM value (unsigned 32-bit). */
  num: number;
}

// Keyword spellings -> canonical keyword.
const KEYWORDS = nameTable<string>({
  dst: 'dst',
  src: 'src',
  link: 'link',
  ether: 'link',
  ppp: 'link',
  slip: 'link',
  fddi: 'link',
  tr: 'link',
  wlan: 'link',
  arp: 'arp',
  rarp: 'rarp',
  ip: 'ip',
  sctp: 'sctp',
  tcp: 'tcp',
  udp: 'udp',
  icmp: 'icmp',
  igmp: 'igmp',
  igrp: 'igrp',
  pim: 'pim',
  vrrp: 'vrrp',
  carp: 'carp',
  radio: 'radio',
  ip6: 'ip6',
  icmp6: 'icmp6',
  ah: 'ah',
  esp: 'esp',
  atalk: 'atalk',
  aarp: 'aarp',
  decnet: 'decnet',
  lat: 'lat',
  sca: 'sca',
  moprc: 'moprc',
  mopdl: 'mopdl',
  iso: 'iso',
  esis: 'esis',
  'es-is': 'esis',
  isis: 'isis',
  'is-is': 'isis',
  l1: 'l1',
  l2: 'l2',
  iih: 'iih',
  lsp: 'lsp',
  snp: 'snp',
  csnp: 'csnp',
  psnp: 'psnp',
  clnp: 'clnp',
  stp: 'stp',
  ipx: 'ipx',
  netbeui: 'netbeui',
  host: 'host',
  net: 'net',
  mask: 'mask',
  port: 'port',
  portrange: 'portrange',
  proto: 'proto',
  protochain: 'protochain',
  gateway: 'gateway',
  type: 'type',
  subtype: 'subtype',
  direction: 'dir',
  dir: 'dir',
  address1: 'addr1',
  addr1: 'addr1',
  address2: 'addr2',
  addr2: 'addr2',
  address3: 'addr3',
  addr3: 'addr3',
  address4: 'addr4',
  addr4: 'addr4',
  ra: 'ra',
  ta: 'ta',
  less: 'less',
  greater: 'greater',
  byte: 'byte',
  broadcast: 'broadcast',
  multicast: 'multicast',
  and: 'and',
  or: 'or',
  not: 'not',
  len: 'len',
  length: 'len',
  inbound: 'inbound',
  outbound: 'outbound',
  ifindex: 'ifindex',
  vlan: 'vlan',
  mpls: 'mpls',
  pppoed: 'pppoed',
  pppoes: 'pppoes',
  geneve: 'geneve',
  lane: 'lane',
  llc: 'llc',
  metac: 'metac',
  bcc: 'bcc',
  oam: 'oam',
  oamf4: 'oamf4',
  oamf4ec: 'oamf4ec',
  oamf4sc: 'oamf4sc',
  sc: 'sc',
  ilmic: 'ilmic',
  vpi: 'vpi',
  vci: 'vci',
  connectmsg: 'connectmsg',
  metaconnect: 'metaconnect',
  on: 'ifname',
  ifname: 'ifname',
  rset: 'rset',
  ruleset: 'rset',
  rnr: 'rnr',
  rulenum: 'rnr',
  srnr: 'srnr',
  subrulenum: 'srnr',
  reason: 'reason',
  action: 'action',
  fisu: 'fisu',
  lssu: 'lssu',
  lsu: 'lssu',
  msu: 'msu',
  hfisu: 'hfisu',
  hlssu: 'hlssu',
  hmsu: 'hmsu',
  sio: 'sio',
  opc: 'opc',
  dpc: 'dpc',
  sls: 'sls',
  hsio: 'hsio',
  hopc: 'hopc',
  hdpc: 'hdpc',
  hsls: 'hsls',
});

// Named constants the scanner turns into numbers.
const NAMED_NUMBERS = nameTable<number>({
  icmptype: 0,
  icmpcode: 1,
  'icmp-echoreply': 0,
  'icmp-unreach': 3,
  'icmp-sourcequench': 4,
  'icmp-redirect': 5,
  'icmp-echo': 8,
  'icmp-routeradvert': 9,
  'icmp-routersolicit': 10,
  'icmp-timxceed': 11,
  'icmp-paramprob': 12,
  'icmp-tstamp': 13,
  'icmp-tstampreply': 14,
  'icmp-ireq': 15,
  'icmp-ireqreply': 16,
  'icmp-maskreq': 17,
  'icmp-maskreply': 18,
  icmp6type: 0,
  icmp6code: 1,
  'icmp6-destinationunreach': 1,
  'icmp6-packettoobig': 2,
  'icmp6-timeexceeded': 3,
  'icmp6-parameterproblem': 4,
  'icmp6-echo': 128,
  'icmp6-echoreply': 129,
  'icmp6-multicastlistenerquery': 130,
  'icmp6-multicastlistenerreportv1': 131,
  'icmp6-multicastlistenerdone': 132,
  'icmp6-routersolicit': 133,
  'icmp6-routeradvert': 134,
  'icmp6-neighborsolicit': 135,
  'icmp6-neighboradvert': 136,
  'icmp6-redirect': 137,
  'icmp6-routerrenum': 138,
  'icmp6-nodeinformationquery': 139,
  'icmp6-nodeinformationresponse': 140,
  'icmp6-ineighbordiscoverysolicit': 141,
  'icmp6-ineighbordiscoveryadvert': 142,
  'icmp6-multicastlistenerreportv2': 143,
  'icmp6-homeagentdiscoveryrequest': 144,
  'icmp6-homeagentdiscoveryreply': 145,
  'icmp6-mobileprefixsolicit': 146,
  'icmp6-mobileprefixadvert': 147,
  'icmp6-certpathsolicit': 148,
  'icmp6-certpathadvert': 149,
  'icmp6-multicastrouteradvert': 151,
  'icmp6-multicastroutersolicit': 152,
  'icmp6-multicastrouterterm': 153,
  tcpflags: 13,
  'tcp-fin': 0x01,
  'tcp-syn': 0x02,
  'tcp-rst': 0x04,
  'tcp-push': 0x08,
  'tcp-ack': 0x10,
  'tcp-urg': 0x20,
  'tcp-ece': 0x40,
  'tcp-cwr': 0x80,
});

const RE_N = /^(?:0[xX][0-9A-Fa-f]+|[0-9]+)/;
const RE_HID = /^(?:0[xX][0-9A-Fa-f]+|[0-9]+)(?:\.(?:0[xX][0-9A-Fa-f]+|[0-9]+)){1,3}/;
const RE_AID = /^\$[0-9A-Fa-f][0-9A-Fa-f]?/;
const B = '[0-9A-Fa-f][0-9A-Fa-f]?';
const B2 = '[0-9A-Fa-f]{4}';
const RE_MAC = new RegExp(
  `^(?:${B}:${B}:${B}:${B}:${B}:${B}|${B}-${B}-${B}-${B}-${B}-${B}|${B}\\.${B}\\.${B}\\.${B}\\.${B}\\.${B}|${B2}\\.${B2}\\.${B2}|[0-9A-Fa-f]{12})`,
);
const RE_BADMAC = new RegExp(`^${B}:+(?:${B}:+)+`);
const RE_ID = /^[A-Za-z0-9](?:[-_.A-Za-z0-9]*[.A-Za-z0-9])?/;
const RE_ESC = /^\\[^ !()\n\t]+/;
// The scanner's V6 patterns (V680 ... V6004): k 16-bit groups around one '::' (or 8 without),
// optionally ending in a dotted quad of scanner numbers.
/**
 * Each form with the colons and dots its text must hold: a form is tried (and its pattern
 * compiled, ~0.4 ms each on first use) only when the run of address characters at hand has them.
 * Every form has at least two colons, so the ':' of 'tcp[12:1]' compiles none.
 */
interface V6Form {
  src: string;
  colons: number;
  dots: number;
  re: RegExp | null;
}
const V6_FORMS: V6Form[] = (() => {
  const W = '[0-9A-Fa-f]{1,4}';
  const N = '(?:0[xX][0-9A-Fa-f]+|[0-9]+)';
  const quad = `${N}\\.${N}\\.${N}\\.${N}`;
  const groups = (n: number) => Array.from({ length: n }, () => W).join(':');
  const forms = [`${groups(8)}`, `${groups(6)}:${quad}`];
  for (let k = 7; k >= 0; k--) for (let i = 0; i <= k; i++) forms.push(`${groups(i)}::${groups(k - i)}`);
  for (let k = 5; k >= 0; k--)
    for (let i = 0; i <= k; i++) forms.push(`${groups(i)}::${groups(k - i)}${k - i > 0 ? ':' : ''}${quad}`);
  // Literal ':' and '\\.' of the pattern (no character class holds either; '(?:' is a group).
  return forms.map((src) => ({
    src,
    colons: src.replaceAll('(?:', '').split(':').length - 1,
    dots: src.split('\\.').length - 1,
    re: null,
  }));
})();
/** The characters a V6 form can consume (hex digits, ':', '.', and the 'x' of a 0x number). */
const RE_V6_RUN = /^[0-9A-Fa-fxX:.]*/;

/** The scanner's number conversion (stoulen): decimal, 0x hex or 0 octal, 32 bits. */
export function stoulen(s: string): number | string {
  if (s.length >= 2 && s[0] === '0' && (s[1] === 'x' || s[1] === 'X')) {
    const body = s.slice(2);
    if (!/^[0-9A-Fa-f]*$/.test(body)) return `number ${s} contains non-hex digit`;
    let n = 0;
    for (const ch of body) {
      if (n > 0xfffffff) return `number ${s} overflows 32 bits`;
      n = n * 16 + Number.parseInt(ch, 16);
    }
    return n;
  }
  if (s.length >= 1 && s[0] === '0') {
    let n = 0;
    for (const ch of s.slice(1)) {
      if (ch < '0' || ch > '7') return `number ${s} contains non-octal digit`;
      if (n > 0o3777777777) return `number ${s} overflows 32 bits`;
      n = n * 8 + (ch.charCodeAt(0) - 48);
    }
    return n;
  }
  let n = 0;
  for (const ch of s) {
    if (ch < '0' || ch > '9') return `number ${s} contains non-decimal digit`;
    n = n * 10 + (ch.charCodeAt(0) - 48);
    if (n > 0xffffffff) return `number ${s} overflows 32 bits`;
  }
  return n;
}

/** Parses a textual IPv6 address (inet_pton rules); null when invalid. */
export function parseIpv6(s: string): Uint8Array | null {
  let text = s;
  const out = new Uint8Array(16);
  let v4: number[] | null = null;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    const quad = text.slice(lastColon + 1).split('.');
    if (quad.length !== 4) return null;
    v4 = [];
    for (const q of quad) {
      if (!/^[0-9]{1,3}$/.test(q) || Number(q) > 255 || (q.length > 1 && q[0] === '0')) return null;
      v4.push(Number(q));
    }
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const dbl = text.indexOf('::');
  if (dbl !== text.lastIndexOf('::')) return null;
  const parseGroups = (part: string): number[] | null => {
    if (part === '') return [];
    const gs = part.split(':');
    const r: number[] = [];
    for (const g of gs) {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return null;
      r.push(Number.parseInt(g, 16));
    }
    return r;
  };
  let groups: number[];
  if (dbl >= 0) {
    const head = parseGroups(text.slice(0, dbl));
    const tail = parseGroups(text.slice(dbl + 2));
    if (!head || !tail || head.length + tail.length > 7) return null;
    groups = [...head, ...new Array(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    const g = parseGroups(text);
    if (g?.length !== 8) return null;
    groups = g;
  }
  for (let i = 0; i < 8; i++) {
    out[2 * i] = groups[i]! >> 8;
    out[2 * i + 1] = groups[i]! & 0xff;
  }
  if (v4) out.set(v4, 12);
  return out;
}

/** A bad token; `before` holds the tokens read before it (libpcap's parser has acted on them). */
export class LexError extends FilterError {
  constructor(
    message: string,
    readonly before: Token[],
  ) {
    super(message);
  }
}

/** Splits an expression into tokens; throws LexError with libpcap's message on a bad token. */
export function tokenize(src: string): Token[] {
  const toks: Token[] = [];
  function fail(msg: string): never {
    throw new LexError(msg, toks.slice());
  }
  let i = 0;
  const push = (kind: TokKind, text: string, num = 0) => toks.push({ kind, text, num });
  while (i < src.length) {
    const ch = src[i]!;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
      continue;
    }
    const rest = src.slice(i);
    const two = rest.slice(0, 2);
    if (two === '>=' || two === '<=' || two === '!=' || two === '<<' || two === '>>') {
      push('OP', two);
      i += 2;
      continue;
    }
    if (two === '==') {
      push('OP', '=');
      i += 2;
      continue;
    }
    if (two === '&&') {
      push('KW', 'and');
      i += 2;
      continue;
    }
    if (two === '||') {
      push('KW', 'or');
      i += 2;
      continue;
    }
    if ('+-*/%:[]!<>()&|^='.includes(ch) && !(ch === ':' && rest[1] === ':')) {
      // '-' may start nothing else; names never start with punctuation.
      push('OP', ch === '!' ? '!' : ch);
      i++;
      continue;
    }
    if (ch === '\\') {
      const m = RE_ESC.exec(rest);
      if (!m) fail("can't parse filter expression: syntax error");
      push('ID', m[0].slice(1));
      i += m[0].length;
      continue;
    }
    // Longest match among the scanner's patterns; earlier pattern wins a tie.
    const cands: { kind: TokKind | 'BADMAC' | 'WORD'; len: number; text: string }[] = [];
    const add = (kind: TokKind | 'BADMAC' | 'WORD', re: RegExp) => {
      const m = re.exec(rest);
      if (m && m[0].length > 0) cands.push({ kind, len: m[0].length, text: m[0] });
    };
    add('AID', RE_AID);
    add('EID', RE_MAC);
    add('NUM', RE_N);
    add('HID', RE_HID);
    // The longest text one of the scanner's V6 patterns matches, among the forms the run of
    // address characters here can hold (see V6_FORMS).
    const run = RE_V6_RUN.exec(rest)![0];
    const colons = run.split(':').length - 1;
    if (colons >= 2) {
      const dots = run.split('.').length - 1;
      let len = 0;
      for (const f of V6_FORMS) {
        if (f.colons > colons || f.dots > dots) continue;
        f.re ??= new RegExp(`^${f.src}`);
        const m = f.re.exec(rest);
        if (m && m[0].length > len) len = m[0].length;
      }
      if (len > 0) cands.push({ kind: 'HID6', len, text: rest.slice(0, len) });
    }
    add('BADMAC', RE_BADMAC);
    add('WORD', RE_ID);
    if (cands.length === 0) fail("can't parse filter expression: syntax error");
    let best = cands[0]!;
    for (const c of cands) if (c.len > best.len) best = c;
    // Keywords and named numbers are listed before the ID rule: they win an equal-length tie.
    const word = cands.find((c) => c.kind === 'WORD');
    if (
      word &&
      word.len === best.len &&
      (KEYWORDS[word.text] !== undefined || NAMED_NUMBERS[word.text] !== undefined)
    ) {
      best = word;
    }
    i += best.len;
    const t = best.text;
    switch (best.kind) {
      case 'AID':
        push('AID', t);
        break;
      case 'EID':
        push('EID', t);
        break;
      case 'NUM': {
        const v = stoulen(t);
        if (typeof v === 'string') fail(v);
        push('NUM', t, v);
        break;
      }
      case 'HID':
        push('HID', t);
        break;
      case 'HID6': {
        if (parseIpv6(t) === null) {
          fail(`bogus IPv6 address ${t}`);
        }
        push('HID6', t);
        break;
      }
      case 'BADMAC':
        return fail(`bogus ethernet address ${t}`);
      case 'WORD': {
        const kw = KEYWORDS[t];
        const nn = NAMED_NUMBERS[t];
        if (kw !== undefined) push('KW', kw);
        else if (nn !== undefined) push('NUM', t, nn);
        else push('ID', t);
        break;
      }
    }
  }
  push('EOF', '');
  return toks;
}
