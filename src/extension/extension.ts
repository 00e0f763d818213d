// Activation stays small: editor features register providers; nothing heavy (pg, AWS SDK) loads here.
// Commands come from one table (commands/commandTable.ts); what runs programs or connects to servers
// starts only in a trusted workspace (workspaceTrust.ts).
import * as vscode from 'vscode';

import { loadBackendAsync } from './backendLoader';
import { removeStalePassFiles } from './backup/privatePassFile';
import { COMMANDS, registerCommandTable, TRUSTED_COMMANDS } from './commands/commandTable';
import { ConfigCompletionProvider } from './completion/configCompletionProvider';
import { FindingStore, LANGUAGE, registerConfigDiagnostics } from './diagnostics/configDiagnostics';
import { ParameterHoverProvider } from './hover/parameterHoverProvider';
import { IncludeLinkProvider } from './links/includeLinks';
import { registerLog } from './log';
import { ConfigCodeActions } from './quickFixes/codeActions';
import { PlanPreviewDocuments, PREVIEW_SCHEME } from './recovery/planPreview';
import { type ServersTestApi, startServers } from './servers/serversFeature';
import { DestructiveStatementLensProvider } from './sqlLens/destructiveStatementLens';
import { type TimelineTestApi, timelineTestApi } from './timeline/timelineTestApi';
import { registerMajorVersionStatus } from './version/majorVersion';
import { whenTrusted } from './workspaceTrust';

export interface PgPitrApi {
  /** time spent in activate(), for the editor benchmark */
  activationMs: number;
  /** test hooks: the Servers view as the real-editor tests read it (only in an extension test run, once trusted) */
  servers?: ServersTestApi;
  /** test hooks: the Recoverability Timeline's answers to clicks (only in an extension test run) */
  timeline?: TimelineTestApi;
}

export function activate(context: vscode.ExtensionContext): PgPitrApi {
  const t0 = performance.now();
  const selector: vscode.DocumentSelector = { language: LANGUAGE };
  const api: PgPitrApi = { activationMs: 0 };
  registerLog(context);
  const store = new FindingStore();
  const lintText = registerConfigDiagnostics(context, store);
  registerMajorVersionStatus(context, selector);
  registerCommandTable(context, COMMANDS, context);
  if (context.extensionMode === vscode.ExtensionMode.Test) api.timeline = timelineTestApi(context);
  context.subscriptions.push(
    vscode.languages.registerCodeActionsProvider(selector, new ConfigCodeActions(store, lintText), {
      providedCodeActionKinds: ConfigCodeActions.kinds,
    }),
    vscode.languages.registerHoverProvider(selector, new ParameterHoverProvider()),
    vscode.languages.registerCompletionItemProvider(selector, new ConfigCompletionProvider(), '=', ' ', "'"),
    vscode.languages.registerDocumentLinkProvider(selector, new IncludeLinkProvider()),
    // its lenses run a trusted command: none in Restricted Mode (the provider asks)
    vscode.languages.registerCodeLensProvider(
      { language: 'sql' },
      new DestructiveStatementLensProvider(loadBackendAsync),
    ),
  );
  whenTrusted(context, () => {
    removeStalePassFiles(context.globalStorageUri.fsPath);
    const previews = new PlanPreviewDocuments();
    const servers = startServers(context);
    context.subscriptions.push(
      previews,
      vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, previews),
    );
    registerCommandTable(context, TRUSTED_COMMANDS, {
      ctx: { extension: context, backend: loadBackendAsync },
      previews,
      servers,
    });
    if (context.extensionMode === vscode.ExtensionMode.Test) api.servers = servers.testApi();
  });
  api.activationMs = performance.now() - t0;
  return api;
}

export function deactivate(): void {
  /* disposables are owned by the context */
}
