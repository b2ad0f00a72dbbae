// Names tcpdump 4.99.3 prints for DNS codes: RR types, classes, opcodes, rcodes, EDNS options and
// the DNSSEC algorithm lists of the DAU/DHU/N3U options (IANA dns-parameters as of 4.99.3).

function table(entries: readonly (readonly [number, string])[]): Map<number, string> {
  return new Map(entries);
}

/** RR TYPE mnemonics; anything else prints as `Type${n}`. */
export const DNS_TYPE_NAMES = table([
  [1, 'A'],
  [2, 'NS'],
  [3, 'MD'],
  [4, 'MF'],
  [5, 'CNAME'],
  [6, 'SOA'],
  [7, 'MB'],
  [8, 'MG'],
  [9, 'MR'],
  [10, 'NULL'],
  [11, 'WKS'],
  [12, 'PTR'],
  [13, 'HINFO'],
  [14, 'MINFO'],
  [15, 'MX'],
  [16, 'TXT'],
  [17, 'RP'],
  [18, 'AFSDB'],
  [19, 'X25'],
  [20, 'ISDN'],
  [21, 'RT'],
  [22, 'NSAP'],
  [23, 'NSAP_PTR'],
  [24, 'SIG'],
  [25, 'KEY'],
  [26, 'PX'],
  [27, 'GPOS'],
  [28, 'AAAA'],
  [29, 'LOC'],
  [30, 'NXT'],
  [31, 'EID'],
  [32, 'NIMLOC'],
  [33, 'SRV'],
  [34, 'ATMA'],
  [35, 'NAPTR'],
  [36, 'KX'],
  [37, 'CERT'],
  [38, 'A6'],
  [39, 'DNAME'],
  [40, 'SINK'],
  [41, 'OPT'],
  [42, 'APL'],
  [43, 'DS'],
  [44, 'SSHFP'],
  [45, 'IPSECKEY'],
  [46, 'RRSIG'],
  [47, 'NSEC'],
  [48, 'DNSKEY'],
  [99, 'SPF'],
  [100, 'UINFO'],
  [101, 'UID'],
  [102, 'GID'],
  [103, 'UNSPEC'],
  [104, 'UNSPECA'],
  [249, 'TKEY'],
  [250, 'TSIG'],
  [251, 'IXFR'],
  [252, 'AXFR'],
  [253, 'MAILB'],
  [254, 'MAILA'],
  [255, 'ANY'],
  [256, 'URI'],
]);

export function dnsTypeName(t: number): string {
  return DNS_TYPE_NAMES.get(t) ?? `Type${t}`;
}

const CLASS_NAMES = table([
  [1, 'IN'],
  [3, 'CHAOS'],
  [4, 'HS'],
  [255, 'ANY'],
]);

export function dnsClassName(c: number): string {
  return CLASS_NAMES.get(c) ?? `(Class ${c})`;
}

/** Opcode suffixes after the ID (index = opcode). */
export const DNS_OPCODE_TEXT: readonly string[] = [
  '',
  ' inv_q',
  ' stat',
  ' op3',
  ' notify',
  ' update',
  ' op6',
  ' op7',
  ' op8',
  ' updateA',
  ' updateD',
  ' updateDA',
  ' updateM',
  ' updateMA',
  ' zoneInit',
  ' zoneRef',
];

// 4.99.3's table really lacks the space before Resp17 and Resp21.
const RCODE_TEXT: readonly string[] = [
  '',
  ' FormErr',
  ' ServFail',
  ' NXDomain',
  ' NotImp',
  ' Refused',
  ' YXDomain',
  ' YXRRSet',
  ' NXRRSet',
  ' NotAuth',
  ' NotZone',
  ' Resp11',
  ' Resp12',
  ' Resp13',
  ' Resp14',
  ' NoChange',
  ' BadVers',
  'Resp17',
  ' Resp18',
  ' Resp19',
  ' Resp20',
  'Resp21',
  ' Resp22',
  ' BadCookie',
];

/** Response-code suffix (extended rcode included). */
export function dnsRcodeText(rcode: number): string {
  return rcode < RCODE_TEXT.length ? RCODE_TEXT[rcode]! : ` Resp${rcode & 0xfff}`;
}

export const EDNS_OPT_ECS = 8;
export const EDNS_OPT_EXPIRE = 9;
export const EDNS_OPT_COOKIE = 10;
export const EDNS_OPT_KEEPALIVE = 11;
export const EDNS_OPT_PADDING = 12;
export const EDNS_OPT_CHAIN = 13;
export const EDNS_OPT_KEYTAG = 14;
export const EDNS_OPT_DAU = 5;
export const EDNS_OPT_DHU = 6;
export const EDNS_OPT_N3U = 7;

const EDNS_OPT_NAMES = table([
  [1, 'LLQ'],
  [2, 'UL'],
  [3, 'NSID'],
  [5, 'DAU'],
  [6, 'DHU'],
  [7, 'N3U'],
  [8, 'ECS'],
  [9, 'EXPIRE'],
  [10, 'COOKIE'],
  [11, 'KEEPALIVE'],
  [12, 'PADDING'],
  [13, 'CHAIN'],
  [14, 'KEY-TAG'],
  [16, 'CLIENT-TAG'],
  [17, 'SERVER-TAG'],
]);

export function ednsOptName(code: number): string {
  return EDNS_OPT_NAMES.get(code) ?? `Opt${code}`;
}

/** DNSSEC algorithm numbers (DAU option); "DS" for 3 (DSA) is 4.99.3's spelling. */
export const DAU_ALG_NAMES = table([
  [0, 'DELETE'],
  [1, 'RSAMD5'],
  [2, 'DH'],
  [3, 'DS'],
  [5, 'RSASHA1'],
  [6, 'DSA-NSEC3-SHA1'],
  [7, 'RSASHA1-NSEC3-SHA1'],
  [8, 'RSASHA256'],
  [10, 'RSASHA512'],
  [12, 'ECC-GOST'],
  [13, 'ECDSAP256SHA256'],
  [14, 'ECDSAP384SHA384'],
  [15, 'ED25519'],
  [16, 'ED448'],
  [252, 'INDIRECT'],
  [253, 'PRIVATEDNS'],
  [254, 'PRIVATEOID'],
]);

/** DS digest types (DHU option). */
export const DHU_ALG_NAMES = table([
  [1, 'SHA-1'],
  [2, 'SHA-256'],
  [3, 'GOST_R_34.11-94'],
  [4, 'SHA-384'],
]);

/** NSEC3 hash algorithms (N3U option). */
export const N3U_ALG_NAMES = table([[1, 'SHA-1']]);
