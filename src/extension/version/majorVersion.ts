// The PostgreSQL major a document is checked against: the pgPitr.postgresVersion setting, or (auto)
// PG_VERSION beside the file, else the newest (core's chooseMajor). Shown as a language status item
// on configuration files, as the ESLint extension shows its state; its link changes the setting.
import * as vscode from 'vscode';

import { SUPPORTED_MAJORS } from '../../core/catalog/catalogs';
import { chooseMajor, type MajorChoice, parseMajor } from '../../core/catalog/majorChoice';
import { settings } from '../settings';

export const SELECT_VERSION_COMMAND = 'pgPitr.selectPostgresVersion';

/** The major for a configuration file, and what chose it. */
export function majorForFile(file: string): MajorChoice {
  const configured = parseMajor(settings.postgresVersion());
  return chooseMajor({
    explicit:
      configured === null
        ? undefined
        : { major: configured, source: 'setting', detail: 'setting pgPitr.postgresVersion' },
    file,
  });
}

/** The language status item: "PostgreSQL 16" on every configuration file, with where it came from. */
export function registerMajorVersionStatus(context: vscode.ExtensionContext, selector: vscode.DocumentSelector): void {
  const item = vscode.languages.createLanguageStatusItem('pgPitr.majorVersion', selector);
  item.name = 'pg-pitr PostgreSQL version';
  item.command = { command: SELECT_VERSION_COMMAND, title: 'Change', tooltip: 'Choose the PostgreSQL major version' };
  const refresh = (): void => {
    const doc = vscode.window.activeTextEditor?.document;
    const { major, detail } = majorForFile(doc?.uri.fsPath ?? '');
    item.text = `PostgreSQL ${major}`;
    item.detail = `checked against PostgreSQL ${major} (${detail})`;
  };
  context.subscriptions.push(
    item,
    vscode.window.onDidChangeActiveTextEditor(refresh),
    vscode.workspace.onDidChangeConfiguration((e) => settings.affects(e, 'postgresVersion') && refresh()),
  );
  refresh();
}

/** pgPitr.selectPostgresVersion: a quick pick of `auto` and the supported majors, saved in the workspace (else user) settings. */
export async function selectPostgresVersion(): Promise<void> {
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
  await settings.setPostgresVersion(chosen.label, target);
}
