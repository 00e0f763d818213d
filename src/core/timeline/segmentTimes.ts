// When each archived segment, timeline history and backup history file arrived in the archive (file
// modification time, S3 LastModified), collected from the archive listing while the analysis reads
// it. A million segments cost 16 bytes each in typed arrays; nothing here ever throws on a name.
import type { ArchiveEntry } from '../archive/archiveSource';
import { classifyArchiveName } from '../wal/archiveFileName';

/** A growable Float64Array. */
class Floats {
  length = 0;
  data = new Float64Array(1024);
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
}

/** log id and segment of a segment name, and its time, as they were listed. */
class ListedSegments {
  readonly logs = new Floats();
  readonly segs = new Floats();
  readonly times = new Floats();
}

/** 8 hex digits at `at`; NaN when one is not upper-case hex. */
function hex8(s: string, at: number): number {
  let v = 0;
  for (let i = at; i < at + 8; i++) {
    const c = s.charCodeAt(i);
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (d < 0) return NaN;
    v = v * 16 + d;
  }
  return v;
}

/** Collects file times from a listing: pass `see` as the analysis' onEntry. */
export class SegmentTimeCollector {
  private readonly listed = new Map<number, ListedSegments>();
  /** timeline -> time its .history file arrived */
  readonly historyTimes = new Map<number, number>();
  /** key -> time, for backup history files and other small metadata files */
  readonly fileTimes = new Map<string, number>();
  /** the newest uncompressed segment (its first page names the cluster: walPageHeader.ts) */
  sampleSegment: { key: string; size: number } | null = null;
  private sampleMs = -Infinity;
  /** entries that carried a time */
  timed = 0;
  /** every entry seen */
  seen = 0;

  /** One listed entry (any kind; only names PostgreSQL archives are kept). */
  readonly see = (e: ArchiveEntry): void => {
    this.seen++;
    const t = typeof e.mtimeMs === 'number' && Number.isFinite(e.mtimeMs) ? e.mtimeMs : NaN;
    if (!Number.isNaN(t)) this.timed++;
    const slash = e.key.lastIndexOf('/');
    const base = slash < 0 ? e.key : e.key.slice(slash + 1);
    if (base.length === 24) {
      const tli = hex8(base, 0);
      const log = hex8(base, 8);
      const seg = hex8(base, 16);
      if (Number.isNaN(tli + log + seg)) return;
      this.add(tli, log, seg, t);
      if (!(t <= this.sampleMs)) {
        this.sampleSegment = { key: e.key, size: e.size };
        this.sampleMs = Number.isNaN(t) ? -Infinity : t;
      }
      return;
    }
    const c = classifyArchiveName(base);
    if (c.kind === 'segment')
      this.add(c.timeline, parseInt(c.hex24.slice(8, 16), 16), parseInt(c.hex24.slice(16), 16), t);
    else if (c.kind === 'history') {
      if (!Number.isNaN(t))
        this.historyTimes.set(c.timeline, Math.min(t, this.historyTimes.get(c.timeline) ?? Infinity));
    } else if (c.kind === 'backup-history' || /backup\.info$|_backup_stop_sentinel\.json$/.test(base)) {
      if (!Number.isNaN(t)) this.fileTimes.set(e.key, t);
    }
  };

  private add(tli: number, log: number, seg: number, t: number): void {
    let l = this.listed.get(tli);
    if (!l) this.listed.set(tli, (l = new ListedSegments()));
    l.logs.push(log);
    l.segs.push(seg);
    l.times.push(t);
  }

  /** The times by segment number, once the segment size is known (from the analysis). */
  index(segmentSize: number): SegmentTimeIndex {
    const perId = 0x100000000 / segmentSize;
    const byTimeline = new Map<number, TimelineTimes>();
    for (const [tli, l] of this.listed) byTimeline.set(tli, timelineTimes(l, perId));
    return new SegmentTimeIndex(byTimeline, this.historyTimes, this.fileTimes, this.seen > 0 && this.timed > 0);
  }
}

/** One timeline's distinct segment numbers, ascending, with the time each one arrived (NaN: unknown). */
export interface TimelineTimes {
  segnos: Float64Array;
  /** corrected so that they never decrease along the WAL (see monotone()) */
  times: Float64Array;
}

function timelineTimes(l: ListedSegments, perId: number): TimelineTimes {
  const n = l.segs.length;
  let min = Infinity;
  let max = -Infinity;
  const segnos = new Float64Array(n);
  let k = 0;
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const seg = l.segs.data[i];
    if (seg >= perId) continue; // not a segment of this size: the analysis reports it
    const segno = l.logs.data[i] * perId + seg;
    segnos[k] = segno;
    times[k++] = l.times.data[i];
    if (segno < min) min = segno;
    if (segno > max) max = segno;
  }
  if (k === 0) return { segnos: new Float64Array(0), times: new Float64Array(0) };
  const span = max - min + 1;
  let outSegnos: Float64Array;
  let outTimes: Float64Array;
  if (span <= 4 * k + 4096) {
    // dense (the usual case): address by segment number, no sort
    const at = new Float64Array(span).fill(Infinity);
    const present = new Uint8Array(span);
    for (let i = 0; i < k; i++) {
      const j = segnos[i] - min;
      present[j] = 1;
      const t = times[i];
      // a segment listed twice (compressed and not): the earlier time
      if (!Number.isNaN(t) && t < at[j]) at[j] = t;
    }
    let u = 0;
    for (let j = 0; j < span; j++) if (present[j]) u++;
    outSegnos = new Float64Array(u);
    outTimes = new Float64Array(u);
    u = 0;
    for (let j = 0; j < span; j++) {
      if (!present[j]) continue;
      outSegnos[u] = min + j;
      outTimes[u++] = at[j] === Infinity ? NaN : at[j];
    }
  } else {
    const order = new Uint32Array(k);
    for (let i = 0; i < k; i++) order[i] = i;
    order.sort((a, b) => segnos[a] - segnos[b]);
    const s: number[] = [];
    const t: number[] = [];
    for (let i = 0; i < k; i++) {
      const segno = segnos[order[i]];
      const time = times[order[i]];
      if (s.length > 0 && s[s.length - 1] === segno) {
        if (!Number.isNaN(time) && !(time >= t[t.length - 1])) t[t.length - 1] = time;
        continue;
      }
      s.push(segno);
      t.push(time);
    }
    outSegnos = Float64Array.from(s);
    outTimes = Float64Array.from(t);
  }
  monotone(outTimes);
  return { segnos: outSegnos, times: outTimes };
}

/**
 * A segment cannot have been complete after its successor was archived: each time is lowered to
 * the smallest time after it. A segment archived again later (a re-upload, a copy) then takes its
 * neighbours' time instead of pulling the picture forward.
 */
function monotone(times: Float64Array): void {
  let next = Infinity;
  for (let i = times.length - 1; i >= 0; i--) {
    const t = times[i];
    if (Number.isNaN(t)) continue;
    if (t > next) times[i] = next;
    else next = t;
  }
}

/** The first index whose value is >= x in an ascending array (length when none). */
export function lowerBound(a: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Segment times, answered by timeline and segment number. */
export class SegmentTimeIndex {
  constructor(
    readonly byTimeline: ReadonlyMap<number, TimelineTimes>,
    readonly historyTimes: ReadonlyMap<number, number>,
    readonly fileTimes: ReadonlyMap<string, number>,
    /** false when the listing gave no times at all (then every time is estimated elsewhere) */
    readonly hasTimes: boolean,
  ) {}

  /** When `segno` arrived; for a segment not in the archive, the time of the nearest one before it (else after it); NaN when unknown. */
  timeOf(tli: number, segno: number): number {
    const t = this.byTimeline.get(tli);
    if (!t || t.segnos.length === 0) return NaN;
    const i = lowerBound(t.segnos, segno);
    if (i < t.segnos.length && t.segnos[i] === segno && !Number.isNaN(t.times[i])) return t.times[i];
    for (let j = Math.min(i, t.segnos.length) - 1; j >= 0; j--) if (!Number.isNaN(t.times[j])) return t.times[j];
    for (let j = i; j < t.segnos.length; j++) if (!Number.isNaN(t.times[j])) return t.times[j];
    return NaN;
  }

  /** When the first segment after `segno` (exclusive) arrived on `tli`; NaN when none. */
  timeAfter(tli: number, segno: number): number {
    const t = this.byTimeline.get(tli);
    if (!t) return NaN;
    for (let j = lowerBound(t.segnos, segno + 1); j < t.segnos.length; j++)
      if (!Number.isNaN(t.times[j])) return t.times[j];
    return NaN;
  }
}
