// pgPitr.verifyBackup: pg_verifybackup (PostgreSQL 13+) on a base backup folder, in a terminal
// started from an argument list (no shell, so no quoting of the folder can go wrong).
import * as path from 'node:path';

import * as vscode from 'vscode';

import type { CommandContext } from '../commands/commandContext';
import { showErrorMessage, showWarningMessage } from '../safeMessages';
import { findPgProgram } from './pgPrograms';
import { openProgramTerminal, programTerminalSpec } from './programTerminal';

export const VERIFY_BACKUP_COMMAND = 'pgPitr.verifyBackup';

export interface VerifyBackupArgument {
  dir?: string;
}

export interface StartedVerification {
  terminalName: string;
  file: string;
  args: string[];
}

export async function verifyBackupCommand(
  ctx: CommandContext,
  arg?: unknown,
): Promise<StartedVerification | undefined> {
  const a = (typeof arg === 'object' && arg !== null ? arg : {}) as VerifyBackupArgument;
  let dir = typeof a.dir === 'string' && a.dir !== '' ? a.dir : undefined;
  if (!dir) {
    const picked = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      title: 'Base backup folder to verify (it holds backup_manifest)',
      openLabel: 'Verify',
    });
    dir = picked?.[0]?.fsPath;
  }
  if (!dir) return undefined;
  const program = await findPgProgram('pg_verifybackup');
  if ('error' in program) {
    void showErrorMessage(`pg-pitr: ${program.error} pg_verifybackup comes with PostgreSQL 13 and later.`);
    return undefined;
  }
  const backend = await ctx.backend();
  const clientMajor = backend.parsePgBasebackupVersion(program.found.versionText);
  const built = backend.buildVerifyBackupCommand(dir, { clientMajor });
  if ('error' in built) {
    void showErrorMessage(`pg-pitr: ${built.error}`);
    return undefined;
  }
  for (const w of built.warnings) void showWarningMessage(`pg-pitr: ${w}`);
  const spec = programTerminalSpec(`pg_verifybackup: ${path.basename(dir)}`, program.found.file, built.args);
  openProgramTerminal(spec);
  return { terminalName: spec.name, file: program.found.file, args: built.args };
}
