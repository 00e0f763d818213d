// The metrics of finished checks, one family per idea across all servers (labels say which
// server). Names, types and labels are documented in the README's "Prometheus" section and are a
// public interface: the shipped alert rules (prometheus/pg-pitr.rules.yml) read them.
import type { CheckResult, Health } from '../server/types';
import { OBJECTIVE_FLAGS } from './objectives';
import type { MetricFamily, Sample } from './openMetrics';
import { recoverability } from './recoverability';

/** One server's latest check as the exporter keeps it. */
export interface CheckRecord {
  result: CheckResult;
  /** checks of this server finished since the exporter started (1 for `check --format openmetrics`) */
  checks: number;
  /** of which ended without reading the server (unknown health: unreachable, timed out, errored) */
  errors: number;
}

const STATES: readonly Health[] = ['ok', 'warning', 'failing', 'unknown'];

const seconds = (iso: string | null | undefined): number | null => {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t / 1000;
};

/** Families for `records`, in a fixed order (empty families are dropped by the renderers). */
export function checkMetrics(records: CheckRecord[]): MetricFamily[] {
  const fam = (name: string, type: MetricFamily['type'], help: string, unit?: string): MetricFamily => ({
    name,
    type,
    help,
    unit,
    samples: [],
  });
  const health = fam(
    'pgpitr_health',
    'stateset',
    'Health of the server’s WAL archiving and recoverability (ok, warning, failing, unknown).',
  );
  const reason = fam(
    'pgpitr_reason',
    'gauge',
    'One series per active health reason (label reason: its stable id; severity: info, warning, failing, unknown).',
  );
  const up = fam('pgpitr_up', 'gauge', '1 when the last check could connect and read the server, 0 when it could not.');
  const standby = fam('pgpitr_standby', 'gauge', '1 when the server is a standby (in recovery), 0 on a primary.');
  const archived = fam(
    'pgpitr_archiver_archived',
    'counter',
    'WAL files archived (pg_stat_archiver.archived_count; resets with the statistics).',
  );
  const failed = fam(
    'pgpitr_archiver_failed',
    'counter',
    'Failed archiving attempts counted by PostgreSQL (pg_stat_archiver.failed_count; a command killed by a signal or exiting above 125 is not counted).',
  );
  const lastArchive = fam(
    'pgpitr_last_archive_age_seconds',
    'gauge',
    'Seconds from the last successful archiving to the check (pg_stat_archiver.last_archived_time).',
    'seconds',
  );
  const lastFailure = fam(
    'pgpitr_last_failure_age_seconds',
    'gauge',
    'Seconds from the last failed archiving attempt to the check.',
    'seconds',
  );
  const ready = fam(
    'pgpitr_archive_ready_files',
    'gauge',
    'WAL files waiting to be archived (.ready files in pg_wal/archive_status; PostgreSQL 12+, pg_monitor).',
  );
  const rpoSeconds = fam(
    'pgpitr_rpo_seconds',
    'gauge',
    'Seconds the oldest unarchived WAL has waited (0 when idle).',
    'seconds',
  );
  const rpoBytes = fam('pgpitr_rpo_bytes', 'gauge', 'Bytes of WAL written but not archived yet.', 'bytes');
  const rpoWorst = fam(
    'pgpitr_rpo_worst_case_seconds',
    'gauge',
    'The most the RPO can reach while archiving works: archive_timeout, +Inf when it is 0 and WAL waits.',
    'seconds',
  );
  const lost = fam(
    'pgpitr_archive_lost_segments',
    'gauge',
    'WAL segments missing from the archive in gaps that are neither in flight nor acknowledged, per timeline.',
  );
  const windowStart = fam(
    'pgpitr_recoverable_window_start_timestamp_seconds',
    'gauge',
    'Start (Unix time) of the window recoverable to the present, per timeline the window ends on.',
    'seconds',
  );
  const windowLength = fam(
    'pgpitr_recoverable_window_seconds',
    'gauge',
    'Length of the window recoverable to the present (check time minus its start), per timeline.',
    'seconds',
  );
  const newestBackup = fam(
    'pgpitr_base_backup_newest_end_timestamp_seconds',
    'gauge',
    'End (Unix time) of the newest base backup in the archive.',
    'seconds',
  );
  const intact = fam(
    'pgpitr_base_backups_intact',
    'gauge',
    'Base backups with an unbroken WAL path to the newest archived segment.',
  );
  const objective = fam(
    'pgpitr_objective_met',
    'gauge',
    'Per configured objective (min-window, max-backup-age, min-backups, max-rpo): 1 met, 0 violated; absent when it could not be judged.',
  );
  const drillOk = fam(
    'pgpitr_drill_last_success_timestamp_seconds',
    'gauge',
    'Start (Unix time) of the last successful restore drill of this cluster (pg-pitr drill); absent when none succeeded.',
    'seconds',
  );
  const drillDuration = fam(
    'pgpitr_drill_last_duration_seconds',
    'gauge',
    'How long the last restore drill of this cluster took, whatever its outcome.',
    'seconds',
  );
  const drillLastOk = fam(
    'pgpitr_drill_last_ok',
    'gauge',
    '1 when the last restore drill succeeded, 0 when it failed.',
  );
  const rto = fam(
    'pgpitr_rto_estimate_seconds',
    'gauge',
    'Time to recover estimated from the drills (restore + replay of the WAL since the newest base backup).',
    'seconds',
  );
  const duration = fam('pgpitr_check_duration_seconds', 'gauge', 'How long the last check took.', 'seconds');
  const finished = fam(
    'pgpitr_check_end_timestamp_seconds',
    'gauge',
    'When the last check finished (Unix time): every other series of the server is as of this time.',
    'seconds',
  );
  const checks = fam('pgpitr_checks', 'counter', 'Checks finished since the exporter started.');
  const errors = fam(
    'pgpitr_check_errors',
    'counter',
    'Checks that could not read the server (unreachable, timed out, failed) since the exporter started.',
  );

  const add = (f: MetricFamily, labels: Sample['labels'], value: number | null | undefined) => {
    if (value !== null && value !== undefined) f.samples.push({ labels, value });
  };
  for (const { result: r, checks: n, errors: e } of records) {
    const server = { server: r.server };
    const at = seconds(r.status?.collectedAt) ?? seconds(r.checkedAt)!;
    for (const s of STATES) add(health, { ...server, pgpitr_health: s }, r.health === s ? 1 : 0);
    const seen = new Set<string>();
    for (const x of r.reasons) {
      const key = `${x.id}\u0000${x.severity}`;
      if (seen.has(key)) continue;
      seen.add(key);
      add(reason, { ...server, reason: x.id, severity: x.severity }, 1);
    }
    add(up, server, r.status ? 1 : 0);
    if (r.inRecovery !== null) add(standby, server, r.inRecovery ? 1 : 0);
    if (r.archiver) {
      add(archived, server, r.archiver.archivedCount);
      add(failed, server, r.archiver.failedCount);
      const la = seconds(r.archiver.lastArchivedTime);
      const lf = seconds(r.archiver.lastFailedTime);
      if (la !== null) add(lastArchive, server, Math.max(0, round(at - la)));
      if (lf !== null) add(lastFailure, server, Math.max(0, round(at - lf)));
    }
    add(ready, server, r.backlog);
    if (r.rpo && r.rpo.applicable) {
      add(rpoSeconds, server, r.rpo.seconds);
      add(rpoBytes, server, r.rpo.bytes);
      add(rpoWorst, server, r.rpo.worstCaseSeconds === 'unbounded' ? Number.POSITIVE_INFINITY : r.rpo.worstCaseSeconds);
    }
    const rec = recoverability(r.archive);
    if (rec) {
      for (const [timeline, missing] of rec.lostSegments) add(lost, { ...server, timeline: String(timeline) }, missing);
      for (const w of rec.windows) {
        const start = seconds(w.start);
        if (start === null) continue;
        add(windowStart, { ...server, timeline: String(w.timeline) }, start);
        add(windowLength, { ...server, timeline: String(w.timeline) }, Math.max(0, round(at - start)));
      }
      add(newestBackup, server, seconds(rec.newestBackupEnd));
      add(intact, server, rec.intactBackups);
    }
    for (const o of r.objectives ?? []) {
      if (o.status === 'met' || o.status === 'violated')
        add(
          objective,
          { ...server, objective: OBJECTIVE_FLAGS[o.id], severity: o.severity },
          o.status === 'met' ? 1 : 0,
        );
    }
    if (r.drill) {
      add(drillOk, server, seconds(r.drill.lastOkAt ?? undefined));
      add(drillDuration, server, r.drill.lastTotalSeconds);
      add(drillLastOk, server, r.drill.lastOk ? 1 : 0);
    }
    add(rto, server, r.rto?.estimateSeconds);
    add(duration, server, r.durationMs / 1000);
    add(finished, server, (Date.parse(r.checkedAt) + r.durationMs) / 1000);
    add(checks, server, n);
    add(errors, server, e);
  }
  return [
    health,
    reason,
    up,
    standby,
    archived,
    failed,
    lastArchive,
    lastFailure,
    ready,
    rpoSeconds,
    rpoBytes,
    rpoWorst,
    lost,
    windowStart,
    windowLength,
    newestBackup,
    intact,
    objective,
    drillOk,
    drillDuration,
    drillLastOk,
    rto,
    duration,
    finished,
    checks,
    errors,
  ];
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
