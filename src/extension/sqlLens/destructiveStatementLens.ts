// In SQL files, a CodeLens above each destructive statement (DROP TABLE/SCHEMA/DATABASE, TRUNCATE,
// DELETE/UPDATE without WHERE, ALTER TABLE ... DROP COLUMN) offers to create a restore point first.
// The SQL parser lives in the lazily loaded backend; SQL that does not parse yields no lens and no
// message (a migration half-typed is normal, not an error).
import * as vscode from 'vscode';

import type { Backend } from '../backendLoader';
import { CREATE_RESTORE_POINT_COMMAND } from '../restorePoints/createRestorePointCommand';

export const SQL_LENS_TITLE = 'Create restore point before this';

/** The argument the lens passes to pgPitr.createRestorePoint: the statement is the reason. */
export interface LensRestorePointArgument {
  reason: string;
}

export class DestructiveStatementLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  /** lenses appear once the workspace is trusted (their command exists only then) */
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly backend: () => Promise<Backend>) {
    vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire());
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    if (!vscode.workspace.isTrusted) return [];
    let found: ReturnType<Backend['findDestructiveStatements']>;
    try {
      const text = document.getText();
      const b = await this.backend();
      if (token.isCancellationRequested) return [];
      found = b.findDestructiveStatements(text);
    } catch {
      // the parser never throws by contract; a backend that cannot load must not pop up either
      return [];
    }
    return found.map((s) => {
      const line = Math.min(Math.max(s.line, 0), Math.max(document.lineCount - 1, 0));
      const range = new vscode.Range(line, 0, line, 0);
      const arg: LensRestorePointArgument = { reason: statementReason(s.description) };
      return new vscode.CodeLens(range, {
        title: SQL_LENS_TITLE,
        tooltip: `${s.description}. Creates a restore point on a server first, so that a recovery can stop just before this statement.`,
        command: CREATE_RESTORE_POINT_COMMAND,
        arguments: [arg],
      });
    });
  }
}

/** The reason seeding the restore point's name: the statement's description without its explanation
 * ("DELETE FROM sessions without WHERE: deletes every row" → "DELETE FROM sessions without WHERE"). */
export function statementReason(description: string): string {
  const colon = description.indexOf(': ');
  return colon > 0 ? description.slice(0, colon) : description;
}
