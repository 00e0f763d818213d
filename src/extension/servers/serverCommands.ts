// Add, edit, remove and test servers. Profiles live in the setting pgPitr.servers; a password
// typed here goes to VS Code's SecretStorage only (never to settings, logs or messages), also when
// it was typed inside a connection string.
import * as vscode from 'vscode';

import {
  passwordBinding,
  passwordBindingKey,
  passwordSecretKey,
  profileToSetting,
  readProfiles,
} from '../../core/server/serverProfiles';
import type { CheckResult, ServerProfile } from '../../core/server/types';
import { showErrorMessage, showInformationMessage, showWarningMessage } from '../safeMessages';
import { settings } from '../settings';
import { connectionStringForSettings } from './connectionStringPassword';
import { connectionTestMessage } from './connectionTestMessage';
import type { ServerChecks } from './serverChecks';
import type { ServersElement } from './serversTreeProvider';

type Target = vscode.ConfigurationTarget.Global | vscode.ConfigurationTarget.Workspace;

/** The settings scope a server is defined in (the workspace's list wins over the user's, as in get()). */
function scopeOf(name: string): { target: Target; list: unknown[] } | undefined {
  const { global, workspace } = settings.serversByScope();
  const has = (v: unknown): v is unknown[] => Array.isArray(v) && readProfiles(v).profiles.some((p) => p.name === name);
  if (has(workspace)) return { target: vscode.ConfigurationTarget.Workspace, list: workspace };
  if (has(global)) return { target: vscode.ConfigurationTarget.Global, list: global };
  return undefined;
}

async function writeList(list: unknown[], target: Target): Promise<void> {
  await settings.setServers(list, target);
}

function nameOf(list: unknown): string | undefined {
  return typeof list === 'object' && list !== null && typeof (list as { name?: unknown }).name === 'string'
    ? (list as { name: string }).name.trim()
    : undefined;
}

export class ServerCommands {
  constructor(
    private readonly checks: ServerChecks,
    private readonly secrets: vscode.SecretStorage,
  ) {}

  /** The server a command is about: the row it was invoked on, else the only one, else a pick. */
  private async pick(e: ServersElement | undefined, verb: string): Promise<string | undefined> {
    if (e && 'kind' in e && e.kind === 'server') return e.name;
    const names = this.checks.list().map((x) => x.profile.name);
    if (names.length === 0) {
      void showInformationMessage('No PostgreSQL server is configured: run "pg-pitr: Add Server".');
      return undefined;
    }
    if (names.length === 1) return names[0];
    return vscode.window.showQuickPick(names, { placeHolder: `Server to ${verb}` });
  }

  async add(): Promise<void> {
    const asked = await askProfile(
      undefined,
      this.checks.list().map((x) => x.profile.name),
    );
    if (!asked) return;
    const { global } = settings.serversByScope();
    const list = Array.isArray(global) ? [...global] : [];
    if (asked.password !== undefined) await this.storePassword(asked.profile, asked.password);
    await writeList([...list, profileToSetting(asked.profile)], vscode.ConfigurationTarget.Global);
    void showInformationMessage(
      `Server "${asked.profile.name}" added to your user settings (pgPitr.servers).${asked.password !== undefined ? " Its password is kept in VS Code's secret storage." : ''}`,
    );
  }

  async edit(e?: ServersElement): Promise<void> {
    const name = await this.pick(e, 'edit');
    if (!name) return;
    const scope = scopeOf(name);
    const current = this.checks.get(name)?.profile;
    if (!scope || !current) {
      void showWarningMessage(
        `Server "${name}" is not in your user or workspace settings: edit pgPitr.servers where it is defined.`,
      );
      return;
    }
    const hasPassword = (await this.secrets.get(passwordSecretKey(name))) !== undefined;
    const asked = await askProfile(
      current,
      this.checks
        .list()
        .map((x) => x.profile.name)
        .filter((n) => n !== name),
      hasPassword,
    );
    if (!asked) return;
    const newName = asked.profile.name;
    const old = await this.secrets.get(passwordSecretKey(name));
    // kept through an edit: the user confirmed it for the server as edited
    if (asked.password !== undefined) await this.storePassword(asked.profile, asked.password);
    else if (asked.removePassword) await this.deletePassword(newName);
    else if (old !== undefined) await this.storePassword(asked.profile, old);
    if (newName !== name) await this.deletePassword(name);
    if (asked.removePassword) await this.deletePassword(name);
    await writeList(
      // the form does not ask for objectives: the entry keeps the ones it had, as written
      scope.list.map((x) => (nameOf(x) === name ? { ...profileToSetting(asked.profile), ...keptObjectives(x) } : x)),
      scope.target,
    );
  }

  /** `confirmed`: skip the modal question (the command table passes it only in an extension test run, where VS Code refuses modal dialogs) */
  async remove(e?: ServersElement, confirmed = false): Promise<void> {
    const name = await this.pick(e, 'remove');
    if (!name) return;
    const scope = scopeOf(name);
    if (!scope) {
      void showWarningMessage(
        `Server "${name}" is not in your user or workspace settings: remove it from pgPitr.servers where it is defined.`,
      );
      return;
    }
    const where = scope.target === vscode.ConfigurationTarget.Global ? 'your user settings' : 'the workspace settings';
    const ok =
      confirmed ||
      (await showWarningMessage(
        `Remove server "${name}" from ${where}? Its stored password, if any, is deleted too.`,
        { modal: true },
        'Remove',
      )) === 'Remove';
    if (!ok) return;
    await this.deletePassword(name);
    await writeList(
      scope.list.filter((x) => nameOf(x) !== name),
      scope.target,
    );
  }

  /** The password, and what it was typed for (serverProfiles.passwordBinding). */
  private async storePassword(profile: ServerProfile, password: string): Promise<void> {
    await this.secrets.store(passwordBindingKey(profile.name), passwordBinding(profile));
    await this.secrets.store(passwordSecretKey(profile.name), password);
  }

  private async deletePassword(name: string): Promise<void> {
    await this.secrets.delete(passwordSecretKey(name));
    await this.secrets.delete(passwordBindingKey(name));
  }

  async test(e?: ServersElement): Promise<CheckResult | undefined> {
    const name = await this.pick(e, 'test');
    if (!name) return undefined;
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `pg-pitr: testing ${name}…`, cancellable: true },
      (_progress, token) => this.checks.checkOne(name, token),
    );
    if (!result) return undefined;
    showResult(result);
    return result;
  }
}

function showResult(r: CheckResult): void {
  const text = connectionTestMessage(r);
  if (r.health === 'ok') void showInformationMessage(text);
  else if (r.health === 'warning') void showWarningMessage(text);
  else void showErrorMessage(text);
}

interface AskedProfile {
  profile: ServerProfile;
  /** a new password to store */
  password?: string;
  removePassword?: boolean;
}

const METHODS = [
  { label: 'Host, port, database, user', id: 'fields' as const },
  {
    label: 'Connection string or URI',
    description: 'postgresql://user@host:5432/db or host=... dbname=...',
    id: 'string' as const,
  },
  { label: 'Service name', description: 'an entry of pg_service.conf', id: 'service' as const },
];

/** The input boxes of Add and Edit; undefined when the user cancels. */
async function askProfile(
  current: ServerProfile | undefined,
  takenNames: string[],
  hasPassword = false,
): Promise<AskedProfile | undefined> {
  const title = current ? `Edit server ${current.name}` : 'Add PostgreSQL server';
  const name = await vscode.window.showInputBox({
    title,
    ignoreFocusOut: true,
    prompt: 'Name shown in the Servers view',
    value: current?.name ?? '',
    validateInput: (v) =>
      v.trim() === ''
        ? 'A name is required'
        : takenNames.includes(v.trim())
          ? `A server named "${v.trim()}" already exists`
          : undefined,
  });
  if (name === undefined) return undefined;
  const currentMethod = current?.connectionString ? 'string' : current?.service ? 'service' : 'fields';
  const method = await vscode.window.showQuickPick(
    // the profile's current way first, so that Enter keeps it
    [...METHODS].sort((a, b) => Number(b.id === currentMethod) - Number(a.id === currentMethod)),
    { title, placeHolder: 'How to connect', ignoreFocusOut: true },
  );
  if (!method) return undefined;
  const profile: ServerProfile = { name: name.trim() };
  let password: string | undefined;
  if (method.id === 'string') {
    const s = await vscode.window.showInputBox({
      title,
      ignoreFocusOut: true,
      prompt: 'libpq connection string or URI (a password in it is moved to secret storage)',
      value: current?.connectionString ?? '',
      // a string that would still hold a password once saved is refused, never written to settings
      validateInput: (v) => {
        if (v.trim() === '') return 'Required';
        const checked = connectionStringForSettings(v);
        return 'error' in checked ? checked.error : undefined;
      },
    });
    if (s === undefined) return undefined;
    const split = connectionStringForSettings(s);
    if ('error' in split) return undefined;
    profile.connectionString = split.connectionString;
    password = split.password;
  } else if (method.id === 'service') {
    const s = await vscode.window.showInputBox({
      title,
      ignoreFocusOut: true,
      prompt: 'Service name in pg_service.conf (PGSERVICEFILE, ~/.pg_service.conf or PGSYSCONFDIR)',
      value: current?.service ?? '',
      validateInput: (v) => (v.trim() === '' ? 'Required' : undefined),
    });
    if (s === undefined) return undefined;
    profile.service = s.trim();
  } else {
    const host = await vscode.window.showInputBox({
      title,
      ignoreFocusOut: true,
      prompt: 'Host (empty: PGHOST or the local socket)',
      value: current?.host ?? 'localhost',
    });
    if (host === undefined) return undefined;
    const port = await vscode.window.showInputBox({
      title,
      ignoreFocusOut: true,
      prompt: 'Port',
      value: String(current?.port ?? 5432),
      validateInput: (v) =>
        v.trim() === '' || (/^\d+$/.test(v.trim()) && Number(v) > 0 && Number(v) < 65536)
          ? undefined
          : 'A TCP port: 1 to 65535',
    });
    if (port === undefined) return undefined;
    const database = await vscode.window.showInputBox({
      title,
      ignoreFocusOut: true,
      prompt: 'Database',
      value: current?.database ?? 'postgres',
    });
    if (database === undefined) return undefined;
    const user = await vscode.window.showInputBox({
      title,
      ignoreFocusOut: true,
      prompt: 'User (empty: PGUSER or your OS user name)',
      value: current?.user ?? '',
    });
    if (user === undefined) return undefined;
    if (host.trim()) profile.host = host.trim();
    if (port.trim()) profile.port = Number(port);
    if (database.trim()) profile.database = database.trim();
    if (user.trim()) profile.user = user.trim();
  }
  for (const f of ['sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'archiveEndpoint'] as const)
    if (current?.[f] !== undefined) (profile as unknown as Record<string, unknown>)[f] = current[f];
  const archive = await vscode.window.showInputBox({
    title,
    ignoreFocusOut: true,
    prompt: 'Archive location: a folder or s3://bucket/prefix (empty: inferred from archive_command)',
    value: current?.archive ?? '',
  });
  if (archive === undefined) return undefined;
  if (archive.trim()) profile.archive = archive.trim();
  let removePassword = false;
  if (password === undefined) {
    const typed = await vscode.window.showInputBox({
      title,
      ignoreFocusOut: true,
      prompt: hasPassword
        ? "Password (empty: keep the stored one; a single space: forget it). Kept in VS Code's secret storage only."
        : "Password (empty: none, or ~/.pgpass / PGPASSWORD). Kept in VS Code's secret storage only.",
      password: true,
    });
    if (typed === undefined) return undefined;
    if (typed === ' ') removePassword = true;
    else if (typed !== '') password = typed;
  }
  return { profile, password, removePassword };
}

/** The objectives of a raw pgPitr.servers entry, as the user wrote them. */
function keptObjectives(entry: unknown): { objectives?: unknown } {
  const o = typeof entry === 'object' && entry !== null ? (entry as { objectives?: unknown }).objectives : undefined;
  return o === undefined ? {} : { objectives: o };
}
