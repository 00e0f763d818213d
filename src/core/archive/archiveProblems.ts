// Step 6 of the archive analysis: what keeps the newest base backup from recovering to the newest
// segment, in plain words (empty when it can).
import { formatSegmentName } from '../wal/segmentNames';
import type { RecoveryWindow, TimelineReport } from './archiveAnalysis';
import type { BackupInfo } from './backupCatalog';
import { parseName } from './timelineRuns';

/**
 * The problems of the archive, given its timelines, backups and windows. None from a listing that
 * stopped half-way: what it did not list proves nothing missing (the caller says it is incomplete).
 */
export function archiveProblems(
  reports: TimelineReport[],
  backups: BackupInfo[],
  windows: RecoveryWindow[],
  latest: string | null,
  segSize: number,
  perId: number,
  listingComplete = true,
): string[] {
  const problems: string[] = [];
  if (!listingComplete) return problems;
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
          `the newest base backup (${newest.label}) recovers only to ${w.to.wal}, not to the newest segment ${latest}: ${gap.missing} ` +
            `segment(s) missing from ${gap.from} to ${gap.to}`,
        );
      else if (gap.class === 'wrong-size')
        problems.push(
          `the newest base backup (${newest.label}) recovers only to ${w.to.wal}, not to the newest segment ${latest}: ${gap.missing} ` +
            `segment(s) of the wrong size from ${gap.from} to ${gap.to} (recovery stops there: "archive file has wrong size")`,
        );
    }
  }
  return problems;
}
