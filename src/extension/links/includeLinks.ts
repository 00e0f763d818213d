// include / include_if_exists / include_dir targets become clickable links.
import * as path from 'node:path';

import * as vscode from 'vscode';

const DIRECTIVE =
  /^(\s*)(include|include_if_exists|include_dir)(\s*=?\s*)('((?:[^'\\]|''|\\.)*)'|([A-Za-z_][A-Za-z0-9_\-.:/]*))/i;

export class IncludeLinkProvider implements vscode.DocumentLinkProvider {
  provideDocumentLinks(doc: vscode.TextDocument): vscode.DocumentLink[] {
    const links: vscode.DocumentLink[] = [];
    for (let i = 0; i < doc.lineCount; i++) {
      const m = DIRECTIVE.exec(doc.lineAt(i).text);
      if (!m) continue;
      const target = (m[5] ?? m[6] ?? '').replace(/''/g, "'");
      if (target.trim() === '') continue;
      const abs = path.isAbsolute(target) ? target : path.join(path.dirname(doc.uri.fsPath), target);
      const start = m[1].length + m[2].length + m[3].length;
      const link = new vscode.DocumentLink(new vscode.Range(i, start, i, start + m[4].length), vscode.Uri.file(abs));
      link.tooltip = m[2].toLowerCase() === 'include_dir' ? `Folder of *.conf files: ${abs}` : `Open ${abs}`;
      links.push(link);
    }
    return links;
  }
}
