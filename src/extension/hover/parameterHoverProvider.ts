// Hover on a parameter name: type, unit, range, default, restart, majors, documentation link.
import * as vscode from 'vscode';

import { parameterHoverMarkdown } from '../../core/editor/parameterHover';
import { majorForFile } from '../version/majorVersion';

export class ParameterHoverProvider implements vscode.HoverProvider {
  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const line = doc.lineAt(pos.line).text;
    const m =
      /^(\s*)([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*(?:\.[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?)/.exec(
        line,
      );
    if (!m) return undefined;
    const start = m[1].length;
    const end = start + m[2].length;
    if (pos.character < start || pos.character > end) return undefined;
    const md = parameterHoverMarkdown(m[2], majorForFile(doc.uri.fsPath).major);
    if (!md) return undefined;
    return new vscode.Hover(new vscode.MarkdownString(md), new vscode.Range(pos.line, start, pos.line, end));
  }
}
