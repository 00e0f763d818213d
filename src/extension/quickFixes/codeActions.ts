// Quick fixes from the findings' fixes, one marked preferred, and a "fix all" source action that
// fixes to a fixed point.
// Every fix is an undoable edit of the document: nothing is written to disk.
import * as vscode from 'vscode';

import { fixAllInFile, type FixAllResult } from '../../core/lint/fixAll';
import type { TextEdit } from '../../core/lint/types';
import type { DocumentLinter, FindingStore } from '../diagnostics/configDiagnostics';
import { log } from '../log';

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('pgPitr');

function toWorkspaceEdit(edits: TextEdit[]): vscode.WorkspaceEdit {
  const we = new vscode.WorkspaceEdit();
  for (const e of edits) {
    we.replace(
      vscode.Uri.file(e.file),
      new vscode.Range(e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character),
      e.newText,
    );
  }
  return we;
}

export class ConfigCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND];

  constructor(
    private readonly store: FindingStore,
    private readonly lintText: DocumentLinter,
  ) {}

  async provideCodeActions(
    doc: vscode.TextDocument,
    range: vscode.Range | vscode.Selection,
    ctx: vscode.CodeActionContext,
  ): Promise<vscode.CodeAction[]> {
    const entries = this.store.get(doc.uri.fsPath);
    const actions: vscode.CodeAction[] = [];
    const wantsFixAll = !ctx.only || ctx.only.contains(FIX_ALL_KIND) || FIX_ALL_KIND.contains(ctx.only);
    if (!ctx.only || ctx.only.contains(vscode.CodeActionKind.QuickFix)) {
      for (const { finding, diagnostic } of entries) {
        if (!finding.fix || !diagnostic.range.intersection(range)) continue;
        const action = new vscode.CodeAction(finding.fix.title, vscode.CodeActionKind.QuickFix);
        action.edit = toWorkspaceEdit(finding.fix.edits);
        action.diagnostics = [diagnostic];
        action.isPreferred = finding.fix.preferred === true;
        actions.push(action);
      }
    }
    if (wantsFixAll && entries.some((e) => e.finding.fix?.preferred === true)) {
      // to a fixed point, like ESLint's fix-all: a fix can enable another (see core/lint/fixAll.ts)
      const before = doc.getText();
      let fixed: FixAllResult | null = null;
      try {
        fixed = await fixAllInFile(doc.uri.fsPath, before, (text) => this.lintText(doc, text));
      } catch (e) {
        // a lint that failed or was superseded by typing: no fix-all this time, never a wrong one
        log().warn(`fix-all: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (fixed && fixed.text !== before && doc.getText() === before) {
        const all = new vscode.CodeAction(`Fix all pg-pitr problems (${fixed.applied.length})`, FIX_ALL_KIND);
        all.edit = new vscode.WorkspaceEdit();
        all.edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), fixed.text);
        actions.push(all);
      }
    }
    return actions;
  }
}
