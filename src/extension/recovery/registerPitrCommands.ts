// The recovery, base backup and restore point commands and the SQL CodeLens. They run programs or
// connect to servers, so they exist only in a trusted workspace (registered when trust is granted,
// if later). Each command takes an optional argument object (the Servers view's row, a CodeLens,
// tests) and resolves to what it did, so it can be driven without its prompts.
import * as vscode from 'vscode';

import { LAUNCH_BASE_BACKUP_COMMAND, launchBaseBackupCommand } from '../backup/launchBaseBackupCommand';
import { removeStalePassFiles } from '../backup/privatePassFile';
import { VERIFY_BACKUP_COMMAND, verifyBackupCommand } from '../backup/verifyBackupCommand';
import { CHECK_ARCHIVING_COMMAND, checkArchivingCommand } from '../restorePoints/checkArchivingCommand';
import { CREATE_RESTORE_POINT_COMMAND, createRestorePointCommand } from '../restorePoints/createRestorePointCommand';
import { showErrorMessage } from '../safeMessages';
import { DestructiveStatementLensProvider } from '../sqlLens/destructiveStatementLens';
import { GENERATE_RECOVERY_CONFIG_COMMAND, generateRecoveryConfigCommand } from './generateRecoveryConfigCommand';
import { loadPitrBackend } from './pitrBackend';
import type { PitrCommandContext } from './pitrCommandContext';
import { PlanPreviewDocuments, PREVIEW_SCHEME } from './planPreview';

export function registerPitrCommands(context: vscode.ExtensionContext): void {
  if (vscode.workspace.isTrusted) {
    start(context);
    return;
  }
  const sub = vscode.workspace.onDidGrantWorkspaceTrust(() => {
    sub.dispose();
    start(context);
  });
  context.subscriptions.push(sub);
}

function start(context: vscode.ExtensionContext): void {
  const ctx: PitrCommandContext = { extension: context, backend: loadPitrBackend };
  const previews = new PlanPreviewDocuments();
  removeStalePassFiles(context.globalStorageUri.fsPath);
  // a failure inside a command is shown, never left as an unhandled rejection
  const guarded =
    <R>(name: string, run: (arg: unknown) => Promise<R>) =>
    async (arg?: unknown): Promise<R | undefined> => {
      try {
        return await run(arg);
      } catch (e) {
        void showErrorMessage(`pg-pitr: ${name} failed: ${(e as Error).message}`);
        return undefined;
      }
    };
  context.subscriptions.push(
    previews,
    vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, previews),
    vscode.commands.registerCommand(
      GENERATE_RECOVERY_CONFIG_COMMAND,
      guarded('generating the recovery configuration', (arg) => generateRecoveryConfigCommand(ctx, previews, arg)),
    ),
    vscode.commands.registerCommand(
      LAUNCH_BASE_BACKUP_COMMAND,
      guarded('launching pg_basebackup', (arg) => launchBaseBackupCommand(ctx, arg)),
    ),
    vscode.commands.registerCommand(
      VERIFY_BACKUP_COMMAND,
      guarded('verifying the backup', (arg) => verifyBackupCommand(ctx, arg)),
    ),
    vscode.commands.registerCommand(
      CREATE_RESTORE_POINT_COMMAND,
      guarded('creating the restore point', (arg) => createRestorePointCommand(ctx, arg)),
    ),
    vscode.commands.registerCommand(
      CHECK_ARCHIVING_COMMAND,
      guarded('checking archiving', (arg) => checkArchivingCommand(ctx, arg)),
    ),
    vscode.languages.registerCodeLensProvider(
      { language: 'sql' },
      new DestructiveStatementLensProvider(loadPitrBackend),
    ),
  );
}
