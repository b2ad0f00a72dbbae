// Internet checksum (RFC 1071), full and incremental (RFC 1624).

/** One's-complement sum of `len` bytes of `buf` from `off`, folded to 16 bits, plus `initial`. */
export function onesSum(buf: Uint8Array, off: number, len: number, initial = 0): number {
  let sum = initial;
  const end = off + len;
  let i = off;
  for (; i + 1 < end; i += 2) sum += (buf[i]! << 8) | buf[i + 1]!;
  if (i < end) sum += buf[i]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** The checksum field value for `len` bytes (the complement of the folded sum). */
export function internetChecksum(buf: Uint8Array, off: number, len: number, initial = 0): number {
  return ~onesSum(buf, off, len, initial) & 0xffff;
}

/**
 * RFC 1624 eqn. 3: the new checksum after a 16-bit word of the covered data changed from `oldWord`
 * to `newWord`. HC' = ~(~HC + ~m + m').
 */
export function checksumAdjust16(check: number, oldWord: number, newWord: number): number {
  let sum = (~check & 0xffff) + (~oldWord & 0xffff) + (newWord & 0xffff);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** As checksumAdjust16 for a 32-bit value (an IPv4 address) that changed. */
export function checksumAdjust32(check: number, oldValue: number, newValue: number): number {
  const c = checksumAdjust16(check, oldValue >>> 16, newValue >>> 16);
  return checksumAdjust16(c, oldValue & 0xffff, newValue & 0xffff);
}
