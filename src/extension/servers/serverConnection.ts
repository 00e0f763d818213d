// Opens a connection to a chosen server for one piece of work and always closes it. Connection
// failures become an error message naming the server (core messages never carry the password).

import type { ServerConnection } from '../../core/server/types';
import type { CommandContext } from '../commands/commandContext';
import { showErrorMessage } from '../safeMessages';
import type { ChosenServer } from './serverChoice';

const CONNECT_TIMEOUT_MS = 10_000;
const STATEMENT_TIMEOUT_MS = 30_000;

/** Runs `work` on a fresh connection; undefined (after an error message) when connecting or the work fails. */
export async function withServerConnection<T>(
  ctx: CommandContext,
  server: ChosenServer,
  opts: { readOnly: boolean; statementTimeoutMs?: number },
  work: (conn: ServerConnection) => Promise<T>,
): Promise<T | undefined> {
  const backend = await ctx.backend();
  let conn: ServerConnection | undefined;
  try {
    const resolved = await backend.resolveConnection(server.profile, { password: server.password });
    conn = await backend.openConnection(resolved, {
      defaultConnectTimeoutMs: CONNECT_TIMEOUT_MS,
      statementTimeoutMs: opts.statementTimeoutMs ?? STATEMENT_TIMEOUT_MS,
      readOnly: opts.readOnly,
    });
    return await work(conn);
  } catch (e) {
    void showErrorMessage(`pg-pitr: ${server.profile.name}: ${(e as Error).message}`);
    return undefined;
  } finally {
    await conn?.close().catch(() => undefined);
  }
}
