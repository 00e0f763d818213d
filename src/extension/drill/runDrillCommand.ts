// pgPitr.runDrill: a restore drill from the editor. Asks (or takes from its argument) the backup
// folder, the target (the recovery wizard's step), where WAL comes from (a configured server's
// archive_command mirrored, or a typed restore_command) and optional check SQL; runs the core drill
// in a cancellable progress notification, records it in the drill history (the Servers view reads
// it) and shows the report in a read-only document. Runs where the extension host runs (on the
// backup host under Remote-SSH); as root the server runs as pgPitr.drillOsUser (asked once).
import * as os from 'node:os';

import * as vscode from 'vscode';

import type { DrillReport, DrillRequest } from '../../core/drill/types';
import type { RecoveryTarget } from '../../core/recovery/types';
import { storedPassword } from '../../core/server/serverProfiles';
import type { CommandContext } from '../commands/commandContext';
import { askRecoveryTarget } from '../recovery/recoveryWizard';
import { showErrorMessage, showInformationMessage, showWarningMessage } from '../safeMessages';
import { type ChosenServer, configuredProfiles } from '../servers/serverChoice';
import { withServerConnection } from '../servers/serverConnection';
import { settings } from '../settings';

export const RUN_DRILL_COMMAND = 'pgPitr.runDrill';
const OS_USER_KEY = 'pgPitr.drillOsUser.asked';

/** Optional argument: each field skips its question (the real-editor suite drives it this way). */
export interface RunDrillArgument {
  backup?: string;
  target?: RecoveryTarget;
  inclusive?: boolean;
  timeZone?: string;
  restoreCommand?: string;
  archiveCommand?: string;
  archive?: string;
  /** mirror this configured server's archive_command */
  server?: string;
  checkSql?: string[];
  amcheck?: boolean;
  osUser?: string;
  scratch?: string;
  pgBinDir?: string;
  settings?: [string, string][];
  /** the history file (tests); default: the user's drills.jsonl */
  record?: string;
  /** false: do not open the report document */
  show?: boolean;
}

export type RunDrillResult =
  { outcome: 'done'; report: DrillReport; document: vscode.TextDocument | null } | { outcome: 'cancelled' };

interface Item<T> extends vscode.QuickPickItem {
  value: T;
}

async function pick<T>(title: string, items: Item<T>[], placeHolder: string): Promise<T | undefined> {
  return (
    await vscode.window.showQuickPick(items, {
      title: `pg-pitr drill: ${title}`,
      placeHolder,
      ignoreFocusOut: true,
      matchOnDetail: true,
    })
  )?.value;
}

async function askBackup(): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    title: 'Base backup to drill (a pg_basebackup result: plain folder, or base.tar[.gz|.lz4|.zst])',
    openLabel: 'Drill this backup',
  });
  return picked?.[0]?.fsPath;
}

/** Where WAL comes from: a configured server's archive_command (read from the server), or a typed restore_command. */
async function askWalSource(
  ctx: CommandContext,
): Promise<{ restoreCommand?: string; server?: ChosenServer } | undefined> {
  const profiles = configuredProfiles();
  const source = await pick<string | null>(
    'where WAL comes from',
    [
      ...profiles.map((p) => ({
        label: `Mirror ${p.name}’s archive_command`,
        detail: 'pg-pitr reads archive_command from the server and restores what it archived.',
        value: p.name,
      })),
      { label: 'Type a restore_command…', detail: 'e.g. cp /mnt/archive/%f %p', value: null },
    ],
    'How does the scratch copy fetch archived WAL?',
  );
  if (source === undefined) return undefined;
  if (source === null) {
    const restoreCommand = await vscode.window.showInputBox({
      title: 'pg-pitr drill: restore_command',
      prompt: 'restore_command (%f = WAL file name, %p = where to copy it)',
      placeHolder: 'cp /mnt/archive/%f %p',
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() === '' ? 'a command is needed' : undefined),
    });
    return restoreCommand === undefined ? undefined : { restoreCommand };
  }
  const profile = profiles.find((p) => p.name === source)!;
  const { password } = await storedPassword(ctx.extension.secrets, profile);
  return { server: { profile, password: password || undefined } };
}

/** As root the server needs an unprivileged user: pgPitr.drillOsUser, else asked once and remembered. */
async function osUserFor(ctx: CommandContext, given: string | undefined): Promise<string | null | undefined> {
  if (given !== undefined) return given;
  if (process.getuid?.() !== 0) return null;
  const setting = settings.drillOsUser();
  if (setting) return setting;
  const remembered = ctx.extension.globalState.get<string>(OS_USER_KEY);
  const name = await vscode.window.showInputBox({
    title: 'pg-pitr drill: OS user for the scratch server',
    prompt:
      'The editor runs as root and PostgreSQL refuses root: the unprivileged user to run the scratch server as (set pgPitr.drillOsUser to stop this question)',
    value: remembered ?? 'postgres',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() === '' || v.trim() === 'root' ? 'an unprivileged user name' : undefined),
  });
  if (name === undefined) return undefined;
  await ctx.extension.globalState.update(OS_USER_KEY, name.trim());
  return name.trim();
}

export async function runDrillCommand(ctx: CommandContext, arg?: unknown): Promise<RunDrillResult> {
  const a = (typeof arg === 'object' && arg !== null ? arg : {}) as RunDrillArgument;
  const backup = a.backup ?? (await askBackup());
  if (!backup) return { outcome: 'cancelled' };
  const target = a.target ?? (await askRecoveryTarget(ctx));
  if (!target) return { outcome: 'cancelled' };
  let restoreCommand = a.restoreCommand;
  let archiveCommand = a.archiveCommand;
  let server: ChosenServer | undefined;
  if (restoreCommand === undefined && archiveCommand === undefined && a.archive === undefined) {
    if (a.server !== undefined) {
      const profile = configuredProfiles().find((p) => p.name === a.server);
      if (!profile) throw new Error(`no server named ${a.server} in pgPitr.servers`);
      server = { profile, password: (await storedPassword(ctx.extension.secrets, profile)).password || undefined };
    } else {
      const w = await askWalSource(ctx);
      if (!w) return { outcome: 'cancelled' };
      restoreCommand = w.restoreCommand;
      server = w.server;
    }
  }
  if (server) {
    const cmd = await withServerConnection(ctx, server, { readOnly: true }, async (conn) => {
      const [row] = await conn.query<{ archive_command: string }>(
        "SELECT current_setting('archive_command') AS archive_command",
      );
      return row?.archive_command ?? '';
    });
    if (cmd === undefined) return { outcome: 'cancelled' };
    archiveCommand = cmd;
  }
  let checkSql = a.checkSql;
  if (checkSql === undefined && a.backup === undefined) {
    const sql = await vscode.window.showInputBox({
      title: 'pg-pitr drill: check (optional)',
      prompt: 'SQL whose first column must be true, non-zero or non-empty after recovery (leave empty for none)',
      placeHolder: "SELECT count(*) > 0 FROM orders WHERE created_at > now() - interval '1 day'",
      ignoreFocusOut: true,
    });
    if (sql === undefined) return { outcome: 'cancelled' };
    checkSql = sql.trim() === '' ? [] : [sql];
  }
  const osUser = await osUserFor(ctx, a.osUser);
  if (osUser === undefined) return { outcome: 'cancelled' };
  const pgBinDir = a.pgBinDir ?? (settings.pgBinDir() || undefined);

  const backend = await ctx.backend();
  const request: DrillRequest = {
    backup: { kind: 'folder', path: backup },
    target,
    inclusive: a.inclusive,
    timeZone: a.timeZone,
    wal: { restoreCommand, archiveCommand, archive: a.archive },
    scratch: a.scratch,
    pgBinDir,
    osUser: osUser ?? undefined,
    settings: a.settings,
    checkSql,
    amcheck: a.amcheck,
    timeoutMs: 6 * 3_600_000,
  };
  const report = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'pg-pitr: restore drill', cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const sub = token.onCancellationRequested(() => controller.abort());
      try {
        return await backend.runDrill({
          ...request,
          signal: controller.signal,
          onProgress: (p) => {
            const r = p.replay;
            const msg = r
              ? `replayed ${r.lsn}${r.goalLsn ? ` of ${r.goalLsn}` : ''}${r.mbPerSecond !== null ? ` · ${r.mbPerSecond.toFixed(1)} MB/s` : ''}${r.etaSeconds !== null ? ` · ETA ${Math.round(r.etaSeconds)} s` : ''}`
              : p.message;
            progress.report({ message: msg });
          },
        });
      } finally {
        sub.dispose();
      }
    },
  );
  const kind = report.ok ? 'ok' : report.failure?.kind;
  if (kind !== 'refused' && kind !== 'cancelled') {
    try {
      backend.appendDrillRecord(a.record ?? backend.defaultHistoryFile(process.env, os.homedir()), report);
    } catch (e) {
      void showWarningMessage(`pg-pitr: recording the drill failed: ${(e as Error).message}`);
    }
  }
  let document: vscode.TextDocument | null = null;
  if (a.show !== false) {
    document = await vscode.workspace.openTextDocument({
      language: 'markdown',
      content: ['# pg-pitr restore drill', '', '```text', ...backend.renderDrillReport(report), '```', ''].join('\n'),
    });
    await vscode.window.showTextDocument(document, { preview: false });
  }
  if (report.ok)
    void showInformationMessage(
      `pg-pitr: restore drill OK: recovered in ${(report.durations.restoreSeconds + report.durations.replaySeconds).toFixed(1)} s`,
    );
  else if (kind !== 'cancelled')
    void showErrorMessage(`pg-pitr: restore drill failed (${kind}): ${report.failure?.message ?? ''}`);
  // the Servers view shows the last drill: refresh it
  void vscode.commands.executeCommand('pgPitr.refreshServers').then(undefined, () => undefined);
  return { outcome: 'done', report, document };
}
