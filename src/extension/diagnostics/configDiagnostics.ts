// Publishes the lint findings for open postgresql.conf documents (and their includes) as
// diagnostics, re-checked as the user types; problems in an included file are reported on that
// file. Keeps the findings so quick fixes can turn them into edits.
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as vscode from 'vscode';

import { getCatalog } from '../../core/catalog/catalogs';
import { nodeFileSystem, overlayFileSystem } from '../../core/conf/fileSystem';
import { lintConfiguration } from '../../core/lint/lintEngine';
import type { Finding } from '../../core/lint/types';
import { majorForFile } from '../version/majorVersion';

export const LANGUAGE = 'postgresql-conf';
const DEBOUNCE_MS = 200;
const SEVERITY = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  // restart-required: shown faintly in the editor, not listed in the Problems panel
  hint: vscode.DiagnosticSeverity.Hint,
} as const;

/** Findings by file path, with the diagnostic each became. */
export class FindingStore {
  private readonly byFile = new Map<string, Array<{ finding: Finding; diagnostic: vscode.Diagnostic }>>();

  set(file: string, entries: Array<{ finding: Finding; diagnostic: vscode.Diagnostic }>): void {
    this.byFile.set(file, entries);
  }

  get(file: string): Array<{ finding: Finding; diagnostic: vscode.Diagnostic }> {
    return this.byFile.get(file) ?? [];
  }

  delete(file: string): void {
    this.byFile.delete(file);
  }
}

export function toDiagnostic(f: Finding): vscode.Diagnostic {
  const range = new vscode.Range(
    f.range.start.line,
    f.range.start.character,
    f.range.end.line,
    Math.max(f.range.end.character, f.range.start.character),
  );
  const d = new vscode.Diagnostic(range, f.message, SEVERITY[f.severity]);
  d.source = 'pg-pitr';
  d.code = f.docUrl ? { value: f.rule, target: vscode.Uri.parse(f.docUrl) } : f.rule;
  return d;
}

export function registerConfigDiagnostics(context: vscode.ExtensionContext, store: FindingStore): void {
  const collection = vscode.languages.createDiagnosticCollection('pg-pitr');
  context.subscriptions.push(collection);
  const timers = new Map<string, NodeJS.Timeout>();
  /** files whose diagnostics came from linting another (including) file */
  const reportedFor = new Map<string, Set<string>>();

  const lint = (doc: vscode.TextDocument): void => {
    if (doc.languageId !== LANGUAGE || doc.uri.scheme !== 'file') return;
    const overlay = new Map<string, Buffer>();
    for (const d of vscode.workspace.textDocuments) {
      if (d.languageId === LANGUAGE && d.uri.scheme === 'file' && d.isDirty)
        overlay.set(d.uri.fsPath, Buffer.from(d.getText(), 'utf8'));
    }
    overlay.set(doc.uri.fsPath, Buffer.from(doc.getText(), 'utf8'));
    const file = doc.uri.fsPath;
    const dir = path.dirname(file);
    const isDataDir = fs.existsSync(path.join(dir, 'PG_VERSION'));
    const { major } = majorForFile(file);
    let findings: Finding[];
    try {
      findings = lintConfiguration({
        configFile: file,
        dataDir: isDataDir ? dir : null,
        catalog: getCatalog(major),
        fs: overlayFileSystem(nodeFileSystem(), overlay),
      });
    } catch (e) {
      // never let a bug take the editor down: say so once in the Problems panel
      findings = [
        {
          rule: 'internal-error',
          severity: 'information',
          file,
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          message: `pg-pitr could not check this file: ${(e as Error).message}`,
        },
      ];
    }
    const grouped = new Map<string, Array<{ finding: Finding; diagnostic: vscode.Diagnostic }>>();
    grouped.set(file, []);
    for (const f of findings) {
      const target = f.file ?? file;
      const list = grouped.get(target) ?? [];
      list.push({ finding: f, diagnostic: toDiagnostic(f) });
      grouped.set(target, list);
    }
    const previous = reportedFor.get(file) ?? new Set<string>();
    for (const stale of previous) if (!grouped.has(stale)) collection.delete(vscode.Uri.file(stale));
    for (const [f, list] of grouped) {
      collection.set(
        vscode.Uri.file(f),
        list.map((x) => x.diagnostic),
      );
      store.set(f, list);
    }
    reportedFor.set(file, new Set(grouped.keys()));
  };

  const schedule = (doc: vscode.TextDocument): void => {
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        lint(doc);
      }, DEBOUNCE_MS),
    );
  };

  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument(lint),
    vscode.workspace.onDidChangeTextDocument((e) => schedule(e.document)),
    vscode.workspace.onDidCloseTextDocument((d) => {
      if (reportedFor.has(d.uri.fsPath)) {
        for (const f of reportedFor.get(d.uri.fsPath) ?? []) {
          collection.delete(vscode.Uri.file(f));
          store.delete(f);
        }
        reportedFor.delete(d.uri.fsPath);
      }
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('pgPitr')) vscode.workspace.textDocuments.forEach(lint);
    }),
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
  );
  vscode.workspace.textDocuments.forEach(lint);
}
