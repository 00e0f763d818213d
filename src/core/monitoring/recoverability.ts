// What the archive can recover *now*, read from a check's archive summary: the windows that reach
// the archive's newest WAL without a lost gap (gap-aware, across timelines), how far back the
// oldest of them starts, and which base backups have an intact WAL path to the present. The
// objectives and the metrics read these numbers; nothing here touches a server or the archive.
import type { ArchiveSummary } from '../server/types';

/** The recoverable window ending on one timeline. */
export interface CurrentWindow {
  /** the timeline the window ends on */
  timeline: number;
  /** ISO time of the oldest backup end from which WAL runs unbroken to the archive's end; null when the backups carry no end time */
  start: string | null;
  /** start WAL names of the backups recovering to the end */
  backups: string[];
}

export interface Recoverability {
  /** windows reaching the archive's newest segment (normally one: the newest timeline) */
  windows: CurrentWindow[];
  /** the oldest start among them: as far back as the archive can recover to the present */
  oldestStart: string | null;
  /** base backups whose WAL path to the archive's end is intact */
  intactBackups: number;
  /** end time of the newest base backup with an intact WAL path (ISO), null when none */
  newestIntactBackupEnd: string | null;
  /** end time of the newest base backup in the archive, usable or not */
  newestBackupEnd: string | null;
  /** lost segments per timeline (gaps of class "lost") */
  lostSegments: Map<number, number>;
}

function segOf(name: string): { timeline: number; rest: string } {
  return { timeline: parseInt(name.slice(0, 8), 16), rest: name.slice(8) };
}

/** true when no lost gap lies after `wal` on its timeline and that timeline is the archive's newest. */
function reachesEnd(archive: ArchiveSummary, wal: string): boolean {
  if (!archive.latest) return false;
  const { timeline, rest } = segOf(wal);
  if (timeline !== segOf(archive.latest).timeline) return false;
  const t = archive.timelines.find((x) => x.timeline === timeline);
  if (!t) return false;
  if (wal === t.last) return true;
  // the window stopped at a gap: only in-flight or acknowledged gaps may lie between it and the end
  return !t.gaps.some((g) => g.class === 'lost' && g.to.slice(8) >= rest);
}

function isoMax(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

/** The archive's recoverability from its summary (null fields when the archive was not read). */
export function recoverability(archive: ArchiveSummary | null): Recoverability | null {
  if (!archive || archive.error !== null) return null;
  const byTimeline = new Map<number, CurrentWindow>();
  let intact = 0;
  let newestIntact: string | null = null;
  for (const w of archive.windows) {
    if (!reachesEnd(archive, w.to.wal)) continue;
    intact++;
    newestIntact = isoMax(newestIntact, w.from.time);
    const tli = segOf(w.to.wal).timeline;
    const cw = byTimeline.get(tli) ?? { timeline: tli, start: null, backups: [] };
    cw.backups.push(w.backup);
    if (w.from.time && (cw.start === null || Date.parse(w.from.time) < Date.parse(cw.start))) cw.start = w.from.time;
    byTimeline.set(tli, cw);
  }
  const windows = [...byTimeline.values()].sort((a, b) => a.timeline - b.timeline);
  const starts = windows.map((w) => w.start).filter((s): s is string => s !== null);
  const oldestStart = starts.length ? starts.reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a)) : null;
  let newestBackupEnd: string | null = null;
  for (const b of archive.backups) newestBackupEnd = isoMax(newestBackupEnd, b.stopTime);
  const lostSegments = new Map<number, number>();
  for (const t of archive.timelines)
    lostSegments.set(
      t.timeline,
      t.gaps.filter((g) => g.class === 'lost').reduce((n, g) => n + g.missing, 0),
    );
  return {
    windows,
    oldestStart,
    intactBackups: intact,
    newestIntactBackupEnd: newestIntact,
    newestBackupEnd,
    lostSegments,
  };
}
