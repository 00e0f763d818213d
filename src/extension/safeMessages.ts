// VS Code's notifications and dialogs with the text made safe (core/text/safeText): a file name, a
// setting or a server's answer cannot fake a line break in a dialog or reverse text with a bidi
// control. Use these instead of vscode.window.show*Message.
import * as vscode from 'vscode';

import { escapeInline } from '../core/text/safeText';

type Options = vscode.MessageOptions;

function safe<T extends string>(
  show: (message: string, options: Options, ...items: T[]) => Thenable<T | undefined>,
  message: string,
  rest: Array<Options | T>,
): Thenable<T | undefined> {
  const first = rest[0];
  const options: Options = typeof first === 'object' && first !== null ? { ...first } : {};
  const items = (typeof first === 'object' && first !== null ? rest.slice(1) : rest) as T[];
  // a detail is a block of lines the program laid out: each line escaped on its own
  if (options.detail !== undefined) options.detail = options.detail.split('\n').map(escapeInline).join('\n');
  return show(escapeInline(message), options, ...items);
}

/** vscode.window.showInformationMessage with the message (and detail lines) escaped. */
export function showInformationMessage<T extends string>(message: string, ...rest: Array<Options | T>) {
  return safe<T>((m, o, ...i) => vscode.window.showInformationMessage(m, o, ...i), message, rest);
}

/** vscode.window.showWarningMessage with the message (and detail lines) escaped. */
export function showWarningMessage<T extends string>(message: string, ...rest: Array<Options | T>) {
  return safe<T>((m, o, ...i) => vscode.window.showWarningMessage(m, o, ...i), message, rest);
}

/** vscode.window.showErrorMessage with the message (and detail lines) escaped. */
export function showErrorMessage<T extends string>(message: string, ...rest: Array<Options | T>) {
  return safe<T>((m, o, ...i) => vscode.window.showErrorMessage(m, o, ...i), message, rest);
}
