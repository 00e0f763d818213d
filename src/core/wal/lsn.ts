// Log sequence numbers (WAL positions) as PostgreSQL reads and prints them.
//
// An LSN is an unsigned 64-bit byte position in the WAL stream. JavaScript numbers lose
// precision above 2^53, so LSNs are bigints throughout.

export type Lsn = bigint;

/** Largest LSN (`FFFFFFFF/FFFFFFFF`). */
export const MAX_LSN: Lsn = 0xffff_ffff_ffff_ffffn;

// pg_lsn_in: 1-8 hex digits (either case), '/', 1-8 hex digits, and nothing else: no
// whitespace, no sign, no 0x prefix ('G/0', ' 0/1', 'ABCD/' are rejected by the server).
const LSN_RE = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/;

/** Parses `X/Y` exactly as the pg_lsn input function does; null where PostgreSQL would refuse. */
export function parseLsn(text: string): Lsn | null {
  const m = LSN_RE.exec(text);
  if (!m) return null;
  return (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`);
}

/** true for a bigint in 0..MAX_LSN. */
export function isLsn(value: unknown): value is Lsn {
  return typeof value === 'bigint' && value >= 0n && value <= MAX_LSN;
}

/**
 * `X/Y` as pg_lsn_out prints it on PostgreSQL 10-18: upper-case hex, no leading zeros on either
 * side (`0/3000060`, `16/B374D848`). (The development branch after 18 pads the low half to 8
 * digits; parseLsn reads both.)
 */
export function formatLsn(lsn: Lsn): string {
  if (!isLsn(lsn)) throw new RangeError(`not an LSN (0 .. 2^64-1): ${String(lsn)}`);
  const hi = lsn >> 32n;
  const lo = lsn & 0xffff_ffffn;
  return `${hi.toString(16).toUpperCase()}/${lo.toString(16).toUpperCase()}`;
}
