// When a base backup started and ended, and how well that is known. The backup history file's
// START/STOP TIME is written in the server's log_timezone abbreviation ("2026-12-01 12:47:33 CET",
// checked on 10, 13 and 18): core/wal reads only UTC and numeric offsets, so an abbreviation is read
// here with the offsets it can mean, keeping the one the file's own arrival time allows (the file is
// archived after the backup ends). Failing that, the file's arrival time is used, as approximate.
import type { BackupInfo } from '../archive/backupCatalog';
import { parseSegmentName } from '../wal/segmentNames';
import type { SegmentTimeIndex } from './segmentTimes';
import type { Stamp } from './timelineTypes';

/** Minutes east of UTC that an abbreviation %Z prints can mean (several when it is ambiguous). */
const ABBREVIATIONS: Readonly<Record<string, readonly number[]>> = {
  UTC: [0],
  GMT: [0],
  WET: [0],
  WEST: [60],
  BST: [60, 360],
  IST: [60, 120, 330],
  CET: [60],
  CEST: [120],
  MET: [60],
  MEST: [120],
  EET: [120],
  EEST: [180],
  IDT: [180],
  MSK: [180],
  SAST: [120],
  PKT: [300],
  HKT: [480],
  JST: [540],
  KST: [540],
  AWST: [480],
  ACST: [570],
  ACDT: [630],
  AEST: [600],
  AEDT: [660],
  NZST: [720],
  NZDT: [780],
  HST: [-600],
  AKST: [-540],
  AKDT: [-480],
  PST: [-480],
  PDT: [-420],
  MST: [-420],
  MDT: [-360],
  CST: [-360, 480, -300],
  CDT: [-300, -240],
  EST: [-300],
  EDT: [-240],
  AST: [-240, 180],
  ADT: [-180],
  NST: [-210],
  NDT: [-150],
};

const WRITTEN_RE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) ([A-Za-z]{2,6})$/;

/**
 * A time written with a zone abbreviation, read against `arrivedMs` (when the file holding it
 * reached the archive, which is never before the time it records): the latest meaning of the
 * abbreviation that is not after the arrival (5 s of clock skew allowed). Without an arrival time
 * only an unambiguous abbreviation is read. null when it cannot be read safely.
 */
export function readAbbreviatedTime(
  written: string,
  arrivedMs: number | null,
): { ms: number; offsetMinutes: number } | null {
  const m = WRITTEN_RE.exec(written.trim());
  if (!m) return null;
  const offsets = ABBREVIATIONS[m[7]!.toUpperCase()];
  if (!offsets) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  if (Number.isNaN(wall)) return null;
  const candidates = offsets.map((o) => ({ ms: wall - o * 60_000, offsetMinutes: o }));
  if (arrivedMs === null || Number.isNaN(arrivedMs)) return candidates.length === 1 ? candidates[0]! : null;
  const possible = candidates.filter((c) => c.ms <= arrivedMs + 5_000).sort((a, b) => b.ms - a.ms);
  return possible[0] ?? null;
}

function formatOffset(minutes: number): string {
  const a = Math.abs(minutes);
  return `UTC${minutes < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

const SOURCE_NAMES: Record<string, string> = {
  'backup-history': 'the backup history file',
  pgbackrest: 'pgBackRest backup.info',
  'wal-g': 'the WAL-G backup sentinel',
  barman: 'Barman backup.info',
};

/** What BackupInfo may carry beyond the ISO times: the text as the server wrote it (optional). */
type WithWritten = BackupInfo & { startTimeWritten?: string | null; stopTimeWritten?: string | null };

function segnoOf(wal: string | null, segmentSize: number): { tli: number; segno: number } | null {
  const s = wal ? parseSegmentName(wal, segmentSize) : null;
  return s ? { tli: s.timeline, segno: Number(s.segno) } : null;
}

/** The backup's start and end as well as the archive knows them. */
export function backupStamps(
  b: BackupInfo,
  times: SegmentTimeIndex,
  segmentSize: number,
): { start: Stamp | null; stop: Stamp | null } {
  const w = b as WithWritten;
  const where = SOURCE_NAMES[b.source] ?? b.source;
  const fileMs = times.fileTimes.get(b.key) ?? null;
  const stopSeg = segnoOf(b.stopWal, segmentSize);
  const startSeg = segnoOf(b.startWal, segmentSize);

  const fromText = (iso: string | null, written: string | null | undefined, what: string): Stamp | null => {
    const ms = iso ? Date.parse(iso) : NaN;
    if (!Number.isNaN(ms)) return { ms, quality: 'exact', from: `${what} in ${where}` };
    if (written) {
      const r = readAbbreviatedTime(written, fileMs);
      if (r)
        return {
          ms: r.ms,
          quality: 'exact',
          from: `${what} in ${where} ("${written}", read as ${formatOffset(r.offsetMinutes)})`,
        };
    }
    return null;
  };

  let stop = fromText(b.stopTime, w.stopTimeWritten, 'STOP TIME');
  if (!stop && fileMs !== null && b.source === 'backup-history')
    stop = { ms: fileMs, quality: 'approximate', from: `arrival of ${b.key.split('/').pop()} in the archive` };
  if (!stop && stopSeg) {
    const ms = times.timeOf(stopSeg.tli, stopSeg.segno);
    if (!Number.isNaN(ms)) stop = { ms, quality: 'approximate', from: `arrival of ${b.stopWal} in the archive` };
  }
  let start = fromText(b.startTime, w.startTimeWritten, 'START TIME');
  if (!start && startSeg) {
    // the segment before the start was complete (and usually archived) before the backup began
    const ms = times.timeOf(startSeg.tli, startSeg.segno - 1);
    if (!Number.isNaN(ms) && (!stop || ms <= stop.ms))
      start = { ms, quality: 'approximate', from: 'arrival of the segment before its start WAL' };
  }
  if (!start && stop)
    start = {
      ...stop,
      quality: stop.quality === 'exact' ? 'approximate' : stop.quality,
      from: `not known: shown at its end (${stop.from})`,
    };
  return { start, stop };
}
