// Features that run programs or connect to servers start only in a trusted workspace: now, or when
// the user grants trust later. The one place that gates them.
import * as vscode from 'vscode';

/** Runs `start` once the workspace is trusted (at once when it already is). */
export function whenTrusted(context: vscode.ExtensionContext, start: () => void): void {
  if (vscode.workspace.isTrusted) {
    start();
    return;
  }
  const sub = vscode.workspace.onDidGrantWorkspaceTrust(() => {
    sub.dispose();
    start();
  });
  context.subscriptions.push(sub);
}
