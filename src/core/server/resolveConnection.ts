// Turns a server profile into the values a connection uses, in named steps: the keywords from each
// source (connectionKeywords.ts, libpq's precedence), then host, port, user and database, the
// connect timeout, the TLS settings (sslSettings.ts), every other keyword (connectionOptions.ts:
// implemented or refused, never ignored) and the password (resolvePassword.ts).

import * as fs from 'node:fs';
import * as os from 'node:os';

import { aboutServer, ConnectionConfigError } from './connectionErrors';
import { gatherKeywords } from './connectionKeywords';
import { resolveConnectionOptions, type SessionOptions, type TlsOptions } from './connectionOptions';
import { resolvePassword } from './resolvePassword';
import { resolveSslSettings } from './sslSettings';
import type { ResolvedConnection, ServerProfile } from './types';

export interface ResolveOptions {
  /** a password the user typed or stored (SecretStorage); wins over every other source */
  password?: string;
  /** default process.env */
  env?: NodeJS.ProcessEnv;
  /** default os.homedir() */
  homeDir?: string;
  /** the OS user name, libpq's default user; default os.userInfo().username */
  osUser?: string;
  /** the host used when none is configured; default defaultHost() */
  defaultHost?: string;
  /** replaces the compiled-in SYSCONFDIR guess when PGSYSCONFDIR is unset (tests) */
  sysconfDir?: string;
  /** default process.platform (Windows: libpq's files live in %APPDATA%\postgresql, the default host is localhost) */
  platform?: NodeJS.Platform;
}

/**
 * Where a libpq without a host connects: its compiled-in socket directory. Distribution builds
 * (Debian/Ubuntu, RPM) use /var/run/postgresql, a source build /tmp; libpq never falls back to
 * TCP. pg-pitr is no particular build, so: /var/run/postgresql when that directory exists, else
 * /tmp when a server's socket for `port` is there, else localhost over TCP (always on Windows,
 * as in libpq there).
 */
export function defaultHost(port: number, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return 'localhost';
  if (fs.existsSync('/var/run/postgresql')) return '/var/run/postgresql';
  if (fs.existsSync(`/tmp/.s.PGSQL.${port}`)) return '/tmp';
  return 'localhost';
}

function currentOsUser(env: NodeJS.ProcessEnv): string {
  try {
    return os.userInfo().username;
  } catch {
    return env.USER ?? env.USERNAME ?? 'postgres';
  }
}

/** libpq's parse_int_param: an integer with optional surrounding blanks. */
function parseIntParam(value: string, keyword: string): number {
  const m = /^[ \t\n\r\v\f]*([+-]?\d+)[ \t\n\r\v\f]*$/.exec(value);
  const n = m ? Number(m[1]) : NaN;
  if (!Number.isSafeInteger(n) || n > 2 ** 31 - 1 || n < -(2 ** 31)) {
    throw new ConnectionConfigError(`invalid integer value "${value}" for connection option "${keyword}"`);
  }
  return n;
}

function formatDisplay(user: string, host: string, port: number, database: string): string {
  const h = host.includes(':') ? `[${host}]` : host;
  return `${user}@${h}:${port}/${database}`;
}

/** host, hostaddr and port: one server per profile (libpq's lists are refused), a valid port. */
export function resolveEndpoint(
  values: Map<string, string>,
  serverName: string,
): { hostText?: string; port: number; warnings: string[] } {
  const portText = values.get('port') ?? '5432';
  // libpq's multi-host lists: one profile is one server here
  for (const [keyword, text] of [
    ['host', values.get('host') ?? ''],
    ['hostaddr', values.get('hostaddr') ?? ''],
    ['port', portText],
  ]) {
    if (text!.includes(',')) {
      throw new ConnectionConfigError(
        aboutServer(
          serverName,
          `several values for ${keyword} ("${text}"): pg-pitr checks one server per profile, give one`,
        ),
      );
    }
  }
  let port: number;
  try {
    port = parseIntParam(portText, 'port');
  } catch {
    throw new ConnectionConfigError(aboutServer(serverName, `invalid port number: "${portText}"`));
  }
  if (port < 1 || port > 65535)
    throw new ConnectionConfigError(aboutServer(serverName, `invalid port number: "${portText}"`));
  const warnings: string[] = [];
  let host = values.get('host');
  const hostaddr = values.get('hostaddr');
  if (hostaddr !== undefined) {
    if (host === undefined) host = hostaddr;
    else if (host !== hostaddr) warnings.push(`hostaddr "${hostaddr}" is ignored: pg-pitr connects to host "${host}"`);
  }
  return host === undefined ? { port, warnings } : { hostText: host, port, warnings };
}

/** connect_timeout in ms (libpq: 0 or negative waits forever, which pg-pitr never does; 1 counts as 2). */
export function resolveConnectTimeout(values: Map<string, string>, serverName: string): number | undefined {
  const ct = values.get('connect_timeout');
  if (ct === undefined) return undefined;
  let seconds: number;
  try {
    seconds = parseIntParam(ct, 'connect_timeout');
  } catch (e) {
    throw new ConnectionConfigError(aboutServer(serverName, (e as Error).message));
  }
  return seconds > 0 ? Math.max(seconds, 2) * 1000 : undefined;
}

function isDefaultTls(t: TlsOptions): boolean {
  return (
    t.minVersion === 'TLSv1.2' &&
    t.maxVersion === undefined &&
    t.crlFile === undefined &&
    t.keyPassword === undefined &&
    t.sendClientCert &&
    t.negotiation === 'postgres'
  );
}

function isDefaultSession(s: SessionOptions): boolean {
  return (
    s.applicationName === undefined &&
    s.fallbackApplicationName === undefined &&
    s.options === undefined &&
    s.keepalives &&
    s.keepalivesIdleMs === undefined &&
    s.targetSessionAttrs === 'any'
  );
}

/**
 * The connection values for `profile`. Throws ConnectionConfigError (with a message that never
 * holds a password) for a malformed connection string, an unknown service, or invalid values.
 */
export function resolveConnection(profile: ServerProfile, opts: ResolveOptions = {}): ResolvedConnection {
  const env = opts.env ?? process.env;
  const homeDir = opts.homeDir ?? os.homedir();
  const platform = opts.platform ?? process.platform;

  const { values, passwordFromString } = gatherKeywords(profile, {
    env,
    homeDir,
    sysconfDir: opts.sysconfDir,
    platform,
  });
  const endpoint = resolveEndpoint(values, profile.name);
  const warnings = [...endpoint.warnings];
  const port = endpoint.port;
  const host = endpoint.hostText ?? opts.defaultHost ?? defaultHost(port, platform);
  const user = values.get('user') ?? opts.osUser ?? currentOsUser(env);
  const database = values.get('dbname') ?? user;
  const connectTimeoutMs = resolveConnectTimeout(values, profile.name);
  const { auth, tls, session } = resolveConnectionOptions(values, profile.name);
  const ssl = resolveSslSettings(values, profile.name, { env, homeDir, platform });
  // only what differs from libpq's defaults is kept (openConnection applies the defaults)
  if (ssl && !isDefaultTls(tls)) ssl.options = tls;
  // libpq: direct TLS negotiation leaves no plain-text fallback, so it needs a mode that insists on TLS
  const mode = ssl ? ssl.mode : 'disable';
  if (tls.negotiation === 'direct' && !['require', 'verify-ca', 'verify-full'].includes(mode))
    throw new ConnectionConfigError(
      aboutServer(
        profile.name,
        `weak sslmode "${mode}" may not be used with sslnegotiation=direct (use "require", "verify-ca", or "verify-full")`,
      ),
    );
  const pw = resolvePassword(
    { host, port, database, user },
    { given: opts.password, fromString: passwordFromString, env, passfile: values.get('passfile'), homeDir, platform },
  );
  if (pw.warning) warnings.push(pw.warning);

  const resolved: ResolvedConnection = {
    host,
    port,
    database,
    user,
    passwordSource: pw.source,
    ssl,
    display: formatDisplay(user, host, port, database),
    warnings,
  };
  if (auth.requireAuth !== null || auth.channelBinding !== 'prefer') resolved.auth = auth;
  if (!isDefaultSession(session)) resolved.session = session;
  if (pw.password !== undefined) resolved.password = pw.password;
  if (connectTimeoutMs !== undefined) resolved.connectTimeoutMs = connectTimeoutMs;
  return resolved;
}
