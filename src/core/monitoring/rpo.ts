// The recovery point objective as it stands: how much WAL the server has written that the archive
// does not hold yet (bytes), for how long (seconds), and the most it can grow to while archiving
// works (archive_timeout; unbounded without one). An idle server is 0, not "hours since the last
// archive"; a standby counts only when it archives itself (archive_mode = always).
import type { ArchiveReport } from '../archive/archiveAnalysis';
import { archivedThrough, archiverFailing } from '../server/health';
import type { ServerStatus } from '../server/types';
import { parseLsn } from '../wal/lsn';
import { lsnOfSegmentStart } from '../wal/segmentNames';

/** `check --format json`'s `rpo`. */
export interface Rpo {
  /** seconds the oldest unarchived WAL has waited; 0 when nothing (or only idle housekeeping) waits; null when unknown or not applicable */
  seconds: number | null;
  /** bytes from the end of the last archived segment to the current position; null when unknown or not applicable */
  bytes: number | null;
  /** the most `seconds` can reach while archiving works: archive_timeout, or "unbounded" when it is 0 and WAL is waiting */
  worstCaseSeconds: number | 'unbounded' | null;
  /** the WAL waiting holds only PostgreSQL's housekeeping records (see rpoOf) */
  idle: boolean;
  /** false on a server that archives nothing itself (a standby with archive_mode = on, archive_mode = off) */
  applicable: boolean;
  /** why a figure is null or not applicable */
  note: string | null;
}

/** Slack beyond archive_timeout before waiting WAL is taken for housekeeping (the checkpointer's and archiver's own delays). */
export const IDLE_SLACK_SECONDS = 60;

function notApplicable(why: string, worst: Rpo['worstCaseSeconds'] = null): Rpo {
  return { seconds: null, bytes: null, worstCaseSeconds: worst, idle: false, applicable: false, note: why };
}

function measured(
  seconds: number | null,
  bytes: number | null,
  worstCaseSeconds: Rpo['worstCaseSeconds'],
  idle = false,
  note: string | null = null,
): Rpo {
  return { seconds, bytes, worstCaseSeconds, idle, applicable: true, note };
}

/**
 * The RPO of `status`. Position: pg_current_wal_lsn() on a primary, the received (else replayed)
 * position on a standby that archives. Archived: the end of the segment pg_stat_archiver names
 * (a .partial or .backup name through health's archivedThrough).
 *
 * Seconds: PostgreSQL does not say when a WAL byte was written, so the age is bounded by the last
 * archived segment's time (the next segment began no earlier). An idle primary still writes a few
 * hundred bytes of housekeeping (a running-transactions record after activity, an idle checkpoint,
 * seen on 10-18) that no archive_timeout switch ever ships, because PostgreSQL marks them
 * unimportant. So with archive_timeout > 0, WAL that has waited longer than archive_timeout (plus
 * slack) inside one segment while the archiver is not failing is that housekeeping: idle, 0 s.
 * With archive_timeout = 0 the same residue cannot be told from a commit in one look: the age
 * counts, and worstCaseSeconds says unbounded.
 */
export function rpoOf(
  status: ServerStatus,
  archive: ArchiveReport | null = null,
  opts: { idleSlackSeconds?: number } = {},
): Rpo {
  const mode = status.settings.archive_mode?.setting ?? null;
  const timeout = Number(status.settings.archive_timeout?.setting ?? '0') || 0;
  if (mode === 'off') return notApplicable('archive_mode is off: nothing is archived', 'unbounded');
  if (status.inRecovery && mode !== 'always') {
    return notApplicable(
      'standby with archive_mode = on: it archives nothing (the primary’s RPO is what counts; archive_mode = always archives here too)',
    );
  }
  const posText = status.inRecovery ? (status.wal.receiveLsn ?? status.wal.replayLsn) : status.wal.currentLsn;
  const pos = posText ? parseLsn(posText) : null;
  const segSize = status.wal.segmentSize;
  const through = archivedThrough(status.archiver.lastArchivedWal, segSize, archive);
  const worst = (bytes: number | null): Rpo['worstCaseSeconds'] =>
    timeout > 0 ? timeout : bytes === 0 ? 0 : 'unbounded';
  if (pos === null || through === null || (status.wal.timeline !== null && through.timeline > status.wal.timeline)) {
    const why =
      pos === null
        ? 'the current WAL position is unknown'
        : status.archiver.lastArchivedWal === null
          ? 'nothing archived since the statistics were reset'
          : `the last archived name ${status.archiver.lastArchivedWal} names no segment of this server's timeline`;
    return measured(null, null, worst(null), false, why);
  }
  const archivedEnd = lsnOfSegmentStart(through.segno + 1n, segSize);
  const bytes = pos > archivedEnd ? Number(pos - archivedEnd) : 0;
  if (bytes === 0) return measured(0, 0, worst(0));
  const last = status.archiver.lastArchivedTime;
  const age = last ? Math.max(0, (Date.parse(status.collectedAt) - Date.parse(last)) / 1000) : null;
  const housekeeping =
    timeout > 0 &&
    age !== null &&
    age > timeout + (opts.idleSlackSeconds ?? IDLE_SLACK_SECONDS) &&
    bytes < segSize &&
    !archiverFailing(status.archiver);
  if (housekeeping)
    return measured(
      0,
      bytes,
      worst(bytes),
      true,
      `only housekeeping records wait: nothing was switched out for ${Math.round(age)} s although archive_timeout is ${timeout} s`,
    );
  return measured(
    age === null ? null : Math.round(age),
    bytes,
    worst(bytes),
    false,
    age === null ? 'the last archived segment has no time' : null,
  );
}
