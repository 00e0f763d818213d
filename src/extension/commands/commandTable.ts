// Every command of the extension: id -> what it does (for error messages) -> handler. Registered
// through one wrapper (guardCommand: errors shown and logged the same way) and gated in one place:
// the trusted table exists only once the workspace is trusted (see workspaceTrust.ts).
// To add a command: an entry here, its contribution in package.json, and a test.
import * as vscode from 'vscode';

import { LAUNCH_BASE_BACKUP_COMMAND, launchBaseBackupCommand } from '../backup/launchBaseBackupCommand';
import { VERIFY_BACKUP_COMMAND, verifyBackupCommand } from '../backup/verifyBackupCommand';
import { RUN_DRILL_COMMAND, runDrillCommand } from '../drill/runDrillCommand';
import {
  GENERATE_RECOVERY_CONFIG_COMMAND,
  generateRecoveryConfigCommand,
} from '../recovery/generateRecoveryConfigCommand';
import type { PlanPreviewDocuments } from '../recovery/planPreview';
import { CHECK_ARCHIVING_COMMAND, checkArchivingCommand } from '../restorePoints/checkArchivingCommand';
import { CREATE_RESTORE_POINT_COMMAND, createRestorePointCommand } from '../restorePoints/createRestorePointCommand';
import type { ServersFeature } from '../servers/serversFeature';
import { SHOW_SERVERS_COMMAND } from '../servers/serversStatusBar';
import type { ServersElement } from '../servers/serversTreeProvider';
import { SHOW_TIMELINE_COMMAND, showTimelineCommand } from '../timeline/showTimelineCommand';
import { SELECT_VERSION_COMMAND, selectPostgresVersion } from '../version/majorVersion';
import type { CommandContext } from './commandContext';
import { guardCommand } from './guardCommand';

/** One command: its id, what it does in words ("pg-pitr: <what> failed: ..."), and its handler. */
export interface CommandEntry<S> {
  id: string;
  what: string;
  run: (services: S, ...args: unknown[]) => unknown;
}

/** What the trusted commands work with. */
export interface TrustedServices {
  ctx: CommandContext;
  previews: PlanPreviewDocuments;
  servers: ServersFeature;
}

/** Test hooks (`{confirm: true}`) are honoured only in an extension test run, never for a user. */
function inTestRun(s: TrustedServices): boolean {
  return s.ctx.extension.extensionMode === vscode.ExtensionMode.Test;
}

const confirmed = (opts: unknown): boolean =>
  typeof opts === 'object' && opts !== null && (opts as { confirm?: unknown }).confirm === true;

/** Commands that run nothing and connect nowhere: available in Restricted Mode too. */
export const COMMANDS: CommandEntry<vscode.ExtensionContext>[] = [
  { id: SELECT_VERSION_COMMAND, what: 'choosing the PostgreSQL version', run: () => selectPostgresVersion() },
  // Restricted Mode: a local archive folder only (reading files runs nothing); the command checks
  { id: SHOW_TIMELINE_COMMAND, what: 'showing the timeline', run: (context, arg) => showTimelineCommand(context, arg) },
];

/** Commands that connect to servers or run programs: registered only in a trusted workspace. */
export const TRUSTED_COMMANDS: CommandEntry<TrustedServices>[] = [
  { id: 'pgPitr.addServer', what: 'adding the server', run: (s) => s.servers.commands.add() },
  {
    id: 'pgPitr.editServer',
    what: 'editing the server',
    run: (s, e) => s.servers.commands.edit(e as ServersElement | undefined),
  },
  {
    id: 'pgPitr.removeServer',
    what: 'removing the server',
    run: (s, e, opts) => s.servers.commands.remove(e as ServersElement | undefined, confirmed(opts) && inTestRun(s)),
  },
  {
    id: 'pgPitr.testServerConnection',
    what: 'testing the connection',
    run: (s, e) => s.servers.commands.test(e as ServersElement | undefined),
  },
  { id: 'pgPitr.refreshServers', what: 'refreshing the servers', run: (s) => s.servers.refreshAll(true) },
  { id: SHOW_SERVERS_COMMAND, what: 'showing the servers', run: (s) => s.servers.showView() },
  {
    id: GENERATE_RECOVERY_CONFIG_COMMAND,
    what: 'generating the recovery configuration',
    run: (s, arg) => generateRecoveryConfigCommand(s.ctx, s.previews, arg),
  },
  {
    id: LAUNCH_BASE_BACKUP_COMMAND,
    what: 'launching pg_basebackup',
    run: (s, arg) => launchBaseBackupCommand(s.ctx, arg),
  },
  { id: VERIFY_BACKUP_COMMAND, what: 'verifying the backup', run: (s, arg) => verifyBackupCommand(s.ctx, arg) },
  {
    id: CREATE_RESTORE_POINT_COMMAND,
    what: 'creating the restore point',
    run: (s, arg) => createRestorePointCommand(s.ctx, arg),
  },
  { id: CHECK_ARCHIVING_COMMAND, what: 'checking archiving', run: (s, arg) => checkArchivingCommand(s.ctx, arg) },
  { id: RUN_DRILL_COMMAND, what: 'running the restore drill', run: (s, arg) => runDrillCommand(s.ctx, arg) },
];

/** Registers a table's commands, each through guardCommand. */
export function registerCommandTable<S>(
  context: vscode.ExtensionContext,
  entries: readonly CommandEntry<S>[],
  services: S,
): void {
  for (const entry of entries)
    context.subscriptions.push(
      vscode.commands.registerCommand(
        entry.id,
        guardCommand(entry.id, entry.what, (...args) => entry.run(services, ...args)),
      ),
    );
}
