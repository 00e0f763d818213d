// pg-pitr drill --backup DIR | --pgbackrest-stanza NAME [...]: a restore drill on the command line.
// pg-pitr drill --history: the drills recorded, newest first.
// Exit 0: the drill succeeded; 1: recovery failed (a recoverability problem); 2: usage or
// environment error (refused); 130: interrupted (Ctrl-C), after the scratch server was stopped
// and the scratch folder removed.
import { validateUserSettings } from '../core/drill/copySettings';
import { appendDrillRecord, defaultHistoryFile, readDrillHistory } from '../core/drill/drillHistory';
import { renderDrillReport, renderHistory } from '../core/drill/drillReportText';
import { parseDuration } from '../core/drill/duration';
import { runDrill } from '../core/drill/runDrill';
import { type DrillBackupSource, type DrillProgress, type DrillRequest, EXIT_CODES } from '../core/drill/types';
import type { RecoveryTarget } from '../core/recovery/types';
import { line } from '../core/text/safeText';
import { parseCliArgs } from './parseCliArgs';
import { inclusiveFromArgs, targetFromArgs, timelineFromArgs } from './recoveryTargetArgs';
import { UsageError } from './usageError';

export const DRILL_USAGE =
  'usage: pg-pitr drill (--backup DIR | --pgbackrest-stanza NAME [--pgbackrest-config FILE] [--pgbackrest-set ' +
  'LABEL]) [--target-time T | --target-xid X | --target-lsn L | --target-name N | --target-immediate | --target-latest] ' +
  '[--inclusive true|false] [--timeline latest|current|N] [--time-zone Z] (--restore-command CMD | --archive-command ' +
  'CMD | --archive LOCATION [--endpoint URL]) [--scratch DIR] [--keep] [--pg-bin-dir DIR] [--os-user NAME] ' +
  '[--set NAME=VALUE]... [--check-sql SQL]... [--database NAME] [--amcheck] [--timeout DURATION] [--record ' +
  'FILE] [--format text|json]\n       pg-pitr drill --history [--record FILE] [--format text|json]';

const TARGETS = [
  'target-time',
  'target-xid',
  'target-lsn',
  'target-name',
  'target-immediate',
  'target-latest',
] as const;
const DEFAULT_TIMEOUT_MS = 6 * 3_600_000;

export interface DrillCliOptions {
  request: DrillRequest;
  format: 'text' | 'json';
  record: string;
}

function parse(argv: string[]) {
  return parseCliArgs({
    args: argv,
    allowPositionals: false,
    options: {
      backup: { type: 'string' },
      'pgbackrest-stanza': { type: 'string' },
      'pgbackrest-config': { type: 'string' },
      'pgbackrest-set': { type: 'string' },
      'target-time': { type: 'string' },
      'target-xid': { type: 'string' },
      'target-lsn': { type: 'string' },
      'target-name': { type: 'string' },
      'target-immediate': { type: 'boolean' },
      'target-latest': { type: 'boolean' },
      inclusive: { type: 'string' },
      timeline: { type: 'string' },
      'time-zone': { type: 'string' },
      'restore-command': { type: 'string' },
      'archive-command': { type: 'string' },
      archive: { type: 'string' },
      endpoint: { type: 'string' },
      scratch: { type: 'string' },
      keep: { type: 'boolean' },
      'pg-bin-dir': { type: 'string' },
      'os-user': { type: 'string' },
      set: { type: 'string', multiple: true },
      'check-sql': { type: 'string', multiple: true },
      database: { type: 'string' },
      amcheck: { type: 'boolean' },
      timeout: { type: 'string' },
      record: { type: 'string' },
      format: { type: 'string', default: 'text' },
      history: { type: 'boolean' },
    },
  });
}

/** The drill the options describe; UsageError for anything malformed (exit 2). */
export function drillRequestFromArgs(v: ReturnType<typeof parse>['values']): DrillRequest {
  const stanza = v['pgbackrest-stanza'];
  if ((v.backup === undefined) === (stanza === undefined))
    throw new UsageError(
      v.backup === undefined
        ? 'give --backup DIR (a pg_basebackup result) or --pgbackrest-stanza NAME'
        : '--backup and --pgbackrest-stanza exclude each other',
    );
  if (stanza === undefined && (v['pgbackrest-config'] !== undefined || v['pgbackrest-set'] !== undefined))
    throw new UsageError('--pgbackrest-config and --pgbackrest-set go with --pgbackrest-stanza');
  const backup: DrillBackupSource =
    stanza !== undefined
      ? { kind: 'pgbackrest', stanza, config: v['pgbackrest-config'], set: v['pgbackrest-set'] }
      : { kind: 'folder', path: v.backup! };
  const given = TARGETS.filter((o) => v[o] !== undefined && v[o] !== false);
  if (given.length > 1)
    throw new UsageError(`only one target may be given (got ${given.map((o) => '--' + o).join(', ')})`);
  const target: RecoveryTarget = targetFromArgs(v);
  const inclusive = inclusiveFromArgs(v.inclusive);
  const timeline: DrillRequest['timeline'] = timelineFromArgs(v.timeline);
  const sources = ['restore-command', 'archive-command'].filter((o) => v[o as 'archive'] !== undefined);
  if (sources.length > 1) throw new UsageError('--restore-command and --archive-command exclude each other');
  if (stanza === undefined && sources.length === 0 && v.archive === undefined)
    throw new UsageError(
      'where does WAL come from? give --restore-command CMD, --archive-command CMD or --archive LOCATION',
    );
  if (stanza !== undefined && sources.length > 0)
    throw new UsageError(
      'with --pgbackrest-stanza, WAL comes from pgBackRest (archive-get): leave out --restore-command / --archive-command',
    );
  if (v.endpoint !== undefined && v.archive === undefined) throw new UsageError('--endpoint applies to --archive only');
  const settings: [string, string][] = [];
  for (const s of v.set ?? []) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set takes NAME=VALUE (got "${s}")`);
    settings.push([s.slice(0, eq).trim(), s.slice(eq + 1)]);
  }
  const bad = validateUserSettings(settings);
  if (bad) throw new UsageError(bad);
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  if (v.timeout !== undefined) {
    const ms = parseDuration(v.timeout);
    if (ms === null) throw new UsageError(`--timeout takes a duration such as 90s, 30m, 2h (got "${v.timeout}")`);
    timeoutMs = ms;
  }
  if ((v['check-sql'] ?? []).some((s) => s.trim() === '')) throw new UsageError('--check-sql is empty');
  return {
    backup,
    target,
    inclusive,
    timeline,
    timeZone: v['time-zone'],
    wal: {
      restoreCommand: v['restore-command'],
      archiveCommand: v['archive-command'],
      archive: v.archive,
      endpoint: v.endpoint,
    },
    scratch: v.scratch,
    keep: v.keep === true,
    pgBinDir: v['pg-bin-dir'],
    osUser: v['os-user'],
    settings,
    checkSql: v['check-sql'] ?? [],
    database: v.database,
    amcheck: v.amcheck === true,
    timeoutMs,
  };
}

/** stderr progress: a rewritten line on a terminal, a line every few seconds otherwise. */
function progressPrinter(err: (s: string) => void, tty: boolean): (p: DrillProgress) => void {
  let lastAt = 0;
  return (p) => {
    if (p.phase !== 'replay' || !p.replay) {
      if (tty) process.stderr.write('\r\x1b[K');
      err(line`pg-pitr drill: ${p.message}`);
      return;
    }
    const r = p.replay;
    const pct = r.bytesToGoal ? ` (${Math.min(100, Math.round((r.bytesReplayed / r.bytesToGoal) * 100))} %)` : '';
    const text = `pg-pitr drill: replayed ${r.lsn}${r.goalLsn ? ` of ${r.goalLsn}` : ''}${pct}${r.mbPerSecond !== null ? ` · ${r.mbPerSecond.toFixed(1)} MB/s` : ''}${r.etaSeconds !== null ? ` · ETA ${Math.round(r.etaSeconds)} s` : ''}`;
    if (tty) process.stderr.write(`\r\x1b[K${text}`);
    else if (Date.now() - lastAt > 5000) {
      lastAt = Date.now();
      err(text);
    }
  };
}

export async function runDrillCli(
  argv: string[],
  out: (s: string) => void,
  err: (s: string) => void,
  opts: { signal?: AbortSignal; quietProgress?: boolean } = {},
): Promise<number> {
  const { values: v } = parse(argv);
  if (v.format !== 'json' && v.format !== 'text')
    throw new UsageError(`--format must be json or text (got "${v.format}")`);
  const record = v.record ?? defaultHistoryFile();
  if (v.history) {
    const other = Object.keys(v).filter((k) => !['history', 'record', 'format'].includes(k));
    if (other.length > 0)
      throw new UsageError(`--history takes only --record and --format (got ${other.map((k) => '--' + k).join(', ')})`);
    const h = readDrillHistory(record);
    if (h.error) {
      err(line`pg-pitr: drill history failed: ${h.error}`);
      return 2;
    }
    if (v.format === 'json') out(JSON.stringify(h.records, null, 2));
    else for (const l of renderHistory(h.records)) out(l);
    if (h.skipped > 0) err(line`pg-pitr: ${h.skipped} line(s) of ${record} are not drill reports and were skipped`);
    return 0;
  }
  const request = drillRequestFromArgs(v);
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const signals = [controller.signal, ...(opts.signal ? [opts.signal] : [])];
  let report;
  try {
    report = await runDrill({
      ...request,
      signal: AbortSignal.any(signals),
      onProgress: opts.quietProgress ? undefined : progressPrinter(err, process.stderr.isTTY === true),
    });
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
  if (process.stderr.isTTY && !opts.quietProgress) process.stderr.write('\r\x1b[K');
  const kind = report.ok ? 'ok' : (report.failure?.kind ?? 'refused');
  // a refused or cancelled drill proved nothing about the backup: it is not recorded
  if (kind !== 'refused' && kind !== 'cancelled') {
    try {
      appendDrillRecord(record, report);
    } catch (e) {
      err(line`pg-pitr: recording the drill failed: ${(e as Error).message}`);
    }
  }
  if (v.format === 'json') out(JSON.stringify(report, null, 2));
  else for (const l of renderDrillReport(report)) out(l);
  if (!report.ok && v.format === 'json') err(line`pg-pitr: drill failed (${kind}): ${report.failure?.message ?? ''}`);
  return EXIT_CODES[kind];
}
