// Activation stays small: editor features register providers; nothing heavy (pg, AWS SDK) loads here.
import * as vscode from 'vscode';

import { ConfigCompletionProvider } from './completion/configCompletionProvider';
import { FindingStore, LANGUAGE, registerConfigDiagnostics } from './diagnostics/configDiagnostics';
import { ParameterHoverProvider } from './hover/parameterHoverProvider';
import { IncludeLinkProvider } from './links/includeLinks';
import { ConfigCodeActions } from './quickFixes/codeActions';
import { registerPitrCommands } from './recovery/registerPitrCommands';
import { registerServers, type ServersTestApi } from './servers/registerServers';
import { registerTimeline, type TimelineTestApi } from './timeline/registerTimeline';
import { registerMajorVersionStatus } from './version/majorVersion';

export interface PgPitrApi {
  /** time spent in activate(), for the editor benchmark */
  activationMs: number;
  /** the Servers view, as the real-editor tests read it (once the workspace is trusted) */
  servers?: ServersTestApi;
  /** the Recoverability Timeline's answers to clicks, as the real-editor tests read them */
  timeline?: TimelineTestApi;
}

export function activate(context: vscode.ExtensionContext): PgPitrApi {
  const t0 = performance.now();
  const selector: vscode.DocumentSelector = { language: LANGUAGE };
  const store = new FindingStore();
  registerConfigDiagnostics(context, store);
  registerMajorVersionStatus(context, LANGUAGE);
  const api: PgPitrApi = { activationMs: 0 };
  registerServers(context, (servers) => (api.servers = servers));
  registerPitrCommands(context);
  api.timeline = registerTimeline(context);
  context.subscriptions.push(
    vscode.languages.registerCodeActionsProvider(selector, new ConfigCodeActions(store), {
      providedCodeActionKinds: ConfigCodeActions.kinds,
    }),
    vscode.languages.registerHoverProvider(selector, new ParameterHoverProvider()),
    vscode.languages.registerCompletionItemProvider(selector, new ConfigCompletionProvider(), '=', ' ', "'"),
    vscode.languages.registerDocumentLinkProvider(selector, new IncludeLinkProvider()),
  );
  api.activationMs = performance.now() - t0;
  return api;
}

export function deactivate(): void {
  /* disposables are owned by the context */
}
