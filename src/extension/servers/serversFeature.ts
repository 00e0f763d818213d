// The Servers feature: the view, the status-bar summary, periodic refresh. It connects to hosts, so
// it starts only in a trusted workspace (see workspaceTrust.ts); its commands are in the command
// table. Nothing heavy is loaded here: the first refresh loads dist/backend.js.
import * as vscode from 'vscode';

import { sortReasons } from '../../core/server/health';
import { passwordSecretKey, readProfiles } from '../../core/server/serverProfiles';
import type { CheckResult } from '../../core/server/types';
import { log } from '../log';
import { showWarningMessage } from '../safeMessages';
import { settings } from '../settings';
import { ServerChecks } from './serverChecks';
import { ServerCommands } from './serverCommands';
import { ServersStatusBar, SHOW_SERVERS_COMMAND } from './serversStatusBar';
import { SERVERS_VIEW, ServersTreeProvider } from './serversTreeProvider';
import { serverNode, type TreeNode } from './serverTreeModel';

/** What the real-editor tests read (exported through the extension's API in an extension test run only). */
export interface ServersTestApi {
  /** every server row as the view shows it, with its sections */
  rootItems(): TreeNode[];
  statusText(): string;
  /** runs pgPitr.refreshServers and resolves when every server has answered */
  refresh(): Promise<void>;
  /** expands a server's row in the view, or one of its sections (`archiving`, `wal`, `backups`, `archive`, `problems`) */
  reveal(name: string, section?: string): Promise<void>;
  /** the warnings shown for servers that started failing */
  notifications(): string[];
  /** whether a password is kept in SecretStorage for this server (never the password itself) */
  hasStoredPassword(name: string): Promise<boolean>;
}

/** The running Servers feature, as the command table drives it. */
export interface ServersFeature {
  checks: ServerChecks;
  commands: ServerCommands;
  /** checks every server; `interactive` shows a cancellable notification when it takes long */
  refreshAll(interactive: boolean): Promise<void>;
  showView(): Thenable<unknown>;
  /** the test hooks (only handed out in an extension test run) */
  testApi(): ServersTestApi;
}

/** Shows a cancellable notification when a user-started refresh is still running after this long. */
const SLOW_REFRESH_MS = 2000;

export function startServers(context: vscode.ExtensionContext): ServersFeature {
  // kept for the test hooks only in an extension test run: a user's session must not grow a list
  const testRun = context.extensionMode === vscode.ExtensionMode.Test;
  const notified: string[] = [];
  const onNewFailure = (r: CheckResult) => {
    const reason = sortReasons(r.reasons)[0]?.message ?? 'archiving is failing';
    const text = `PostgreSQL server "${r.server}" is failing: ${reason}`;
    log().warn(text);
    if (testRun) notified.push(text);
    void vscode.window
      .showWarningMessage(text, 'Show Servers')
      .then((a) => a && vscode.commands.executeCommand(SHOW_SERVERS_COMMAND));
  };
  const timeouts = () => {
    const ms = Math.round(settings.connectTimeoutSeconds() * 1000);
    return { defaultConnectTimeoutMs: ms, statementTimeoutMs: ms };
  };
  const checks = new ServerChecks(context.secrets, timeouts, onNewFailure);
  const tree = new ServersTreeProvider(checks);
  const view = vscode.window.createTreeView(SERVERS_VIEW, { treeDataProvider: tree, showCollapseAll: true });
  const status = new ServersStatusBar(checks);
  const commands = new ServerCommands(checks, context.secrets);

  // the view's own progress bar while any refresh runs
  const withViewProgress = (work: Promise<void>) =>
    vscode.window.withProgress({ location: { viewId: SERVERS_VIEW } }, () => work);

  const refreshAll = (interactive: boolean): Promise<void> => {
    if (checks.list().length === 0) return Promise.resolve();
    const cancel = new vscode.CancellationTokenSource();
    const work = checks.refresh(undefined, cancel.token);
    void withViewProgress(work);
    if (interactive) {
      // long work gets a notification that can cancel it; quick refreshes stay silent
      const timer = setTimeout(() => {
        void vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: 'pg-pitr: checking servers', cancellable: true },
          async (progress, token) => {
            token.onCancellationRequested(() => cancel.cancel());
            const total = checks.list().length;
            const sub = checks.onDidChange(() => {
              const done = checks.list().filter((e) => !e.checking).length;
              progress.report({ message: `${done} of ${total} answered` });
            });
            await work;
            sub.dispose();
          },
        );
      }, SLOW_REFRESH_MS);
      void work.finally(() => clearTimeout(timer));
    }
    return work.finally(() => cancel.dispose());
  };

  let lastProblems = '';
  const loadProfiles = (): string[] => {
    const { profiles, problems } = readProfiles(settings.servers());
    const text = problems.join('; ');
    if (text && text !== lastProblems) {
      log().warn(text);
      void showWarningMessage(`pg-pitr: ${text}`);
    }
    lastProblems = text;
    return checks.setProfiles(profiles);
  };

  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
    const s = settings.refreshIntervalSeconds();
    if (s > 0) timer = setInterval(() => !checks.refreshing && void refreshAll(false), Math.max(5, s) * 1000);
  };

  context.subscriptions.push(
    checks,
    tree,
    view,
    status,
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (settings.affects(e, 'servers')) {
        const fresh = loadProfiles();
        if (fresh.length) void withViewProgress(checks.refresh(fresh));
      }
      if (settings.affects(e, 'refreshIntervalSeconds')) schedule();
    }),
    { dispose: () => timer && clearInterval(timer) },
  );

  loadProfiles();
  schedule();
  // first check soon after start-up, off the activation path
  setTimeout(() => void refreshAll(false), 0);

  return {
    checks,
    commands,
    refreshAll,
    showView: () => vscode.commands.executeCommand(`${SERVERS_VIEW}.focus`),
    testApi: () => ({
      rootItems: () => checks.list().map((e) => serverNode(e)),
      statusText: () => status.text,
      refresh: async () => {
        await vscode.commands.executeCommand('pgPitr.refreshServers');
      },
      reveal: async (name, section) => {
        const row = tree.row(name);
        await view.reveal(row, { expand: true, focus: false, select: false });
        const target = section
          ? tree.getChildren(row).find((c) => 'id' in c && c.id.endsWith(`/${section}`))
          : undefined;
        if (target) await view.reveal(target, { expand: true, focus: false, select: false });
      },
      notifications: () => [...notified],
      hasStoredPassword: async (name) => (await context.secrets.get(passwordSecretKey(name))) !== undefined,
    }),
  };
}
