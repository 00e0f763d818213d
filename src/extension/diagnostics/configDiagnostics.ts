// Publishes the lint findings for the open postgresql.conf (and its includes) as diagnostics,
// re-checked as the user types; problems in an included file are reported on that file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { NEWEST_MAJOR, SUPPORTED_MAJORS, getCatalog } from '../../core/catalog/catalogs';
import { nodeFileSystem, overlayFileSystem } from '../../core/conf/fileSystem';
import { lintConfiguration } from '../../core/rules/lintEngine';

const LANGUAGE = 'postgresql-conf';
const DEBOUNCE_MS = 250;
const SEVERITY = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
} as const;

function majorFor(doc: vscode.TextDocument): number {
  const setting = vscode.workspace.getConfiguration('pgPitr').get<string>('postgresVersion', 'auto');
  const n = Number(setting);
  if ((SUPPORTED_MAJORS as readonly number[]).includes(n)) return n;
  try {
    const v = parseInt(fs.readFileSync(path.join(path.dirname(doc.uri.fsPath), 'PG_VERSION'), 'utf8'), 10);
    if ((SUPPORTED_MAJORS as readonly number[]).includes(v)) return v;
  } catch {
    /* no PG_VERSION beside the file */
  }
  return NEWEST_MAJOR;
}

export function registerConfigDiagnostics(context: vscode.ExtensionContext): void {
  const collection = vscode.languages.createDiagnosticCollection('pg-pitr');
  context.subscriptions.push(collection);
  const timers = new Map<string, NodeJS.Timeout>();

  const lint = (doc: vscode.TextDocument): void => {
    if (doc.languageId !== LANGUAGE || doc.uri.scheme !== 'file') return;
    const overlay = new Map<string, Buffer>();
    for (const d of vscode.workspace.textDocuments) {
      if (d.languageId === LANGUAGE && d.uri.scheme === 'file') overlay.set(d.uri.fsPath, Buffer.from(d.getText(), 'utf8'));
    }
    const file = doc.uri.fsPath;
    const dir = path.dirname(file);
    const isDataDir = overlay.has(path.join(dir, 'PG_VERSION')) || fs.existsSync(path.join(dir, 'PG_VERSION'));
    const major = majorFor(doc);
    const findings = lintConfiguration({ configFile: file, dataDir: isDataDir ? dir : null, catalog: getCatalog(major), fs: overlayFileSystem(nodeFileSystem(), overlay) });
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const f of findings) {
      if (f.file === null) continue;
      const range = new vscode.Range(f.range.start.line, f.range.start.character, f.range.end.line, Math.max(f.range.end.character, f.range.start.character));
      const d = new vscode.Diagnostic(range, f.message, SEVERITY[f.severity]);
      d.source = 'pg-pitr';
      d.code = f.docUrl ? { value: f.rule, target: vscode.Uri.parse(f.docUrl) } : f.rule;
      const list = byFile.get(f.file) ?? [];
      list.push(d);
      byFile.set(f.file, list);
    }
    collection.set(doc.uri, byFile.get(file) ?? []);
    for (const [f, list] of byFile) if (f !== file) collection.set(vscode.Uri.file(f), list);
  };

  const schedule = (doc: vscode.TextDocument): void => {
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(key, setTimeout(() => lint(doc), DEBOUNCE_MS));
  };

  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument(lint),
    vscode.workspace.onDidChangeTextDocument((e) => schedule(e.document)),
    vscode.workspace.onDidCloseTextDocument((d) => collection.delete(d.uri)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('pgPitr')) vscode.workspace.textDocuments.forEach(lint);
    }),
  );
  vscode.workspace.textDocuments.forEach(lint);
}
