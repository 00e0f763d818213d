// Activation stays small: heavy modules are loaded only by the features that need them.
import * as vscode from 'vscode';
import { registerConfigDiagnostics } from './diagnostics/configDiagnostics';

export function activate(context: vscode.ExtensionContext): void {
  registerConfigDiagnostics(context);
}

export function deactivate(): void {
  /* nothing to release: disposables are owned by the context */
}
