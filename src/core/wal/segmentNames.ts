// WAL segment file names and their arithmetic (xlog_internal.h: XLogFileName, XLogFromFileName,
// XLByteToSeg, XLByteToPrevSeg, XLogSegNoOffsetToRecPtr).
//
// A name is `%08X%08X%08X` of (timeline, segno / segmentsPerId, segno % segmentsPerId), where
// segno = LSN / segment size. The split depends on the segment size, so the same 24 characters
// name different WAL (or nothing valid) under different sizes: every function that reads or
// writes a name takes the segment size.

import type { Lsn } from './lsn';

const MB = 1024 * 1024;

/** initdb --wal-segsize limits (IsValidWalSegSize): a power of two from 1 MB to 1 GB. */
export const MIN_SEGMENT_SIZE = 1 * MB;
export const MAX_SEGMENT_SIZE = 1024 * MB;
/** The default, and the only size before PostgreSQL 11 (fixed at compile time). */
export const DEFAULT_SEGMENT_SIZE = 16 * MB;
/** Every valid segment size in bytes, smallest first (1 MB, 2 MB, ..., 1 GB). */
export const SEGMENT_SIZES: readonly number[] = Object.freeze(Array.from({ length: 11 }, (_, i) => MB << i));

/** Timeline IDs are unsigned 32-bit (TimeLineID). */
export const MAX_TIMELINE = 0xffff_ffff;

export interface SegmentName {
  timeline: number;
  /** segment number: LSN / segment size (XLogSegNo) */
  segno: bigint;
}

export function isValidSegmentSize(bytes: number): boolean {
  return (
    Number.isInteger(bytes) && bytes >= MIN_SEGMENT_SIZE && bytes <= MAX_SEGMENT_SIZE && (bytes & (bytes - 1)) === 0
  );
}

// A wrong size is a programming error in the caller (sizes come from SHOW wal_segment_size or
// impliedSegmentSizes), not bad input data: fail loudly instead of returning a wrong name.
function checkSize(segSize: number): bigint {
  if (!isValidSegmentSize(segSize)) {
    throw new RangeError(`invalid WAL segment size ${segSize}: must be a power of two from 1 MB to 1 GB`);
  }
  return BigInt(segSize);
}

/** Segments per 4 GB "log id" (XLogSegmentsPerXLogId): the modulus of the last 8 hex digits. */
export function segmentsPerId(segSize: number): number {
  checkSize(segSize);
  return 0x1_0000_0000 / segSize;
}

/** Highest segment number: the segment holding LSN FFFFFFFF/FFFFFFFF. */
export function maxSegno(segSize: number): bigint {
  return (1n << 64n) / checkSize(segSize) - 1n;
}

// IsXLogFileName: exactly 24 characters from 0-9A-F. Lower case is never valid: PostgreSQL
// writes and requests upper case only, and a file system may be case-sensitive.
const NAME_RE = /^[0-9A-F]{24}$/;

/** Whether `name` has the shape of a segment file name (IsXLogFileName), for any segment size. */
export function isSegmentFileName(name: string): boolean {
  return NAME_RE.test(name);
}

/** Reads a 24-character segment name under `segSize`; null when it is not one, including when
 * its last 8 hex digits are not below segmentsPerId(segSize) (no such segment exists). */
export function parseSegmentName(name: string, segSize: number): SegmentName | null {
  const size = checkSize(segSize);
  if (!NAME_RE.test(name)) return null;
  const perId = 0x1_0000_0000n / size;
  const timeline = parseInt(name.slice(0, 8), 16);
  const log = BigInt(`0x${name.slice(8, 16)}`);
  const seg = BigInt(`0x${name.slice(16, 24)}`);
  if (seg >= perId) return null;
  return { timeline, segno: log * perId + seg };
}

function hex8(n: bigint | number): string {
  return n.toString(16).toUpperCase().padStart(8, '0');
}

function checkTimeline(timeline: number): void {
  // 0 is allowed: PostgreSQL itself formats 000000000000000000000000 for %r before the first
  // restart point is known.
  if (!Number.isInteger(timeline) || timeline < 0 || timeline > MAX_TIMELINE) {
    throw new RangeError(`invalid timeline ${timeline}: must be an integer 0 .. ${MAX_TIMELINE}`);
  }
}

function checkSegno(segno: bigint, segSize: number): void {
  if (segno < 0n || segno > maxSegno(segSize))
    throw new RangeError(`segment number ${segno} out of range for segment size ${segSize}`);
}

/** XLogFileName: `%08X%08X%08X` of (timeline, segno / perId, segno % perId). */
export function formatSegmentName(timeline: number, segno: bigint, segSize: number): string {
  const size = checkSize(segSize);
  checkTimeline(timeline);
  checkSegno(segno, segSize);
  const perId = 0x1_0000_0000n / size;
  return hex8(timeline) + hex8(segno / perId) + hex8(segno % perId);
}

/** The segment after `name` on the same timeline (segno + 1, re-split: at 16 MB
 * `0000000100000000000000FF` is followed by `000000010000000100000000`); null when `name` is
 * not valid for `segSize` or is the last possible segment. */
export function nextSegment(name: string, segSize: number): string | null {
  const s = parseSegmentName(name, segSize);
  if (!s || s.segno >= maxSegno(segSize)) return null;
  return formatSegmentName(s.timeline, s.segno + 1n, segSize);
}

/** The segment before `name` on the same timeline; null when `name` is not valid for `segSize`
 * or is segment 0. */
export function previousSegment(name: string, segSize: number): string | null {
  const s = parseSegmentName(name, segSize);
  if (!s || s.segno === 0n) return null;
  return formatSegmentName(s.timeline, s.segno - 1n, segSize);
}

/** XLByteToSeg: the segment that holds the byte at `lsn` (= lsn / segSize). */
export function segmentOfLsn(lsn: Lsn, segSize: number): bigint {
  return lsn / checkSize(segSize);
}

/**
 * XLByteToPrevSeg: the segment that holds the byte just before `lsn` (= (lsn - 1) / segSize), for
 * LSNs that point one past the end of something (a record's end, pg_backup_stop's result, a
 * switch point). Differs from segmentOfLsn only when `lsn` is exactly at a segment boundary.
 * pg_walfile_name() and pg_walfile_name_offset() used this on PostgreSQL 10-16 (so
 * pg_walfile_name('0/1000000') was ...0000 at 16 MB, and '0/0' wrapped around to
 * `00000001FFFFFFFF000000FF`); from 17 on they use segmentOfLsn (both seen on real servers).
 * LSN 0 wraps like the C code.
 */
export function segmentOfEndLsn(lsn: Lsn, segSize: number): bigint {
  const size = checkSize(segSize);
  return lsn === 0n ? (1n << 64n) / size - 1n : (lsn - 1n) / size;
}

/** XLogSegmentOffset: byte offset of `lsn` within its segment (the file_offset of
 * pg_walfile_name_offset, on every version). */
export function segmentOffsetOfLsn(lsn: Lsn, segSize: number): number {
  return Number(lsn % checkSize(segSize));
}

/** XLogSegNoOffsetToRecPtr with offset 0: the LSN of the first byte of segment `segno`. */
export function lsnOfSegmentStart(segno: bigint, segSize: number): Lsn {
  checkSegno(segno, segSize);
  return segno * BigInt(segSize);
}

/** How many segments `to` lies after `from` (negative when before), by segment number alone:
 * the timelines are not compared. null when either name is invalid for `segSize`. */
export function segnoDistance(from: string, to: string, segSize: number): bigint | null {
  const a = parseSegmentName(from, segSize);
  const b = parseSegmentName(to, segSize);
  if (!a || !b) return null;
  return b.segno - a.segno;
}

/**
 * The segment sizes (bytes, smallest first) under which `name` is a valid segment name: the last
 * 8 hex digits must be below 4 GB / size, so `...000000FF` rules out 32 MB and above and
 * `...00000004` rules out 1 GB. Empty when `name` is not 24 upper-case hex digits. An archive
 * analysis that was not told the size intersects this over every name it sees.
 */
export function impliedSegmentSizes(name: string): number[] {
  if (!NAME_RE.test(name)) return [];
  const seg = parseInt(name.slice(16, 24), 16);
  return SEGMENT_SIZES.filter((size) => seg < 0x1_0000_0000 / size);
}
