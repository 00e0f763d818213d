// pg-pitr check [CONNINFO | --service NAME] [--archive LOCATION] [--endpoint URL]
//   [--connect-timeout S] [--statement-timeout S] [--format text|json|nagios|openmetrics]
//   [--min-window 7d] [--max-backup-age 26h] [--min-backups 2] [--max-rpo 5min|16MB] [--objective-severity warning|failing]
// The sidebar's check on the command line, for cron and monitoring. Exit codes as Nagios plugins:
// 0 OK, 1 warning, 2 failing, 3 unknown (cannot connect, or a usage error).
// The password comes from PGPASSWORD or the password file (~/.pgpass, PGPASSFILE), never an argument.
import type { DrillCheckOptions } from '../core/drill/drillSummary';
import { checkMetrics } from '../core/monitoring/checkMetrics';
import { type ObjectiveResult, type Objectives, readObjectives } from '../core/monitoring/objectives';
import { formatByteSize, formatDuration } from '../core/monitoring/objectiveValues';
import { renderOpenMetrics } from '../core/monitoring/openMetrics';
import { checkServer } from '../core/server/checkServer';
import type { CheckResult, ServerProfile } from '../core/server/types';
import { line } from '../core/text/safeText';
import { checkDrillOptions, drillLine } from './checkDrillOptions';
import { parseCliArgs } from './parseCliArgs';
import { UsageError } from './usageError';

export const CHECK_USAGE =
  'usage: pg-pitr check [CONNINFO | --service NAME] [--archive LOCATION] [--endpoint URL] [--connect-timeout ' +
  'S] [--statement-timeout S] [--format text|json|nagios|openmetrics] [--min-window 7d] [--max-backup-age ' +
  '26h] [--min-backups 2] [--max-rpo 5min|16MB] [--objective-severity warning|failing] [--drill-history ' +
  'FILE] [--drill-max-age-days N]';

const FORMATS = ['text', 'json', 'nagios', 'openmetrics'];

const EXIT: Record<CheckResult['health'], number> = { ok: 0, warning: 1, failing: 2, unknown: 3 };

function seconds(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || n > 3600)
    throw new UsageError(`--${name} takes seconds between 0 and 3600 (got "${text}")`);
  return n * 1000;
}

export function checkJson(r: CheckResult) {
  return {
    server: r.server,
    connection: r.connection,
    version: r.version,
    inRecovery: r.inRecovery,
    health: r.health,
    reasons: r.reasons,
    archiver: r.archiver,
    wal: r.wal,
    backlog: r.backlog,
    slots: r.slots,
    archive: r.archive,
    rpo: r.rpo,
    objectives: r.objectives,
    findings: r.findings,
    drill: r.drill ?? null,
    rto: r.rto ?? null,
    checkedAt: r.checkedAt,
    durationMs: r.durationMs,
  };
}

function nagiosLine(r: CheckResult): string {
  const state = { ok: 'OK', warning: 'WARNING', failing: 'CRITICAL', unknown: 'UNKNOWN' }[r.health];
  const first = r.reasons.find((x) => x.severity !== 'info');
  const summary = first
    ? first.message
    : `archiving healthy${r.archiver?.lastArchivedWal ? `, last archived ${r.archiver.lastArchivedWal}` : ''}`;
  const perf: string[] = [];
  if (r.archiver) perf.push(`archived=${r.archiver.archivedCount}c`, `failed=${r.archiver.failedCount}c`);
  if (r.backlog !== null) perf.push(`backlog=${r.backlog}`);
  perf.push(...objectivePerfData(r));
  return line`PGPITR ${state} - ${r.server}: ${summary.replace(/\|/g, '/')}${perf.length ? ` | ${perf.join(' ')}` : ''}`;
}

/** Nagios performance data for the RPO and each judged objective, the objective as its warning or critical threshold. */
function objectivePerfData(r: CheckResult): string[] {
  const perf: string[] = [];
  const judged = (id: ObjectiveResult['id']) => r.objectives.find((o) => o.id === id && o.status !== 'not-applicable');
  // a minimum alerts below it ("N:"), a maximum above it
  const threshold = (o: ObjectiveResult | undefined, min: boolean) =>
    !o ? '' : `${o.severity === 'failing' ? ';;' : ';'}${o.limit}${min ? ':' : ''}`;
  const rpoObjective = judged('maxRpo');
  if (r.rpo?.applicable && r.rpo.seconds !== null)
    perf.push(`rpo=${r.rpo.seconds}s${threshold(rpoObjective?.unit === 'seconds' ? rpoObjective : undefined, false)}`);
  if (r.rpo?.applicable && r.rpo.bytes !== null)
    perf.push(
      `rpo_bytes=${r.rpo.bytes}B${threshold(rpoObjective?.unit === 'bytes' ? rpoObjective : undefined, false)}`,
    );
  const labels: [ObjectiveResult['id'], string, boolean][] = [
    ['minWindow', 'window', true],
    ['maxBackupAge', 'backup_age', false],
    ['minBackups', 'backups', true],
  ];
  for (const [id, label, min] of labels) {
    const o = judged(id);
    if (o?.measured !== null && o?.measured !== undefined && Number.isFinite(o.measured))
      perf.push(`${label}=${o.measured}${o.unit === 'seconds' ? 's' : ''}${threshold(o, min)}`);
  }
  return perf;
}

function measuredText(o: ObjectiveResult): string {
  if (o.measured === null) return 'unknown';
  if (!Number.isFinite(o.measured)) return 'none';
  if (o.unit === 'count') return String(o.measured);
  if (o.unit === 'bytes') return formatByteSize(o.measured);
  return formatDuration(o.measured);
}

function printText(r: CheckResult, out: (s: string) => void): void {
  out(
    line`${r.server}${r.connection && r.connection !== r.server ? ` (${r.connection})` : ''}: ${r.health.toUpperCase()}`,
  );
  if (r.version) out(line`  PostgreSQL ${r.version}, ${r.inRecovery ? 'standby (in recovery)' : 'primary'}`);
  const a = r.archiver;
  if (a) {
    out(line`  archived ${a.archivedCount}, last ${a.lastArchivedWal ?? '-'} at ${a.lastArchivedTime ?? '-'}`);
    out(line`  failed ${a.failedCount}, last ${a.lastFailedWal ?? '-'} at ${a.lastFailedTime ?? '-'}`);
  }
  if (r.wal)
    out(
      line`  WAL ${r.wal.currentLsn ?? '-'} in ${r.wal.currentWal ?? '-'} (timeline ${r.wal.timeline ?? '?'})${r.inRecovery ? `, received ${r.wal.receiveLsn ?? '-'}, replayed ${r.wal.replayLsn ?? '-'}` : ''}`,
    );
  if (r.status) out(line`  backlog ${r.backlog === null ? 'unknown' : `${r.backlog} segment(s) waiting`}`);
  for (const s of r.slots)
    out(
      line`  slot ${s.name} (${s.type}, ${s.active ? 'active' : 'inactive'})${s.retainedBytes !== null ? ` holds ${s.retainedBytes} bytes` : ''}`,
    );
  if (r.archive) {
    if (r.archive.error) out(line`  archive ${r.archive.location}: not read (${r.archive.error})`);
    else {
      out(
        line`  archive ${r.archive.location} (${r.archive.source}, layout ${r.archive.layout}): newest ${r.archive.latest ?? '-'}, ${r.archive.backups.length} base backup(s)`,
      );
      for (const w of r.archive.windows)
        out(line`    recoverable from backup ${w.backup}${w.from.time ? ` (${w.from.time})` : ''} to ${w.to.wal}`);
    }
  }
  if (r.status) out(line`  ${drillLine(r)}`);
  if (r.rpo) {
    const rpo = r.rpo;
    const worst =
      rpo.worstCaseSeconds === 'unbounded'
        ? 'unbounded (archive_timeout = 0)'
        : rpo.worstCaseSeconds === null
          ? '-'
          : formatDuration(rpo.worstCaseSeconds);
    if (!rpo.applicable) out(line`  RPO not applicable: ${rpo.note}`);
    else out(rpoLine(rpo, worst));
  }
  for (const o of r.objectives)
    out(line`  objective ${o.id} ${o.objective} (${o.severity}): ${o.status}, measured ${measuredText(o)}`);
  for (const reason of r.reasons) out(line`  ${reason.severity.toUpperCase()} ${reason.id}: ${reason.message}`);
}

/** "  RPO 12 s (96 kB not archived), worst case 1 min (note)". */
function rpoLine(rpo: NonNullable<CheckResult['rpo']>, worst: string): string {
  const seconds = rpo.seconds === null ? 'unknown' : formatDuration(rpo.seconds);
  const waiting =
    rpo.bytes === null
      ? ''
      : ` (${formatByteSize(rpo.bytes)} not archived${rpo.idle ? ', idle housekeeping only' : ''})`;
  const note = rpo.note && !rpo.idle ? ` (${rpo.note})` : '';
  return line`  RPO ${seconds}${waiting}, worst case ${worst}${note}`;
}

/** The objectives given as flags; a bad value is a usage error. */
function objectivesFromFlags(v: Record<string, string | undefined>): Objectives {
  const raw: Record<string, string> = {};
  const flags: [string, string][] = [
    ['min-window', 'minWindow'],
    ['max-backup-age', 'maxBackupAge'],
    ['min-backups', 'minBackups'],
    ['max-rpo', 'maxRpo'],
  ];
  for (const [flag, id] of flags) if (v[flag] !== undefined) raw[id] = v[flag];
  const severity = v['objective-severity'];
  if (severity !== undefined && severity !== 'warning' && severity !== 'failing')
    throw new UsageError(`--objective-severity must be warning or failing (got "${severity}")`);
  const { objectives, problems } = readObjectives({ ...raw, ...(severity ? { severity } : {}) }, 'objectives');
  if (problems.length) {
    const names = Object.fromEntries(flags.map(([flag, id]) => [`objectives.${id}`, `--${flag}`]));
    throw new UsageError(problems[0].replace(/^objectives\.\w+/, (m) => names[m] ?? m).replace(/; ignored$/, ''));
  }
  return objectives;
}

export async function runCheck(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  let profile: ServerProfile;
  let format: string;
  let timeouts: { connectTimeoutMs?: number; defaultConnectTimeoutMs: number; statementTimeoutMs: number };
  let drillOpts: DrillCheckOptions;
  let objectives: Objectives;
  try {
    const { values: v, positionals } = parseCliArgs({
      args: argv,
      allowPositionals: true,
      options: {
        service: { type: 'string' },
        archive: { type: 'string' },
        endpoint: { type: 'string' },
        name: { type: 'string' },
        'connect-timeout': { type: 'string' },
        'statement-timeout': { type: 'string' },
        format: { type: 'string', default: 'text' },
        'drill-history': { type: 'string' },
        'drill-max-age-days': { type: 'string' },
        'min-window': { type: 'string' },
        'max-backup-age': { type: 'string' },
        'min-backups': { type: 'string' },
        'max-rpo': { type: 'string' },
        'objective-severity': { type: 'string' },
      },
    });
    drillOpts = checkDrillOptions(v['drill-history'], v['drill-max-age-days']);
    if (positionals.length > 1)
      throw new UsageError('check takes at most one CONNINFO (a postgresql:// URI or "host=... port=..." string)');
    if (positionals.length === 1 && v.service) throw new UsageError('give either CONNINFO or --service, not both');
    format = v.format ?? 'text';
    if (!FORMATS.includes(format))
      throw new UsageError(`--format must be text, json, nagios or openmetrics (got "${format}")`);
    objectives = objectivesFromFlags(v);
    if (
      /\bpassword\s*=/i.test(positionals[0] ?? '') ||
      /^postgres(?:ql)?:\/\/[^@/]*:[^@/]*@/i.test(positionals[0] ?? '')
    ) {
      err(
        'pg-pitr: warning: a password on the command line is visible to other users (ps); use PGPASSWORD or ~/.pgpass',
      );
    }
    // --connect-timeout > connect_timeout in CONNINFO, the service or PGCONNECT_TIMEOUT > 5 s
    timeouts = {
      defaultConnectTimeoutMs: 5000,
      ...(v['connect-timeout'] !== undefined
        ? { connectTimeoutMs: seconds('connect-timeout', v['connect-timeout'], 5000) }
        : {}),
      statementTimeoutMs: seconds('statement-timeout', v['statement-timeout'], 10000),
    };
    profile = {
      name: v.name ?? v.service ?? '',
      connectionString: positionals[0],
      service: v.service,
      archive: v.archive,
      archiveEndpoint: v.endpoint,
    };
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err(line`pg-pitr: ${e.message}`);
    err(CHECK_USAGE);
    return 3;
  }
  const result = await checkServer(profile, { ...timeouts, ...drillOpts, env: process.env, objectives });
  if (!result.server) result.server = result.connection ?? 'server';
  if (format === 'openmetrics')
    out(renderOpenMetrics(checkMetrics([{ result, checks: 1, errors: result.status ? 0 : 1 }])).trimEnd());
  else if (format === 'json') out(JSON.stringify(checkJson(result), null, 2));
  else if (format === 'nagios') {
    out(nagiosLine(result));
    for (const r of result.reasons) out(line`${r.severity}: ${r.message}`);
  } else printText(result, out);
  return EXIT[result.health];
}
