// The libpq keywords of one connection, gathered from the sources libpq reads, strongest first:
// the profile's own fields, its connection string, the pg_service.conf entry, the PG* environment.
// A value once set is never overridden by a weaker source. The password is kept apart.

import { aboutServer, ConnectionConfigError } from './connectionErrors';
import { isConnectionString, parseConnectionString } from './conninfo';
import { lookupService } from './serviceFile';
import type { ServerProfile } from './types';

/** What one source says: keyword → value, and a password when it holds one. */
export interface KeywordSource {
  values: Map<string, string>;
  password?: string;
}

/** Everything gathered for one connection. */
export interface ConnectionKeywords {
  /** keyword → value from the strongest source that set it */
  values: Map<string, string>;
  /** the connection string's password, else the service entry's */
  passwordFromString?: string;
}

export interface ServiceLookupOptions {
  env: NodeJS.ProcessEnv;
  homeDir: string;
  sysconfDir?: string;
  platform: NodeJS.Platform;
}

/** The PG* variables pg-pitr honours, as libpq maps them to keywords. */
export const ENVIRONMENT: readonly [string, string][] = [
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
  // honoured or refused by connectionOptions.ts, never ignored
  ['channel_binding', 'PGCHANNELBINDING'],
  ['require_auth', 'PGREQUIREAUTH'],
  ['sslcrl', 'PGSSLCRL'],
  ['sslcrldir', 'PGSSLCRLDIR'],
  ['sslcertmode', 'PGSSLCERTMODE'],
  ['sslnegotiation', 'PGSSLNEGOTIATION'],
  ['sslcompression', 'PGSSLCOMPRESSION'],
  ['sslsni', 'PGSSLSNI'],
  ['requirepeer', 'PGREQUIREPEER'],
  ['ssl_min_protocol_version', 'PGSSLMINPROTOCOLVERSION'],
  ['ssl_max_protocol_version', 'PGSSLMAXPROTOCOLVERSION'],
  ['gssencmode', 'PGGSSENCMODE'],
  ['target_session_attrs', 'PGTARGETSESSIONATTRS'],
  ['load_balance_hosts', 'PGLOADBALANCEHOSTS'],
  ['min_protocol_version', 'PGMINPROTOCOLVERSION'],
  ['max_protocol_version', 'PGMAXPROTOCOLVERSION'],
  ['application_name', 'PGAPPNAME'],
  ['options', 'PGOPTIONS'],
  ['client_encoding', 'PGCLIENTENCODING'],
];

function setIfAbsent(values: Map<string, string>, keyword: string, value: unknown): void {
  if (value === undefined || value === null || value === '') return;
  if (!values.has(keyword)) values.set(keyword, String(value));
}

/** Step 1: the profile's own fields, under their libpq keywords. */
export function profileKeywords(profile: ServerProfile): Map<string, string> {
  const values = new Map<string, string>();
  setIfAbsent(values, 'host', profile.host);
  setIfAbsent(values, 'port', profile.port);
  setIfAbsent(values, 'dbname', profile.database);
  setIfAbsent(values, 'user', profile.user);
  setIfAbsent(values, 'sslmode', profile.sslmode);
  setIfAbsent(values, 'sslrootcert', profile.sslrootcert);
  setIfAbsent(values, 'sslcert', profile.sslcert);
  setIfAbsent(values, 'sslkey', profile.sslkey);
  setIfAbsent(values, 'service', profile.service);
  return values;
}

/** Step 2: the profile's connection string (a bare word is a database name, as psql takes it). */
export function connectionStringKeywords(profile: ServerProfile): KeywordSource {
  const values = new Map<string, string>();
  const cs = profile.connectionString?.trim();
  if (!cs) return { values };
  if (!isConnectionString(cs)) {
    values.set('dbname', cs);
    return { values };
  }
  let parsed: Map<string, string>;
  try {
    parsed = parseConnectionString(cs);
  } catch (e) {
    throw new ConnectionConfigError(
      `connection string${profile.name === '' ? '' : ` of "${profile.name}"`}: ${(e as Error).message}`,
    );
  }
  let password: string | undefined;
  for (const [k, v] of parsed) {
    if (k === 'password') password = v;
    else setIfAbsent(values, k, v);
  }
  return password === undefined ? { values } : { values, password };
}

/** Step 3: the pg_service.conf entry of `service` (found with PGSERVICEFILE, ~/.pg_service.conf, PGSYSCONFDIR). */
export function serviceKeywords(
  profileName: string,
  service: string,
  serviceFile: string | undefined,
  opts: ServiceLookupOptions,
): KeywordSource {
  let entry;
  try {
    entry = lookupService(service, {
      env: opts.env,
      homeDir: opts.homeDir,
      serviceFile,
      sysconfDir: opts.sysconfDir,
      platform: opts.platform,
    });
  } catch (e) {
    throw new ConnectionConfigError(aboutServer(profileName, (e as Error).message));
  }
  const values = new Map<string, string>();
  let password: string | undefined;
  for (const [k, v] of entry.values) {
    if (k === 'password') password = v;
    else setIfAbsent(values, k, v);
  }
  return password === undefined ? { values } : { values, password };
}

/** Step 4: the PG* environment variables. */
export function environmentKeywords(env: NodeJS.ProcessEnv): Map<string, string> {
  const values = new Map<string, string>();
  for (const [keyword, variable] of ENVIRONMENT) setIfAbsent(values, keyword, env[variable]);
  return values;
}

/**
 * The keywords of `profile` from all four sources, strongest first. The service is the one the
 * profile names, else the connection string's, else PGSERVICE.
 */
export function gatherKeywords(profile: ServerProfile, opts: ServiceLookupOptions): ConnectionKeywords {
  const values = profileKeywords(profile);
  const merge = (from: Map<string, string>) => {
    for (const [k, v] of from) setIfAbsent(values, k, v);
  };
  const fromString = connectionStringKeywords(profile);
  merge(fromString.values);
  let passwordFromString = fromString.password;
  const service = values.get('service') ?? (opts.env.PGSERVICE || undefined);
  if (service !== undefined) {
    const fromService = serviceKeywords(profile.name, service, values.get('servicefile'), opts);
    merge(fromService.values);
    passwordFromString ??= fromService.password;
  }
  merge(environmentKeywords(opts.env));
  return passwordFromString === undefined ? { values } : { values, passwordFromString };
}
