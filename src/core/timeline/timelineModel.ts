// Builds the recoverability timeline (timelineTypes.ts) from the archive analysis, the file times
// collected during its listing, and what pg-pitr recorded elsewhere (restore points, drills).
// Pure: the caller reads files and passes `now`. Sizes follow runs, gaps and backups, never
// segments: a million segments without a hole are one run.
import type { ArchiveReport } from '../archive/archiveAnalysis';
import { parseLsn } from '../wal/lsn';
import { parseSegmentName, segmentOfLsn } from '../wal/segmentNames';
import { backupStamps } from './backupTimes';
import type { DrillRecord } from './drillLog';
import { historyPath, reachOnLane, type SegmentRuns, type TimelineLink } from './reachability';
import type { SegmentTimeIndex } from './segmentTimes';
import type {
  BackupMark,
  CoverageRun,
  DrillMark,
  GapMark,
  Lane,
  ReachPiece,
  RestorePointMark,
  SegmentMark,
  Stamp,
  TimelineModel,
} from './timelineTypes';

/** A restore point as pg-pitr records it (core/recovery/restorePointLog.ts). */
export interface RecordedRestorePoint {
  systemId: string;
  name: string;
  lsn: string;
  wal: string;
  timeline: number;
  time: string;
  reason?: string;
}

export interface TimelineInputs {
  now: number;
  /** the cluster's system identifier (from the server, or a segment's page header); restore points and drills of other clusters are left out */
  systemId?: string | null;
  restorePoints?: RecordedRestorePoint[];
  drills?: DrillRecord[];
}

/** Segment name -> timeline and segment number; null when it is not one for this size. */
function place(name: string | null | undefined, segmentSize: number): { tli: number; segno: number } | null {
  if (!name) return null;
  const s = parseSegmentName(name, segmentSize);
  return s ? { tli: s.timeline, segno: Number(s.segno) } : null;
}

/** Times for segments, with an estimate when the listing gave none. */
class Clock {
  private readonly anchors: Array<{ segno: number; ms: number }> = [];
  constructor(
    private readonly times: SegmentTimeIndex,
    private readonly now: number,
    private readonly maxSegno: number,
  ) {}

  addAnchor(segno: number, ms: number): void {
    this.anchors.push({ segno, ms });
  }

  /** When segment `segno` of `tli` reached the archive (or the nearest archived one). */
  at(tli: number, segno: number): { ms: number; quality: 'approximate' | 'estimated' } {
    const ms = this.times.timeOf(tli, segno);
    if (!Number.isNaN(ms)) return { ms, quality: 'approximate' };
    return { ms: this.estimate(segno), quality: 'estimated' };
  }

  /** Linear between the two nearest exact anchors, at the overall pace beyond them; one minute per segment up to now without any. */
  private estimate(segno: number): number {
    const a = this.anchors.slice().sort((x, y) => x.segno - y.segno);
    if (a.length === 0) return this.now - (this.maxSegno - segno) * 60_000;
    const first = a[0]!;
    const last = a[a.length - 1]!;
    const pace =
      last.segno > first.segno && last.ms > first.ms ? (last.ms - first.ms) / (last.segno - first.segno) : 60_000;
    if (segno <= first.segno) return first.ms - (first.segno - segno) * pace;
    if (segno >= last.segno) return last.ms + (segno - last.segno) * pace;
    let lo = first;
    let hi = last;
    for (const p of a) {
      if (p.segno <= segno) lo = p;
      if (p.segno >= segno) {
        hi = p;
        break;
      }
    }
    return lo.segno === hi.segno ? lo.ms : lo.ms + ((segno - lo.segno) / (hi.segno - lo.segno)) * (hi.ms - lo.ms);
  }
}

/** The model of everything the archive knows, for the timeline picture and its table. */
export function buildTimelineModel(
  report: ArchiveReport,
  times: SegmentTimeIndex,
  inputs: TimelineInputs,
): TimelineModel {
  const seg = report.segmentSize;
  const perLane = new Map<number, SegmentRuns>();
  const links = new Map<number, TimelineLink>();
  let maxSegno = 0;
  for (const t of report.timelines) {
    const first = place(t.first, seg);
    const last = place(t.last, seg);
    if (!first || !last) continue;
    maxSegno = Math.max(maxSegno, last.segno);
    const runs: SegmentRuns = { starts: [first.segno], ends: [] };
    for (const g of [...t.gaps].sort((x, y) => x.from.localeCompare(y.from))) {
      const a = place(g.from, seg);
      const b = place(g.to, seg);
      if (!a || !b || a.segno <= first.segno || b.segno >= last.segno) continue;
      runs.ends.push(a.segno - 1);
      runs.starts.push(b.segno + 1);
    }
    runs.ends.push(last.segno);
    perLane.set(t.timeline, runs);
    const switchLsn = t.switchLsn ? parseLsn(t.switchLsn) : null;
    links.set(t.timeline, {
      parent: t.parent,
      switchSegno: switchLsn === null ? null : Number(segmentOfLsn(switchLsn, seg)),
    });
  }
  const clock = new Clock(times, inputs.now, maxSegno);
  const notes: string[] = [];

  // base backups first: their exact times anchor estimates when the listing has no file times
  const backups: BackupMark[] = report.backups.map((b) => {
    const { start, stop } = backupStamps(b, times, seg);
    const s = place(b.startWal, seg);
    const e = place(b.stopWal, seg);
    if (s && start?.quality === 'exact') clock.addAnchor(s.segno, start.ms);
    if (e && stop?.quality === 'exact') clock.addAnchor(e.segno, stop.ms);
    return {
      label: b.label,
      timeline: b.timeline,
      start,
      stop,
      startWal: b.startWal,
      stopWal: b.stopWal,
      startLsn: b.startLsn,
      stopLsn: b.stopLsn,
      source: b.source,
      usable: false,
    };
  });
  // a backup without any time: placed by its WAL
  for (const [i, b] of backups.entries()) {
    const e = place(b.stopWal, seg);
    if (!b.stop && e) {
      const at = clock.at(e.tli, e.segno);
      b.stop = { ms: at.ms, quality: at.quality, from: `position of ${b.stopWal}` };
    }
    if (!b.start && b.stop) b.start = { ...b.stop };
    backups[i] = b;
  }

  const lanes: Lane[] = [];
  for (const t of report.timelines) {
    const runsSeg = perLane.get(t.timeline);
    if (!runsSeg) continue;
    const runs: CoverageRun[] = runsSeg.starts.map((s, i) => {
      const e = runsSeg.ends[i]!;
      return {
        from: clock.at(t.timeline, s).ms,
        to: clock.at(t.timeline, e).ms,
        first: name(t.timeline, s, seg),
        last: name(t.timeline, e, seg),
        segments: e - s + 1,
      };
    });
    const gaps: GapMark[] = [];
    for (const g of t.gaps) {
      const a = place(g.from, seg);
      const b = place(g.to, seg);
      if (!a || !b) continue;
      const from = clock.at(t.timeline, a.segno - 1).ms;
      const after = times.timeAfter(t.timeline, b.segno);
      const to =
        g.class === 'in-flight' && b.segno >= runsSeg.ends[runsSeg.ends.length - 1]!
          ? Math.max(from, inputs.now)
          : Number.isNaN(after)
            ? clock.at(t.timeline, b.segno + 1).ms
            : after;
      gaps.push({
        from,
        to: Math.max(from, to),
        kind: g.class,
        first: g.from,
        last: g.to,
        missing: g.missing,
        ...(g.note ? { note: g.note } : {}),
      });
    }
    const wrongSize: SegmentMark[] = [];
    for (const a of report.anomalies) {
      if (a.kind !== 'wrong-size') continue;
      const p = place(a.name, seg);
      if (p && p.tli === t.timeline)
        wrongSize.push({ ms: clock.at(p.tli, p.segno).ms, segment: a.name, message: a.message });
    }
    let fork: Stamp | null = null;
    const link = links.get(t.timeline);
    if (link?.parent != null && link.switchSegno !== null) {
      const lo = times.timeOf(link.parent, link.switchSegno - 1);
      const hi = runs[0]!.from;
      const hist = times.historyTimes.get(t.timeline);
      if (hist !== undefined) {
        const ms = Math.min(Math.max(hist, Number.isNaN(lo) ? -Infinity : lo), hi);
        fork = {
          ms,
          quality: 'approximate',
          from: `arrival of ${t.timeline.toString(16).toUpperCase().padStart(8, '0')}.history in the archive`,
        };
      } else {
        fork = {
          ms: Number.isNaN(lo) ? hi : Math.min(lo, hi),
          quality: 'approximate',
          from: 'arrival of the segments around the switch point',
        };
      }
    }
    if (fork && runs[0]) runs[0].from = Math.min(runs[0].from, fork.ms);
    lanes.push({
      timeline: t.timeline,
      parent: t.parent,
      switchLsn: t.switchLsn,
      fork,
      first: t.first,
      last: t.last,
      segments: t.segments,
      runs,
      gaps,
      wrongSize,
      reach: [],
      bands: [],
    });
  }

  // what each backup reaches on each lane
  const paths = new Map(lanes.map((l) => [l.timeline, historyPath(l.timeline, links)]));
  for (const [i, b] of backups.entries()) {
    const s = place(b.startWal, seg);
    const e = place(b.stopWal, seg);
    if (!s || !e || !b.stop) continue;
    for (const lane of lanes) {
      const r = reachOnLane(
        { timeline: s.tli, startSegno: s.segno, stopSegno: e.segno },
        lane.timeline,
        paths.get(lane.timeline)!,
        (tli) => perLane.get(tli),
      );
      if (r.kind !== 'reach') continue;
      if (lane.timeline === s.tli) b.usable = true;
      const laneRuns = perLane.get(lane.timeline)!;
      const from =
        lane.timeline === s.tli
          ? b.stop.ms
          : Math.max(b.stop.ms, lane.fork?.ms ?? clock.at(lane.timeline, r.firstOnLane).ms);
      const to = clock.at(lane.timeline, r.lastSegno).ms;
      const piece: ReachPiece = {
        backup: i,
        from: Math.min(from, to),
        to,
        lastSegment: name(lane.timeline, r.lastSegno, seg),
        endsAt: r.lastSegno === laneRuns.ends[laneRuns.ends.length - 1] ? 'end' : 'gap',
      };
      lane.reach.push(piece);
    }
    // a backup on a timeline with no lane of its own (no WAL archived there) stays unusable
  }
  for (const lane of lanes) lane.bands = union(lane.reach);

  const timelinesShown = new Set(lanes.map((l) => l.timeline));
  const restorePoints: RestorePointMark[] = [];
  const sysid = inputs.systemId ?? null;
  let matchedByPosition = false;
  for (const p of inputs.restorePoints ?? []) {
    const ms = Date.parse(p.time);
    if (Number.isNaN(ms) || !timelinesShown.has(p.timeline)) continue;
    // older than the archive: nothing to recover it from; newer: this cluster's, not archived yet,
    // unless its timeline was left before it (then it belongs to another history)
    const lane = lanes.find((l) => l.timeline === p.timeline)!;
    if (p.wal < lane.first) continue;
    const at = parseLsn(p.lsn);
    const left = lanes
      .filter((c) => c.parent === p.timeline && c.switchLsn !== null)
      .map((c) => parseLsn(c.switchLsn!));
    if (at !== null && left.some((s) => s !== null && at >= s)) continue;
    if (sysid !== null) {
      if (p.systemId !== sysid) continue;
    } else {
      if (p.wal > nextName(lane.last)) continue;
      matchedByPosition = true;
    }
    restorePoints.push({
      name: p.name,
      at: { ms, quality: 'exact', from: 'the server clock when pg-pitr created it' },
      lsn: p.lsn,
      wal: p.wal,
      timeline: p.timeline,
      ...(p.reason ? { reason: p.reason } : {}),
    });
  }
  if (matchedByPosition)
    notes.push(
      'Restore points are matched to this archive by their WAL position: the cluster’s system identifier is not known here.',
    );

  const drills: DrillMark[] = [];
  for (const d of inputs.drills ?? []) {
    const mine =
      sysid !== null && d.backup.systemIdentifier !== null
        ? d.backup.systemIdentifier === sysid
        : backups.some(
            (b) =>
              b.stopLsn !== null &&
              b.stopLsn === d.backup.stopLsn &&
              (d.backup.timeline === null || b.timeline === d.backup.timeline),
          );
    if (!mine) continue;
    const startedAt = Date.parse(d.startedAt);
    const reachedMs = d.reached?.time ? Date.parse(d.reached.time) : NaN;
    drills.push({
      at: { ms: startedAt, quality: 'exact', from: 'the drill record' },
      ok: d.ok,
      reached: Number.isNaN(reachedMs)
        ? null
        : { ms: reachedMs, timeline: d.reached?.timeline ?? null, lsn: d.reached?.lsn ?? null },
      totalSeconds: d.totalSeconds,
      backupTimeline: d.backup.timeline,
      backupStopLsn: d.backup.stopLsn,
    });
  }

  if (!times.hasTimes && lanes.length > 0)
    notes.push(
      'The archive listing gave no file times: segment positions are estimated between the backups’ recorded times.',
    );
  if (!report.listingComplete)
    notes.push(
      'The listing is incomplete: missing files prove nothing, and the picture may lack WAL that is archived.',
    );

  const lows: number[] = [];
  const highs: number[] = [];
  for (const l of lanes) {
    for (const r of l.runs) (lows.push(r.from), highs.push(r.to));
    for (const g of l.gaps) highs.push(g.kind === 'in-flight' ? g.from : g.to);
  }
  for (const b of backups) {
    if (b.start) lows.push(b.start.ms);
    if (b.stop) highs.push(b.stop.ms);
  }
  for (const p of restorePoints) (lows.push(p.at.ms), highs.push(p.at.ms));
  for (const d of drills) if (d.reached) (lows.push(d.reached.ms), highs.push(d.reached.ms));
  const from = lows.length ? Math.min(...lows) : inputs.now - 3_600_000;
  const to = highs.length ? Math.max(...highs) : inputs.now;

  return {
    version: 1,
    location: report.location,
    segmentSize: seg,
    now: inputs.now,
    extent: { from, to: Math.max(to, from) },
    lanes,
    backups,
    restorePoints,
    drills,
    problems: report.problems,
    notes,
    listingComplete: report.listingComplete,
    complete: report.complete,
  };
}

function hex8(n: number): string {
  return n.toString(16).toUpperCase().padStart(8, '0');
}

function name(tli: number, segno: number, segmentSize: number): string {
  const perId = 0x100000000 / segmentSize;
  return hex8(tli) + hex8(Math.floor(segno / perId)) + hex8(segno % perId);
}

/** The name after `wal` in name order (a restore point in the segment being written is still "in" the archive's range). */
function nextName(wal: string): string {
  return wal.slice(0, 16) + hex8(parseInt(wal.slice(16), 16) + 1);
}

/** The union of intervals, ascending and disjoint. */
export function union(pieces: ReadonlyArray<{ from: number; to: number }>): Array<{ from: number; to: number }> {
  const sorted = [...pieces].sort((a, b) => a.from - b.from);
  const out: Array<{ from: number; to: number }> = [];
  for (const p of sorted) {
    const last = out[out.length - 1];
    if (last && p.from <= last.to) last.to = Math.max(last.to, p.to);
    else out.push({ from: p.from, to: p.to });
  }
  return out;
}
