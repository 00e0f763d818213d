// Publishes the lint findings for open postgresql.conf documents (and their includes) as
// diagnostics, re-checked as the user types; problems in an included file are reported on that
// file. Keeps the findings so quick fixes can turn them into edits. Linting runs on a worker
// thread with a time and memory limit (also in Restricted Mode): a file can make a lint slow or
// fail, never the extension host.
import * as path from 'node:path';

import * as vscode from 'vscode';

import { dataDirOfFile } from '../../core/catalog/majorChoice';
import type { Finding } from '../../core/lint/types';
import { escapeInline } from '../../core/text/safeText';
import { majorForFile } from '../version/majorVersion';
import { LintFailure, LintWorkerClient } from './lintWorkerClient';

export const LANGUAGE = 'postgresql-conf';
const DEBOUNCE_MS = 200;
/** A lint taking longer is stopped (it reads at most 256 MiB: a 30 MB file takes seconds). */
const LINT_TIMEOUT_MS = 60_000;
const LINT_HEAP_MB = 1024;
/** The Problems panel gets at most this many per lint (pg-pitr lint lists them all). */
const MAX_DIAGNOSTICS = 10_000;
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
  // a message quotes names and values from the file: escaped like every other output
  const d = new vscode.Diagnostic(range, escapeInline(f.message), SEVERITY[f.severity]);
  d.source = 'pg-pitr';
  d.code = f.docUrl ? { value: f.rule, target: vscode.Uri.parse(f.docUrl) } : f.rule;
  return d;
}

/** Lints a document as if it held another text (fix-all lints each round's text this way). */
export type DocumentLinter = (doc: vscode.TextDocument, text: string) => Promise<Finding[]>;

export function registerConfigDiagnostics(context: vscode.ExtensionContext, store: FindingStore): DocumentLinter {
  const collection = vscode.languages.createDiagnosticCollection('pg-pitr');
  context.subscriptions.push(collection);
  const timers = new Map<string, NodeJS.Timeout>();
  /** files whose diagnostics came from linting another (including) file */
  const reportedFor = new Map<string, Set<string>>();

  const worker = new LintWorkerClient({
    script: path.join(__dirname, 'lintWorker.js'),
    timeoutMs: LINT_TIMEOUT_MS,
    maxHeapMb: LINT_HEAP_MB,
  });
  context.subscriptions.push({ dispose: () => worker.dispose() });
  /** per file, the number of the latest lint asked for: an older answer is dropped */
  const generation = new Map<string, number>();

  const publish = (file: string, findings: Finding[]): void => {
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

  /** Lints `doc` as if it held `text`, with the other open documents' unsaved text, on the worker. */
  const lintText = async (doc: vscode.TextDocument, text: string): Promise<Finding[]> => {
    const file = doc.uri.fsPath;
    // fresh (not pooled) buffers: they move to the worker without a copy
    const encoder = new TextEncoder();
    const overlay: Array<[string, Uint8Array]> = [];
    for (const d of vscode.workspace.textDocuments) {
      if (d !== doc && d.languageId === LANGUAGE && d.uri.scheme === 'file' && d.isDirty)
        overlay.push([d.uri.fsPath, encoder.encode(d.getText())]);
    }
    overlay.push([file, encoder.encode(text)]);
    const res = await worker.lint({
      configFile: file,
      dataDir: dataDirOfFile(file),
      major: majorForFile(file).major,
      overlay,
      maxFindings: MAX_DIAGNOSTICS,
    });
    return 'error' in res ? [failure(file, 'internal-error', res.error)] : res.findings;
  };

  const lint = async (doc: vscode.TextDocument): Promise<void> => {
    if (doc.languageId !== LANGUAGE || doc.uri.scheme !== 'file') return;
    const file = doc.uri.fsPath;
    const gen = (generation.get(file) ?? 0) + 1;
    generation.set(file, gen);
    worker.dropQueued(file);
    let findings: Finding[];
    try {
      findings = await lintText(doc, doc.getText());
    } catch (e) {
      if (e instanceof LintFailure && e.message === 'superseded') return;
      findings = [failure(file, 'lint-incomplete', e instanceof Error ? e.message : String(e))];
    }
    if (generation.get(file) !== gen || doc.isClosed) return;
    publish(file, findings);
  };

  const schedule = (doc: vscode.TextDocument): void => {
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        void lint(doc);
      }, DEBOUNCE_MS),
    );
  };

  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument((d) => void lint(d)),
    vscode.workspace.onDidChangeTextDocument((e) => schedule(e.document)),
    vscode.workspace.onDidCloseTextDocument((d) => {
      generation.set(d.uri.fsPath, (generation.get(d.uri.fsPath) ?? 0) + 1);
      if (reportedFor.has(d.uri.fsPath)) {
        for (const f of reportedFor.get(d.uri.fsPath) ?? []) {
          collection.delete(vscode.Uri.file(f));
          store.delete(f);
        }
        reportedFor.delete(d.uri.fsPath);
      }
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('pgPitr')) for (const d of vscode.workspace.textDocuments) void lint(d);
    }),
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
  );
  for (const d of vscode.workspace.textDocuments) void lint(d);
  return lintText;
}

/** The one diagnostic shown when a file could not be checked: a warning, never quieter. */
function failure(file: string, rule: 'internal-error' | 'lint-incomplete', why: string): Finding {
  return {
    rule,
    severity: 'warning',
    file,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    message: `pg-pitr: checking this file failed: ${why}`,
  };
}
