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
import { IN_SUBFOLDER } from './timelineRuns';

/** At most this many problems of one file are quoted; the rest are counted. */
const QUOTED_PROBLEMS = 3;

/** The problems of one file for an anomaly: the first few, then how many more. */
export function summariseProblems(errors: string[]): string {
  const shown = errors.slice(0, QUOTED_PROBLEMS).join('; ');
  return errors.length > QUOTED_PROBLEMS ? `${shown}; and ${errors.length - QUOTED_PROBLEMS} more problems` : shown;
}

/** A small file's text, or why it was not read (a link out of the archive, not a regular file, an I/O error). */
async function readSmallFile(
  source: ArchiveSource,
  key: string,
  maxBytes: number,
): Promise<{ text?: string; why: string }> {
  try {
    const text = await source.readText(key, maxBytes);
    return text === undefined ? { why: 'it disappeared while the archive was read' } : { text, why: '' };
  } catch (e) {
    return { why: (e as Error).message };
  }
}

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
    if (layout === 'flat' && h.key.includes('/')) {
      anomalies.push({ name: h.key, kind: 'segment-in-subfolder', message: IN_SUBFOLDER });
      continue;
    }
    const { text, why } = await readSmallFile(source, h.key, 1024 * 1024);
    if (text === undefined) {
      anomalies.push({ name: h.key, kind: 'history-unreadable', message: why });
      continue;
    }
    if (/\.(gz|bz2|xz|zst|lz4|br)$/.test(h.key)) continue;
    const parsed = parseTimelineHistory(text, h.timeline);
    if (parsed.errors.length)
      anomalies.push({ name: h.key, kind: 'history-invalid', message: summariseProblems(parsed.errors) });
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
    const { text, why } = await readSmallFile(source, key, 64 * 1024);
    if (text === undefined) {
      anomalies.push({ name: key, kind: 'backup-history-unreadable', message: why });
      continue;
    }
    const h = parseBackupHistory(text);
    if (h.errors.length)
      anomalies.push({ name: key, kind: 'backup-history-invalid', message: summariseProblems(h.errors) });
    if (h.startWal && h.stopWal) backups.push(fromBackupHistory(key, h));
  }
  for (const key of metadata) {
    const kind = backupMetadataKind(layout, key);
    if (!kind) continue;
    const { text, why } = await readSmallFile(source, key, 4 * 1024 * 1024);
    if (text === undefined) {
      anomalies.push({ name: key, kind: 'backup-metadata-unreadable', message: why });
      continue;
    }
    const r =
      kind === 'pgbackrest-info'
        ? parsePgBackRestInfo(key, text)
        : kind === 'walg-sentinel'
          ? parseWalgSentinel(key, text)
          : parseBarmanInfo(key, text);
    if (r.errors.length > 0)
      anomalies.push({ name: key, kind: 'backup-metadata-invalid', message: summariseProblems(r.errors) });
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
