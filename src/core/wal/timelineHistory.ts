// Timeline history files (`<8 hex>.history`), read the way the server reads them
// (readTimeLineHistory in src/backend/access/transam/timeline.c, unchanged in substance 10-18).
//
// PostgreSQL writes one line per ancestor: `<parentTLI>\t<switchpoint X/X>\t<reason>\n`, copying
// the parent's file first. It reads each line with fgets into a 1024-byte buffer, skips lines
// that are blank or start with '#' after leading whitespace, and scans the rest with
// sscanf("%u\t%X/%X"). Anything else about the line is ignored. Consequences mirrored here:
// - "syntax error" (FATAL at recovery start) when the line does not start with a number, or the
//   switch point is not `hex/hex` after it;
// - "invalid data" when parent TLIs do not increase, or the last one is not below the file's
//   own timeline;
// - sscanf's leniency is accepted, as the server accepts it (any whitespace, or none, between
//   fields; a sign; a 0x prefix on the hex parts; text after the switch point), but reported as
//   a warning, because PostgreSQL never writes such a line;
// - a line longer than 1023 bytes is read in pieces, and each piece is parsed as a line.
// Errors never throw: every problem line is reported with its line number and skipped.
// test/integration/walNamesOracle.test.ts starts PostgreSQL 18 on hand-made files to check
// these verdicts and the values read (truncation, 0x, signs) against the real server.

import { excerpt } from '../text/safeText';
import { formatLsn, type Lsn } from './lsn';

export interface TimelineHistoryEntry {
  /** the parent timeline this line describes */
  parent: number;
  /** where the parent timeline ended and the next one began (exclusive end of `parent`) */
  switchLsn: Lsn;
  /** the human-readable rest of the line (tab-separated reason), '' when absent */
  reason: string;
  /** 1-based line number in the file */
  line: number;
}

export interface TimelineHistory {
  /** the timeline whose history this is (from the file name) */
  timeline: number;
  /** ancestors, oldest first */
  entries: TimelineHistoryEntry[];
  /** what would make PostgreSQL refuse the file (FATAL at recovery start), with line numbers */
  errors: string[];
  /** what PostgreSQL accepts but never writes, or that is unusual */
  warnings: string[];
}

// fgets(fline, MAXPGPATH, fd): at most MAXPGPATH - 1 bytes per read.
const FGETS_LIMIT = 1023;

const enum Ch {
  Tab = 9,
  Nl = 10,
  Vt = 11,
  Ff = 12,
  Cr = 13,
  Space = 32,
  Plus = 43,
  Minus = 45,
  Slash = 47,
  Hash = 35,
  Zero = 48,
}

function isSpace(b: number | undefined): boolean {
  return b === Ch.Space || (b !== undefined && b >= Ch.Tab && b <= Ch.Cr);
}

function isDigit(b: number | undefined): boolean {
  return b !== undefined && b >= 48 && b <= 57;
}

function hexValue(b: number | undefined): number {
  if (b === undefined) return -1;
  if (b >= 48 && b <= 57) return b - 48;
  if (b >= 65 && b <= 70) return b - 55;
  if (b >= 97 && b <= 102) return b - 87;
  return -1;
}

interface Scanned {
  value: number;
  /** position after the number */
  end: number;
  /** the text was not plain digits (sign, 0x prefix) */
  odd: boolean;
  /** more than 32 bits: glibc stores the value truncated */
  overflow: boolean;
  /** number of digits read (after any 0x) */
  digits: number;
}

/**
 * One glibc scanf integer conversion (%u or %X) into an unsigned int: skips whitespace, takes an
 * optional sign and, for hex, an optional 0x, then the digits; a negative value wraps and a value
 * over 32 bits is truncated, as the C library does. null when no digit was found.
 */
function scanUnsigned(s: Uint8Array, pos: number, hex: boolean): Scanned | null {
  let p = pos;
  while (isSpace(s[p])) p++;
  let odd = false;
  let negative = false;
  if (s[p] === Ch.Plus || s[p] === Ch.Minus) {
    negative = s[p] === Ch.Minus;
    odd = true;
    p++;
  }
  const digitValue = (b: number | undefined): number => (hex ? hexValue(b) : isDigit(b) ? b! - 48 : -1);
  let sawDigit = false;
  if (hex && s[p] === Ch.Zero && (s[p + 1] === 120 || s[p + 1] === 88)) {
    // glibc consumes "0x" even when no hex digit follows; the '0' then counts as the number.
    p += 2;
    sawDigit = true;
    odd = true;
  }
  let v = 0n;
  let digits = 0;
  while (digitValue(s[p]) >= 0) {
    v = v * (hex ? 16n : 10n) + BigInt(digitValue(s[p]));
    sawDigit = true;
    digits++;
    p++;
  }
  if (!sawDigit) return null;
  // strtoul saturates at ULONG_MAX (64-bit) on overflow; the store into unsigned int truncates.
  if (v > 0xffff_ffff_ffff_ffffn) v = 0xffff_ffff_ffff_ffffn;
  if (negative) v = -v & 0xffff_ffff_ffff_ffffn;
  const truncated = v & 0xffff_ffffn;
  return { value: Number(truncated), end: p, odd, overflow: !negative && truncated !== v, digits };
}

type LineResult =
  | { kind: 'skip' }
  | { kind: 'no-tli' }
  | { kind: 'no-switchpoint' }
  | { kind: 'ok'; tli: number; lsn: Lsn; lax: string[]; restStart: number };

/** sscanf(line, "%u\t%X/%X") as readTimeLineHistory uses it. */
function scanLine(s: Uint8Array): LineResult {
  let p = 0;
  while (isSpace(s[p])) p++;
  if (p >= s.length || s[p] === Ch.Hash) return { kind: 'skip' };
  const lax: string[] = [];
  if (p > 0) lax.push('leading whitespace');
  const tli = scanUnsigned(s, 0, false);
  if (!tli) return { kind: 'no-tli' };
  // '\t' in a scanf format matches any amount of whitespace, including none.
  let q = tli.end;
  const sepStart = q;
  while (isSpace(s[q])) q++;
  if (!(q - sepStart === 1 && s[sepStart] === Ch.Tab)) lax.push('fields not separated by one tab');
  const hi = scanUnsigned(s, q, true);
  if (!hi || s[hi.end] !== Ch.Slash) return { kind: 'no-switchpoint' };
  const lo = scanUnsigned(s, hi.end + 1, true);
  if (!lo) return { kind: 'no-switchpoint' };
  if (hi.digits > 8 || lo.digits > 8) lax.push('more than 8 hex digits');
  if (tli.odd || hi.odd || lo.odd) lax.push('a sign or 0x prefix');
  if (tli.overflow || hi.overflow || lo.overflow) lax.push('a number that does not fit in 32 bits');
  if (isSpace(s[hi.end + 1])) lax.push('whitespace inside the switch point');
  const r = lo.end;
  if (r < s.length && !isSpace(s[r])) lax.push('text glued to the switch point');
  return { kind: 'ok', tli: tli.value, lsn: (BigInt(hi.value) << 32n) | BigInt(lo.value), lax, restStart: r };
}

const decoder = new TextDecoder('utf-8');

/** `%08X.history`: the file name of timeline `tli`'s history. */
export function timelineHistoryFileName(tli: number): string {
  return `${tli.toString(16).toUpperCase().padStart(8, '0')}.history`;
}

/**
 * Parses the history file of `timeline` (its name is timelineHistoryFileName(timeline)). `text`
 * may be the raw bytes (preferred: the 1023-byte piece rule counts bytes) or a string.
 */
export function parseTimelineHistory(text: string | Uint8Array, timeline: number): TimelineHistory {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  const result: TimelineHistory = { timeline, entries: [], errors: [], warnings: [] };
  if (timeline === 1)
    result.warnings.push('timeline 1 never has a history file: PostgreSQL does not read 00000001.history');

  let lastTli: number | null = null;
  let lineNo = 0;
  let start = 0;
  while (start < bytes.length) {
    lineNo++;
    let nl = bytes.indexOf(Ch.Nl, start);
    if (nl < 0) nl = bytes.length;
    const physical = bytes.subarray(start, nl);
    start = nl + 1;
    const text = decoder.decode(physical).replace(/\r$/, '');
    // a short escaped excerpt: the file may be anything (a link to a root-only file, a binary)
    const display = excerpt(text);
    // fgets pieces: a long line is read (and parsed) in chunks of FGETS_LIMIT bytes; the
    // newline belongs to the last chunk.
    const withNl = nl < bytes.length ? physical.length + 1 : physical.length;
    for (let off = 0; off < withNl; off += FGETS_LIMIT) {
      let piece = physical.subarray(off, Math.min(off + FGETS_LIMIT, physical.length));
      // C strings end at a NUL byte.
      const nul = piece.indexOf(0);
      if (nul >= 0) piece = piece.subarray(0, nul);
      const where =
        off === 0
          ? `line ${lineNo}`
          : `line ${lineNo} (after byte ${off}, read separately because the line is longer than ${FGETS_LIMIT} bytes)`;
      const r = scanLine(piece);
      if (r.kind === 'skip') continue;
      if (r.kind === 'no-tli') {
        result.errors.push(`${where}: syntax error: expected a numeric timeline ID: ${display}`);
        continue;
      }
      if (r.kind === 'no-switchpoint') {
        result.errors.push(`${where}: syntax error: expected a switch point X/X after the timeline ID: ${display}`);
        continue;
      }
      if (lastTli !== null && r.tli <= lastTli) {
        result.errors.push(`${where}: invalid data: timeline IDs must increase, but ${r.tli} follows ${lastTli}`);
        continue;
      }
      if (r.lax.length > 0) {
        result.warnings.push(
          `${where}: PostgreSQL accepts this line but never writes it so (${r.lax.join(', ')}); it reads parent timeline ${r.tli}, switch point ${formatLsn(r.lsn)}`,
        );
      }
      const prev = result.entries[result.entries.length - 1];
      if (prev && r.lsn < prev.switchLsn) {
        result.warnings.push(
          `${where}: switch point ${formatLsn(r.lsn)} is before the previous one (${formatLsn(prev.switchLsn)})`,
        );
      }
      lastTli = r.tli;
      // The reason is informational (the server ignores it): take the whole rest of the line.
      const restBytes = off === 0 ? physical.subarray(r.restStart) : piece.subarray(r.restStart);
      const reason = decoder
        .decode(restBytes)
        .replace(/^[ \t]+/, '')
        .replace(/\r$/, '');
      result.entries.push({ parent: r.tli, switchLsn: r.lsn, reason, line: lineNo });
    }
  }
  if (lastTli !== null && timeline <= lastTli) {
    result.errors.push(
      `invalid data: the parent timeline IDs must be less than the file's own timeline ${timeline}, but ${lastTli} is listed`,
    );
  }
  if (result.entries.length === 0 && result.errors.length === 0 && timeline !== 1) {
    result.warnings.push('no entries: PostgreSQL treats the timeline as having no parent, which it never writes');
  }
  return result;
}

/**
 * The timeline that was current at `lsn` in this history (tliOfPointInHistory): the parent of
 * the first entry whose switch point is after `lsn`, else the history's own timeline. A switch
 * point belongs to the new timeline (each parent range is [previous switch point, switch point)).
 */
export function timelineOfLsn(history: TimelineHistory, lsn: Lsn): number {
  for (const e of history.entries) if (lsn < e.switchLsn) return e.parent;
  return history.timeline;
}

/**
 * Where `tli` was left in this history (tliSwitchPoint): its switch point when it is an ancestor,
 * null when it is the history's own (current) timeline, undefined when it is not in the history
 * at all (the server's "requested timeline is not in this server's history").
 */
export function switchPointOf(history: TimelineHistory, tli: number): Lsn | null | undefined {
  if (tli === history.timeline) return null;
  return history.entries.find((e) => e.parent === tli)?.switchLsn;
}

/** The timelines of this history, oldest ancestor first, ending with the history's own. */
export function timelinesOf(history: TimelineHistory): number[] {
  return [...history.entries.map((e) => e.parent), history.timeline];
}
