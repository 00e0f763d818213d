// Backup history files (`<24 hex>.<8 hex>.backup`), as the server writes them when a base backup
// ends (do_pg_stop_backup in xlog.c up to 14, build_backup_content in xlogbackup.c from 15):
//
//   START WAL LOCATION: 0/2000028 (file 000000010000000000000002)
//   STOP WAL LOCATION: 0/2000100 (file 000000010000000000000002)
//   CHECKPOINT LOCATION: 0/2000060
//   BACKUP METHOD: streamed
//   BACKUP FROM: primary                  ("master" up to 10 at least)
//   START TIME: 2026-11-24 10:00:00 UTC   (log_timezone's abbreviation)
//   LABEL: <the label given to pg_backup_start; may itself contain newlines>
//   START TIMELINE: 1                     (11+)
//   STOP TIME: 2026-11-24 10:00:05 UTC
//   STOP TIMELINE: 1                      (11+)
//   INCREMENTAL FROM LSN: 0/... / INCREMENTAL FROM TLI: 1   (17+, incremental backups only)
//
// The server writes the whole file at once and never reads it back (it is informational), so a
// missing line means a truncated or hand-edited file. Problems are collected in `errors`; this
// never throws.

import { excerpt } from '../text/safeText';
import { formatLsn, type Lsn, parseLsn } from './lsn';
import { parseSegmentName, SEGMENT_SIZES, segmentOfLsn } from './segmentNames';

export interface BackupHistory {
  startLsn: Lsn | null;
  /** the segment named in the START WAL LOCATION line */
  startWal: string | null;
  stopLsn: Lsn | null;
  stopWal: string | null;
  checkpointLsn: Lsn | null;
  /** "streamed" (or "pg_start_backup" for an exclusive backup before 15) */
  method: string | null;
  /** "primary" / "standby" ("master" on old versions) */
  from: string | null;
  /** as written, e.g. "2026-11-24 10:00:00 UTC" */
  startTime: string | null;
  /** startTime as an instant, when its zone is UTC/GMT or a numeric offset; null otherwise (a
   * zone abbreviation such as CET or EST cannot be resolved safely) */
  startTimeParsed: Date | null;
  stopTime: string | null;
  stopTimeParsed: Date | null;
  label: string | null;
  /** absent before PostgreSQL 11 */
  startTimeline: number | null;
  stopTimeline: number | null;
  /** PostgreSQL 17+ incremental backups only */
  incrementalFromLsn: Lsn | null;
  incrementalFromTimeline: number | null;
  /** lines with an unknown `KEY: value`, kept for a newer server's additions */
  other: Array<{ key: string; value: string; line: number }>;
  errors: string[];
}

export interface ParseBackupHistoryOptions {
  /** the cluster's segment size, when known: the WAL file names are then checked against the
   * LSNs exactly; without it, they must fit at least one valid segment size */
  segSize?: number;
}

type Key =
  | 'START WAL LOCATION'
  | 'STOP WAL LOCATION'
  | 'CHECKPOINT LOCATION'
  | 'BACKUP METHOD'
  | 'BACKUP FROM'
  | 'START TIME'
  | 'LABEL'
  | 'START TIMELINE'
  | 'STOP TIME'
  | 'STOP TIMELINE'
  | 'INCREMENTAL FROM LSN'
  | 'INCREMENTAL FROM TLI';

const KEYS: ReadonlySet<string> = new Set<Key>([
  'START WAL LOCATION',
  'STOP WAL LOCATION',
  'CHECKPOINT LOCATION',
  'BACKUP METHOD',
  'BACKUP FROM',
  'START TIME',
  'LABEL',
  'START TIMELINE',
  'STOP TIME',
  'STOP TIMELINE',
  'INCREMENTAL FROM LSN',
  'INCREMENTAL FROM TLI',
]);

// Written by every version 10-18; the timeline lines only from 11 (checked as a pair below).
const REQUIRED: readonly Key[] = [
  'START WAL LOCATION',
  'STOP WAL LOCATION',
  'CHECKPOINT LOCATION',
  'BACKUP METHOD',
  'BACKUP FROM',
  'START TIME',
  'LABEL',
  'STOP TIME',
];

const KEY_LINE_RE = /^([A-Z][A-Z ]*[A-Z]): (.*)$/;
const WAL_LOCATION_RE = /^(\S+) \(file (\S+)\)$/;
const TIMESTAMP_RE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) (\S+)$/;

/** Parses a backup history file's text. */
export function parseBackupHistory(text: string, options: ParseBackupHistoryOptions = {}): BackupHistory {
  const h: BackupHistory = {
    startLsn: null,
    startWal: null,
    stopLsn: null,
    stopWal: null,
    checkpointLsn: null,
    method: null,
    from: null,
    startTime: null,
    startTimeParsed: null,
    stopTime: null,
    stopTimeParsed: null,
    label: null,
    startTimeline: null,
    stopTimeline: null,
    incrementalFromLsn: null,
    incrementalFromTimeline: null,
    other: [],
    errors: [],
  };
  const seen = new Map<string, number>();
  const lines = text.split('\n');
  if (text === '') {
    h.errors.push('empty file');
    lines.length = 0;
  } else if (!text.endsWith('\n')) {
    // The server ends every line with a newline: a missing one means the file was cut short.
    h.errors.push(
      `the last line does not end with a newline: the file looks truncated (${excerpt(lines[lines.length - 1] ?? '')})`,
    );
  } else {
    lines.pop();
  }
  // A label containing newlines is written as is (the server does not forbid them), so lines
  // after LABEL that are not one of the known keys continue the label.
  let inLabel = false;
  for (const [i, raw] of lines.entries()) {
    const lineNo = i + 1;
    const line = raw.replace(/\r$/, '');
    const m = KEY_LINE_RE.exec(line);
    const key = m && KEYS.has(m[1]!) ? (m[1] as Key) : null;
    if (inLabel && key === null) {
      h.label = `${h.label ?? ''}\n${line}`;
      continue;
    }
    inLabel = false;
    if (!m) {
      h.errors.push(`line ${lineNo}: not a "KEY: value" line: ${excerpt(line)}`);
      continue;
    }
    const value = m[2]!;
    if (key === null) {
      h.other.push({ key: m[1]!, value, line: lineNo });
      continue;
    }
    const before = seen.get(key);
    if (before !== undefined) {
      h.errors.push(`line ${lineNo}: ${key} appears again (first on line ${before})`);
      continue;
    }
    seen.set(key, lineNo);
    const bad = (what: string) => h.errors.push(`line ${lineNo}: ${key}: ${what}: ${excerpt(value)}`);
    switch (key) {
      case 'START WAL LOCATION':
      case 'STOP WAL LOCATION': {
        const w = WAL_LOCATION_RE.exec(value);
        const lsn = w ? parseLsn(w[1]!) : null;
        if (!w || lsn === null) {
          bad('expected "X/X (file <24 hex digits>)"');
          break;
        }
        if (!/^[0-9A-F]{24}$/.test(w[2]!)) bad('the file is not a WAL segment name');
        if (key === 'START WAL LOCATION') [h.startLsn, h.startWal] = [lsn, w[2]!];
        else [h.stopLsn, h.stopWal] = [lsn, w[2]!];
        break;
      }
      case 'CHECKPOINT LOCATION':
      case 'INCREMENTAL FROM LSN': {
        const lsn = parseLsn(value);
        if (lsn === null) bad('expected an LSN X/X');
        else if (key === 'CHECKPOINT LOCATION') h.checkpointLsn = lsn;
        else h.incrementalFromLsn = lsn;
        break;
      }
      case 'BACKUP METHOD':
        h.method = value;
        break;
      case 'BACKUP FROM':
        h.from = value;
        break;
      case 'START TIME':
      case 'STOP TIME': {
        const parsed = parseBackupTime(value);
        if (parsed === undefined) bad('expected "YYYY-MM-DD HH:MM:SS ZONE"');
        if (key === 'START TIME') [h.startTime, h.startTimeParsed] = [value, parsed ?? null];
        else [h.stopTime, h.stopTimeParsed] = [value, parsed ?? null];
        break;
      }
      case 'LABEL':
        h.label = value;
        inLabel = true;
        break;
      case 'START TIMELINE':
      case 'STOP TIMELINE':
      case 'INCREMENTAL FROM TLI': {
        const n = /^\d{1,10}$/.test(value) ? Number(value) : NaN;
        if (!(n >= 1 && n <= 0xffff_ffff)) bad('expected a timeline ID 1 .. 4294967295');
        else if (key === 'START TIMELINE') h.startTimeline = n;
        else if (key === 'STOP TIMELINE') h.stopTimeline = n;
        else h.incrementalFromTimeline = n;
        break;
      }
    }
  }
  for (const k of REQUIRED) if (!seen.has(k)) h.errors.push(`no ${k} line`);
  if (seen.has('START TIMELINE') !== seen.has('STOP TIMELINE')) {
    // Both appeared together in PostgreSQL 11; one without the other is a damaged file.
    h.errors.push(`no ${seen.has('START TIMELINE') ? 'STOP' : 'START'} TIMELINE line (the file has the other one)`);
  }
  if (seen.has('INCREMENTAL FROM LSN') !== seen.has('INCREMENTAL FROM TLI')) {
    h.errors.push(
      `no ${seen.has('INCREMENTAL FROM LSN') ? 'INCREMENTAL FROM TLI' : 'INCREMENTAL FROM LSN'} line (the file has the other one)`,
    );
  }
  checkConsistency(h, options.segSize);
  return h;
}

/** Cross-field checks: what one server writes is always consistent, so a mismatch means damage. */
function checkConsistency(h: BackupHistory, segSize: number | undefined): void {
  if (h.startLsn !== null && h.stopLsn !== null && h.stopLsn < h.startLsn) {
    h.errors.push(`STOP WAL LOCATION ${formatLsn(h.stopLsn)} is before START WAL LOCATION ${formatLsn(h.startLsn)}`);
  }
  // The start location is the start checkpoint's redo point, which precedes the checkpoint record.
  if (h.startLsn !== null && h.checkpointLsn !== null && h.checkpointLsn < h.startLsn) {
    h.errors.push(
      `CHECKPOINT LOCATION ${formatLsn(h.checkpointLsn)} is before START WAL LOCATION ${formatLsn(h.startLsn)}`,
    );
  }
  for (const [what, lsn, wal, tli] of [
    ['START', h.startLsn, h.startWal, h.startTimeline],
    ['STOP', h.stopLsn, h.stopWal, h.stopTimeline],
  ] as const) {
    if (lsn === null || wal === null || !/^[0-9A-F]{24}$/.test(wal)) continue;
    const walTli = parseInt(wal.slice(0, 8), 16);
    if (tli !== null && walTli !== tli) h.errors.push(`${what} TIMELINE ${tli} does not match the timeline of ${wal}`);
    // The file is XLByteToSeg of the location (not the "previous segment" rule), on every version.
    const sizes = segSize !== undefined ? [segSize] : SEGMENT_SIZES;
    const fits = sizes.some((size) => parseSegmentName(wal, size)?.segno === segmentOfLsn(lsn, size));
    if (!fits) {
      h.errors.push(
        `${what} WAL LOCATION ${formatLsn(lsn)} is not in ${wal}` +
          (segSize !== undefined ? ` (segment size ${segSize / 1048576} MB)` : ' for any segment size'),
      );
    }
  }
}

/**
 * "YYYY-MM-DD HH:MM:SS ZONE" as pg_strftime("%Y-%m-%d %H:%M:%S %Z") writes it. Returns the
 * instant when the zone is UTC/GMT/UCT/Z or a numeric offset (+03, -0330: what %Z prints for
 * zones without an abbreviation), null for any other zone (abbreviations are ambiguous), and
 * undefined when the text does not have that shape or names an impossible date.
 */
export function parseBackupTime(text: string): Date | null | undefined {
  const m = TIMESTAMP_RE.exec(text);
  if (!m) return undefined;
  const [y, mo, d, hh, mi, ss] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, hh, mi, ss);
  const check = new Date(ms);
  if (
    check.getUTCFullYear() !== y ||
    check.getUTCMonth() !== mo - 1 ||
    check.getUTCDate() !== d ||
    hh > 23 ||
    mi > 59 ||
    ss > 59
  )
    return undefined;
  const zone = m[7]!;
  if (/^(UTC|GMT|UCT|Z|UT)$/.test(zone)) return check;
  const off = /^([+-])(\d{2})(\d{2})?$/.exec(zone);
  if (!off) return null;
  const minutes = Number(off[2]) * 60 + Number(off[3] ?? 0);
  // "+03" means 3 hours ahead of UTC: subtract to get UTC.
  return new Date(ms - (off[1] === '+' ? 1 : -1) * minutes * 60_000);
}
