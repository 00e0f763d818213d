// One server's check, shared by `pg-pitr check` and the sidebar: connect (with timeouts), collect,
// lint the live settings, inspect the archive, judge. Never rejects: a server that cannot be
// reached or read gets health "unknown" with the reason.
import { analyseArchive, type ArchiveReport } from '../archive/archiveAnalysis';
import { inferArchive } from '../archive/archiveCommandInference';
import { openArchiveSource } from '../archive/openSource';
import { drillCheck, type DrillCheckOptions } from '../drill/drillSummary';
import { judgeRecoverability } from '../monitoring/judgeRecoverability';
import { evaluateObjectives, type Objectives } from '../monitoring/objectives';
import { collectStatus } from './collectStatus';
import { evaluateHealth, type HealthOptions, overallHealth, sortReasons } from './health';
import { lintLiveSettings } from './liveSettingsConf';
import { openConnection } from './openConnection';
import { resolveConnection } from './resolveConnection';
import type { ArchiveSummary, CheckResult, HealthReason, ServerProfile, ServerStatus } from './types';
import { unknownCheckResult } from './unknownCheckResult';

/**
 * Said of an archive pg-pitr could not inspect. Such a reason is a warning, never information:
 * without the archive nothing is known about base backups or gaps, and "ok" would claim a recovery
 * that nobody checked (issue 15).
 */
const NOT_PROVEN = '(base backups and gaps are not checked, so recovery is not proven)';

export interface CheckOptions extends HealthOptions, DrillCheckOptions {
  password?: string;
  /** wins over the connection's connect_timeout */
  connectTimeoutMs?: number;
  /** used when the connection names no connect_timeout */
  defaultConnectTimeoutMs?: number;
  statementTimeoutMs?: number;
  /** the archive listing's own limit (default 60 s) */
  archiveTimeoutMs?: number;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
  skipArchive?: boolean;
  /** recoverability objectives (default: the profile's) */
  objectives?: Objectives;
  /** seconds past archive_timeout after which waiting WAL is idle housekeeping (default 60; see rpoOf) */
  idleSlackSeconds?: number;
}

/** Where this server's archive is: configured, or inferred from archive_command (local folder or S3). */
export function archiveLocationOf(
  profile: ServerProfile,
  status: ServerStatus | null,
): { location: string; source: 'configured' | 'inferred' } | { location: null; reason: string } {
  if (profile.archive && profile.archive.trim() !== '')
    return { location: profile.archive.trim(), source: 'configured' };
  const command = status?.settings.archive_command?.setting ?? '';
  const library = status?.settings.archive_library?.setting ?? '';
  if (command.trim() === '' && library.trim() !== '')
    return { location: null, reason: `archive_library ${library} is used: set the archive location for this server` };
  const inferred = inferArchive(command);
  if ((inferred.kind === 'local' || inferred.kind === 's3') && inferred.location)
    return { location: inferred.location, source: 'inferred' };
  return { location: null, reason: inferred.reason };
}

export function summariseArchive(r: ArchiveReport, source: 'configured' | 'inferred'): ArchiveSummary {
  return {
    location: r.location,
    source,
    layout: r.layout,
    complete: r.complete,
    latest: r.latest,
    timelines: r.timelines.map((t) => ({
      timeline: t.timeline,
      first: t.first,
      last: t.last,
      segments: t.segments,
      gaps: t.gaps.map((g) => ({ from: g.from, to: g.to, missing: g.missing, class: g.class })),
    })),
    backups: r.backups.map((b) => ({
      label: b.label,
      timeline: b.timeline ?? 0,
      startWal: b.startWal ?? '',
      stopWal: b.stopWal,
      stopTime: b.stopTime,
      stopLsn: b.stopLsn,
    })),
    windows: r.windows.map((w) => ({ backup: w.backup, from: w.from, to: { wal: w.to.wal } })),
    problems: r.problems,
    error: null,
  };
}

function failedArchive(location: string, source: 'configured' | 'inferred', error: string): ArchiveSummary {
  return {
    location,
    source,
    layout: null,
    complete: false,
    latest: null,
    timelines: [],
    backups: [],
    windows: [],
    problems: [],
    error,
  };
}

export async function checkServer(profile: ServerProfile, opts: CheckOptions = {}): Promise<CheckResult> {
  const started = Date.now();
  const result: CheckResult = unknownCheckResult(profile.name, []);
  const objectives = opts.objectives ?? profile.objectives ?? {};
  const finish = (reasons: HealthReason[]): CheckResult => {
    // a server that could not be read: every objective unknown, without a reason of its own
    if (result.status === null) result.objectives = evaluateObjectives(result, objectives);
    result.reasons = reasons;
    result.health = overallHealth(reasons);
    result.durationMs = Date.now() - started;
    return result;
  };

  let status: ServerStatus;
  try {
    const resolved = resolveConnection(profile, { password: opts.password, env: opts.env, homeDir: opts.homeDir });
    result.connection = resolved.display;
    const warnings: HealthReason[] = resolved.warnings.map((w) => ({
      id: 'connection-warning',
      severity: 'info',
      message: w,
    }));
    let conn;
    try {
      conn = await openConnection(resolved, {
        connectTimeoutMs: opts.connectTimeoutMs,
        defaultConnectTimeoutMs: opts.defaultConnectTimeoutMs,
        statementTimeoutMs: opts.statementTimeoutMs,
      });
    } catch (e) {
      return finish([
        { id: 'connection-failed', severity: 'unknown', message: `cannot connect: ${(e as Error).message}` },
        ...warnings,
      ]);
    }
    try {
      status = await collectStatus(conn);
    } catch (e) {
      return finish([
        {
          id: 'collection-failed',
          severity: 'unknown',
          message: `connected, but reading the server's status failed: ${(e as Error).message}`,
        },
        ...warnings,
      ]);
    } finally {
      await conn.close().catch(() => undefined);
    }
    result.reasons.push(...warnings);
  } catch (e) {
    return finish([{ id: 'connection-config', severity: 'unknown', message: (e as Error).message }]);
  }

  result.status = status;
  result.version = status.version.text;
  result.major = status.version.major;
  result.inRecovery = status.inRecovery;
  result.archiver = status.archiver;
  result.wal = status.wal;
  result.backlog = status.backlog;
  result.slots = status.slots;
  try {
    result.findings = lintLiveSettings(status);
  } catch (e) {
    result.findings = [
      {
        id: 'internal-error',
        severity: 'information',
        message: `the live settings could not be linted: ${(e as Error).message}`,
      },
    ];
  }

  let report: ArchiveReport | null = null;
  const extra: HealthReason[] = [...result.reasons];
  const where = archiveLocationOf(profile, status);
  if (opts.skipArchive) {
    // nothing
  } else if (where.location === null) {
    extra.push({
      id: 'archive-unknown',
      severity: 'warning',
      message: `archive not inspected: ${where.reason} ${NOT_PROVEN}`,
    });
  } else {
    const archiveTimeoutMs = opts.archiveTimeoutMs ?? 60_000;
    const timeout = AbortSignal.timeout(archiveTimeoutMs);
    const signal = AbortSignal.any([timeout, ...(opts.signal ? [opts.signal] : [])]);
    // the listing says "cancelled" for any abort: say which one it was
    const timedOut = () => timeout.aborted && !opts.signal?.aborted;
    const timeoutText = `the archive listing did not finish within ${Number((archiveTimeoutMs / 1000).toFixed(1))} s`;
    try {
      const source = openArchiveSource(where.location, { endpoint: profile.archiveEndpoint });
      try {
        // raced against the signal: a folder on a hung mount blocks fs calls that cannot be aborted
        report = await untilAborted(
          analyseArchive(source, {
            segmentSize: status.wal.segmentSize,
            current: status.wal.currentWal ?? undefined,
            serverTimeline: status.wal.timeline ?? undefined,
            signal,
          }),
          signal,
        );
      } finally {
        await source.close?.();
      }
      if (report.listingComplete) result.archive = summariseArchive(report, where.source);
      else {
        const why = timedOut() ? timeoutText : (report.problems[0] ?? 'the listing stopped early');
        report = null;
        throw new Error(why);
      }
    } catch (e) {
      if (timedOut() && !(e as Error).message.startsWith(timeoutText)) (e as Error).message = timeoutText;
      result.archive = failedArchive(where.location, where.source, (e as Error).message);
      // an inferred folder often lives on the database host, not here: no alarm, but never "ok" either
      if (where.source === 'inferred')
        extra.push({
          id: 'archive-not-inspected',
          severity: 'warning',
          message:
            `archive not inspected: ${where.location} cannot be read from this machine (${(e as Error).message}); ` +
            `set the server's archive location to inspect it ${NOT_PROVEN}`,
        });
      else
        extra.push({
          id: 'archive-unreadable',
          severity: 'warning',
          message: `the archive at ${where.location} cannot be read: ${(e as Error).message}`,
        });
    }
  }
  // restore drills of this cluster (pg-pitr drill's history): the last one, the time-to-recover estimate, no-recent-drill
  const drills = drillCheck(status.systemIdentifier, status.wal.currentLsn, report, opts);
  result.drill = drills.drill;
  result.rto = drills.rto;
  extra.push(...drills.reasons);
  for (const f of result.findings) {
    if (f.severity === 'error')
      extra.push({ id: `config:${f.id}`, severity: 'warning', message: `configuration: ${f.message}` });
  }
  const judged = judgeRecoverability(result, status, report, { ...opts, objectives });
  return finish(sortReasons([...evaluateHealth(status, report, opts), ...extra, ...judged]));
}

/** `work`, or a rejection as soon as `signal` aborts (the work itself may go on in the background). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error('cancelled'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('cancelled'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
