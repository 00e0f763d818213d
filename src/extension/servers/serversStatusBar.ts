// The status-bar summary of all servers (`PITR: 2 ok · 1 failing`); a click focuses the view.
import * as vscode from 'vscode';

import type { ServerChecks } from './serverChecks';
import { summariseStatus } from './statusSummary';

export const SHOW_SERVERS_COMMAND = 'pgPitr.showServersView';

export class ServersStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('pgPitr.serversStatus', vscode.StatusBarAlignment.Left, 50);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly checks: ServerChecks) {
    this.item.name = 'pg-pitr servers';
    this.item.command = SHOW_SERVERS_COMMAND;
    this.subscription = checks.onDidChange(() => this.update());
    this.update();
  }

  get text(): string {
    return this.item.text;
  }

  update(): void {
    const entries = this.checks.list();
    if (entries.length === 0) {
      this.item.hide();
      return;
    }
    const { text, worst } = summariseStatus(entries.map((e) => e.result?.health));
    this.item.text = text;
    const lines = entries.map(
      (e) => `${e.profile.name}: ${e.result ? e.result.health : e.checking ? 'checking' : 'not checked'}`,
    );
    this.item.tooltip = `pg-pitr WAL archiving health\n${lines.join('\n')}\nClick to show the Servers view.`;
    this.item.backgroundColor =
      worst === 'failing'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : worst === 'warning'
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
