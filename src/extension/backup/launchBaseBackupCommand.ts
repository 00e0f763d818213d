// pgPitr.launchBaseBackup: pg_basebackup of a configured server into a new folder, in an integrated
// terminal started from an argument list. Before running: the local pg_basebackup and its version,
// the server's major and free WAL senders (a client older than the server cannot back it up; with
// no free WAL sender the backup fails at once). The password never goes on the command line.
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as vscode from 'vscode';

import { line } from '../../core/text/safeText';
import type { CommandContext } from '../commands/commandContext';
import { showErrorMessage } from '../safeMessages';
import { chooseServer, isServersViewElement } from '../servers/serverChoice';
import { withServerConnection } from '../servers/serverConnection';
import { confirmModal, showRefusal } from '../ui/modalConfirmation';
import { askBaseBackupChoices, type BaseBackupChoices } from './baseBackupChoices';
import { findPgProgram } from './pgPrograms';
import { passFileLine, privatePassFileWarnings, removePassFile, writePrivatePassFile } from './privatePassFile';
import { openProgramTerminal, programTerminalSpec } from './programTerminal';

export const LAUNCH_BASE_BACKUP_COMMAND = 'pgPitr.launchBaseBackup';

export interface LaunchBaseBackupArgument extends Partial<BaseBackupChoices> {
  server?: string;
  /** skip the "run anyway?" question after preflight warnings; honoured only in an extension test run */
  confirm?: boolean;
}

export interface LaunchedBaseBackup {
  outcome: 'launched';
  terminalName: string;
  file: string;
  args: string[];
  /** names of the variables put in the terminal's environment (never their values) */
  envKeys: string[];
  warnings: string[];
}

export type LaunchBaseBackupResult = LaunchedBaseBackup | { outcome: 'refused'; errors: string[] };

export async function launchBaseBackupCommand(
  ctx: CommandContext,
  arg?: unknown,
): Promise<LaunchBaseBackupResult | undefined> {
  const a = (
    typeof arg === 'object' && arg !== null && !isServersViewElement(arg) ? arg : {}
  ) as LaunchBaseBackupArgument;
  // a test hook, not an API: a user's automation cannot skip the questions
  const skipQuestions = a.confirm === true && ctx.extension.extensionMode === vscode.ExtensionMode.Test;
  const server = await chooseServer(ctx.extension, arg, 'back up');
  if (!server) return undefined;
  const program = await findPgProgram('pg_basebackup');
  if ('error' in program) {
    void showErrorMessage(`pg-pitr: ${program.error}`);
    return { outcome: 'refused', errors: [program.error] };
  }
  const backend = await ctx.backend();
  const clientMajor = backend.parsePgBasebackupVersion(program.found.versionText);
  if (clientMajor === null) {
    const error = `cannot read the version of ${program.found.file} ("${program.found.versionText}")`;
    void showErrorMessage(`pg-pitr: ${error}`);
    return { outcome: 'refused', errors: [error] };
  }

  // what the server says, for the preflight (read-only)
  const facts = await withServerConnection(ctx, server, { readOnly: true }, async (conn) => {
    const [v] = await conn.query<{ num: string }>("SELECT current_setting('server_version_num') AS num");
    const [w] = await conn.query<{
      wal_senders_in_use: number;
      max_wal_senders: number;
      replication_slots_in_use: number;
      max_replication_slots: number;
    }>(backend.walSendersInUseQuery);
    return { serverMajor: Math.floor(Number(v?.num) / 10000), senders: w };
  });
  if (!facts || !facts.senders) return undefined;
  const { serverMajor, senders } = facts;

  const choices = await askBaseBackupChoices(a, server.profile.name, serverMajor, clientMajor, new Date());
  if (!choices) return undefined;
  const occupied = nonEmptyFolder(choices.targetDir);
  if (occupied) {
    void showErrorMessage(`pg-pitr: ${occupied}`);
    return { outcome: 'refused', errors: [occupied] };
  }

  const preflight = backend.baseBackupPreflight({
    clientMajor,
    serverMajor,
    maxWalSenders: Number(senders.max_wal_senders),
    walSendersInUse: Number(senders.wal_senders_in_use),
    walMethod: choices.walMethod,
    maxReplicationSlots: Number(senders.max_replication_slots),
    replicationSlotsInUse: Number(senders.replication_slots_in_use),
  });
  if (preflight.errors.length > 0) {
    showRefusal(
      `pg-pitr: pg_basebackup of ${server.profile.name} would fail`,
      preflight.errors.map((e) => line`• ${e}`).join('\n'),
      !skipQuestions,
    );
    return { outcome: 'refused', errors: preflight.errors };
  }
  const resolved = backend.resolveConnection(server.profile, { password: server.password });
  const built = backend.buildBaseBackupCommand({
    ...choices,
    conn: { host: resolved.host, port: resolved.port, user: resolved.user, database: resolved.database },
    serverMajor,
    clientMajor,
    pgBinDir: path.dirname(program.found.file),
  });
  // a password pg_basebackup could not find itself (SecretStorage, or typed in the connection
  // string) goes through a private password file, never argv
  const usesPassFile =
    resolved.password !== undefined &&
    (resolved.passwordSource === 'given' || resolved.passwordSource === 'connection string');
  const warnings = [
    ...resolved.warnings,
    ...preflight.warnings,
    ...built.warnings,
    ...(usesPassFile ? privatePassFileWarnings({ writeRecoveryConf: choices.writeRecoveryConf, serverMajor }) : []),
  ];
  if (warnings.length > 0 && !skipQuestions) {
    if (
      !(await confirmModal(
        `pg-pitr: before backing up ${server.profile.name}`,
        warnings.map((w) => line`• ${w}`).join('\n'),
        'Run pg_basebackup',
      ))
    )
      return undefined;
  }

  const env: Record<string, string> = { ...built.env };
  let passFile: string | undefined;
  if (usesPassFile && resolved.password !== undefined) {
    passFile = writePrivatePassFile(
      ctx.extension.globalStorageUri.fsPath,
      passFileLine(resolved.port, resolved.user, resolved.password),
    );
    env.PGPASSFILE = passFile;
  }
  const spec = programTerminalSpec(`pg_basebackup: ${server.profile.name}`, built.file, built.args, env);
  const terminal = openProgramTerminal(spec);
  if (passFile) {
    const file = passFile;
    const sub = vscode.window.onDidCloseTerminal((t) => {
      if (t === terminal) {
        removePassFile(file);
        sub.dispose();
      }
    });
    ctx.extension.subscriptions.push(sub, { dispose: () => removePassFile(file) });
  }
  return {
    outcome: 'launched',
    terminalName: spec.name,
    file: built.file,
    args: built.args,
    envKeys: Object.keys(env).sort(),
    warnings,
  };
}

/** pg_basebackup refuses a folder that exists and is not empty ("directory exists but is not empty"): say so before connecting. */
function nonEmptyFolder(dir: string): string | null {
  try {
    if (fs.readdirSync(dir).length > 0)
      return `${dir} exists and is not empty: pg_basebackup needs a new or empty folder`;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOTDIR')
      return `${dir} is a file: pg_basebackup needs a new or empty folder`;
  }
  return null;
}
