// Addresses for the director: text <-> four 32-bit words, the form hashed and stored in typed arrays.
// RFC 791 dotted quad, RFC 4291 text forms, RFC 5952 canonical IPv6 text.
//
// Internal form: `family` (4 or 6) plus four host-order u32 words. IPv4 uses words [0, 0, 0, a]
// so that folding (XOR of the words, as the kernel's dh/sh/lblc do for IPv6) gives the IPv4 value
// itself. Canonical text: IPv4 dotted decimal, IPv6 compressed lowercase (RFC 5952).

export type Family = 4 | 6;

/** A parsed address: family + four host-order words (IPv4 in w[3]). Owned, small, not for hot paths. */
export interface AddrWords {
  family: Family;
  w: Uint32Array;
}

/** Parse dotted IPv4 into a host-order u32, or -1 when the text is not a dotted quad. */
export function parseIpv4(text: string): number {
  const parts = text.split('.');
  if (parts.length !== 4) return -1;
  let v = 0;
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p)) return -1;
    const n = Number(p);
    if (n > 255) return -1;
    v = v * 256 + n;
  }
  return v >>> 0;
}

/** Parse IPv6 text (with optional embedded IPv4 tail) into four words; false when malformed. */
export function parseIpv6(text: string, out: Uint32Array): boolean {
  if (text.length === 0 || text.length > 45) return false;
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups: number[] = [];
  const parseSide = (side: string, allowV4Tail: boolean): number[] | null => {
    if (side === '') return [];
    const items = side.split(':');
    const res: number[] = [];
    for (let i = 0; i < items.length; i++) {
      const it = items[i]!;
      if (allowV4Tail && i === items.length - 1 && it.includes('.')) {
        const v4 = parseIpv4(it);
        if (v4 < 0) return null;
        res.push(v4 >>> 16, v4 & 0xffff);
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(it)) return null;
      res.push(Number.parseInt(it, 16));
    }
    return res;
  };
  if (halves.length === 2) {
    const head = parseSide(halves[0]!, false);
    const tail = parseSide(halves[1]!, true);
    if (!head || !tail) return false;
    const fill = 8 - head.length - tail.length;
    if (fill < 1) return false;
    groups.push(...head);
    for (let i = 0; i < fill; i++) groups.push(0);
    groups.push(...tail);
  } else {
    const all = parseSide(halves[0]!, true);
    if (all?.length !== 8) return false;
    groups.push(...all);
  }
  for (let i = 0; i < 4; i++) out[i] = ((groups[2 * i]! << 16) | groups[2 * i + 1]!) >>> 0;
  return true;
}

/** Parse an IPv4 or IPv6 address (no brackets, no port). Returns null when it is neither. */
export function parseAddr(text: string): AddrWords | null {
  const w = new Uint32Array(4);
  if (text.includes(':')) {
    return parseIpv6(text, w) ? { family: 6, w } : null;
  }
  const v4 = parseIpv4(text);
  if (v4 < 0) return null;
  w[3] = v4;
  return { family: 4, w };
}

/** Dotted text of a host-order IPv4 value. */
export function formatIpv4(v: number): string {
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

/** RFC 5952 text of four IPv6 words: lowercase, longest run (>= 2) of zero groups compressed. */
export function formatIpv6(w0: number, w1: number, w2: number, w3: number): string {
  const g = [w0 >>> 16, w0 & 0xffff, w1 >>> 16, w1 & 0xffff, w2 >>> 16, w2 & 0xffff, w3 >>> 16, w3 & 0xffff];
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (a: number, b: number) =>
    g
      .slice(a, b)
      .map((x) => x.toString(16))
      .join(':');
  if (bestLen < 2) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLen, 8)}`;
}

/** Canonical text of an address held as family + words. */
export function formatWords(family: Family, w0: number, w1: number, w2: number, w3: number): string {
  return family === 4 ? formatIpv4(w3) : formatIpv6(w0, w1, w2, w3);
}

/** Canonical text for any accepted address text, or null when it is not an address. */
export function canonicalAddr(text: string): string | null {
  const a = parseAddr(text);
  return a ? formatWords(a.family, a.w[0]!, a.w[1]!, a.w[2]!, a.w[3]!) : null;
}

/** XOR-fold of the words (IPv4: the address itself), as the kernel folds IPv6 for its hash tables. */
export function foldWords(w0: number, w1: number, w2: number, w3: number): number {
  return (w0 ^ w1 ^ w2 ^ w3) >>> 0;
}

/** Prefix length -> IPv4 mask (host order). */
export function prefixToMask4(len: number): number {
  return len <= 0 ? 0 : len >= 32 ? 0xffffffff : (0xffffffff << (32 - len)) >>> 0;
}

/**
 * Apply a persistence mask in place: IPv4 ANDs w[3] with `mask4` (host order); IPv6 keeps the first
 * `prefix6` bits.
 */
export function maskWords(family: Family, w: Uint32Array, mask4: number, prefix6: number): void {
  if (family === 4) {
    w[3] = (w[3]! & mask4) >>> 0;
    return;
  }
  for (let i = 0; i < 4; i++) {
    const bits = prefix6 - i * 32;
    w[i] = bits >= 32 ? w[i]! : bits <= 0 ? 0 : (w[i]! & prefixToMask4(bits)) >>> 0;
  }
}

/**
 * Parse address text into `out` (four words) without allocating for IPv4.
 * Returns the family (4 or 6), or 0 when the text is not an address.
 */
export function parseInto(text: string, out: Uint32Array): Family | 0 {
  if (text.indexOf(':') >= 0) return parseIpv6(text, out) ? 6 : 0;
  let v = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return 0;
    } else if (c === 46) {
      if (digits === 0 || ++dots > 3) return 0;
      v = v * 256 + part;
      part = 0;
      digits = 0;
    } else {
      return 0;
    }
  }
  if (dots !== 3 || digits === 0) return 0;
  out[0] = 0;
  out[1] = 0;
  out[2] = 0;
  out[3] = (v * 256 + part) >>> 0;
  return 4;
}
