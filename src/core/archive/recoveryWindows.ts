// Step 5 of the archive analysis: the window each base backup can recover to, from its end along
// its timeline path (through the .history files) to the first segment missing.
import { formatSegmentName, segmentOfLsn } from '../wal/segmentNames';
import type { TimelineHistory } from '../wal/timelineHistory';
import type { Anomaly, RecoveryWindow } from './archiveAnalysis';
import type { BackupInfo } from './backupCatalog';
import { parseName, type Runs } from './timelineRuns';

/** The last segment of the run that contains `from`, capped at `limit`; from-1 when `from` is missing. */
export function lastContiguous(runs: Runs, from: number, limit: number): number {
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

export function windowOf(
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

/** The windows of the usable backups; a backup-unusable anomaly for each other one. */
export function recoveryWindows(
  backups: BackupInfo[],
  segnosOf: Map<number, Runs>,
  historyOf: Map<number, TimelineHistory>,
  maxTli: number,
  segSize: number,
  perId: number,
): { windows: RecoveryWindow[]; anomalies: Anomaly[] } {
  const anomalies: Anomaly[] = [];
  const windows: RecoveryWindow[] = [];
  for (const b of backups) {
    const w = windowOf(b, segnosOf, historyOf, maxTli, segSize, perId, anomalies);
    if (w) windows.push(w);
  }
  return { windows, anomalies };
}
