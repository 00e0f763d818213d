// Which WAL a base backup can replay to, for each timeline it can recover onto (the lane's
// recovery_target_timeline): from its start, along the lane's history (the parent timelines up to
// their switch points, as the history file lists them), to the first missing segment. This is the
// analysis' window (archiveAnalysis.ts windowOf), asked once per lane instead of only for the
// newest timeline: a promoted copy archiving into the same place must not hide the recoverable
// moments of the timeline production stayed on.

/** Contiguous archived segment numbers [starts[i], ends[i]], ascending. */
export interface SegmentRuns {
  starts: number[];
  ends: number[];
}

/** One timeline's place in history: its parent and the first segment number that belongs to it. */
export interface TimelineLink {
  parent: number | null;
  /** the segment holding the switch point (segmentOfLsn(switchLsn)); the parent is replayed up to the one before */
  switchSegno: number | null;
}

/** The last segment of the run that contains `from`, capped at `limit`; from-1 when `from` is missing. */
export function lastContiguous(runs: SegmentRuns, from: number, limit: number): number {
  let lo = 0;
  let hi = runs.starts.length - 1;
  if (hi < 0) return from - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (runs.starts[mid]! <= from) lo = mid;
    else hi = mid - 1;
  }
  if (runs.starts[lo]! > from || runs.ends[lo]! < from) return from - 1;
  return Math.min(runs.ends[lo]!, limit);
}

/** The timelines replayed to reach `lane`, oldest first, each with the last segment number taken from it. */
export function historyPath(
  lane: number,
  links: ReadonlyMap<number, TimelineLink>,
): Array<{ tli: number; until: number }> {
  const path: Array<{ tli: number; until: number }> = [{ tli: lane, until: Number.MAX_SAFE_INTEGER }];
  const seen = new Set([lane]);
  let t = lane;
  for (;;) {
    const link = links.get(t);
    if (!link || link.parent === null || link.switchSegno === null || seen.has(link.parent)) break;
    path.unshift({ tli: link.parent, until: link.switchSegno - 1 });
    seen.add(link.parent);
    t = link.parent;
  }
  return path;
}

export type Reach =
  /** the backup does not lead to this lane (another branch, or it started after the lane left its timeline) */
  | { kind: 'off-path' }
  /** WAL between the backup's start and end is missing: it never becomes consistent */
  | { kind: 'unusable'; missingFrom: number; onTimeline: number }
  /** its WAL ends (at a gap) on an earlier timeline of the lane's history, before the lane begins */
  | { kind: 'short'; lastSegno: number; onTimeline: number }
  /** recoverable on this lane from the backup's end (or the lane's start) to `lastSegno` */
  | { kind: 'reach'; lastSegno: number; firstOnLane: number };

/** Follows a backup (start and stop segment on `timeline`) along the lane's history path (historyPath(lane)). */
export function reachOnLane(
  backup: { timeline: number; startSegno: number; stopSegno: number },
  lane: number,
  path: ReadonlyArray<{ tli: number; until: number }>,
  runsOf: (tli: number) => SegmentRuns | undefined,
): Reach {
  const first = path.findIndex((p) => p.tli === backup.timeline);
  if (first < 0 || backup.stopSegno > path[first]!.until) return { kind: 'off-path' };
  let pos = backup.startSegno;
  let lastSeg = -1;
  let lastTli = backup.timeline;
  let firstOnLane = -1;
  for (let k = first; k < path.length; k++) {
    const step = path[k]!;
    const runs = runsOf(step.tli);
    const last = runs ? lastContiguous(runs, pos, step.until) : pos - 1;
    if (last < pos) break;
    if (step.tli === lane) firstOnLane = pos;
    lastSeg = last;
    lastTli = step.tli;
    if (last < step.until) break;
    pos = step.until + 1;
  }
  if (lastTli === backup.timeline && lastSeg < backup.stopSegno)
    return { kind: 'unusable', missingFrom: lastSeg + 1, onTimeline: backup.timeline };
  if (lastTli !== lane) return { kind: 'short', lastSegno: lastSeg, onTimeline: lastTli };
  return { kind: 'reach', lastSegno: lastSeg, firstOnLane };
}
