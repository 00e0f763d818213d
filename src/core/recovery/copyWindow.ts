// The range a restored copy can recover to, from the archive inspector's report: the copy's
// backup_label names the base backup it came from (START WAL LOCATION ... (file X)); that
// backup's window runs from its end to the end of the last archived segment before a gap.
import type { ArchiveReport } from '../archive/archiveAnalysis';
import { formatLsn } from '../wal/lsn';
import { lsnOfSegmentStart, parseSegmentName } from '../wal/segmentNames';
import type { RecoveryRequest } from './types';

/** The WAL file of `START WAL LOCATION: 0/2000028 (file 000000010000000000000002)`. */
export function backupLabelStartWal(backupLabel: string): string | null {
  return /^START WAL LOCATION: \S+ \(file ([0-9A-F]{24})\)\r?$/m.exec(backupLabel)?.[1] ?? null;
}

export function copyWindow(
  report: ArchiveReport,
  backupLabel: string | null | { unreadable: string },
  dataDir: string,
): { window: RecoveryRequest['window']; note: string | null } {
  if (!report.listingComplete)
    return {
      window: null,
      note: `the archive ${report.location} could not be listed completely (${report.problems[0] ?? 'stopped early'}): the reachable range is not checked`,
    };
  const unknown = 'pg-pitr cannot tell which base backup the copy is, so the reachable range is not checked';
  if (backupLabel === null) return { window: null, note: `no backup_label in ${dataDir}: ${unknown}` };
  if (typeof backupLabel !== 'string')
    return {
      window: null,
      note: `the backup_label in ${dataDir} cannot be read (${backupLabel.unreadable}): ${unknown}`,
    };
  const startWal = backupLabelStartWal(backupLabel);
  if (startWal === null)
    return { window: null, note: `the backup_label in ${dataDir} has no START WAL LOCATION line: ${unknown}` };
  const w = report.windows.find((x) => x.backup === startWal);
  if (!w)
    return {
      window: null,
      note:
        `the archive ${report.location} knows no base backup starting at ${startWal} (the copy's ` +
        `backup_label) or no WAL after it: the reachable range is not checked`,
    };
  // everything up to the end of the last archived segment can be replayed
  return {
    window: { from: w.from, to: { lsn: endLsnOfSegment(w.to.wal, report.segmentSize), time: null } },
    note: null,
  };
}

/** The LSN just past the last byte of segment `wal` (the start of the next one). */
export function endLsnOfSegment(wal: string, segmentSize: number): string | null {
  const s = parseSegmentName(wal, segmentSize);
  return s ? formatLsn(lsnOfSegmentStart(s.segno + 1n, segmentSize)) : null;
}
