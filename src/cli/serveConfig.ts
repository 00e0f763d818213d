// Reads `pg-pitr serve --config FILE`: the servers as pgPitr.servers lists them (a VS Code
// settings.json with "pgPitr.servers" works too), default objectives, intervals and timeouts, and
// the webhook. Never a password: a password property or a connection string holding one is
// refused; point `passfile` at a password file instead (or use PGPASSWORD, ~/.pgpass, a service).
import { type Objectives, readObjectives } from '../core/monitoring/objectives';
import { parseDuration } from '../core/monitoring/objectiveValues';
import { isConnectionString, parseConnectionString } from '../core/server/conninfo';
import { readProfiles } from '../core/server/serverProfiles';
import type { ServerProfile } from '../core/server/types';

export interface ServeServer {
  profile: ServerProfile;
  objectives: Objectives;
  /** password file for this server (PGPASSFILE for its connection) */
  passfile?: string;
}

export interface ServeConfig {
  servers: ServeServer[];
  intervalMs: number;
  deadlineMs: number;
  connectTimeoutMs: number;
  statementTimeoutMs: number;
  archiveTimeoutMs: number;
  concurrency: number;
  /** WAL waiting this long on an archiver that does not move is "archiving stalled" */
  stallMs: number;
  notifyUrl?: string;
  notifyFormat?: 'json' | 'slack';
}

export const SERVE_DEFAULTS = {
  interval: '60s',
  timeout: '30s',
  connectTimeout: '5s',
  statementTimeout: '10s',
  archiveTimeout: '20s',
  stallAfter: '120s',
  concurrency: 8,
};

function seconds(raw: unknown, name: string, fallback: string, errors: string[]): number {
  const text = raw === undefined ? fallback : typeof raw === 'number' ? `${raw}s` : String(raw);
  const d = parseDuration(text);
  if ('error' in d) {
    errors.push(`${name}: ${d.error}`);
    return 0;
  }
  if (d.seconds <= 0 || d.seconds > 86400) errors.push(`${name} must be between 0 and 1 d (got "${text}")`);
  return d.seconds * 1000;
}

/** The config from the file's text. `errors` make the exporter refuse to start; `problems` are warnings (a skipped entry). */
export function readServeConfig(
  text: string,
  file: string,
): { config: ServeConfig | null; errors: string[]; problems: string[] } {
  const errors: string[] = [];
  const problems: string[] = [];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { config: null, errors: [`${file} is not JSON: ${(e as Error).message}`], problems };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { config: null, errors: [`${file} must hold a JSON object with "servers"`], problems };
  const o = raw as Record<string, unknown>;
  const list = o.servers ?? o['pgPitr.servers'];
  if (!Array.isArray(list) || list.length === 0)
    return {
      config: null,
      errors: [`${file} lists no server: give "servers": [{ "name": ..., "host": ... }]`],
      problems,
    };

  const defaults = readObjectives(o.objectives, 'objectives');
  problems.push(...defaults.problems);
  const { profiles, problems: profileProblems } = readProfiles(list);
  problems.push(...profileProblems.filter((p) => !/password property is ignored/.test(p)));
  const servers: ServeServer[] = [];
  list.forEach((entry, i) => {
    const e = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const profile = profiles.find((p) => p.name === (typeof e.name === 'string' ? e.name.trim() : ''));
    if (!profile || servers.some((s) => s.profile === profile)) return;
    const where = `servers[${i}] ("${profile.name}")`;
    if ('password' in e)
      errors.push(`${where}: no password in the config file; use passfile, PGPASSWORD, ~/.pgpass or a service file`);
    const cs = profile.connectionString;
    if (cs && isConnectionString(cs) && hasPassword(cs))
      errors.push(
        `${where}: the connection string holds a password; use passfile, PGPASSWORD, ~/.pgpass or a service file`,
      );
    const own = readObjectives(e.objectives, `${where}.objectives`);
    problems.push(...own.problems);
    const passfile = typeof e.passfile === 'string' && e.passfile.trim() !== '' ? e.passfile.trim() : undefined;
    servers.push({ profile, objectives: { ...defaults.objectives, ...own.objectives }, passfile });
  });
  const notify = (o.notify ?? {}) as Record<string, unknown>;
  const format = notify.format ?? o['pgPitr.notifyFormat'];
  if (format !== undefined && format !== 'json' && format !== 'slack')
    errors.push(`notify.format must be "json" or "slack" (got ${JSON.stringify(format)})`);
  const url = notify.url ?? o['pgPitr.notifyUrl'];
  if (url !== undefined && (typeof url !== 'string' || !/^https?:\/\//.test(url)))
    errors.push(`notify.url must be an http:// or https:// URL`);
  const concurrency = o.concurrency === undefined ? SERVE_DEFAULTS.concurrency : Number(o.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256)
    errors.push(`concurrency must be a whole number from 1 to 256 (got ${JSON.stringify(o.concurrency)})`);
  const config: ServeConfig = {
    servers,
    intervalMs: seconds(o.interval, 'interval', SERVE_DEFAULTS.interval, errors),
    deadlineMs: seconds(o.timeout, 'timeout', SERVE_DEFAULTS.timeout, errors),
    connectTimeoutMs: seconds(o.connectTimeout, 'connectTimeout', SERVE_DEFAULTS.connectTimeout, errors),
    statementTimeoutMs: seconds(o.statementTimeout, 'statementTimeout', SERVE_DEFAULTS.statementTimeout, errors),
    archiveTimeoutMs: seconds(o.archiveTimeout, 'archiveTimeout', SERVE_DEFAULTS.archiveTimeout, errors),
    concurrency,
    stallMs: seconds(o.stallAfter, 'stallAfter', SERVE_DEFAULTS.stallAfter, errors),
    notifyUrl: typeof url === 'string' ? url : undefined,
    notifyFormat: format === 'slack' ? 'slack' : format === 'json' ? 'json' : undefined,
  };
  if (servers.length === 0) errors.push(`${file}: no usable server entry`);
  return { config: errors.length ? null : config, errors, problems };
}

function hasPassword(cs: string): boolean {
  try {
    return parseConnectionString(cs).has('password');
  } catch {
    return /password\s*=/i.test(cs) || /^postgres(?:ql)?:\/\/[^@/]*:[^@/]*@/i.test(cs);
  }
}
