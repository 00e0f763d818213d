// pg-pitr recovery-config --pg-version N --data-dir DIR (--target-time T | --target-xid X |
//   --target-lsn L | --target-name NAME | --target-immediate | --target-latest) [--inclusive true|false]
//   [--action pause|promote|shutdown] [--timeline latest|current|N] (--restore-command CMD | --archive-command CMD)
//   [--time-zone Z] [--standby] [--recovered-archive-command CMD] [--archive LOCATION [--endpoint URL]]
//   [--write] [--format text|json]
// Without --write it prints the planned changes; with --write it applies them (keeping backups).
// With --archive the target is checked against the range the copy can reach (archive inspector).
// Exit 0: planned or written; 1: refused (the reason on stderr, and in JSON); 2: usage error.
import * as path from 'node:path';

import { analyseArchive } from '../core/archive/archiveAnalysis';
import { openArchiveSource } from '../core/archive/openSource';
import { SUPPORTED_MAJORS } from '../core/catalog/catalogs';
import { majorProblem, parseMajor, readPgVersionFile } from '../core/catalog/majorChoice';
import { applyRecoveryPlan } from '../core/recovery/applyRecoveryPlan';
import { readBackupLabel } from '../core/recovery/backupLabelFile';
import { copyWindow } from '../core/recovery/copyWindow';
import { planRecovery } from '../core/recovery/planRecovery';
import {
  type RecoveryPlan,
  RecoveryRefusedError,
  type RecoveryRequest,
  type RecoveryTarget,
} from '../core/recovery/types';
import { line } from '../core/text/safeText';
import { lineDiff } from './lineDiff';
import { parseCliArgs } from './parseCliArgs';
import { inclusiveFromArgs, targetFromArgs, timelineFromArgs } from './recoveryTargetArgs';
import { UsageError } from './usageError';

export const RECOVERY_CONFIG_USAGE =
  'usage: pg-pitr recovery-config --pg-version N --data-dir DIR (--target-time T | --target-xid X | --target-lsn ' +
  'L | --target-name NAME | --target-immediate | --target-latest) [--inclusive true|false] [--action pause|promote|shutdown] ' +
  '[--timeline latest|current|N] (--restore-command CMD | --archive-command CMD) [--time-zone Z] [--standby] ' +
  '[--recovered-archive-command CMD] [--archive LOCATION [--endpoint URL]] [--write] [--format text|json]';

const TARGET_OPTIONS = [
  'target-time',
  'target-xid',
  'target-lsn',
  'target-name',
  'target-immediate',
  'target-latest',
] as const;

/** The request the options describe; UsageError for anything malformed (exit 2). */
export function recoveryRequestFromArgs(argv: string[]): {
  request: RecoveryRequest;
  write: boolean;
  format: 'text' | 'json';
  archive: { location: string; endpoint?: string } | null;
} {
  const { values: v } = parseCliArgs({
    args: argv,
    allowPositionals: false,
    options: {
      'pg-version': { type: 'string' },
      'data-dir': { type: 'string' },
      'target-time': { type: 'string' },
      'target-xid': { type: 'string' },
      'target-lsn': { type: 'string' },
      'target-name': { type: 'string' },
      'target-immediate': { type: 'boolean' },
      'target-latest': { type: 'boolean' },
      inclusive: { type: 'string' },
      action: { type: 'string' },
      timeline: { type: 'string' },
      'restore-command': { type: 'string' },
      'archive-command': { type: 'string' },
      'time-zone': { type: 'string' },
      standby: { type: 'boolean' },
      'recovered-archive-command': { type: 'string' },
      archive: { type: 'string' },
      endpoint: { type: 'string' },
      write: { type: 'boolean' },
      format: { type: 'string', default: 'text' },
    },
  });
  if (v.format !== 'json' && v.format !== 'text')
    throw new UsageError(`--format must be json or text (got "${v.format}")`);
  if (v['data-dir'] === undefined || v['data-dir'] === '')
    throw new UsageError("--data-dir DIR is required (the restored copy's data directory)");
  const dataDir = path.resolve(v['data-dir']);
  let major: number;
  if (v['pg-version'] !== undefined) {
    const n = parseMajor(v['pg-version']);
    if (n === null) throw new UsageError(majorProblem('--pg-version', v['pg-version']));
    major = n;
  } else {
    const found = readPgVersionFile(dataDir);
    if ('missing' in found) throw new UsageError('--pg-version N is required (no PG_VERSION in the data directory)');
    if ('unsupported' in found)
      throw new UsageError(
        `--pg-version N is required (PG_VERSION in the data directory says "${found.unsupported}", ` +
          `not one of ${SUPPORTED_MAJORS.join(', ')})`,
      );
    major = found.major;
  }
  const given = TARGET_OPTIONS.filter((o) => v[o] !== undefined && v[o] !== false);
  if (given.length !== 1)
    throw new UsageError(
      given.length === 0
        ? `one target is required: ${TARGET_OPTIONS.map((o) => '--' + o).join(' | ')}`
        : `only one target may be given (got ${given.map((o) => '--' + o).join(', ')})`,
    );
  const target: RecoveryTarget = targetFromArgs(v);
  const inclusive = inclusiveFromArgs(v.inclusive);
  if (v.action !== undefined && !['pause', 'promote', 'shutdown'].includes(v.action))
    throw new UsageError(`--action must be pause, promote or shutdown (got "${v.action}")`);
  const timeline: RecoveryRequest['timeline'] = timelineFromArgs(v.timeline);
  if (v['restore-command'] === undefined && v['archive-command'] === undefined)
    throw new UsageError('--restore-command CMD or --archive-command CMD is required');
  const request: RecoveryRequest = {
    major,
    dataDir,
    target,
    inclusive,
    action: v.action as RecoveryRequest['action'],
    timeline,
    restoreCommand: v['restore-command'],
    archiveCommand: v['archive-command'],
    timeZone: v['time-zone'],
    standby: v.standby === true,
    recoveredArchiving:
      v['recovered-archive-command'] !== undefined
        ? { mode: 'elsewhere', archiveCommand: v['recovered-archive-command'] }
        : { mode: 'off' },
  };
  if (v.endpoint !== undefined && v.archive === undefined) throw new UsageError('--endpoint applies to --archive only');
  const archive = v.archive !== undefined ? { location: v.archive, endpoint: v.endpoint } : null;
  return { request, write: v.write === true, format: v.format, archive };
}

function printPlan(plan: RecoveryPlan, out: (s: string) => void): void {
  for (const c of plan.changes) {
    out(line`${c.action} ${c.path}`);
    if (c.previous === null)
      for (const l of c.content.replace(/\n$/, '').split('\n'))
        out(c.content === '' ? '  (empty file)' : line`  + ${l}`);
    else
      for (const d of lineDiff(c.previous, c.content)) out(line`  ${d.kind} ${String(d.line).padStart(4)}: ${d.text}`);
  }
  for (const w of plan.warnings) out(line`warning: ${w}`);
}

/** The copy's reachable range from the archive; a note instead when it cannot be known. */
async function archiveWindow(
  archive: { location: string; endpoint?: string },
  dataDir: string,
): Promise<{ window: RecoveryRequest['window']; note: string | null }> {
  let source;
  try {
    source = openArchiveSource(archive.location, { endpoint: archive.endpoint });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  let report;
  try {
    report = await analyseArchive(source, {});
  } finally {
    await source.close?.();
  }
  // missing and unreadable are told apart (never a FIFO read that blocks)
  const label = readBackupLabel(dataDir);
  return copyWindow(report, label, dataDir);
}

export async function runRecoveryConfig(
  argv: string[],
  out: (s: string) => void,
  err: (s: string) => void,
): Promise<number> {
  const { request, write, format, archive } = recoveryRequestFromArgs(argv);
  let plan: RecoveryPlan;
  let applied: { written: string[]; backups: string[] } | null = null;
  let note: string | null = null;
  if (archive) {
    const w = await archiveWindow(archive, request.dataDir);
    request.window = w.window;
    note = w.note;
  }
  try {
    plan = planRecovery(request);
    if (note) plan.warnings.push(note);
    if (write) applied = applyRecoveryPlan(plan);
  } catch (e) {
    if (!(e instanceof RecoveryRefusedError) && !(e as NodeJS.ErrnoException).code) throw e;
    const reason =
      e instanceof RecoveryRefusedError ? e.message : `could not write the configuration: ${(e as Error).message}`;
    if (format === 'json') out(JSON.stringify({ refused: reason, changes: [], warnings: [] }, null, 2));
    err(line`pg-pitr: refused: ${reason}`);
    return 1;
  }
  if (format === 'json') {
    const json: Record<string, unknown> = {
      changes: plan.changes.map((c) => ({ path: c.path, action: c.action, content: c.content })),
      warnings: plan.warnings,
    };
    if (applied) Object.assign(json, applied);
    out(JSON.stringify(json, null, 2));
    return 0;
  }
  printPlan(plan, out);
  if (applied) {
    for (const p of applied.written) out(line`written: ${p}`);
    for (const p of applied.backups) out(line`backup kept: ${p}`);
  } else out('nothing written: run again with --write to apply these changes');
  return 0;
}
