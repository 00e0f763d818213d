// What every command that runs programs or connects to servers needs: the extension's context
// (secrets, global storage, extension mode) and the lazily loaded backend.
import type * as vscode from 'vscode';

import type { Backend } from '../backendLoader';

export interface CommandContext {
  extension: vscode.ExtensionContext;
  backend: () => Promise<Backend>;
}
