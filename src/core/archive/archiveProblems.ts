// Step 6 of the archive analysis: what keeps the newest base backup from recovering to the newest
// segment, in plain words (empty when it can).
import { formatSegmentName } from '../wal/segmentNames';
import type { RecoveryWindow, TimelineReport } from './archiveAnalysis';
import type { BackupInfo } from './backupCatalog';
import { parseName } from './timelineRuns';

/** The problems of the archive, given its timelines, backups and windows. */
export function archiveProblems(
  reports: TimelineReport[],
  backups: BackupInfo[],
  windows: RecoveryWindow[],
  latest: string | null,
  segSize: number,
  perId: number,
): string[] {
  const problems: string[] = [];
  const newest = backups
    .filter((b) => b.startWal)
    .sort((a, b) => (a.stopTime ?? a.startWal ?? '').localeCompare(b.stopTime ?? b.startWal ?? ''))
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
  return problems;
}
