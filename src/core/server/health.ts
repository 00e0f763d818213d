// Judges one server's archiving from what was collected: ok / warning / failing, with reasons a DBA
// recognises. pg_stat_archiver alone is not enough: a command killed by a signal or exiting above
// 125 is not counted as a failure, so the `.ready` backlog and how far the last archived segment
// trails the current one are checked too. An idle server archives nothing for hours legitimately,
// so the age of the last success alone never raises an alarm.
import type { ArchiveReport } from '../archive/archiveAnalysis';
import { parseSegmentName, type SegmentName } from '../wal/segmentNames';
import type { ArchiverStats, Health, HealthReason, ServerStatus } from './types';

/** What a caller that checks a server repeatedly keeps from the previous check. */
export interface PreviousCheck {
  backlog: number | null;
  oldestReady?: string | null;
  checkedAt?: string;
  /** the archiver's counters then (for "archiving stalled") */
  archiver?: ArchiverStats | null;
  /** CheckResult.waitingSince then */
  waitingSince?: string | null;
}

export interface HealthOptions {
  /** the previous check of the same server (for "backlog growing" and "archiving stalled") */
  previous?: PreviousCheck | null;
  /** seconds WAL may wait while the archiver's counters stand still before archiving is "stalled" (default 120) */
  stallSeconds?: number;
  /** `.ready` files at which a backlog is reported even when it is not growing (default 16) */
  backlogWarning?: number;
  /** segments the last archived one may trail the current one by before it is "behind" (default 8) */
  behindWarning?: number;
  /** bytes an inactive slot may hold before it is reported (default: one segment) */
  slotRetainedWarning?: number;
}

const SEVERITY_ORDER: Record<HealthReason['severity'], number> = { failing: 3, unknown: 2, warning: 1, info: 0 };

export function overallHealth(reasons: HealthReason[]): Health {
  const worst = Math.max(-1, ...reasons.map((r) => SEVERITY_ORDER[r.severity]));
  return worst === 3 ? 'failing' : worst === 2 ? 'unknown' : worst === 1 ? 'warning' : 'ok';
}

/** failing first, then unknown, warning, info; stable otherwise */
export function sortReasons(reasons: HealthReason[]): HealthReason[] {
  return [...reasons].sort((a, b) => SEVERITY_ORDER[b.severity] - SEVERITY_ORDER[a.severity]);
}

function setting(status: ServerStatus, name: string): string | null {
  return status.settings[name]?.setting ?? null;
}

function timelineOf(name: string): number {
  return parseInt(name.slice(0, 8), 16);
}

function ago(fromIso: string, nowIso: string): string {
  const s = Math.max(0, Math.round((Date.parse(nowIso) - Date.parse(fromIso)) / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} days`;
}

function mb(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GB` : `${Math.round(bytes / 1024 ** 2)} MB`;
}

/** Barman's "continuous archiving" test: the last failure is not newer than the last success
 * (a failed .history file of an older or equal timeline does not count). */
export function archiverFailing(a: ServerStatus['archiver']): boolean {
  if (a.failedCount === 0 || a.lastFailedWal === null) return false;
  if (
    a.lastFailedWal.endsWith('.history') &&
    a.lastArchivedWal !== null &&
    timelineOf(a.lastFailedWal) <= timelineOf(a.lastArchivedWal)
  )
    return false;
  if (a.lastArchivedTime === null) return true;
  if (a.lastFailedTime === null) return false;
  return Date.parse(a.lastFailedTime) > Date.parse(a.lastArchivedTime);
}

/**
 * The segment through which pg_stat_archiver.last_archived_wal proves WAL archived. PostgreSQL
 * archives more than segments (seen on real servers): after a base backup the last name is often
 * `<start segment>.<offset>.backup`, after a promotion `<old timeline segment>.partial` or
 * `<new timeline>.history`. A `.partial` proves the segment before it; a `.backup` is named after
 * its start, not its stop, so only the archive's copy of it says where it ends; a `.history` names
 * no segment. null: unknown.
 */
export function archivedThrough(
  name: string | null,
  segSize: number,
  archive: ArchiveReport | null = null,
): SegmentName | null {
  if (!name) return null;
  const plain = parseSegmentName(name, segSize);
  if (plain) return plain;
  const partial = /^([0-9A-F]{24})\.partial$/.exec(name);
  if (partial) {
    const p = parseSegmentName(partial[1]!, segSize);
    return p && p.segno > 0n ? { timeline: p.timeline, segno: p.segno - 1n } : null;
  }
  if (/^[0-9A-F]{24}\.[0-9A-F]{8}\.backup$/.test(name) && archive) {
    const b = archive.backups.find(
      (x) => x.source === 'backup-history' && (x.key === name || x.key.endsWith(`/${name}`)) && x.stopWal,
    );
    return b ? parseSegmentName(b.stopWal!, segSize) : null;
  }
  return null;
}

/** Segments from the last archived one to the one being written (1: nothing complete waits); null when unknown. */
function archiveTrail(status: ServerStatus, archive: ArchiveReport | null): bigint | null {
  const current = status.wal.currentWal ? parseSegmentName(status.wal.currentWal, status.wal.segmentSize) : null;
  const through = archivedThrough(status.archiver.lastArchivedWal, status.wal.segmentSize, archive);
  return through && current && through.timeline <= current.timeline ? current.segno - through.segno : null;
}

/** What waits for the archiver, in words; null when nothing does (the .ready count when known, else a complete segment behind the primary's current one). */
function walWaiting(status: ServerStatus, archive: ArchiveReport | null): string | null {
  if (status.backlog !== null) {
    if (status.backlog === 0) return null;
    const oldest = status.oldestReady ? `, oldest ${status.oldestReady}` : '';
    return `${status.backlog} .ready file${status.backlog === 1 ? '' : 's'}${oldest}`;
  }
  if (status.inRecovery) return null;
  const trail = archiveTrail(status, archive);
  if (trail === null || trail <= 1n) return null;
  return `the server writes ${status.wal.currentWal}, last archived ${status.archiver.lastArchivedWal}`;
}

/**
 * Since when WAL has waited for an archiver whose counters (archived, failed, last archived name)
 * have not moved, from the previous check's answer; the collection time when that is new, null
 * when nothing waits. Stored in CheckResult.waitingSince for the next check.
 */
export function walWaitingSince(
  status: ServerStatus,
  archive: ArchiveReport | null,
  previous: PreviousCheck | null | undefined,
): string | null {
  if (walWaiting(status, archive) === null) return null;
  const a = status.archiver;
  const p = previous?.archiver;
  const still =
    p &&
    p.archivedCount === a.archivedCount &&
    p.failedCount === a.failedCount &&
    p.lastArchivedWal === a.lastArchivedWal;
  return still && previous?.waitingSince ? previous.waitingSince : status.collectedAt;
}

/**
 * "Archiving stalled": WAL has waited for stallSeconds while the archiver neither archived nor
 * counted a failure. PostgreSQL counts no failure for a command killed by a signal or exiting
 * above 125 (not found: 127): the archiver process exits and is restarted, again and again. It
 * takes two looks (the previous check's counters): one look cannot tell a stall from a segment
 * completed a moment ago.
 */
function archivingStalled(status: ServerStatus, archive: ArchiveReport | null, opts: HealthOptions): string | null {
  const waiting = walWaiting(status, archive);
  const since = walWaitingSince(status, archive, opts.previous);
  if (waiting === null || since === null) return null;
  const waited = (Date.parse(status.collectedAt) - Date.parse(since)) / 1000;
  if (!(waited >= (opts.stallSeconds ?? 120))) return null;
  return (
    `archiving has made no progress for ${ago(since, status.collectedAt)} although WAL waits (${waiting}) and no failure was counted: ` +
    'an archive_command that is not found or killed by a signal (exit code above 125) is not counted in failed_count; the server log has its error'
  );
}

export function evaluateHealth(
  status: ServerStatus,
  archive: ArchiveReport | null,
  opts: HealthOptions = {},
): HealthReason[] {
  const reasons: HealthReason[] = [];
  const add = (id: string, severity: HealthReason['severity'], message: string) =>
    reasons.push({ id, severity, message });
  const now = status.collectedAt;
  const archiveMode = setting(status, 'archive_mode');
  const archiveCommand = setting(status, 'archive_command') ?? '';
  const archiveLibrary = setting(status, 'archive_library') ?? '';
  const walLevel = setting(status, 'wal_level');
  const archiveTimeout = Number(setting(status, 'archive_timeout') ?? '0');
  const segSize = status.wal.segmentSize;
  const standby = status.inRecovery;
  // a standby archives only with archive_mode=always; otherwise the primary's archive is what counts
  const archivesHere = archiveMode === 'always' || (archiveMode === 'on' && !standby);

  if (walLevel === 'minimal')
    add(
      'wal-level-too-low',
      'failing',
      'wal_level is minimal: WAL cannot rebuild a base backup, point-in-time recovery is impossible (set wal_level = replica)',
    );
  if (archiveMode === 'off' && standby)
    add(
      'standby-not-archiving',
      'info',
      'standby with archive_mode = off: it archives nothing, and would not archive once promoted (the ' +
        'primary archives; set archive_mode = on so a promoted standby does)',
    );
  else if (archiveMode === 'off')
    add('archiving-off', 'failing', 'archive_mode is off: no WAL is archived, point-in-time recovery is impossible');
  else if (archiveMode === 'on' && standby)
    add(
      'standby-not-archiving',
      'info',
      'standby with archive_mode = on: it archives nothing until promoted (the primary archives; use always to archive here too)',
    );
  if (archivesHere && archiveCommand.trim() === '' && archiveLibrary.trim() === '') {
    add(
      'archive-command-empty',
      'failing',
      'archive_mode is on but archive_command is empty: WAL accumulates in pg_wal and nothing reaches the archive',
    );
  }

  const a = status.archiver;
  if (archivesHere && archiverFailing(a)) {
    const since = a.lastArchivedTime
      ? `; last success ${a.lastArchivedWal} at ${a.lastArchivedTime}`
      : '; nothing archived successfully since the statistics were reset';
    add(
      'archiving-failing',
      'failing',
      `archive_command is failing: ${a.lastFailedWal} failed at ${a.lastFailedTime} (${ago(a.lastFailedTime!, now)} ago, ${a.failedCount} failures counted${since})`,
    );
  }

  const stalled =
    archivesHere && !reasons.some((r) => r.id === 'archiving-failing') ? archivingStalled(status, archive, opts) : null;
  if (stalled) add('archiving-stalled', 'failing', stalled);

  // how far archiving trails the WAL being written (primary only: a standby's own counters say little)
  if (archivesHere && !standby && status.wal.currentWal) {
    const behindLimit = opts.behindWarning ?? 8;
    const current = status.wal.currentWal;
    const through = archivedThrough(a.lastArchivedWal, segSize, archive);
    const lastOk = through ? a.lastArchivedWal : null;
    const now_ = parseSegmentName(current, segSize);
    // segment numbers run on across a timeline switch (the new timeline starts in the segment the
    // old one ended in), so a promoted server's trail is measured from the old timeline's last name;
    // a higher timeline than the server's is another cluster (archive-newer-timeline says so).
    // The segment being written is never archived yet: a trail of 1 is an idle, healthy server.
    const trail = through && now_ && through.timeline <= now_.timeline ? now_.segno - through.segno : null;
    if (trail !== null && trail > BigInt(behindLimit) && !reasons.some((r) => r.id === 'archiving-failing')) {
      add(
        'archiving-behind',
        'warning',
        `archiving is ${trail - 1n} segments behind: last archived ${lastOk}, the server is writing ${current} ` +
          `(a command killed by a signal or not found is not counted in failed_count)`,
      );
    }
    if (
      trail !== null &&
      trail > 1n &&
      archiveTimeout > 0 &&
      a.lastArchivedTime &&
      Date.parse(now) - Date.parse(a.lastArchivedTime) > 2 * archiveTimeout * 1000 + 60_000
    ) {
      add(
        'archive-stale',
        'warning',
        `nothing archived for ${ago(a.lastArchivedTime, now)} although WAL was written and archive_timeout is ${archiveTimeout} s (last archived ${lastOk} at ${a.lastArchivedTime})`,
      );
    }
    if (
      a.archivedCount === 0 &&
      a.failedCount === 0 &&
      !lastOk &&
      status.wal.currentWal &&
      status.backlog !== null &&
      status.backlog > 1
    ) {
      add(
        'nothing-archived',
        'warning',
        `nothing has been archived since the statistics were reset, and ${status.backlog} segments wait in pg_wal/archive_status`,
      );
    }
  }

  if (status.backlog !== null && archivesHere) {
    const prev = opts.previous?.backlog ?? null;
    const limit = opts.backlogWarning ?? 16;
    const oldest = status.oldestReady ? `, oldest ${status.oldestReady}` : '';
    // a busy, healthy server's backlog rises and falls between two looks; it is stuck when the
    // oldest waiting file is still the same one (when both checks could name it)
    const prevOldest = opts.previous?.oldestReady ?? null;
    const archiverMoved = prevOldest !== null && status.oldestReady !== null && prevOldest !== status.oldestReady;
    if (prev !== null && status.backlog > prev && status.backlog > 1 && !archiverMoved)
      add(
        'backlog-growing',
        'warning',
        `archive backlog growing: ${status.backlog} segments waiting (was ${prev})${oldest}`,
      );
    else if (status.backlog >= limit)
      add('backlog-large', 'warning', `${status.backlog} segments wait to be archived${oldest}`);
  }

  for (const s of status.slots) {
    if (s.walStatus === 'lost')
      add(
        'slot-lost',
        'warning',
        `replication slot ${s.name} has lost required WAL (wal_status lost): its consumer cannot resume`,
      );
    else if (!s.active && s.retainedBytes !== null && s.retainedBytes > (opts.slotRetainedWarning ?? segSize)) {
      add(
        'inactive-slot',
        'warning',
        `inactive replication slot ${s.name} holds ${mb(s.retainedBytes)} of WAL in pg_wal (drop it if ` +
          `its consumer is gone: SELECT pg_drop_replication_slot('${s.name}'))`,
      );
    }
  }

  if (archive) {
    if (!archive.listingComplete)
      add(
        'archive-unreadable',
        'warning',
        `the archive at ${archive.location} could not be listed completely: ${archive.problems[0] ?? 'listing stopped early'}`,
      );
    else {
      const noBackup = archive.backups.length === 0;
      if (noBackup)
        add(
          'no-base-backup',
          'warning',
          `no base backup in the archive at ${archive.location}: archived WAL alone cannot be recovered (run pg_basebackup)`,
        );
      for (const p of archive.problems) {
        if (noBackup && p.startsWith('no base backup found')) continue;
        if (/^the archive holds no WAL segment/.test(p))
          add(
            'archive-empty',
            archivesHere ? 'warning' : 'info',
            `the archive at ${archive.location} holds no WAL segment`,
          );
        else add('archive-gap', 'failing', p);
      }
      const foreign = archive.anomalies.find((x) => x.kind === 'foreign-timeline');
      if (foreign) add('archive-newer-timeline', 'failing', foreign.message);
    }
  }
  return sortReasons(reasons);
}
