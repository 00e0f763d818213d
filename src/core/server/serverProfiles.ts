// Reads the pgPitr.servers setting into profiles, tolerating anything a user can type into
// settings.json: a bad entry is skipped with a reason, never thrown on. No vscode here (unit-tested).
import { objectivesToSetting, readObjectives } from '../monitoring/objectives';
import type { ServerProfile } from './types';

const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
const STRING_FIELDS = [
  'host',
  'database',
  'user',
  'sslrootcert',
  'sslcert',
  'sslkey',
  'connectionString',
  'service',
  'archive',
  'archiveEndpoint',
] as const;

export interface ProfileList {
  profiles: ServerProfile[];
  /** why entries were skipped, for a warning */
  problems: string[];
}

export function readProfiles(raw: unknown): ProfileList {
  const profiles: ServerProfile[] = [];
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { profiles, problems };
  if (!Array.isArray(raw)) return { profiles, problems: ['pgPitr.servers must be an array of server profiles'] };
  const seen = new Set<string>();
  raw.forEach((entry, i) => {
    const where = `pgPitr.servers[${i}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push(`${where} is not an object`);
      return;
    }
    const e = entry as Record<string, unknown>;
    const name = typeof e.name === 'string' ? e.name.trim() : '';
    if (name === '') {
      problems.push(`${where} has no name`);
      return;
    }
    if (seen.has(name)) {
      problems.push(`${where}: a server named "${name}" is already configured`);
      return;
    }
    if ('password' in e)
      problems.push(
        `${where} ("${name}"): the password property is ignored; pg-pitr keeps passwords in VS Code's secret storage`,
      );
    const p: ServerProfile = { name };
    for (const f of STRING_FIELDS) {
      const v = e[f];
      if (typeof v === 'string' && v.trim() !== '') p[f] = v.trim();
    }
    const port = typeof e.port === 'string' && /^\d+$/.test(e.port.trim()) ? Number(e.port) : e.port;
    if (typeof port === 'number' && Number.isInteger(port) && port > 0 && port < 65536) p.port = port;
    else if (port !== undefined)
      problems.push(`${where} ("${name}"): port ${JSON.stringify(e.port)} is not a TCP port; the default is used`);
    if (typeof e.sslmode === 'string' && (SSL_MODES as readonly string[]).includes(e.sslmode))
      p.sslmode = e.sslmode as ServerProfile['sslmode'];
    else if (e.sslmode !== undefined)
      problems.push(
        `${where} ("${name}"): sslmode ${JSON.stringify(e.sslmode)} is not one of ${SSL_MODES.join(', ')}; ignored`,
      );
    if (e.objectives !== undefined) {
      const o = readObjectives(e.objectives, `${where} ("${name}").objectives`);
      problems.push(...o.problems);
      if (Object.keys(o.objectives).length) p.objectives = o.objectives;
    }
    seen.add(name);
    profiles.push(p);
  });
  return { profiles, problems };
}

/** The profile as stored in settings: only the fields that are set, in a stable order. */
export function profileToSetting(p: ServerProfile): Record<string, string | number | object> {
  const out: Record<string, string | number | object> = { name: p.name };
  for (const f of [
    'host',
    'port',
    'database',
    'user',
    'sslmode',
    'sslrootcert',
    'sslcert',
    'sslkey',
    'connectionString',
    'service',
    'archive',
    'archiveEndpoint',
  ] as const) {
    const v = p[f];
    if (v !== undefined && v !== '') out[f] = v;
  }
  if (p.objectives && Object.keys(p.objectives).length) out.objectives = objectivesToSetting(p.objectives);
  return out;
}

/** Key of a server's password in VS Code's SecretStorage. */
export function passwordSecretKey(serverName: string): string {
  return `pgPitr.password:${serverName}`;
}

/** Key of what a stored password was typed for (passwordBinding), beside the password. */
export function passwordBindingKey(serverName: string): string {
  return `pgPitr.passwordFor:${serverName}`;
}

/**
 * The fields that choose the server and the role a password is sent to, and how it travels there.
 * A stored password is keyed by the server's name, and a name is easy to reuse: a workspace's
 * settings can define a server with the user's "prod" name and another host, and an edited
 * settings.json can point "prod" elsewhere, or downgrade its TLS (sslmode=disable, another root
 * certificate) so that the password crosses the network readable or to a server nobody verified.
 * Like ~/.pgpass (host:port:database:user), the password goes only where, and how, it was typed for.
 */
export function passwordBinding(p: ServerProfile): string {
  return JSON.stringify([
    p.host ?? null,
    p.port ?? null,
    p.database ?? null,
    p.user ?? null,
    p.connectionString ?? null,
    p.service ?? null,
    p.sslmode ?? null,
    p.sslrootcert ?? null,
  ]);
}

/** A binding saved before the TLS settings were part of it: the first six fields only. */
function isLegacyBinding(boundTo: string): boolean {
  try {
    const v: unknown = JSON.parse(boundTo);
    return Array.isArray(v) && v.length === 6;
  } catch {
    return false;
  }
}

export interface SecretReader {
  get(key: string): PromiseLike<string | undefined>;
}

/** The stored password to send to this profile's server; `withheld` says why one was kept back. */
export async function storedPassword(
  secrets: SecretReader,
  profile: ServerProfile,
): Promise<{ password?: string; withheld?: string }> {
  const password = await secrets.get(passwordSecretKey(profile.name));
  if (!password) return {};
  const boundTo = await secrets.get(passwordBindingKey(profile.name));
  // a password stored before bindings existed has none: it is sent, as it was
  if (boundTo !== undefined && boundTo !== passwordBinding(profile)) {
    // saved without its TLS settings: nothing says the settings now named are those it was typed for
    if (isLegacyBinding(boundTo))
      return {
        withheld:
          `the stored password of "${profile.name}" was saved by an earlier version of pg-pitr ` +
          `that did not record the server's TLS settings (sslmode, sslrootcert), so it is not sent; run "pg-pitr: ` +
          `Edit Server" to confirm it for this server`,
      };
    return {
      withheld:
        `the stored password of "${profile.name}" was saved for another host, port, database, ` +
        `user, connection string or TLS settings (sslmode, sslrootcert) than the server's settings now name, so ` +
        `it is not sent; run "pg-pitr: Edit Server" to use it for this server`,
    };
  }
  return { password };
}
