// What the archive says about a planned recovery, when the server the backup came from is known:
// which base backup the restored copy is (the START WAL LOCATION of its backup_label), the range it
// can recover to (from that backup's end to the last archived segment before a gap, as the archive
// inspector computes it), and whether another base backup suits the target better (the newest that
// ends before it, as pgBackRest and Barman choose). A named restore point recorded by pg-pitr is
// placed by its LSN. The range goes into the plan, which refuses a target outside it.

import { readBackupLabel } from '../../core/recovery/backupLabelFile';
import { backupLabelStartWal as labelStartWal, copyWindow, endLsnOfSegment } from '../../core/recovery/copyWindow';
import type { RecoveryRequest } from '../../core/recovery/types';
import { parseLsn } from '../../core/wal/lsn';
import type { Backend } from '../backendLoader';

export interface ArchiveFacts {
  window: RecoveryRequest['window'];
  /** for the user, shown with the plan's warnings */
  notes: string[];
  /** the target cannot be reached from this copy (why) */
  refusal: string | null;
}

export interface RecordedPoint {
  name: string;
  lsn: string;
  time: string;
}

/** The WAL file of `START WAL LOCATION: 0/2000028 (file 000000010000000000000002)` in the copy's backup_label. */
export function backupLabelStartWal(dataDir: string): string | null {
  const label = readBackupLabel(dataDir);
  return typeof label === 'string' ? labelStartWal(label) : null;
}

export { endLsnOfSegment };

export async function readArchiveFacts(
  backend: Backend,
  where: { location: string; endpoint?: string },
  request: RecoveryRequest,
  restorePoints: RecordedPoint[],
  signal: AbortSignal,
): Promise<ArchiveFacts> {
  const notes: string[] = [];
  const source = backend.openArchiveSource(where.location, { endpoint: where.endpoint });
  let report: Awaited<ReturnType<Backend['analyseArchive']>>;
  try {
    report = await backend.analyseArchive(source, { signal });
  } finally {
    await source.close?.();
  }
  if (!report.listingComplete) {
    return {
      window: null,
      refusal: null,
      notes: [
        `the archive ${where.location} could not be listed completely (${report.problems[0] ?? 'stopped early'}): the reachable range is not checked`,
      ],
    };
  }
  const label = readBackupLabel(request.dataDir);
  const startWal = typeof label === 'string' ? labelStartWal(label) : null;
  // the range from this copy's base backup to the last archived segment before a gap
  const { window, note } = copyWindow(report, label, request.dataDir);
  if (note) notes.push(note);

  const t = request.target;
  const recorded = t.kind === 'name' ? restorePoints.filter((p) => p.name === t.name).pop() : undefined;
  let refusal: string | null = null;
  // a named point the server cannot place before replaying: pg-pitr knows its LSN
  if (recorded && window) {
    const at = parseLsn(recorded.lsn);
    const from = window.from.lsn ? parseLsn(window.from.lsn) : null;
    const to = window.to.lsn ? parseLsn(window.to.lsn) : null;
    const range = `the reachable range is ${window.from.lsn ?? '?'} to ${window.to.lsn ?? '?'}`;
    if (at !== null && from !== null && at < from)
      refusal =
        `restore point "${t.kind === 'name' ? t.name : ''}" (${recorded.lsn}) is before the end ` +
        `of this copy's base backup (${window.from.lsn}): ${range}`;
    else if (at !== null && to !== null && at > to)
      refusal = `restore point "${t.kind === 'name' ? t.name : ''}" (${recorded.lsn}) is beyond the last archived WAL (${window.to.lsn}): ${range}`;
  }
  if (t.kind === 'time' || t.kind === 'lsn' || t.kind === 'name') {
    const choice = backend.chooseBaseBackup(report.backups, t, { restorePoints });
    if ('backup' in choice && startWal && choice.backup.startWal !== startWal) {
      notes.push(
        `the newest base backup that ends before the target is ${choice.backup.label} (from ${choice.backup.startWal}); ` +
          `this copy was restored from the backup starting at ${startWal}: recovering from the newer one replays less WAL`,
      );
    }
  }
  return { window, notes, refusal };
}
