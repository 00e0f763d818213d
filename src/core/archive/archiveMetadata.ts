// Step 3 of the archive analysis: the small files read for their content, timeline histories and
// base backup metadata (PostgreSQL's backup history files, pgBackRest, WAL-G, Barman).
import { parseBackupHistory } from '../wal/backupHistory';
import { parseLsn } from '../wal/lsn';
import { formatSegmentName, segmentOfLsn } from '../wal/segmentNames';
import { parseTimelineHistory, type TimelineHistory } from '../wal/timelineHistory';
import type { Anomaly } from './archiveAnalysis';
import { backupMetadataKind, isWalKey, type Layout } from './archiveLayout';
import type { ArchiveSource } from './archiveSource';
import {
  type BackupInfo,
  fromBackupHistory,
  parseBarmanInfo,
  parsePgBackRestInfo,
  parseWalgSentinel,
} from './backupCatalog';

/** The readable, valid timeline histories by timeline; anomalies for the others. */
export async function readHistories(
  source: ArchiveSource,
  histories: Array<{ key: string; timeline: number }>,
  layout: Layout,
): Promise<{ historyOf: Map<number, TimelineHistory>; anomalies: Anomaly[] }> {
  const anomalies: Anomaly[] = [];
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
  return { historyOf, anomalies };
}

/** The base backups the archive describes, sorted by start segment, with WAL names filled in from LSNs. */
export async function readBackups(
  source: ArchiveSource,
  backupHistories: string[],
  metadata: string[],
  layout: Layout,
  segSize: number,
): Promise<{ backups: BackupInfo[]; anomalies: Anomaly[] }> {
  const anomalies: Anomaly[] = [];
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

  return { backups, anomalies };
}
