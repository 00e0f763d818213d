// Shows each planned file change before anything is written: a diff (current file ↔ planned
// content) for an update, a read-only document for a new file. The contents are served from
// memory by a read-only virtual document provider, so a preview can never be saved by mistake.
import * as path from 'node:path';

import * as vscode from 'vscode';

export const PREVIEW_SCHEME = 'pg-pitr-plan';

export interface PreviewChange {
  path: string;
  action: 'create' | 'update';
  content: string;
  previous: string | null;
}

export class PlanPreviewDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private seq = 0;
  // a closed preview's content is not needed any more
  private readonly closing = vscode.workspace.onDidCloseTextDocument(
    (d) => d.uri.scheme === PREVIEW_SCHEME && this.contents.delete(d.uri.toString()),
  );

  dispose(): void {
    this.closing.dispose();
    this.contents.clear();
  }

  /** Registers a content and returns the URI that shows it (a fresh URI each time, so a new plan never shows a stale preview). */
  put(file: string, side: 'current' | 'planned', content: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: file, query: `${side}-${++this.seq}` });
    this.contents.set(uri.toString(), content);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  /** Opens one preview per change; returns the URIs of the planned contents, in order. */
  async show(changes: readonly PreviewChange[]): Promise<vscode.Uri[]> {
    const shown: vscode.Uri[] = [];
    for (const c of changes) {
      const planned = this.put(c.path, 'planned', c.content);
      const name = path.basename(c.path);
      if (c.action === 'update') {
        const current = this.put(c.path, 'current', c.previous ?? '');
        await vscode.commands.executeCommand('vscode.diff', current, planned, `${name}: current ↔ planned by pg-pitr`, {
          preview: false,
          preserveFocus: true,
        });
      } else {
        const doc = await vscode.workspace.openTextDocument(planned);
        await vscode.window.showTextDocument(doc, { preview: false, preserveFocus: true });
      }
      shown.push(planned);
    }
    return shown;
  }
}
