// pgPitr.createRestorePoint: a named restore point (pg_create_restore_point) on a chosen server,
// with a name suggested from the time and the reason, its LSN and WAL file shown, and recorded in
// the restore point log so the recovery wizard can offer it as a target later.
import * as vscode from 'vscode';

import type { CommandContext } from '../commands/commandContext';
import { showErrorMessage, showInformationMessage, showWarningMessage } from '../safeMessages';
import { chooseServer, isServersViewElement } from '../servers/serverChoice';
import { withServerConnection } from '../servers/serverConnection';
import { restorePointLogFile } from './restorePointLogFile';

export const CREATE_RESTORE_POINT_COMMAND = 'pgPitr.createRestorePoint';

/** Optional argument (tests, the SQL CodeLens, the sidebar's server item): given fields skip their prompt. */
export interface CreateRestorePointArgument {
  server?: string;
  reason?: string;
  name?: string;
}

export interface CreatedRestorePoint {
  server: string;
  name: string;
  lsn: string;
  wal: string;
  timeline: number;
  time: string;
  /** the restore point log it was recorded in (null when recording failed) */
  log: string | null;
}

export async function createRestorePointCommand(
  ctx: CommandContext,
  arg?: unknown,
): Promise<CreatedRestorePoint | undefined> {
  // a Servers view row names the server only (its `name` is the server's, not the point's)
  const a = (
    typeof arg === 'object' && arg !== null && !isServersViewElement(arg) ? arg : {}
  ) as CreateRestorePointArgument;
  const server = await chooseServer(ctx.extension, arg, 'create the restore point on');
  if (!server) return undefined;
  const backend = await ctx.backend();

  let name = typeof a.name === 'string' ? a.name : undefined;
  let reason = typeof a.reason === 'string' && a.reason.trim() !== '' ? a.reason : undefined;
  if (name === undefined) {
    // the reason (typed, or the statement a CodeLens passes) only seeds the suggested name, which the user confirms
    reason ??= await vscode.window.showInputBox({
      title: 'pg-pitr: restore point',
      prompt: 'Why? (e.g. "before migration 042"; used in the suggested name)',
      ignoreFocusOut: true,
    });
    if (reason === undefined) return undefined;
    const suggested = backend.suggestRestorePointName(reason, new Date());
    name = await vscode.window.showInputBox({
      title: 'pg-pitr: restore point name',
      prompt: `Name of the restore point on ${server.profile.name} (at most 63 bytes; recovery can later stop at it)`,
      value: suggested,
      ignoreFocusOut: true,
      validateInput: (v) => backend.validateRestorePointName(v) ?? undefined,
    });
    if (name === undefined) return undefined;
  }
  const invalid = backend.validateRestorePointName(name);
  if (invalid !== null) {
    void showErrorMessage(`pg-pitr: ${invalid}`);
    return undefined;
  }

  // pg_create_restore_point() works in a read-only session (checked on 10, 13, 18)
  const pointName = name;
  const point = await withServerConnection(ctx, server, { readOnly: true }, (conn) =>
    backend.createRestorePoint(conn, pointName),
  );
  if (!point) return undefined;
  const created: CreatedRestorePoint = {
    server: server.profile.name,
    name: point.name,
    lsn: point.lsn,
    wal: point.wal,
    timeline: point.timeline,
    time: point.time,
    log: restorePointLogFile(ctx.extension),
  };
  try {
    new backend.RestorePointLog(restorePointLogFile(ctx.extension)).add({
      ...point,
      server: server.profile.name,
      ...(reason ? { reason } : {}),
    });
  } catch (e) {
    created.log = null;
    void showWarningMessage(
      `pg-pitr: restore point "${point.name}" was created but could not be recorded: ${(e as Error).message}`,
    );
  }
  void showInformationMessage(
    `pg-pitr: restore point "${point.name}" created on ${server.profile.name} at LSN ${point.lsn} (WAL file ${point.wal}, timeline ${point.timeline}).`,
  );
  return created;
}
