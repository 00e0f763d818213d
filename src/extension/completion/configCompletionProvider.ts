// Completion of parameter names valid for the chosen major, enum/boolean values and units.
import * as vscode from 'vscode';

import { completionsAt } from '../../core/editor/completion';
import { majorForFile } from '../version/majorVersion';

const KIND = {
  parameter: vscode.CompletionItemKind.Property,
  value: vscode.CompletionItemKind.EnumMember,
  unit: vscode.CompletionItemKind.Unit,
  directive: vscode.CompletionItemKind.Keyword,
} as const;

export class ConfigCompletionProvider implements vscode.CompletionItemProvider {
  provideCompletionItems(doc: vscode.TextDocument, pos: vscode.Position): vscode.CompletionItem[] {
    const before = doc.lineAt(pos.line).text.slice(0, pos.character);
    return completionsAt(before, majorForFile(doc.uri.fsPath).major).map((e) => {
      const item = new vscode.CompletionItem(e.label, KIND[e.kind]);
      item.detail = e.detail;
      if (e.documentation) item.documentation = new vscode.MarkdownString(e.documentation);
      if (e.insertText) item.insertText = e.insertText;
      return item;
    });
  }
}
