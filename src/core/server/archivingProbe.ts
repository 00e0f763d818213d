// Proves that WAL archiving works end to end, as `pgbackrest check` does: create a restore point
// (so that an idle server has WAL to switch), force a WAL switch, name the segment that switch
// completed, then wait until the archiver reports it (pg_stat_archiver) and, when the archive is
// known, until the file is in the archive (any compression or layout src/core/archive reads).
//
// A failure says exactly why: the server is a standby (a WAL switch can only be forced on the
// primary; pgBackRest checks the primary too), archive_mode is off, nothing is configured to
// archive, archive_command failed (the file, when, the archiver's counters), or nothing happened
// before the timeout. The archiver retries a failing file three times, one second apart, then
// waits up to a minute (pgarch.c NUM_ARCHIVE_RETRIES): three failures after our switch, with
// nothing archived since, end the wait at once.
//
// Checked on real servers: pg_create_restore_point() and pg_switch_wal() run in a read-only
// session (default_transaction_read_only = on), so the probe does not need a writable connection;
// they need superuser or EXECUTE granted on them.

import type { ArchiveSource } from '../archive/archiveSource';
import { classifyArchiveName } from '../wal/archiveFileName';
import { createRestorePoint, suggestRestorePointName } from './restorePoints';
import { isoTimeSql } from './statusQueries';
import type { ServerConnection } from './types';

export interface ProbeOptions {
  /** where archived files can be seen; null: only the archiver's report is awaited */
  archive: ArchiveSource | null;
  /** for the whole probe, from the first statement */
  timeoutMs: number;
  /** between two looks at pg_stat_archiver or the archive (default 250 ms) */
  pollMs?: number;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

export interface ProbeResult {
  ok: boolean;
  /** the WAL file the switch completed ('' when the probe stopped before the switch) */
  segment: string;
  /** the restore point created first ('' when none was created) */
  restorePoint: string;
  /** from the switch until pg_stat_archiver reported the segment archived */
  archivedAfterMs: number | null;
  /** from the switch until the file was seen in the archive (null without an archive) */
  inArchiveAfterMs: number | null;
  failure: string | null;
}

interface SettingsRow {
  in_recovery: boolean;
  archive_mode: string;
  archive_command: string | null;
  archive_library: string | null;
}

interface ArchiverRow {
  archived_count: string;
  last_archived_wal: string | null;
  last_archived_time: string | null;
  failed_count: string;
  last_failed_wal: string | null;
  last_failed_time: string | null;
  now: string;
}

const SETTINGS_SQL =
  "SELECT pg_is_in_recovery() AS in_recovery, current_setting('archive_mode') AS archive_mode, " +
  "current_setting('archive_command') AS archive_command, current_setting('archive_library', true) AS archive_library";

const ARCHIVER_SQL =
  `SELECT archived_count::text AS archived_count, last_archived_wal, ${isoTimeSql('last_archived_time')} AS last_archived_time, ` +
  `failed_count::text AS failed_count, last_failed_wal, ${isoTimeSql('last_failed_time')} AS last_failed_time, ` +
  `${isoTimeSql('clock_timestamp()')} AS now FROM pg_stat_archiver`;

const SWITCH_SQL = `SELECT pg_walfile_name(pg_switch_wal()) AS segment, ${isoTimeSql('clock_timestamp()')} AS switched_at`;

/** pgarch.c: a failing file is tried this many times before the archiver waits for a minute. */
const ARCHIVER_RETRIES = 3;

const SEGMENT_RE = /^([0-9A-F]{8})([0-9A-F]{16})$/;

class Cancelled extends Error {}
class TimedOut extends Error {}

/** "30 s", "1.5 s" */
function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

/**
 * Whether the archiver having archived `archived` (pg_stat_archiver.last_archived_wal) proves that
 * `segment` was archived. Segments compare by (timeline, position); a backup history file or a
 * partial segment of the same segment may be archived before it, so those must be past it; a
 * timeline history file proves nothing.
 */
export function archivedReaches(archived: string | null, segment: string): boolean {
  if (!archived) return false;
  const target = SEGMENT_RE.exec(segment);
  if (!target) return false;
  const hex24 = archived.slice(0, 24);
  const got = SEGMENT_RE.exec(hex24);
  if (!got) return false;
  const exact = archived.length === 24;
  const tl = parseInt(got[1]!, 16);
  const targetTl = parseInt(target[1]!, 16);
  if (tl !== targetTl) return tl > targetTl;
  return exact ? got[2]! >= target[2]! : got[2]! > target[2]!;
}

/** Directories an archive keeps WAL in (from one full listing): where to look for one segment later. */
function segmentPrefixes(walDirs: Set<string>, segment: string): string[] {
  const hi = segment.slice(0, 16);
  const out = new Set<string>([segment, `wal_005/${segment}`, `wals/${hi}/${segment}`]);
  for (const dir of walDirs) {
    const slash = dir.lastIndexOf('/');
    const base = dir.slice(slash + 1);
    // pgBackRest and Barman file a segment under its first 16 hex digits
    if (/^[0-9A-F]{16}$/.test(base)) out.add(`${slash < 0 ? '' : `${dir.slice(0, slash)}/`}${hi}/${segment}`);
    else out.add(dir === '' ? segment : `${dir}/${segment}`);
  }
  return [...out];
}

function isTheSegment(key: string, segment: string): boolean {
  const name = classifyArchiveName(key.slice(key.lastIndexOf('/') + 1));
  return name.kind === 'segment' && name.hex24 === segment;
}

/** Looks for `segment` in the archive: cheap prefix listings, and one full listing to learn the layout. */
class ArchiveLookup {
  private walDirs: Set<string> | null = null;
  lastError: string | null = null;

  /** the full listing was done: an error now is the archive's, not a missing prefix */
  get learned(): boolean {
    return this.walDirs !== null;
  }

  constructor(
    private readonly source: ArchiveSource,
    private readonly segment: string,
  ) {}

  async find(signal: AbortSignal): Promise<string | null> {
    for (const prefix of segmentPrefixes(this.walDirs ?? new Set(), this.segment)) {
      const key = await this.list(prefix, signal, false);
      if (key) return key;
      if (signal.aborted) return null;
    }
    if (this.walDirs === null) {
      // once: learn where this archive keeps WAL (and find the file wherever it is)
      this.walDirs = new Set();
      return this.list('', signal, true);
    }
    return null;
  }

  private async list(prefix: string, signal: AbortSignal, learn: boolean): Promise<string | null> {
    let found: string | null = null;
    const outcome = await this.source.list(
      (e) => {
        if (found === null && isTheSegment(e.key, this.segment)) found = e.key;
        if (learn) {
          const base = e.key.slice(e.key.lastIndexOf('/') + 1);
          const kind = classifyArchiveName(base).kind;
          if (kind === 'segment' || kind === 'partial' || kind === 'history') {
            const slash = e.key.lastIndexOf('/');
            this.walDirs!.add(slash < 0 ? '' : e.key.slice(0, slash));
          }
        }
      },
      { prefix, signal },
    );
    if (!outcome.complete && outcome.error && !signal.aborted) this.lastError = outcome.error;
    else if (outcome.complete) this.lastError = null;
    return found;
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export async function proveArchiving(conn: ServerConnection, opts: ProbeOptions): Promise<ProbeResult> {
  const result: ProbeResult = {
    ok: false,
    segment: '',
    restorePoint: '',
    archivedAfterMs: null,
    inArchiveAfterMs: null,
    failure: null,
  };
  const timeoutMs = Number.isFinite(opts.timeoutMs) && opts.timeoutMs > 0 ? opts.timeoutMs : 60_000;
  const pollMs = opts.pollMs !== undefined && Number.isFinite(opts.pollMs) && opts.pollMs > 0 ? opts.pollMs : 250;
  const started = Date.now();
  const deadline = started + timeoutMs;
  const progress = (m: string) => {
    try {
      opts.onProgress?.(m);
    } catch {
      /* a progress callback must not break the probe */
    }
  };

  // One controller ends everything in flight: the caller's cancellation or our deadline.
  const inner = new AbortController();
  let why: 'cancelled' | 'timeout' | null = null;
  const stop = (reason: 'cancelled' | 'timeout') => {
    if (why === null) why = reason;
    inner.abort();
  };
  const onAbort = () => stop('cancelled');
  if (opts.signal?.aborted) return { ...result, failure: 'cancelled' };
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => stop('timeout'), Math.max(0, deadline - Date.now()));

  const interrupted = new Promise<never>((_, reject) => {
    inner.signal.addEventListener('abort', () => reject(why === 'timeout' ? new TimedOut() : new Cancelled()), {
      once: true,
    });
  });
  interrupted.catch(() => undefined);
  /** a statement or listing, abandoned (not awaited) when cancelled or out of time */
  const bounded = <T>(p: Promise<T>): Promise<T> => {
    p.catch(() => undefined);
    return Promise.race([p, interrupted]);
  };
  const sleep = (ms: number) =>
    bounded(new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, Math.min(ms, deadline - Date.now())))));

  let phase: 'settings' | 'restore point' | 'switch' | 'archiver' | 'archive' = 'settings';
  let switchedAt = 0;
  let lastStats: ArchiverRow | null = null;
  let lookup: ArchiveLookup | null = null;
  try {
    progress('reading the archiving settings');
    const settings = (await bounded(conn.query<SettingsRow>(SETTINGS_SQL)))[0];
    if (!settings) throw new Error('the server returned no settings');
    if (settings.in_recovery) {
      return {
        ...result,
        failure:
          'the server is a standby: a WAL switch can only be forced on the primary (pgBackRest checks archiving there too); check the primary',
      };
    }
    if (settings.archive_mode === 'off') {
      return {
        ...result,
        failure: 'archive_mode is off: the server archives no WAL (set archive_mode = on, which takes a restart)',
      };
    }
    const library = (settings.archive_library ?? '').trim();
    const command = (settings.archive_command ?? '').trim();
    if (library === '' && (command === '' || command === '(disabled)')) {
      return {
        ...result,
        failure: `archive_mode is ${settings.archive_mode} but archive_command is empty: nothing is archived and WAL piles up in pg_wal`,
      };
    }
    const archiver = library !== '' ? `archive_library "${library}"` : 'archive_command';

    const before = (await bounded(conn.query<ArchiverRow>(ARCHIVER_SQL)))[0] ?? null;
    const failedBefore = before ? Number(before.failed_count) : 0;

    phase = 'restore point';
    progress('creating a restore point so that there is WAL to switch');
    const point = await bounded(createRestorePoint(conn, suggestRestorePointName('archive check', new Date())));
    result.restorePoint = point.name;

    phase = 'switch';
    progress('switching to a new WAL file');
    const sw = (await bounded(conn.query<{ segment: string; switched_at: string }>(SWITCH_SQL)))[0];
    if (!sw?.segment) throw new Error('pg_switch_wal() returned nothing');
    switchedAt = Date.now();
    result.segment = sw.segment;
    const switchedAtServer = sw.switched_at;

    phase = 'archiver';
    progress(`waiting for the archiver to report ${sw.segment}`);
    for (;;) {
      const stats = (await bounded(conn.query<ArchiverRow>(ARCHIVER_SQL)))[0];
      if (stats) lastStats = stats;
      if (stats && archivedReaches(stats.last_archived_wal, sw.segment)) {
        result.archivedAfterMs = Date.now() - switchedAt;
        break;
      }
      if (stats) {
        const failures = Number(stats.failed_count) - failedBefore;
        const failedSince = stats.last_failed_time !== null && stats.last_failed_time >= switchedAtServer;
        const stillFailing =
          stats.last_failed_time !== null &&
          (stats.last_archived_time === null || stats.last_failed_time > stats.last_archived_time);
        if (failures >= ARCHIVER_RETRIES && failedSince && stillFailing) {
          return {
            ...result,
            failure:
              `${archiver} failed for ${stats.last_failed_wal} at ${stats.last_failed_time} ` +
              `(failed_count ${stats.failed_count}, last archived ${stats.last_archived_wal ?? 'none'}): ${sw.segment} cannot be archived before it; ` +
              `the archiver retries in up to a minute; the server log has the ${library !== '' ? 'module' : 'command'}'s error`,
          };
        }
      }
      await sleep(pollMs);
    }

    if (opts.archive) {
      phase = 'archive';
      const archive = opts.archive;
      progress(
        `${sw.segment} archived after ${seconds(result.archivedAfterMs)}; looking for it in ${archive.location}`,
      );
      lookup = new ArchiveLookup(archive, sw.segment);
      for (;;) {
        const key = await bounded(lookup.find(inner.signal));
        if (key) {
          result.inArchiveAfterMs = Date.now() - switchedAt;
          break;
        }
        // an archive that cannot be listed will not become readable by waiting (the S3 source retries itself)
        if (lookup.learned && lookup.lastError !== null) {
          return {
            ...result,
            failure: `the archiver reports ${sw.segment} archived, but ${archive.location} cannot be read: ${lookup.lastError}`,
          };
        }
        await sleep(pollMs);
      }
    }
    result.ok = true;
    progress('archiving works');
    return result;
  } catch (e) {
    if (e instanceof Cancelled || (why === 'cancelled' && !(e instanceof TimedOut)))
      return { ...result, failure: 'cancelled' };
    if (e instanceof TimedOut || why === 'timeout')
      return { ...result, failure: timeoutFailure(timeoutMs, phase, result.segment, lastStats, lookup, opts.archive) };
    const text = errorText(e);
    switch (phase) {
      case 'restore point':
        return {
          ...result,
          failure: `cannot create a restore point: ${text}${/permission denied/i.test(text) ? ' (needs superuser, or EXECUTE on pg_create_restore_point(text) and pg_switch_wal())' : ''}`,
        };
      case 'switch':
        return {
          ...result,
          failure: `cannot switch WAL: ${text}${/permission denied/i.test(text) ? ' (needs superuser, or EXECUTE on pg_switch_wal())' : ''}`,
        };
      default:
        return {
          ...result,
          failure: `${phase === 'archive' ? 'cannot read the archive' : 'cannot read the archiver statistics'}: ${text}`,
        };
    }
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
    inner.abort();
  }
}

function timeoutFailure(
  timeoutMs: number,
  phase: string,
  segment: string,
  stats: ArchiverRow | null,
  lookup: ArchiveLookup | null,
  archive: ArchiveSource | null,
): string {
  const after = `timed out after ${seconds(timeoutMs)}`;
  if (phase === 'archiver') {
    let s = `${after}: the archiver has not reported ${segment}; last archived ${stats?.last_archived_wal ?? 'none'}`;
    if (stats?.last_archived_time) s += ` at ${stats.last_archived_time}`;
    if (stats && Number(stats.failed_count) > 0 && stats.last_failed_wal) {
      s += ` (failed_count ${stats.failed_count}, last failed ${stats.last_failed_wal} at ${stats.last_failed_time})`;
    }
    return `${s}; a slow or hanging archive_command, or a long queue of WAL waiting to be archived`;
  }
  if (phase === 'archive') {
    const where = archive?.location ?? 'the archive';
    return (
      `${after}: the archiver reports ${segment} archived, but it is not in ${where}` +
      (lookup?.lastError ? ` (listing failed: ${lookup.lastError})` : ': is that where archive_command copies WAL?')
    );
  }
  return `${after} while ${phase === 'restore point' ? 'creating the restore point' : phase === 'switch' ? 'switching WAL' : 'reading the settings'}`;
}
