// pgPitr.generateRecoveryConfig: asks (or takes from its argument) what to recover to, plans the
// configuration of the restored copy with the core planner, previews every file change, and writes
// only after a modal confirmation. Refusals (a running postmaster, a target outside the window,
// a restore_command that fails the lint rules...) are shown with their reason.
import * as vscode from 'vscode';

import type { RecoveryRequest } from '../../core/recovery/types';
import { line } from '../../core/text/safeText';
import type { Backend } from '../backendLoader';
import type { CommandContext } from '../commands/commandContext';
import { log } from '../log';
import { restorePointLogFile } from '../restorePoints/restorePointLogFile';
import { showInformationMessage } from '../safeMessages';
import { chooseServer, type ChosenServer, isServersViewElement, serverNameOf } from '../servers/serverChoice';
import { withServerConnection } from '../servers/serverConnection';
import { confirmModal, showRefusal } from '../ui/modalConfirmation';
import { type ArchiveFacts, backupLabelStartWal, readArchiveFacts } from './archiveFacts';
import type { PlanPreviewDocuments } from './planPreview';
import { askRecoveryRequest, type RecoveryPrefill } from './recoveryWizard';

export const GENERATE_RECOVERY_CONFIG_COMMAND = 'pgPitr.generateRecoveryConfig';

/** Optional argument: any RecoveryRequest field skips its question; `dataDir` + `target` skip them all.
 * `time` and `backup` come from the recoverability timeline: the time is asked prefilled, the backup named. */
export interface GenerateRecoveryConfigArgument extends Partial<RecoveryRequest>, RecoveryPrefill {
  /** mirror this server's archive_command as restore_command */
  server?: string;
  /** true: write without the modal question; honoured only in an extension test run (ExtensionMode.Test),
   * so no other extension or command link can write files unasked */
  confirm?: boolean;
  preview?: boolean;
}

export type GenerateRecoveryConfigResult =
  | { outcome: 'written'; written: string[]; backups: string[]; warnings: string[] }
  | { outcome: 'refused'; reason: string }
  | { outcome: 'cancelled' };

export async function generateRecoveryConfigCommand(
  ctx: CommandContext,
  previews: PlanPreviewDocuments,
  arg?: unknown,
): Promise<GenerateRecoveryConfigResult> {
  const fromTree = isServersViewElement(arg) ? arg : undefined;
  const a = (typeof arg === 'object' && arg !== null && !fromTree ? arg : {}) as GenerateRecoveryConfigArgument;
  const { confirm: askedNotToConfirm, preview, server: serverName, time, backup, ...given } = a;
  const confirm = askedNotToConfirm === true && ctx.extension.extensionMode === vscode.ExtensionMode.Test;
  // a server named by the argument or the Servers view: its archive_command is the one to mirror
  const preset = serverName ?? (fromTree ? serverNameOf(fromTree) : undefined);
  const answers = await askRecoveryRequest(ctx, { ...given, server: preset }, { time, backup });
  if (!answers) return { outcome: 'cancelled' };
  const request = answers.request;
  const server =
    answers.server ??
    (preset !== undefined ? await chooseServer(ctx.extension, preset, 'mirror the archive_command of') : undefined);
  if (preset !== undefined && !server) return { outcome: 'cancelled' };

  const backend = await ctx.backend();
  if (server && request.archiveCommand === undefined) {
    const archiveCommand = await withServerConnection(ctx, server, { readOnly: true }, async (conn) => {
      const [row] = await conn.query<{ archive_command: string }>(
        "SELECT current_setting('archive_command') AS archive_command",
      );
      return row?.archive_command ?? '';
    });
    if (archiveCommand === undefined) return { outcome: 'cancelled' };
    request.archiveCommand = archiveCommand;
  }

  const refuse = (reason: string): GenerateRecoveryConfigResult => {
    showRefusal(`pg-pitr: recovery configuration refused: ${reason}`, undefined, confirm !== true);
    return { outcome: 'refused', reason };
  };
  // before the previews: a running server's directory is never a restored copy to configure
  const pid = backend.runningPostmaster(request.dataDir);
  if (pid !== null)
    return refuse(
      `a postmaster (PID ${pid}) is running on ${request.dataDir}: this is a live server, not a stopped restored copy`,
    );
  // the archive, when known, gives the reachable range (the plan refuses a target outside it)
  const facts = server
    ? await archiveFactsWithProgress(ctx, backend, server, request)
    : { window: null, notes: [], refusal: null };
  if (facts.refusal) return refuse(facts.refusal);
  if (facts.window && request.window === undefined) request.window = facts.window;
  let plan: ReturnType<typeof backend.planRecovery>;
  try {
    plan = backend.planRecovery(request);
  } catch (e) {
    return refuse((e as Error).message);
  }
  plan.warnings.push(...facts.notes);
  // the timeline named the backup to restore for the moment picked: this copy may be another one
  const copyStart = backup?.startWal ? backupLabelStartWal(request.dataDir) : null;
  if (backup?.startWal && copyStart !== null && copyStart !== backup.startWal) {
    plan.warnings.push(
      `the timeline picked base backup ${backup.label} (from ${backup.startWal}) for this moment; this ` +
        `copy was restored from the backup starting at ${copyStart}`,
    );
  }

  if (preview !== false) await previews.show(plan.changes);
  if (confirm !== true) {
    const detail = [
      ...plan.changes.map((c) => line`${c.action === 'create' ? 'create' : 'update'} ${c.path}`),
      ...(plan.warnings.length > 0 ? ['', ...plan.warnings.map((w) => line`⚠ ${w}`)] : []),
      '',
      'Every file replaced is kept as a backup copy beside it.',
    ].join('\n');
    if (
      !(await confirmModal(`pg-pitr: write the recovery configuration into ${request.dataDir}?`, detail, 'Write files'))
    )
      return { outcome: 'cancelled' };
  }
  try {
    const applied = backend.applyRecoveryPlan(plan);
    for (const f of applied.written) log().info(`recovery configuration: wrote ${f}`);
    for (const f of applied.backups) log().info(`recovery configuration: kept the replaced file as ${f}`);
    const backups = applied.backups.length > 0 ? ` Backups: ${applied.backups.join(', ')}.` : '';
    void showInformationMessage(
      `pg-pitr: wrote ${applied.written.join(', ')}.${backups} Start the server on ${request.dataDir} to recover.`,
    );
    return { outcome: 'written', written: applied.written, backups: applied.backups, warnings: plan.warnings };
  } catch (e) {
    return refuse((e as Error).message);
  }
}

const ARCHIVE_READ_TIMEOUT_MS = 60_000;

/** Reads the archive of `server` (configured, or where its archive_command writes) under a cancellable
 * progress notification; a failure or a cancel leaves the plan without a range, with a note saying so. */
async function archiveFactsWithProgress(
  ctx: CommandContext,
  backend: Backend,
  server: ChosenServer,
  request: RecoveryRequest,
): Promise<ArchiveFacts> {
  const inferred = backend.inferArchive(request.archiveCommand ?? '');
  const location =
    server.profile.archive ??
    ((inferred.kind === 'local' || inferred.kind === 's3') && inferred.location ? inferred.location : null);
  if (!location)
    return {
      window: null,
      refusal: null,
      notes: [
        `the archive of ${server.profile.name} is unknown (${inferred.reason}): the reachable range is ` +
          `not checked; set "archive" for this server to have it checked`,
      ],
    };
  const restorePoints = new backend.RestorePointLog(restorePointLogFile(ctx.extension)).list();
  return vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `pg-pitr: reading the archive ${location}`,
      cancellable: true,
    },
    async (_progress, token) => {
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), ARCHIVE_READ_TIMEOUT_MS);
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        return await readArchiveFacts(
          backend,
          { location, endpoint: server.profile.archiveEndpoint },
          request,
          restorePoints,
          abort.signal,
        );
      } catch (e) {
        const why = abort.signal.aborted
          ? token.isCancellationRequested
            ? 'cancelled'
            : `no answer within ${ARCHIVE_READ_TIMEOUT_MS / 1000} s`
          : (e as Error).message;
        return {
          window: null,
          refusal: null,
          notes: [`the archive ${location} could not be read (${why}): the reachable range is not checked`],
        };
      } finally {
        clearTimeout(timer);
        sub.dispose();
      }
    },
  );
}
