// Turns a server profile into the values a connection uses, with libpq's precedence:
// the profile's own fields > its connection string > the pg_service.conf entry > PG* environment
// variables > defaults. The password: the caller's (SecretStorage, a prompt) > the connection
// string's (or the service entry's) > PGPASSWORD > the password file.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { ConnectionConfigError } from './connectionErrors';
import { isConnectionString, parseConnectionString } from './conninfo';
import { lookupPassword, passwordFilePath } from './passwordFile';
import { lookupService } from './serviceFile';
import type { ResolvedConnection, ServerProfile, SslSettings } from './types';

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

/** The PG* variables pg-pitr honours, as libpq maps them to keywords. */
const ENVIRONMENT: readonly [string, string][] = [
  ['host', 'PGHOST'],
  ['hostaddr', 'PGHOSTADDR'],
  ['port', 'PGPORT'],
  ['dbname', 'PGDATABASE'],
  ['user', 'PGUSER'],
  ['passfile', 'PGPASSFILE'],
  ['sslmode', 'PGSSLMODE'],
  ['sslrootcert', 'PGSSLROOTCERT'],
  ['sslcert', 'PGSSLCERT'],
  ['sslkey', 'PGSSLKEY'],
  ['connect_timeout', 'PGCONNECT_TIMEOUT'],
];

const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
type SslMode = (typeof SSL_MODES)[number];

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

/**
 * The connection values for `profile`. Throws ConnectionConfigError (with a message that never
 * holds a password) for a malformed connection string, an unknown service, or invalid values.
 */
export function resolveConnection(profile: ServerProfile, opts: ResolveOptions = {}): ResolvedConnection {
  const env = opts.env ?? process.env;
  const homeDir = opts.homeDir ?? os.homedir();
  const platform = opts.platform ?? process.platform;
  const warnings: string[] = [];

  // keyword → value, filled from the strongest source down; a value once set is never overridden
  const values = new Map<string, string>();
  const setIfAbsent = (keyword: string, value: unknown) => {
    if (value === undefined || value === null || value === '') return;
    if (!values.has(keyword)) values.set(keyword, String(value));
  };

  // 1. the profile's own fields
  setIfAbsent('host', profile.host);
  setIfAbsent('port', profile.port);
  setIfAbsent('dbname', profile.database);
  setIfAbsent('user', profile.user);
  setIfAbsent('sslmode', profile.sslmode);
  setIfAbsent('sslrootcert', profile.sslrootcert);
  setIfAbsent('sslcert', profile.sslcert);
  setIfAbsent('sslkey', profile.sslkey);
  setIfAbsent('service', profile.service);

  // 2. the connection string (a bare word is a database name, as psql takes it)
  let passwordFromString: string | undefined;
  const cs = profile.connectionString?.trim();
  if (cs) {
    if (isConnectionString(cs)) {
      let parsed: Map<string, string>;
      try {
        parsed = parseConnectionString(cs);
      } catch (e) {
        throw new ConnectionConfigError(`connection string of "${profile.name}": ${(e as Error).message}`);
      }
      for (const [k, v] of parsed) {
        if (k === 'password') passwordFromString = v;
        else setIfAbsent(k, v);
      }
    } else {
      setIfAbsent('dbname', cs);
    }
  }

  // 3. the service file entry (the service named by the profile, the string, or PGSERVICE)
  const service = values.get('service') ?? (env.PGSERVICE || undefined);
  if (service !== undefined) {
    let entry;
    try {
      entry = lookupService(service, {
        env,
        homeDir,
        serviceFile: values.get('servicefile'),
        sysconfDir: opts.sysconfDir,
        platform,
      });
    } catch (e) {
      throw new ConnectionConfigError(`server "${profile.name}": ${(e as Error).message}`);
    }
    for (const [k, v] of entry.values) {
      if (k === 'password') passwordFromString ??= v;
      else setIfAbsent(k, v);
    }
  }

  // 4. the environment
  for (const [keyword, variable] of ENVIRONMENT) setIfAbsent(keyword, env[variable]);

  // 5. defaults, and validation
  const portText = values.get('port') ?? '5432';
  // libpq's multi-host lists: one profile is one server here
  for (const [keyword, text] of [
    ['host', values.get('host') ?? ''],
    ['hostaddr', values.get('hostaddr') ?? ''],
    ['port', portText],
  ]) {
    if (text!.includes(',')) {
      throw new ConnectionConfigError(
        `server "${profile.name}": several values for ${keyword} ("${text}"): pg-pitr checks one server per profile, give one`,
      );
    }
  }
  let port: number;
  try {
    port = parseIntParam(portText, 'port');
  } catch {
    throw new ConnectionConfigError(`server "${profile.name}": invalid port number: "${portText}"`);
  }
  if (port < 1 || port > 65535)
    throw new ConnectionConfigError(`server "${profile.name}": invalid port number: "${portText}"`);

  let host = values.get('host');
  const hostaddr = values.get('hostaddr');
  if (hostaddr !== undefined) {
    if (host === undefined) host = hostaddr;
    else if (host !== hostaddr) warnings.push(`hostaddr "${hostaddr}" is ignored: pg-pitr connects to host "${host}"`);
  }
  host ??= opts.defaultHost ?? defaultHost(port, platform);
  const user = values.get('user') ?? opts.osUser ?? currentOsUser(env);
  const database = values.get('dbname') ?? user;

  let connectTimeoutMs: number | undefined;
  const ct = values.get('connect_timeout');
  if (ct !== undefined) {
    let seconds: number;
    try {
      seconds = parseIntParam(ct, 'connect_timeout');
    } catch (e) {
      throw new ConnectionConfigError(`server "${profile.name}": ${(e as Error).message}`);
    }
    // libpq: 0 or negative waits forever (pg-pitr never does: the default applies), 1 counts as 2
    if (seconds > 0) connectTimeoutMs = Math.max(seconds, 2) * 1000;
  }

  // libpq 16+: sslrootcert=system makes verify-full the default, and forbids weaker modes
  const systemRoots = values.get('sslrootcert') === 'system';
  const mode = values.get('sslmode') ?? (systemRoots ? 'verify-full' : 'prefer');
  if (!(SSL_MODES as readonly string[]).includes(mode))
    throw new ConnectionConfigError(`server "${profile.name}": invalid sslmode value: "${mode}"`);
  if (systemRoots && mode !== 'verify-full') {
    throw new ConnectionConfigError(
      `server "${profile.name}": weak sslmode "${mode}" may not be used with sslrootcert=system (use "verify-full")`,
    );
  }
  let ssl: SslSettings | false = false;
  if (mode !== 'disable') {
    // libpq's defaults under ~/.postgresql, used when the files exist
    const fallback = (name: string) => {
      const p =
        platform === 'win32'
          ? path.win32.join(env.APPDATA ?? homeDir, 'postgresql', name)
          : path.join(homeDir, '.postgresql', name);
      return fs.existsSync(p) ? p : undefined;
    };
    ssl = { mode: mode as Exclude<SslMode, 'disable'> };
    const rootCert = values.get('sslrootcert') ?? fallback('root.crt');
    const cert = values.get('sslcert') ?? fallback('postgresql.crt');
    const key = values.get('sslkey') ?? fallback('postgresql.key');
    if (rootCert !== undefined) ssl.rootCert = rootCert;
    if (cert !== undefined) ssl.cert = cert;
    if (key !== undefined) ssl.key = key;
  }

  let password: string | undefined;
  let passwordSource: ResolvedConnection['passwordSource'] = 'none';
  if (opts.password !== undefined && opts.password !== '') {
    password = opts.password;
    passwordSource = 'given';
  } else if (passwordFromString !== undefined && passwordFromString !== '') {
    password = passwordFromString;
    passwordSource = 'connection string';
  } else if (env.PGPASSWORD) {
    password = env.PGPASSWORD;
    passwordSource = 'environment';
  } else {
    // PGPASSFILE is already in values (as passfile), below the connection string's
    const file = passwordFilePath({
      passfile: values.get('passfile'),
      env: { APPDATA: env.APPDATA },
      homeDir,
      platform,
    });
    const found = lookupPassword(file, { host, port, database, user }, platform);
    if (found.warning) warnings.push(found.warning);
    if (found.password !== null) {
      password = found.password;
      passwordSource = 'pgpass';
    }
  }

  const resolved: ResolvedConnection = {
    host,
    port,
    database,
    user,
    passwordSource,
    ssl,
    display: formatDisplay(user, host, port, database),
    warnings,
  };
  if (password !== undefined) resolved.password = password;
  if (connectTimeoutMs !== undefined) resolved.connectTimeoutMs = connectTimeoutMs;
  return resolved;
}
