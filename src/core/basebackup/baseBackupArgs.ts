// The pg_basebackup command line for the options a user picked, valid for the major version of
// the local pg_basebackup, as an argument list (never a shell string: the integrated terminal and
// child_process receive `file` and `args` separately, so no value is ever parsed by a shell).
//
// The password is never an argument and never put in `env`: pg_basebackup (libpq) finds it in the
// password file (~/.pgpass, PGPASSFILE) or in the environment the terminal already has, or asks.
//
// Version differences encoded here (the reference page of each major,
// https://www.postgresql.org/docs/<major>/app-pgbasebackup.html, and the source
// src/bin/pg_basebackup/pg_basebackup.c and receivelog.c):
// - Compression, 10-14: `-z`/`--gzip` (default level) or `-Z level`/`--compress=level` (0-9), gzip
//   only, tar format only ("Compression is only available when using the tar format").
// - Compression, 15+: `--compress=[{client|server}-]METHOD[:DETAIL]`, METHOD gzip, lz4, zstd or
//   none; a bare integer still means gzip. Without a prefix the compression is done by the client.
//   Client-side compression with the plain format is refused ("only tar mode backups can be
//   compressed"). Levels: gzip 1-9, lz4 1-12, zstd 1-22.
// - `--manifest-checksums` and backup manifests: 13+ on both sides (a 13+ pg_basebackup talking to
//   a 12 server silently makes no manifest: `if (PQserverVersion(conn) < MINIMUM_VERSION_FOR_MANIFESTS) manifest = false`).
// - `-R`: 10-11 write recovery.conf, 12+ standby.signal and primary_conninfo in postgresql.auto.conf
//   (decided by the server's version). 17+ also writes the dbname given with `-d` into primary_conninfo.
// - `-X none|fetch|stream`, `-c fast|spread`, `-l`, `-r` (32 kB/s .. 1024 MB/s, unit k or M), `-P`:
//   all of 10-18.
// - A pg_basebackup older than the server refuses it: pg_basebackup 15 against 16 prints only
//   "pg_basebackup: error: incompatible server version 16.14" (seen with the real programs).

import * as path from 'node:path';

import { shellJoin } from '../shell/shellQuote';

export type BaseBackupFormat = 'plain' | 'tar';
export type BaseBackupCompression = 'gzip' | 'lz4' | 'zstd' | 'none';
export type WalMethod = 'stream' | 'fetch' | 'none';
export type ManifestChecksums = 'CRC32C' | 'SHA224' | 'SHA256' | 'SHA384' | 'SHA512' | 'NONE';

export interface BaseBackupOptions {
  conn: { host: string; port: number; user: string; database?: string };
  targetDir: string;
  format: BaseBackupFormat;
  compression?: BaseBackupCompression;
  compressionLevel?: number;
  walMethod: WalMethod;
  writeRecoveryConf: boolean;
  checkpoint: 'fast' | 'spread';
  progress: boolean;
  label?: string;
  /** pg_basebackup's --max-rate syntax: a number of kB/s, optionally followed by k or M ("500k", "20M") */
  maxRate?: string;
  manifestChecksums?: ManifestChecksums;
  serverMajor: number;
  clientMajor: number;
  /** folder holding pg_basebackup; else it is looked up on the PATH */
  pgBinDir?: string;
}

export interface BaseBackupCommand {
  file: string;
  args: string[];
  /** extra environment for the process (never a password) */
  env: Record<string, string>;
  /** options dropped or adjusted, and what the user should know before running it */
  warnings: string[];
}

/** gzip 1-9, lz4 1-12, zstd 1-22 (PostgreSQL 15+ validate_compress_specification). */
const LEVELS: Record<'gzip' | 'lz4' | 'zstd', [number, number]> = { gzip: [1, 9], lz4: [1, 12], zstd: [1, 22] };

/** --max-rate limits, in kB/s (MAX_RATE_LOWER, MAX_RATE_UPPER). */
const MAX_RATE_LOWER = 32;
const MAX_RATE_UPPER = 1024 * 1024;

/** The label goes into backup_label's "LABEL:" line: one line, under MAXPGPATH (1024) bytes. */
const MAX_LABEL_BYTES = 1023;

/** Executable name of a PostgreSQL client program, in `pgBinDir` when given. */
export function pgProgramPath(
  program: string,
  pgBinDir?: string,
  platform: NodeJS.Platform = process.platform,
): string {
  const exe = platform === 'win32' ? `${program}.exe` : program;
  const dir = pgBinDir?.trim();
  return dir ? path.join(dir, exe) : exe;
}

/** A libpq conninfo value, quoted when needed ('' and \ escaped). */
function conninfoValue(v: string): string {
  return /^[^\s'\\]+$/.test(v) ? v : `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** kB/s of a --max-rate value as pg_basebackup's parse_max_rate reads it; null when invalid. */
export function parseMaxRate(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kM]?)\s*$/.exec(text);
  if (!m) return null;
  const kb = Number(m[1]) * (m[2] === 'M' ? 1024 : 1);
  return Number.isFinite(kb) ? kb : null;
}

export function buildBaseBackupCommand(opts: BaseBackupOptions): BaseBackupCommand {
  const warnings: string[] = [];
  const client = opts.clientMajor;
  const args: string[] = ['--host', opts.conn.host, '--port', String(opts.conn.port), '--username', opts.conn.user];
  // Before 17 pg_basebackup ignores the database of -d; 17+ writes it into primary_conninfo with -R
  // (needed for logical replication slot synchronization on the standby).
  if (opts.conn.database && opts.writeRecoveryConf && client >= 17) {
    args.push('--dbname', `dbname=${conninfoValue(opts.conn.database)}`);
  }
  args.push('--pgdata', opts.targetDir, '--format', opts.format === 'tar' ? 'tar' : 'plain');

  args.push(...compressionArgs(opts, warnings));

  args.push('--wal-method', opts.walMethod);
  if (opts.walMethod === 'fetch') {
    warnings.push(
      '-X fetch collects the WAL at the end of the backup: every segment written meanwhile must still be in pg_wal then ' +
        '(wal_keep_size / wal_keep_segments, or a replication slot), else the backup fails; -X stream has no such risk.',
    );
  } else if (opts.walMethod === 'none') {
    warnings.push(
      '-X none: the backup holds no WAL; restoring it needs the WAL archive from the backup start to its end (the backup history file names them).',
    );
  }

  if (opts.writeRecoveryConf) {
    args.push('--write-recovery-conf');
    warnings.push(
      `-R makes a restored copy start as a standby of this server (${opts.serverMajor >= 12 ? 'standby.signal and primary_conninfo in postgresql.auto.conf' : 'recovery.conf with standby_mode'}); ` +
        'for a point-in-time recovery, leave it off: pg-pitr writes the recovery settings when you restore.',
    );
  }

  args.push('--checkpoint', opts.checkpoint === 'fast' ? 'fast' : 'spread');
  if (opts.checkpoint === 'spread') {
    warnings.push(
      'checkpoint spread: the backup starts only after the next regular checkpoint completes (up to checkpoint_timeout × checkpoint_completion_target).',
    );
  }

  if (opts.label !== undefined && opts.label !== '') {
    if (/[\x00-\x1f\x7f]/.test(opts.label)) {
      warnings.push(
        'the label contains a line break or control character (backup_label holds it on one line): label not used',
      );
    } else if (Buffer.byteLength(opts.label, 'utf8') > MAX_LABEL_BYTES) {
      warnings.push(`the label is longer than ${MAX_LABEL_BYTES} bytes: label not used`);
    } else {
      args.push('--label', opts.label);
    }
  }

  if (opts.maxRate !== undefined && opts.maxRate.trim() !== '') {
    const kb = parseMaxRate(opts.maxRate);
    if (kb === null) {
      warnings.push(
        `rate limit "${opts.maxRate}" is not a number of kB/s with an optional unit k or M (e.g. 500k, 20M): no rate limit`,
      );
    } else if (kb < MAX_RATE_LOWER || kb > MAX_RATE_UPPER) {
      warnings.push(`rate limit "${opts.maxRate}" is outside pg_basebackup's range 32k to 1024M: no rate limit`);
    } else {
      args.push('--max-rate', opts.maxRate.trim());
    }
  }

  if (opts.manifestChecksums !== undefined) {
    if (client < 13) {
      warnings.push(
        `--manifest-checksums needs pg_basebackup 13 or newer (this one is ${client}): no manifest is written`,
      );
    } else if (opts.serverMajor < 13) {
      warnings.push(`PostgreSQL ${opts.serverMajor} writes no backup manifest (13+): --manifest-checksums not used`);
    } else {
      args.push('--manifest-checksums', opts.manifestChecksums);
      if (opts.manifestChecksums === 'NONE') {
        warnings.push(
          'manifest checksums NONE: pg_verifybackup can then check only the presence and sizes of the files, not their contents',
        );
      }
    }
  }

  if (opts.progress) args.push('--progress');

  if (client < opts.serverMajor) {
    warnings.push(
      `pg_basebackup ${client} cannot back up a PostgreSQL ${opts.serverMajor} server: use pg_basebackup ${opts.serverMajor} or newer`,
    );
  }

  return { file: pgProgramPath('pg_basebackup', opts.pgBinDir), args, env: {}, warnings };
}

function compressionArgs(opts: BaseBackupOptions, warnings: string[]): string[] {
  let method = opts.compression ?? 'none';
  if (method === 'none') return [];
  if (opts.format !== 'tar') {
    // 10-14 document it, 15+ refuse it ("only tar mode backups can be compressed").
    warnings.push(
      `compression applies to the tar format only: the plain-format backup is not compressed (${method} ignored)`,
    );
    return [];
  }
  const client = opts.clientMajor;
  if ((method === 'lz4' || method === 'zstd') && client < 15) {
    warnings.push(
      `${method} compression needs pg_basebackup 15 or newer (this one is ${client}): gzip is used instead`,
    );
    method = 'gzip';
  }
  let level: number | undefined = opts.compressionLevel;
  if (level !== undefined) {
    const [lo, hi] = LEVELS[method];
    if (!Number.isInteger(level) || level < lo || level > hi) {
      warnings.push(`${method} compression level ${String(level)} is outside ${lo}-${hi}: the default level is used`);
      level = undefined;
    }
  }
  if (client >= 15) return [`--compress=${method}${level === undefined ? '' : `:${level}`}`];
  // 10-14: gzip only, -z (default level) or -Z LEVEL.
  return level === undefined ? ['--gzip'] : ['--compress', String(level)];
}

/** "pg_basebackup (PostgreSQL) 16.4" → 16; "... 9.6.24" → 9.6; "17beta1", "18devel" → 17, 18; null when not a version line. */
export function parsePgBasebackupVersion(text: string): number | null {
  if (typeof text !== 'string') return null;
  const m = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(text);
  if (!m) return null;
  const major = Number(m[1]);
  if (!Number.isInteger(major) || major <= 0) return null;
  if (major < 10) return m[2] === undefined ? null : Number(`${major}.${m[2]}`);
  return major;
}

/**
 * WAL senders free for pg_basebackup, in one row:
 * `{ wal_senders_in_use, max_wal_senders, replication_slots_in_use, max_replication_slots }` (integers).
 * pg_stat_replication has one row per WAL sender (standbys, pg_basebackup, pg_receivewal, logical
 * subscribers), visible to every role (only the details are hidden).
 */
export const walSendersInUseQuery =
  'SELECT (SELECT count(*) FROM pg_stat_replication)::int AS wal_senders_in_use, ' +
  "current_setting('max_wal_senders')::int AS max_wal_senders, " +
  '(SELECT count(*) FROM pg_replication_slots)::int AS replication_slots_in_use, ' +
  "current_setting('max_replication_slots')::int AS max_replication_slots";

export interface WalSendersInUseRow {
  wal_senders_in_use: number;
  max_wal_senders: number;
  replication_slots_in_use: number;
  max_replication_slots: number;
}

export interface BaseBackupPreflightOptions {
  /** major of the local pg_basebackup, null when none was found */
  clientMajor: number | null;
  serverMajor: number;
  maxWalSenders: number;
  walSendersInUse: number;
  walMethod: WalMethod;
  /** -X stream uses a temporary replication slot (10+): when known, checked too */
  maxReplicationSlots?: number;
  replicationSlotsInUse?: number;
}

/** What stops pg_basebackup before it starts (errors) or may (warnings). */
export function baseBackupPreflight(opts: BaseBackupPreflightOptions): { errors: string[]; warnings: string[] } {
  const errors: string[] = [];
  const warnings: string[] = [];
  const server = opts.serverMajor;
  if (opts.clientMajor === null) {
    errors.push(
      `pg_basebackup was not found: install the PostgreSQL ${server} client programs (or newer), or set the folder that holds them`,
    );
  } else if (opts.clientMajor < server) {
    errors.push(
      `pg_basebackup ${opts.clientMajor} cannot back up a PostgreSQL ${server} server (it stops with "incompatible server version"): ` +
        `use pg_basebackup ${server} or newer`,
    );
  }
  // One WAL sender streams the data; -X stream opens a second one for the WAL.
  const needed = opts.walMethod === 'stream' ? 2 : 1;
  const max = opts.maxWalSenders;
  const free = max - opts.walSendersInUse;
  const what =
    opts.walMethod === 'stream'
      ? 'pg_basebackup -X stream needs 2 (one for the data, one for the WAL)'
      : 'pg_basebackup needs 1';
  if (max <= 0) {
    errors.push(`max_wal_senders is 0: ${what}; raise max_wal_senders (takes a restart)`);
  } else if (free < needed) {
    errors.push(
      `max_wal_senders = ${max} with ${opts.walSendersInUse} in use leaves ${Math.max(free, 0)} free: ${what} ` +
        `("number of requested standby connections exceeds max_wal_senders"); raise max_wal_senders (takes a restart) or wait for a WAL sender to end`,
    );
  } else if (free === needed) {
    warnings.push(
      `max_wal_senders = ${max} with ${opts.walSendersInUse} in use leaves exactly the ${needed} pg_basebackup ` +
        `needs: a standby reconnecting meanwhile would be refused`,
    );
  }
  if (
    opts.walMethod === 'stream' &&
    opts.maxReplicationSlots !== undefined &&
    opts.clientMajor !== null &&
    opts.clientMajor >= 10 &&
    server >= 10
  ) {
    const slotsFree = opts.maxReplicationSlots - (opts.replicationSlotsInUse ?? 0);
    if (slotsFree < 1) {
      errors.push(
        `max_replication_slots = ${opts.maxReplicationSlots} with ${opts.replicationSlotsInUse ?? 0} ` +
          `in use: pg_basebackup -X stream creates a temporary replication slot; ` +
          'raise max_replication_slots (takes a restart) or drop an unused slot',
      );
    }
  }
  return { errors, warnings };
}

/** POSIX-shell rendering of a command for display only (a preview); never executed. */
export function shellQuoteForDisplay(args: readonly string[]): string {
  return shellJoin(args);
}
