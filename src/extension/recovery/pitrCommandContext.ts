// What every recovery/backup/restore-point command needs: the extension's context (secrets,
// global storage) and the lazily loaded backend.
import type * as vscode from 'vscode';

import type { PitrBackend } from './pitrBackend';

export interface PitrCommandContext {
  extension: vscode.ExtensionContext;
  backend: () => Promise<PitrBackend>;
}
