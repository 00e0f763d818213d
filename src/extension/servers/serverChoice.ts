// Which configured server a command works on: named by its argument (the sidebar's server item, a
// test, a CodeLens), else picked by the user. Profiles come from the setting pgPitr.servers and the
// password from SecretStorage, read the way the servers sidebar reads them.
import * as vscode from 'vscode';

import { readProfiles, storedPassword } from '../../core/server/serverProfiles';
import type { ServerProfile } from '../../core/server/types';
import { showErrorMessage, showWarningMessage } from '../safeMessages';
import { settings } from '../settings';
import { serverNameOfNodeId } from './serverTreeModel';

export interface ChosenServer {
  profile: ServerProfile;
  /** from SecretStorage only; undefined lets libpq's conventions (.pgpass, PGPASSWORD) decide */
  password: string | undefined;
}

export function configuredProfiles(): ServerProfile[] {
  return readProfiles(settings.servers()).profiles;
}

/**
 * The server name an argument carries: a string, `{server: "name"}`, `{server: {name}}`, `{profile: {name}}`,
 * or the Servers view's row (`{kind: 'server', name}`; a model node: contextValue `server`, id `server:<encoded name>`).
 */
export function serverNameOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (typeof arg !== 'object' || arg === null) return undefined;
  const a = arg as Record<string, unknown>;
  if (a.kind === 'server' && typeof a.name === 'string') return a.name;
  if (a.contextValue === 'server' || a.contextValue === 'archive') {
    const byId = typeof a.id === 'string' ? serverNameOfNodeId(a.id) : undefined;
    if (byId !== undefined) return byId;
    if (a.contextValue === 'server' && typeof a.label === 'string') return a.label;
  }
  for (const v of [a.server, a.profile]) {
    if (typeof v === 'string' && v !== '') return v;
    if (typeof v === 'object' && v !== null && typeof (v as { name?: unknown }).name === 'string')
      return (v as { name: string }).name;
  }
  return undefined;
}

/** True for an element of the Servers view (a menu passes it as the command's argument). */
export function isServersViewElement(arg: unknown): boolean {
  return (
    typeof arg === 'object' && arg !== null && ((arg as { kind?: unknown }).kind === 'server' || 'contextValue' in arg)
  );
}

/** The server for a command, or undefined when the user cancelled (or none is configured: said so). */
export async function chooseServer(
  context: vscode.ExtensionContext,
  arg: unknown,
  purpose: string,
): Promise<ChosenServer | undefined> {
  const profiles = configuredProfiles();
  const wanted = serverNameOf(arg);
  let profile: ServerProfile | undefined;
  if (wanted !== undefined) {
    profile = profiles.find((p) => p.name === wanted);
    if (!profile) {
      void showErrorMessage(`pg-pitr: no server named "${wanted}" in the setting pgPitr.servers.`);
      return undefined;
    }
  } else if (profiles.length === 0) {
    void showErrorMessage(
      'pg-pitr: no server is configured. Add one in the pg-pitr Servers view (or the setting pgPitr.servers).',
    );
    return undefined;
  } else if (profiles.length === 1) {
    // the only server (as the Servers view's own commands do)
    profile = profiles[0];
  } else {
    const picked = await vscode.window.showQuickPick(
      profiles.map((p) => ({ label: p.name, description: describeProfile(p), profile: p })),
      { placeHolder: `Server to ${purpose}`, ignoreFocusOut: true },
    );
    profile = picked?.profile;
  }
  if (!profile) return undefined;
  // bound like ~/.pgpass: a password typed for another host/port/db/user is not sent
  const { password, withheld } = await storedPassword(context.secrets, profile);
  if (withheld) void showWarningMessage(`pg-pitr: ${withheld}`);
  return { profile, password: password === '' ? undefined : password };
}

function describeProfile(p: ServerProfile): string {
  if (p.service) return `service ${p.service}`;
  if (p.connectionString) return 'connection string';
  return `${p.user ?? ''}${p.user ? '@' : ''}${p.host ?? 'localhost'}:${p.port ?? 5432}${p.database ? `/${p.database}` : ''}`;
}
