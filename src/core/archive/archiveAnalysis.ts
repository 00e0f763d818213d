// Reads an archive listing and answers: which WAL is there, where the holes are, which base
// backups are usable, and how far each can recover. Only names and sizes are read (plus the small
// history and backup metadata files), so a million segments take well under a second.
import { classifyArchiveName } from '../wal/archiveFileName';
import { parseBackupHistory } from '../wal/backupHistory';
import { parseLsn } from '../wal/lsn';
import {
  DEFAULT_SEGMENT_SIZE,
  formatSegmentName,
  isValidSegmentSize,
  segmentOfLsn,
  segmentsPerId,
} from '../wal/segmentNames';
import { parseTimelineHistory, type TimelineHistory } from '../wal/timelineHistory';
import { backupMetadataKind, isToolFile, isWalKey, type Layout, LayoutDetector } from './archiveLayout';
import type { ArchiveEntry, ArchiveSource } from './archiveSource';
import {
  type BackupInfo,
  fromBackupHistory,
  parseBarmanInfo,
  parsePgBackRestInfo,
  parseWalgSentinel,
} from './backupCatalog';

export interface AcknowledgedGap {
  from: string;
  to: string;
  note?: string;
}

export interface AnalysisOptions {
  /** bytes; when absent it is read from the data (uncompressed segment sizes, then names) */
  segmentSize?: number;
  /** ignore segments before this one (per timeline: same timeline and later only) */
  since?: string;
  /** the server's current segment: missing segments just behind it are in flight, not lost */
  current?: string;
  /** the timeline the server is on: a higher one in the archive is another cluster or a promoted copy */
  serverTimeline?: number;
  acknowledged?: AcknowledgedGap[];
  /** how many segments behind `current` count as in flight (default 8) */
  inFlightWindow?: number;
  signal?: AbortSignal;
  /** also sees every listed entry (the recoverability timeline collects file times with it) */
  onEntry?: (e: ArchiveEntry) => void;
}

export type GapClass = 'lost' | 'in-flight' | 'acknowledged';

export interface Gap {
  from: string;
  to: string;
  missing: number;
  class: GapClass;
  note?: string;
}

export interface TimelineReport {
  timeline: number;
  first: string;
  last: string;
  segments: number;
  gaps: Gap[];
  parent: number | null;
  switchLsn: string | null;
}

export interface Anomaly {
  name: string;
  kind: string;
  message: string;
}

export interface RecoveryWindow {
  backup: string;
  from: { lsn: string | null; time: string | null };
  to: { wal: string; time: null };
  /** timelines followed, oldest first */
  timelines: number[];
}

export interface ArchiveReport {
  location: string;
  layout: Layout;
  segmentSize: number;
  segmentSizeSource: 'option' | 'file sizes' | 'names' | 'assumed';
  complete: boolean;
  /** why not complete, in plain words */
  problems: string[];
  listingComplete: boolean;
  timelines: TimelineReport[];
  backups: BackupInfo[];
  windows: RecoveryWindow[];
  anomalies: Anomaly[];
  /** newest segment of the newest timeline */
  latest: string | null;
}

/** A growable typed array: a million segments cost 13 bytes each, not a million objects. */
class Column<T extends Uint32Array | Uint8Array> {
  length = 0;
  constructor(
    private data: T,
    private readonly make: (n: number) => T,
  ) {}

  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = this.make(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }

  get(i: number): number {
    return this.data[i];
  }
}

class TimelineSegments {
  readonly logs = new Column(new Uint32Array(1024), (n) => new Uint32Array(n));
  readonly segs = new Column(new Uint32Array(1024), (n) => new Uint32Array(n));
  /** stored size, capped at 4 GB */
  readonly sizes = new Column(new Uint32Array(1024), (n) => new Uint32Array(n));
  readonly compressed = new Column(new Uint8Array(1024), (n) => new Uint8Array(n));

  add(log: number, seg: number, size: number, compressed: boolean): void {
    this.logs.push(log);
    this.segs.push(seg);
    this.sizes.push(Math.min(size, 0xffffffff));
    this.compressed.push(compressed ? 1 : 0);
  }
}

/** 8 hex digits at `at`, without slicing or a regular expression (the hot path of a listing). */
function hex8(s: string, at: number): number {
  let v = 0;
  for (let i = at; i < at + 8; i++) {
    const c = s.charCodeAt(i);
    v = v * 16 + (c <= 57 ? c - 48 : c - 55);
  }
  return v;
}

/** 24 upper-case hex digits: the common case, checked without a regular expression. */
function isBareSegmentName(s: string): boolean {
  if (s.length !== 24) return false;
  for (let i = 0; i < 24; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 70))) return false;
  }
  return true;
}

const MB = 1024 * 1024;

/** Reads a listing and the small metadata files, then analyses. */
export async function analyseArchive(source: ArchiveSource, options: AnalysisOptions = {}): Promise<ArchiveReport> {
  const detector = new LayoutDetector();
  const timelines = new Map<number, TimelineSegments>();
  const histories: Array<{ key: string; timeline: number }> = [];
  const backupHistories: string[] = [];
  const metadata: string[] = [];
  const partials: string[] = [];
  const unexpected: Array<{ key: string; reason: string }> = [];
  let unexpectedCount = 0;

  const outcome = await source.list(
    (e) => {
      options.onEntry?.(e);
      detector.see(e.key);
      const slash = e.key.lastIndexOf('/');
      const base = slash < 0 ? e.key : e.key.slice(slash + 1);
      if (isBareSegmentName(base)) {
        const tli = hex8(base, 0);
        let t = timelines.get(tli);
        if (!t) timelines.set(tli, (t = new TimelineSegments()));
        t.add(hex8(base, 8), hex8(base, 16), e.size, false);
        return;
      }
      if (/^backup\.info|_backup_stop_sentinel\.json$/.test(base)) {
        metadata.push(e.key);
        return;
      }
      const c = classifyArchiveName(base);
      switch (c.kind) {
        case 'segment': {
          let t = timelines.get(c.timeline);
          if (!t) timelines.set(c.timeline, (t = new TimelineSegments()));
          t.add(
            parseInt(c.hex24.slice(8, 16), 16),
            parseInt(c.hex24.slice(16, 24), 16),
            e.size,
            c.compression !== null,
          );
          break;
        }
        case 'partial':
          partials.push(e.key);
          break;
        case 'history':
          histories.push({ key: e.key, timeline: c.timeline });
          break;
        case 'backup-history':
          backupHistories.push(e.key);
          break;
        default:
          // tools keep metadata and backups beside the WAL: not unexpected in their layout
          if ((['pgbackrest', 'wal-g', 'barman'] as const).some((l) => isToolFile(l, e.key))) return;
          unexpectedCount++;
          if (unexpected.length < 50) unexpected.push({ key: e.key, reason: c.reason });
      }
    },
    { signal: options.signal },
  );
  const layout = detector.layout;
  const anomalies: Anomaly[] = [];
  const problems: string[] = [];
  if (!outcome.complete)
    problems.push(`the listing is incomplete (${outcome.error ?? 'stopped early'}): missing files prove nothing`);

  // files outside the layout's WAL area are not WAL (e.g. pgBackRest's backup/ folder)
  for (const u of unexpected) {
    if (layout !== 'flat' && !isWalKey(layout, u.key)) continue;
    anomalies.push({ name: u.key, kind: 'unexpected-file', message: u.reason });
  }
  if (unexpectedCount > unexpected.length)
    anomalies.push({
      name: '(more)',
      kind: 'unexpected-file',
      message: `${unexpectedCount - unexpected.length} more unexpected files`,
    });
  for (const p of partials)
    anomalies.push({
      name: p,
      kind: 'partial-segment',
      message:
        'a .partial segment (last segment of an old timeline after a promotion, or from pg_receivewal): never restored automatically; rename it to use it',
    });

  // segment size: told, or read from uncompressed segment sizes, or from the names
  let segSize = options.segmentSize ?? 0;
  let segmentSizeSource: ArchiveReport['segmentSizeSource'] = 'option';
  if (!segSize) {
    const counts = new Map<number, number>();
    for (const t of timelines.values()) {
      for (let i = 0; i < t.sizes.length; i++)
        if (!t.compressed.get(i)) counts.set(t.sizes.get(i), (counts.get(t.sizes.get(i)) ?? 0) + 1);
    }
    const best = [...counts.entries()].filter(([s]) => isValidSegmentSize(s)).sort((a, b) => b[1] - a[1])[0];
    if (best) {
      segSize = best[0];
      segmentSizeSource = 'file sizes';
    } else {
      // a log id that was finished (a later one exists) ends at segment perId-1
      let maxSeg = -1;
      let maxSegOfFinishedLog = -1;
      for (const t of timelines.values()) {
        let maxLog = 0;
        for (let i = 0; i < t.logs.length; i++) maxLog = Math.max(maxLog, t.logs.get(i));
        for (let i = 0; i < t.segs.length; i++) {
          maxSeg = Math.max(maxSeg, t.segs.get(i));
          if (t.logs.get(i) < maxLog) maxSegOfFinishedLog = Math.max(maxSegOfFinishedLog, t.segs.get(i));
        }
      }
      const fromFinished = maxSegOfFinishedLog >= 0 ? 0x100000000 / (maxSegOfFinishedLog + 1) : 0;
      if (fromFinished && isValidSegmentSize(fromFinished)) {
        segSize = fromFinished;
        segmentSizeSource = 'names';
      } else {
        segSize = DEFAULT_SEGMENT_SIZE;
        segmentSizeSource = 'assumed';
        if (timelines.size > 0 && maxSeg >= 0 && maxSeg >= segmentsPerId(DEFAULT_SEGMENT_SIZE)) {
          // names prove the segments are smaller than 16 MB
          for (let s = DEFAULT_SEGMENT_SIZE; s >= MB; s /= 2) if (maxSeg < segmentsPerId(s)) segSize = s;
        }
        anomalies.push({
          name: '(archive)',
          kind: 'segment-size-assumed',
          message: `the WAL segment size could not be read from the archive (compressed files, no finished log id); assuming ${segSize / MB} MB: pass --wal-segment-size if the cluster was initialised with another size`,
        });
      }
    }
  }
  const perId = segmentsPerId(segSize);

  // small files: timeline histories and backup metadata
  const historyOf = new Map<number, TimelineHistory>();
  for (const h of histories) {
    if (layout !== 'flat' && !isWalKey(layout, h.key)) continue;
    const text = await source.readText(h.key, 1024 * 1024).catch(() => undefined);
    if (text === undefined) {
      anomalies.push({ name: h.key, kind: 'history-unreadable', message: 'timeline history file cannot be read' });
      continue;
    }
    if (/\.(gz|bz2|xz|zst|lz4|br)$/.test(h.key)) continue;
    const parsed = parseTimelineHistory(text, h.timeline);
    if (parsed.errors.length)
      anomalies.push({ name: h.key, kind: 'history-invalid', message: parsed.errors.join('; ') });
    else historyOf.set(h.timeline, parsed);
  }
  const backups: BackupInfo[] = [];
  for (const key of backupHistories) {
    if (/\.(gz|bz2|xz|zst|lz4|br)$/.test(key)) continue;
    const text = await source.readText(key, 64 * 1024).catch(() => undefined);
    if (text === undefined) {
      anomalies.push({ name: key, kind: 'backup-history-unreadable', message: 'backup history file cannot be read' });
      continue;
    }
    const h = parseBackupHistory(text);
    if (h.errors.length) anomalies.push({ name: key, kind: 'backup-history-invalid', message: h.errors.join('; ') });
    if (h.startWal && h.stopWal) backups.push(fromBackupHistory(key, h));
  }
  for (const key of metadata) {
    const kind = backupMetadataKind(layout, key);
    if (!kind) continue;
    const text = await source.readText(key, 4 * 1024 * 1024).catch(() => undefined);
    if (text === undefined) continue;
    const r =
      kind === 'pgbackrest-info'
        ? parsePgBackRestInfo(key, text)
        : kind === 'walg-sentinel'
          ? parseWalgSentinel(key, text)
          : parseBarmanInfo(key, text);
    for (const e of r.errors) anomalies.push({ name: key, kind: 'backup-metadata-invalid', message: e });
    for (const b of r.backups)
      if (!backups.some((x) => x.startWal === b.startWal && x.startLsn === b.startLsn)) backups.push(b);
  }
  // fill in WAL names computed from LSNs (WAL-G gives LSNs only)
  for (const b of backups) {
    const start = b.startLsn ? parseLsn(b.startLsn) : null;
    const stop = b.stopLsn ? parseLsn(b.stopLsn) : null;
    if (!b.startWal && start !== null && b.timeline)
      b.startWal = formatSegmentName(b.timeline, segmentOfLsn(start, segSize), segSize);
    if (!b.stopWal && stop !== null && b.timeline)
      b.stopWal = formatSegmentName(b.timeline, segmentOfLsn(stop > 0n ? stop - 1n : 0n, segSize), segSize);
  }
  backups.sort((a, b) => (a.startWal ?? '').localeCompare(b.startWal ?? ''));

  // per timeline: sorted distinct segment numbers, gaps, size anomalies
  const sinceSeg = options.since ? parseName(options.since, perId) : null;
  const segnosOf = new Map<number, Runs>();
  const reports: TimelineReport[] = [];
  let invalidNames = 0;
  let wrongSizes = 0;
  for (const [tli, t] of [...timelines.entries()].sort((a, b) => a[0] - b[0])) {
    const n = t.segs.length;
    const arr = new Float64Array(n);
    let k = 0;
    const rawName = (i: number) => formatTli(tli) + formatTli(t.logs.get(i)) + formatTli(t.segs.get(i));
    for (let i = 0; i < n; i++) {
      const seg = t.segs.get(i);
      if (seg >= perId) {
        if (invalidNames++ < 20)
          anomalies.push({
            name: rawName(i),
            kind: 'invalid-name',
            message: `not a valid segment name for ${segSize / MB} MB segments (the last 8 digits must be below ${perId.toString(16).toUpperCase()})`,
          });
        continue;
      }
      if (!t.compressed.get(i) && t.sizes.get(i) !== segSize && wrongSizes++ < 20) {
        anomalies.push({
          name: rawName(i),
          kind: 'wrong-size',
          message: `${t.sizes.get(i)} bytes; an uncompressed segment has exactly ${segSize} bytes, recovery refuses it ("archive file has wrong size")`,
        });
      }
      const segno = t.logs.get(i) * perId + seg;
      if (sinceSeg && (tli < sinceSeg.timeline || (tli === sinceSeg.timeline && segno < sinceSeg.segno))) continue;
      arr[k++] = segno;
    }
    const sorted = arr.subarray(0, k).sort();
    let u = 0;
    for (let i = 0; i < sorted.length; i++) {
      if (i > 0 && sorted[i] === sorted[i - 1]) {
        anomalies.push({
          name: formatSegmentName(tli, BigInt(sorted[i]), segSize),
          kind: 'duplicate-segment',
          message:
            'the same segment is in the archive in two forms (e.g. compressed and not, or two checksums): which one restore_command fetches is up to the command',
        });
        continue;
      }
      sorted[u++] = sorted[i];
    }
    const uniq = sorted.subarray(0, u);
    if (u === 0) continue;
    const gaps: Gap[] = [];
    const runs: Runs = { starts: [uniq[0]], ends: [] };
    for (let i = 1; i < u; i++) {
      if (uniq[i] !== uniq[i - 1] + 1) {
        gaps.push(makeGap(tli, uniq[i - 1] + 1, uniq[i] - 1, segSize, options, perId));
        runs.ends.push(uniq[i - 1]);
        runs.starts.push(uniq[i]);
      }
    }
    runs.ends.push(uniq[u - 1]);
    segnosOf.set(tli, runs);
    const h = historyOf.get(tli);
    const parentEntry = h?.entries[h.entries.length - 1];
    reports.push({
      timeline: tli,
      first: formatSegmentName(tli, BigInt(uniq[0]), segSize),
      last: formatSegmentName(tli, BigInt(uniq[u - 1]), segSize),
      segments: u,
      gaps,
      parent: parentEntry ? parentEntry.parent : null,
      switchLsn: parentEntry ? fmtLsn(parentEntry.switchLsn) : null,
    });
  }
  // segments between the last archived one and the server's current one are in flight
  if (options.current) {
    const cur = parseName(options.current, perId);
    const tr = cur ? reports.find((r) => r.timeline === cur.timeline) : undefined;
    const runs = cur ? segnosOf.get(cur.timeline) : undefined;
    if (cur && tr && runs) {
      const last = runs.ends[runs.ends.length - 1];
      if (cur.segno > last + 1)
        tr.gaps.push({
          ...makeGap(cur.timeline, last + 1, cur.segno - 1, segSize, options, perId),
          class: 'in-flight',
        });
    }
  }

  // not Math.max(...spread): an archive can name more timelines than a call takes arguments
  const maxTli = reports.reduce((m, r) => Math.max(m, r.timeline), 0);
  if (options.serverTimeline !== undefined && maxTli > options.serverTimeline) {
    anomalies.push({
      name: formatTli(maxTli),
      kind: 'foreign-timeline',
      message: `the archive holds timeline ${maxTli}, higher than the server's ${options.serverTimeline}: another cluster, or a promoted copy of this one, archives into the same place; recoveries that follow 'latest' will take that timeline`,
    });
  }
  const latestReport = reports.find((r) => r.timeline === maxTli);
  const latest = latestReport ? latestReport.last : null;

  // recovery windows: from each backup's end along its timeline path to the first gap
  const windows: RecoveryWindow[] = [];
  for (const b of backups) {
    const w = windowOf(b, segnosOf, historyOf, maxTli, segSize, perId, anomalies);
    if (w) windows.push(w);
  }

  const newest = backups
    .filter((b) => b.startWal)
    // by position on one timeline; by end time across timelines when both are known (a backup history
    // written with a zone abbreviation, "CET", has none: it must not sort as if it were the oldest)
    .sort((a, b) =>
      a.timeline === b.timeline || !a.stopTime || !b.stopTime
        ? (a.startWal ?? '').localeCompare(b.startWal ?? '')
        : a.stopTime.localeCompare(b.stopTime),
    )
    .pop();
  if (reports.length === 0) problems.push('the archive holds no WAL segment');
  if (!newest)
    problems.push(
      'no base backup found in the archive (no backup history file or tool metadata): nothing to recover from',
    );
  else {
    const w = windows.find((x) => x.backup === newest.startWal);
    if (!w)
      problems.push(`the newest base backup (${newest.label}) is not usable: WAL between its start and end is missing`);
    else if (latest && w.to.wal !== latest) {
      // the window stops at a gap: only a lost one (not in flight, not acknowledged) breaks recovery
      const end = parseName(w.to.wal, perId)!;
      const next = formatSegmentName(end.timeline, BigInt(end.segno + 1), segSize);
      const gap = reports.find((r) => r.timeline === end.timeline)?.gaps.find((g) => g.from === next);
      if (!gap)
        problems.push(
          `the newest base backup (${newest.label}) recovers only to ${w.to.wal}, not to the newest segment ${latest}: the timeline path continues with no WAL`,
        );
      else if (gap.class === 'lost')
        problems.push(
          `the newest base backup (${newest.label}) recovers only to ${w.to.wal}, not to the newest segment ${latest}: ${gap.missing} segment(s) missing from ${gap.from} to ${gap.to}`,
        );
    }
  }
  const complete = outcome.complete && problems.length === 0;
  return {
    location: source.location,
    layout,
    segmentSize: segSize,
    segmentSizeSource,
    complete,
    problems,
    listingComplete: outcome.complete,
    timelines: reports,
    backups,
    windows,
    anomalies,
    latest,
  };
}

function fmtLsn(l: bigint): string {
  return `${(l >> 32n).toString(16).toUpperCase()}/${(l & 0xffffffffn).toString(16).toUpperCase()}`;
}

function formatTli(t: number): string {
  return t.toString(16).toUpperCase().padStart(8, '0');
}

function parseName(name: string, perId: number): { timeline: number; segno: number } | null {
  if (!/^[0-9A-F]{24}$/.test(name)) return null;
  const seg = parseInt(name.slice(16), 16);
  if (seg >= perId) return null;
  return { timeline: parseInt(name.slice(0, 8), 16), segno: parseInt(name.slice(8, 16), 16) * perId + seg };
}

function makeGap(tli: number, from: number, to: number, segSize: number, options: AnalysisOptions, perId: number): Gap {
  const gap: Gap = {
    from: formatSegmentName(tli, BigInt(from), segSize),
    to: formatSegmentName(tli, BigInt(to), segSize),
    missing: to - from + 1,
    class: 'lost',
  };
  const cur = options.current ? parseName(options.current, perId) : null;
  if (cur && cur.timeline === tli && to < cur.segno && to >= cur.segno - (options.inFlightWindow ?? 8))
    gap.class = 'in-flight';
  for (const a of options.acknowledged ?? []) {
    if (gap.from >= a.from && gap.to <= a.to) {
      gap.class = 'acknowledged';
      if (a.note) gap.note = a.note;
    }
  }
  return gap;
}

/** A timeline's segments as contiguous runs [starts[i], ends[i]], sorted. */
interface Runs {
  starts: number[];
  ends: number[];
}

/** The last segment of the run that contains `from`, capped at `limit`; from-1 when `from` is missing. */
function lastContiguous(runs: Runs, from: number, limit: number): number {
  let lo = 0;
  let hi = runs.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (runs.starts[mid] <= from) lo = mid;
    else hi = mid - 1;
  }
  if (runs.starts[lo] > from || runs.ends[lo] < from) return from - 1;
  return Math.min(runs.ends[lo], limit);
}

function windowOf(
  b: BackupInfo,
  segnosOf: Map<number, Runs>,
  historyOf: Map<number, TimelineHistory>,
  maxTli: number,
  segSize: number,
  perId: number,
  anomalies: Anomaly[],
): RecoveryWindow | null {
  const start = b.startWal ? parseName(b.startWal, perId) : null;
  const stop = b.stopWal ? parseName(b.stopWal, perId) : null;
  if (!start || !stop) return null;
  // the timeline path: from the newest timeline whose history includes the backup's, down to it
  let target = start.timeline;
  for (let t = maxTli; t > start.timeline; t--) {
    const h = historyOf.get(t);
    if (h && h.entries.some((e) => e.parent === start.timeline)) {
      target = t;
      break;
    }
  }
  const path: Array<{ tli: number; until: number }> = [];
  const h = historyOf.get(target);
  const chain = h ? h.entries.filter((e) => e.parent >= start.timeline) : [];
  for (const e of chain) path.push({ tli: e.parent, until: Number(segmentOfLsn(e.switchLsn, segSize)) - 1 });
  path.push({ tli: target, until: Number.MAX_SAFE_INTEGER });
  const first = path.findIndex((p) => p.tli === start.timeline);
  if (first < 0) path.unshift({ tli: start.timeline, until: Number.MAX_SAFE_INTEGER });
  let pos = start.segno;
  let lastSeg = -1;
  let lastTli = start.timeline;
  const used: number[] = [];
  for (const p of path.slice(Math.max(0, first))) {
    const segs = segnosOf.get(p.tli);
    if (!segs) break;
    const last = lastContiguous(segs, pos, p.until);
    used.push(p.tli);
    if (last < pos) break;
    lastSeg = last;
    lastTli = p.tli;
    if (last < p.until) break;
    pos = p.until + 1;
  }
  if (lastSeg < stop.segno && !(lastTli > start.timeline)) {
    anomalies.push({
      name: b.label,
      kind: 'backup-unusable',
      message: `WAL from ${b.startWal} to ${b.stopWal} is needed to make this base backup consistent, and it is not all in the archive`,
    });
    return null;
  }
  return {
    backup: b.startWal!,
    from: { lsn: b.stopLsn, time: b.stopTime },
    to: { wal: formatSegmentName(lastTli, BigInt(lastSeg), segSize), time: null },
    timelines: used,
  };
}
