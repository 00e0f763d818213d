// Where restore points created from the editor are recorded (per user, not per workspace: the
// servers are the user's too).
import * as path from 'node:path';

import type * as vscode from 'vscode';

export function restorePointLogFile(context: vscode.ExtensionContext): string {
  return path.join(context.globalStorageUri.fsPath, 'restore-points.json');
}
