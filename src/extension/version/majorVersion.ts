// The PostgreSQL major a document is checked against: the pgPitr.postgresVersion setting, or
// (auto) PG_VERSION beside the file, else the newest. Shown in the status bar; a click changes it.
import * as path from 'node:path';

import * as vscode from 'vscode';

import { isSupportedMajor, NEWEST_MAJOR, SUPPORTED_MAJORS } from '../../core/catalog/catalogs';
import { readPgVersion } from '../../core/catalog/pgVersionFile';

export const SELECT_VERSION_COMMAND = 'pgPitr.selectPostgresVersion';

export function configuredMajor(): number | 'auto' {
  const v = vscode.workspace.getConfiguration('pgPitr').get<string>('postgresVersion', 'auto');
  const n = Number(v);
  return isSupportedMajor(n) ? n : 'auto';
}

export function majorForFile(file: string): { major: number; source: string } {
  const c = configuredMajor();
  if (c !== 'auto') return { major: c, source: 'setting pgPitr.postgresVersion' };
  const v = readPgVersion(path.dirname(file));
  if (v !== null) return { major: v, source: 'PG_VERSION beside the file' };
  return { major: NEWEST_MAJOR, source: 'newest supported major (no PG_VERSION found)' };
}

export function registerMajorVersionStatus(context: vscode.ExtensionContext, language: string): void {
  const item = vscode.window.createStatusBarItem('pgPitr.majorVersion', vscode.StatusBarAlignment.Right, 100);
  item.name = 'pg-pitr PostgreSQL version';
  item.command = SELECT_VERSION_COMMAND;
  const refresh = (): void => {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || doc.languageId !== language) {
      item.hide();
      return;
    }
    const { major, source } = majorForFile(doc.uri.fsPath);
    item.text = `PostgreSQL ${major}`;
    item.tooltip = `pg-pitr checks this file against PostgreSQL ${major} (${source}). Click to change.`;
    item.show();
  };
  context.subscriptions.push(
    item,
    vscode.commands.registerCommand(SELECT_VERSION_COMMAND, async () => {
      const picks = [
        { label: 'auto', description: 'PG_VERSION beside the file, else the newest' },
        ...[...SUPPORTED_MAJORS].reverse().map((m) => ({ label: String(m), description: `PostgreSQL ${m}` })),
      ];
      const chosen = await vscode.window.showQuickPick(picks, {
        placeHolder: 'PostgreSQL major version to check configuration files against',
      });
      if (!chosen) return;
      const target = vscode.workspace.workspaceFolders
        ? vscode.ConfigurationTarget.Workspace
        : vscode.ConfigurationTarget.Global;
      await vscode.workspace.getConfiguration('pgPitr').update('postgresVersion', chosen.label, target);
    }),
    vscode.window.onDidChangeActiveTextEditor(refresh),
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('pgPitr.postgresVersion') && refresh()),
  );
  refresh();
}
