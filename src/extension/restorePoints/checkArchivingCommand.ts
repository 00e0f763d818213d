// pgPitr.checkArchiving: proves archiving end to end, as `pgbackrest check` does: a restore point
// (so an idle server has WAL to switch), a WAL switch, then wait until the archiver reports the
// segment and the file is in the archive. Cancellable progress, bounded by a timeout.
import * as vscode from 'vscode';

import type { ServerConnection, ServerProfile } from '../../core/server/types';
import type { Backend } from '../backendLoader';
import type { CommandContext } from '../commands/commandContext';
import { showErrorMessage, showInformationMessage } from '../safeMessages';
import { chooseServer, isServersViewElement } from '../servers/serverChoice';
import { withServerConnection } from '../servers/serverConnection';
import { settings } from '../settings';

export const CHECK_ARCHIVING_COMMAND = 'pgPitr.checkArchiving';

export interface CheckArchivingArgument {
  server?: string;
  /** overrides the setting pgPitr.checkArchivingTimeoutSeconds */
  timeoutMs?: number;
}

export function archivingTimeoutMs(arg: CheckArchivingArgument): number {
  if (typeof arg.timeoutMs === 'number' && arg.timeoutMs > 0) return arg.timeoutMs;
  return settings.checkArchivingTimeoutSeconds() * 1000;
}

export async function checkArchivingCommand(ctx: CommandContext, arg?: unknown) {
  const a = (
    typeof arg === 'object' && arg !== null && !isServersViewElement(arg) ? arg : {}
  ) as CheckArchivingArgument;
  const server = await chooseServer(ctx.extension, arg, 'check archiving on');
  if (!server) return undefined;
  const backend = await ctx.backend();
  const timeoutMs = archivingTimeoutMs(a);
  const result = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `pg-pitr: checking archiving on ${server.profile.name}`,
      cancellable: true,
    },
    async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        return await withServerConnection(
          ctx,
          server,
          { readOnly: true, statementTimeoutMs: Math.min(timeoutMs, 30_000) },
          async (conn) => {
            const where = await archiveLocation(backend, server.profile, conn);
            progress.report({ message: where.location ? `archive: ${where.location}` : where.note });
            const source = where.location
              ? backend.openArchiveSource(where.location, { endpoint: server.profile.archiveEndpoint })
              : null;
            try {
              const r = await backend.proveArchiving(conn, {
                archive: source,
                timeoutMs,
                signal: abort.signal,
                onProgress: (message: string) => progress.report({ message }),
              });
              return { ...r, archive: where.location, archiveNote: where.location ? null : where.note };
            } finally {
              await source?.close?.();
            }
          },
        );
      } finally {
        sub.dispose();
      }
    },
  );
  if (!result) return undefined;
  if (result.ok) {
    void showInformationMessage(
      `pg-pitr: archiving works on ${server.profile.name}: WAL file ${result.segment} was archived after ${seconds(result.archivedAfterMs)}` +
        (result.inArchiveAfterMs !== null
          ? ` and was in ${result.archive} after ${seconds(result.inArchiveAfterMs)}.`
          : ` (${result.archiveNote ?? 'the archive itself was not looked at'}).`),
    );
  } else {
    void showErrorMessage(`pg-pitr: archiving on ${server.profile.name} is not proven: ${result.failure}`);
  }
  return result;
}

/** The archive to look in: the server's configured location, else the one archive_command writes to. */
async function archiveLocation(
  backend: Backend,
  profile: ServerProfile,
  conn: ServerConnection,
): Promise<{ location: string | null; note: string }> {
  if (profile.archive) return { location: profile.archive, note: 'configured for the server' };
  const [row] = await conn.query<{ archive_command: string }>(
    "SELECT current_setting('archive_command') AS archive_command",
  );
  const inferred = backend.inferArchive(row?.archive_command ?? '');
  if ((inferred.kind === 'local' || inferred.kind === 's3') && inferred.location)
    return { location: inferred.location, note: 'from archive_command' };
  return {
    location: null,
    note: `only the archiver's report is awaited: the archive location is unknown (${inferred.reason}); set "archive" for this server to check the archive too`,
  };
}

function seconds(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '?' : `${(ms / 1000).toFixed(1)} s`;
}
