// The "pg-pitr" output channel: every server check that failed and why, every program launched (its
// argv, never a password), every file written. Error messages offer "Show Log" to open it.
import * as vscode from 'vscode';

import { escapeInline } from '../core/text/safeText';
import { showErrorMessage } from './safeMessages';

let channel: vscode.LogOutputChannel | undefined;

/** The extension's log (created on first use; owned by the extension context once registered). */
export function log(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('pg-pitr', { log: true });
  return channel;
}

/** Creates the channel and hands it to the context for disposal. */
export function registerLog(context: vscode.ExtensionContext): vscode.LogOutputChannel {
  const c = log();
  context.subscriptions.push(c, { dispose: () => (channel = undefined) });
  return c;
}

const SHOW_LOG = 'Show Log';

/** An error notification that logs the same text and offers to open the log. Never rejects. */
export function showErrorWithLog(message: string): void {
  log().error(escapeInline(message));
  showErrorMessage(message, SHOW_LOG).then(
    (a) => a === SHOW_LOG && log().show(true),
    () => undefined,
  );
}
