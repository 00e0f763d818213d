// Quick fixes from the findings' fixes, one marked preferred, and a "fix all" source action.
// Every fix is an undoable edit of the document: nothing is written to disk.
import * as vscode from 'vscode';

import { compatibleFixes } from '../../core/lint/fixEdits';
import type { Fix, TextEdit } from '../../core/lint/types';
import type { FindingStore } from '../diagnostics/configDiagnostics';

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

  constructor(private readonly store: FindingStore) {}

  provideCodeActions(
    doc: vscode.TextDocument,
    range: vscode.Range | vscode.Selection,
    ctx: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
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
    if (wantsFixAll) {
      const fixes = compatibleFixes(
        entries.map((e) => e.finding.fix).filter((f): f is Fix => !!f && f.preferred === true),
      );
      if (fixes.length > 0) {
        const all = new vscode.CodeAction(`Fix all pg-pitr problems (${fixes.length})`, FIX_ALL_KIND);
        all.edit = toWorkspaceEdit(fixes.flatMap((f) => f.edits));
        actions.push(all);
      }
    }
    return actions;
  }
}
