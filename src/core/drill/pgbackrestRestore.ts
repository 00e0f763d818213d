// Base backups in a pgBackRest repository: `pgbackrest info` picks the backup (the newest, or
// --pgbackrest-set), `pgbackrest restore --type=none` writes it into the scratch folder (its own
// --pg1-path, tablespaces mapped into the scratch folder, links restored as folders, its spool,
// lock and log kept out of production's paths), and the recovery settings are then written by
// pg-pitr's generator with pgBackRest's archive-get as restore_command. Every command runs as the
// run user, who must be able to read the repository (as the server's own archive-get must).
import * as fs from 'node:fs';
import * as path from 'node:path';

import { runProgram, type RunUser } from './runAsUser';
import type { Scratch } from './scratchFolder';
import { shellQuote } from './shellQuote';
import { DrillError } from './types';

export interface PgBackRestSource {
  stanza: string;
  config?: string;
  set?: string;
}

export interface PgBackRestBackup {
  label: string;
  startLsn: string | null;
  stopLsn: string | null;
  startWal: string | null;
  /** database size in bytes (info.size) */
  bytes: number;
  /** as text: the number exceeds 2^53 */
  systemIdentifier: string | null;
  major: number | null;
  stopTime: string | null;
}

const TIMEOUT_MS = 60_000;

function baseArgs(src: PgBackRestSource): string[] {
  return [...(src.config ? [`--config=${path.resolve(src.config)}`] : []), `--stanza=${src.stanza}`];
}

function tail(s: string): string {
  return s.trim().split('\n').slice(-6).join(' / ');
}

/** Reads `pgbackrest info --output=json` and picks the backup to drill. */
export async function describePgBackRestBackup(
  src: PgBackRestSource,
  user: RunUser,
  signal?: AbortSignal,
): Promise<PgBackRestBackup> {
  let r;
  try {
    r = await runProgram(
      'pgbackrest',
      [...baseArgs(src), '--output=json', '--log-level-console=warn', '--log-level-file=off', 'info'],
      user,
      { timeoutMs: TIMEOUT_MS, signal },
    );
  } catch (e) {
    throw new DrillError(
      'refused',
      `pgbackrest cannot be run: ${(e as Error).message} (install pgBackRest, Debian: apt-get install pgbackrest)`,
    );
  }
  if (r.code !== 0)
    throw new DrillError('refused', `pgbackrest info failed (exit ${String(r.code)}): ${tail(r.stderr + r.stdout)}`);
  return pickPgBackRestBackup(r.stdout, src);
}

/** The chosen backup from info's JSON text; a refusal when the stanza or the set is not there. */
export function pickPgBackRestBackup(json: string, src: PgBackRestSource): PgBackRestBackup {
  let info: unknown;
  try {
    info = JSON.parse(json);
  } catch {
    throw new DrillError('refused', 'pgbackrest info did not print JSON');
  }
  const stanza = (Array.isArray(info) ? info : []).find((s: { name?: unknown }) => s?.name === src.stanza) as
    | { backup?: Record<string, unknown>[]; db?: { id?: number; version?: string }[]; status?: { message?: string } }
    | undefined;
  if (!stanza) throw new DrillError('refused', `pgBackRest knows no stanza "${src.stanza}"`);
  const backups = Array.isArray(stanza.backup) ? stanza.backup : [];
  if (backups.length === 0)
    throw new DrillError(
      'refused',
      `the pgBackRest stanza "${src.stanza}" has no backup${stanza.status?.message ? ` (${stanza.status.message})` : ''}`,
    );
  const chosen = src.set ? backups.find((b) => b.label === src.set) : backups[backups.length - 1];
  if (!chosen)
    throw new DrillError(
      'refused',
      `the pgBackRest stanza "${src.stanza}" has no backup set "${src.set}" (it has ${backups.map((b) => String(b.label)).join(', ')})`,
    );
  const b = chosen as {
    label: string;
    lsn?: { start?: string; stop?: string };
    archive?: { start?: string };
    info?: { size?: number };
    database?: { id?: number };
    timestamp?: { stop?: number };
  };
  const db = (stanza.db ?? []).find((d) => d.id === b.database?.id);
  // system-id is printed as a JSON number above 2^53: read its digits from the text itself
  const ids = [...json.matchAll(/"id":(\d+),"repo-key":\d+,"system-id":(\d+)/g)];
  const sid = ids.find((m) => Number(m[1]) === b.database?.id)?.[2] ?? null;
  return {
    label: b.label,
    startLsn: b.lsn?.start ?? null,
    stopLsn: b.lsn?.stop ?? null,
    startWal: b.archive?.start ?? null,
    bytes: typeof b.info?.size === 'number' ? b.info.size : 0,
    systemIdentifier: sid,
    major: db?.version ? Number(db.version) : null,
    stopTime: typeof b.timestamp?.stop === 'number' ? new Date(b.timestamp.stop * 1000).toISOString() : null,
  };
}

/** pgBackRest's own folders in the scratch folder, never production's (archive-get takes no spool path without archive-async) */
function toolPaths(scratch: Scratch, spool: boolean): string[] {
  const dir = path.join(scratch.root, 'pgbackrest');
  return [...(spool ? [`--spool-path=${dir}/spool`] : []), `--lock-path=${dir}/lock`, '--log-level-file=off'];
}

/** `pgbackrest restore` into scratch/data: nothing of production's paths is written. */
export async function restorePgBackRestBackup(
  src: PgBackRestSource,
  label: string,
  scratch: Scratch,
  user: RunUser,
  signal?: AbortSignal,
): Promise<string[]> {
  const dir = path.join(scratch.root, 'pgbackrest');
  fs.mkdirSync(dir, { mode: 0o700 });
  if (user.switchTo) fs.chownSync(dir, user.uid, user.gid);
  const args = [
    ...baseArgs(src),
    `--set=${label}`,
    `--pg1-path=${scratch.dataDir}`,
    '--reset-pg1-host',
    '--type=none',
    `--tablespace-map-all=${scratch.tablespaceDir}`,
    '--log-level-console=warn',
    ...toolPaths(scratch, true),
    'restore',
  ];
  const r = await runProgram('pgbackrest', args, user, { timeoutMs: 24 * 3_600_000, signal });
  if (signal?.aborted) throw new DrillError('cancelled', 'cancelled while pgbackrest restored the backup');
  if (r.code !== 0)
    throw new DrillError(
      'restore-failed',
      `pgbackrest restore of ${label} failed (exit ${String(r.code)}): ${tail(r.stderr + r.stdout)}`,
    );
  // --type=none still creates recovery.signal on 12+; the generator keeps it
  return [`restored with pgbackrest restore --set=${label} --type=none into ${scratch.dataDir}`];
}

/** pgBackRest's own archive-get, as the server runs it, reading only the repository. */
export function pgBackRestRestoreCommand(src: PgBackRestSource, scratch: Scratch): string {
  const args = [
    ...baseArgs(src),
    `--pg1-path=${scratch.dataDir}`,
    ...toolPaths(scratch, false),
    '--no-archive-async',
  ].map(shellQuote);
  return ['pgbackrest', ...args, 'archive-get', '%f', '"%p"'].join(' ');
}

/** repo1-path of a posix repository from pgbackrest.conf ([global] or the stanza's section), for listing its archive; null otherwise. */
export function pgBackRestRepoPath(configText: string, stanza: string): string | null {
  let section = '';
  const values: Record<string, Record<string, string>> = {};
  for (const raw of configText.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const s = /^\[(.+)\]$/.exec(line);
    if (s) {
      section = s[1];
      continue;
    }
    const kv = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
    if (kv) (values[section] ??= {})[kv[1]] = kv[2];
  }
  const get = (k: string) => values[stanza]?.[k] ?? values['global']?.[k];
  const type = get('repo1-type') ?? 'posix';
  if (type !== 'posix') return null;
  return get('repo1-path') ?? '/var/lib/pgbackrest';
}

/** The config file pgBackRest reads when none is given. */
export function defaultPgBackRestConfig(): string {
  for (const f of ['/etc/pgbackrest/pgbackrest.conf', '/etc/pgbackrest.conf']) if (fs.existsSync(f)) return f;
  return '/etc/pgbackrest/pgbackrest.conf';
}
