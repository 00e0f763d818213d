// Machinery for point-in-time recovery drills on real servers: an archiving primary, a base
// backup (the real pg_basebackup where a local client can back up that major, else the low-level
// API and a file copy: the server packages ship no pg_basebackup), a workload that records
// recovery targets between committed transactions, and servers started on restored copies of the
// backup.
//
// Everything a server touches runs as osUser() (PostgreSQL refuses root); files this process
// writes into a data directory are chowned to that user afterwards, as an administrator would.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { Client, DatabaseError } from 'pg';

import {
  baseBackupPreflight,
  buildBaseBackupCommand,
  shellQuoteForDisplay,
  walSendersInUseQuery,
  type WalSendersInUseRow,
} from '../../src/core/basebackup/baseBackupArgs';
import { buildVerifyBackupCommand } from '../../src/core/basebackup/verifyBackupArgs';
import { idempotentArchiveCommand } from '../../src/core/lint/shellSettings';
import { waitArchived } from './archivingWorkload';
import { baseBackupClientFor, type LocalPgClient, verifyBackupMajor } from './localPgClients';
import { binDir, type Cluster, createCluster, freePort, osUser, runAsUser } from './postgresServers';
import { serverTmpDir } from './serverFiles';

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

// ---------------------------------------------------------------------------------------------
// Files and ownership

/** chown -R to the server user (a no-op unless we are root). */
export function chownTreeToServerUser(p: string): void {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return;
  const u = osUser();
  const r = spawnSync('chown', ['-R', `${u.uid}:${u.gid}`, p], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`chown -R ${p} failed: ${(r.stderr || r.error?.message || '').trim()}`);
}

/** `cp -a src dest` (keeps owners and modes; dest must not exist). */
export function copyTree(src: string, dest: string): void {
  const r = spawnSync('cp', ['-a', src, dest], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`cp -a ${src} ${dest} failed: ${(r.stderr || r.error?.message || '').trim()}`);
}

/** Directories whose contents a base backup leaves out (what pg_basebackup skips); the directories
 * themselves are kept, empty, because the server expects them. */
const EMPTIED_DIRS = new Set([
  'pg_wal',
  'pg_replslot',
  'pg_stat_tmp',
  'pg_dynshmem',
  'pg_notify',
  'pg_serial',
  'pg_snapshots',
  'pg_subtrans',
]);
/** Top-level files a base backup leaves out. backup_label/tablespace_map of an exclusive backup
 * would be wrong here: the non-exclusive API hands the label back instead. */
const SKIPPED_FILES = new Set([
  'postmaster.pid',
  'postmaster.opts',
  'current_logfiles',
  'backup_label',
  'backup_label.old',
  'tablespace_map',
]);

/**
 * Copies a running server's data directory the way a file-level backup tool does: files may
 * change or vanish during the copy (a vanished file is skipped, like pg_basebackup does), modes
 * are kept, excluded contents are left out. Returns the number of files copied.
 */
export function copyRunningDataDir(src: string, dest: string): number {
  let files = 0;
  const walk = (from: string, to: string, top: boolean, rel: string): void => {
    fs.mkdirSync(to, { mode: fs.statSync(from).mode & 0o7777 });
    fs.chmodSync(to, fs.statSync(from).mode & 0o7777);
    if (!top && EMPTIED_DIRS.has(rel)) {
      // pg_wal/archive_status must exist (the server creates it on 12+, but not on 10-11).
      if (rel === 'pg_wal') fs.mkdirSync(path.join(to, 'archive_status'), { mode: 0o700 });
      return;
    }
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(from, { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    for (const ent of entries) {
      const childRel = rel ? `${rel}/${ent.name}` : ent.name;
      if (top && SKIPPED_FILES.has(ent.name)) continue;
      // temporary files, and relation cache files the server rebuilds (pg_basebackup skips both)
      if (ent.name.startsWith('pgsql_tmp') || ent.name === 'pg_internal.init') continue;
      const f = path.join(from, ent.name);
      const t = path.join(to, ent.name);
      try {
        if (ent.isDirectory()) walk(f, t, false, childRel);
        else if (ent.isFile()) {
          fs.copyFileSync(f, t);
          fs.chmodSync(t, fs.statSync(f).mode & 0o7777);
          files++;
        } else if (ent.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(f), t);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
  };
  walk(src, dest, true, '');
  chownTreeToServerUser(dest);
  return files;
}

// ---------------------------------------------------------------------------------------------
// Archive

/** name -> "size@mtimeMs" of every file in the archive folder: equal snapshots mean nobody wrote. */
export function archiveSnapshot(dir: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const name of fs.readdirSync(dir).sort()) {
    const st = fs.statSync(path.join(dir, name));
    m.set(name, `${st.size}@${st.mtimeMs}`);
  }
  return m;
}

/** Differences between two archive snapshots, as readable lines (empty when identical). */
export function snapshotDiff(before: Map<string, string>, after: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [k, v] of after)
    if (!before.has(k)) out.push(`added ${k}`);
    else if (before.get(k) !== v) out.push(`changed ${k}`);
  for (const k of before.keys()) if (!after.has(k)) out.push(`removed ${k}`);
  return out;
}

/** pg_switch_wal() and wait until the switched-out segment is in the archive. */
export async function switchWalAndWait(q: Queryable, archive: string): Promise<string> {
  const [{ f }] = await q.query<{ f: string }>('SELECT pg_walfile_name(pg_switch_wal()) AS f');
  await waitArchived(q, f);
  const end = Date.now() + 10_000;
  while (!fs.existsSync(path.join(archive, f))) {
    if (Date.now() > end) throw new Error(`${f} reported archived but not in ${archive}`);
    await sleep(50);
  }
  return f;
}

// ---------------------------------------------------------------------------------------------
// Servers

export interface Queryable {
  query<T = any>(sql: string, params?: unknown[]): Promise<T[]>;
}

const liveServers = new Set<DataDirServer>();

/**
 * A server on an arbitrary data directory (a restored backup), started with pg_ctl as the server
 * user on a free loopback port. Only the network settings go on the command line: everything
 * else, archiving and recovery included, comes from the files in the data directory, exactly as
 * the recovered copy would start in real life (a `-c` option would override them).
 */
export class DataDirServer implements Queryable {
  port: number | null = null;
  readonly logFile: string;
  readonly sockDir: string;
  private client: Client | null = null;

  constructor(
    readonly major: number,
    readonly dataDir: string,
    /** folder for the log and the socket (outside the data directory) */
    readonly workDir: string,
  ) {
    this.logFile = path.join(workDir, 'server.log');
    this.sockDir = path.join(workDir, 'sock');
  }

  private pgCtl(args: string[], timeoutMs: number) {
    return runAsUser(path.join(binDir(this.major), 'pg_ctl'), args, { timeoutMs });
  }

  log(): string {
    try {
      return fs.readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
  }

  /** Starts the server; resolves once pg_ctl -w says it accepts connections (a recovering
   * server does so once it is consistent, hot_standby being on by default on 10+). Throws with
   * the log when it does not start. */
  async start(): Promise<void> {
    if (!fs.existsSync(this.sockDir)) {
      fs.mkdirSync(this.sockDir, { mode: 0o755 });
      chownTreeToServerUser(this.sockDir);
    }
    liveServers.add(this);
    let last = '';
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freePort();
      const o = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='${this.sockDir}'`;
      const r = await this.pgCtl(['start', '-D', this.dataDir, '-l', this.logFile, '-w', '-t', '90', '-o', o], 100_000);
      if (r.code === 0) {
        this.port = port;
        return;
      }
      await this.pgCtl(['stop', '-D', this.dataDir, '-m', 'immediate', '-w', '-t', '10'], 20_000);
      last = `pg_ctl start exit ${String(r.code)}: ${r.stdout}${r.stderr}`;
      if (!/could not (bind|create listen socket)|Address already in use/.test(this.log())) break;
    }
    liveServers.delete(this);
    throw new Error(`PostgreSQL ${this.major} on ${this.dataDir} did not start: ${last}\n--- log ---\n${this.log()}`);
  }

  private async getClient(): Promise<Client> {
    if (this.port === null) throw new Error('server not running');
    if (this.client) return this.client;
    const c = new Client({
      host: '127.0.0.1',
      port: this.port,
      user: 'postgres',
      database: 'postgres',
      connectionTimeoutMillis: 10_000,
      statement_timeout: 30_000,
      query_timeout: 40_000,
    });
    c.on('error', () => {
      if (this.client === c) this.client = null;
    });
    await c.connect();
    this.client = c;
    return c;
  }

  async query<T = any>(sql: string, params?: unknown[]): Promise<T[]> {
    const c = await this.getClient();
    try {
      return (await c.query(sql, params)).rows as T[];
    } catch (e) {
      if (!(e instanceof DatabaseError)) {
        this.client = null;
        await c.end().catch(() => undefined);
      }
      throw e;
    }
  }

  /** Waits until recovery has ended (pg_is_in_recovery() false): after the promotion that
   * recovery_target_action = promote asks for. Throws with the log when the server died. */
  async waitPromoted(timeoutMs = 90_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      try {
        const [r] = await this.query<{ rec: boolean }>('SELECT pg_is_in_recovery() AS rec');
        if (!r.rec) return;
      } catch (e) {
        if (!fs.existsSync(path.join(this.dataDir, 'postmaster.pid'))) {
          throw new Error(
            `PostgreSQL ${this.major} stopped during recovery: ${(e as Error).message}\n--- log ---\n${this.log()}`,
          );
        }
      }
      if (Date.now() > end)
        throw new Error(`PostgreSQL ${this.major} still in recovery after ${timeoutMs} ms\n--- log ---\n${this.log()}`);
      await sleep(50);
    }
  }

  /** Immediate shutdown by default: the copy is thrown away, nothing to flush. A fast shutdown
   * lets the archiver (when there is one) archive every completed file before it exits, so what
   * a copy would archive is in the archive once stop('fast') returns. */
  async stop(mode: 'immediate' | 'fast' = 'immediate'): Promise<void> {
    const c = this.client;
    this.client = null;
    if (c) await c.end().catch(() => undefined);
    if (this.port !== null || fs.existsSync(path.join(this.dataDir, 'postmaster.pid'))) {
      const r = await this.pgCtl(['stop', '-D', this.dataDir, '-m', mode, '-w', '-t', '20'], 30_000);
      if (r.code !== 0 && mode !== 'immediate')
        await this.pgCtl(['stop', '-D', this.dataDir, '-m', 'immediate', '-w', '-t', '20'], 30_000);
    }
    this.port = null;
    liveServers.delete(this);
  }
}

/** Stops every DataDirServer still running (mocha root hook and process exit). */
export async function stopAllDataDirServers(): Promise<void> {
  await Promise.all([...liveServers].map((s) => s.stop().catch(() => undefined)));
}

process.on('exit', () => {
  for (const s of liveServers) {
    spawnSync(path.join(binDir(s.major), 'pg_ctl'), ['stop', '-D', s.dataDir, '-m', 'immediate', '-w', '-t', '10'], {
      stdio: 'ignore',
      timeout: 15_000,
      ...(typeof process.getuid === 'function' && process.getuid() === 0
        ? { uid: osUser().uid, gid: osUser().gid }
        : {}),
    });
  }
  for (const d of drillDirs) fs.rmSync(d, { recursive: true, force: true });
});
if (typeof after === 'function') {
  after('pg-pitr: stop leftover drill servers', async function () {
    this.timeout(60_000);
    await stopAllDataDirServers();
  });
}

// ---------------------------------------------------------------------------------------------
// The primary, its backup and its workload

/** Settings of the drill primary, written into its postgresql.auto.conf so that the base backup
 * carries them, as a real one does: the restored copy would archive into the production archive
 * unless the recovery configuration says otherwise. */
export function primarySettings(archive: string): Record<string, string> {
  return {
    wal_level: 'replica',
    archive_mode: 'on',
    archive_command: idempotentArchiveCommand(archive),
    archive_timeout: '0',
    // Exact commit times of the workload (pg_xact_commit_timestamp) for time targets that fall
    // exactly on a commit, the only case where recovery_target_inclusive matters for time.
    track_commit_timestamp: 'on',
    // Test speed only: fsync concerns surviving an OS crash, which no drill simulates; the WAL
    // the recoveries replay is the archived copy (whose command syncs regardless).
    fsync: 'off',
    shared_buffers: '16MB',
    max_connections: '20',
  };
}

/** Appends `name = 'value'` lines (quotes doubled) to postgresql.auto.conf. */
export function appendAutoConf(dataDir: string, settings: Record<string, string>): void {
  const file = path.join(dataDir, 'postgresql.auto.conf');
  const lines = Object.entries(settings).map(([k, v]) => `${k} = '${v.replace(/'/g, "''")}'\n`);
  fs.appendFileSync(file, lines.join(''));
  chownTreeToServerUser(file);
}

/** Free space a major's drills need at their peak (archive, its timeline-2 copy, the base
 * backup, one restored copy with the WAL it restores and writes): about 250 MB, with margin. */
const DRILL_SPACE_BYTES = 1024 * 1024 * 1024;

/** Where archives, base backups and restored copies live: a memory file system when there is
 * one with room (each drill copies a base backup; on a shared, busy disk that copy dominated the
 * drill's time), else the temporary directory. PG_PITR_DRILL_DIR overrides. Removed on exit at
 * the latest. */
function drillBaseDir(): string {
  if (process.env.PG_PITR_DRILL_DIR) return process.env.PG_PITR_DRILL_DIR;
  try {
    fs.accessSync('/dev/shm', fs.constants.W_OK);
    const st = fs.statfsSync('/dev/shm');
    if (st.bavail * st.bsize >= DRILL_SPACE_BYTES) return '/dev/shm';
  } catch {
    /* no /dev/shm */
  }
  return serverTmpDir(osUser());
}

const drillDirs = new Set<string>();

/** A fresh directory for a drill, mode 0755, owned by the server user. */
export function makeDrillDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(drillBaseDir(), prefix));
  fs.chmodSync(dir, 0o755);
  chownTreeToServerUser(dir);
  drillDirs.add(dir);
  return dir;
}

/** Removes a directory made by makeDrillDir. */
export function removeDrillDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  drillDirs.delete(dir);
}

export interface DrillPrimary {
  major: number;
  cluster: Cluster;
  archive: string;
  /** holds backup/ (the pristine base backup's data directory) and scratch restores */
  workRoot: string;
}

/** A new primary archiving into a new archive folder, started. */
export async function startArchivingPrimary(major: number): Promise<DrillPrimary> {
  const archive = makeDrillDir(`pg-pitr-drill-archive-${major}-`);
  const workRoot = makeDrillDir(`pg-pitr-drill-${major}-`);
  const cluster = await createCluster(major);
  appendAutoConf(cluster.dataDir, primarySettings(archive));
  await cluster.start();
  return { major, cluster, archive, workRoot };
}

export interface BaseBackup {
  dataDir: string;
  /** how it was taken, for the drill matrix: "pg_basebackup 15" or "low-level API" */
  method: string;
  /** pg_verifybackup's verdict before any use: "exit 0", "-n: exit 0" (--no-parse-wal: WAL of another
   * major), "no manifest" (10-12 servers), "missing" (no pg_verifybackup), "-" (low-level API) */
  verified: string;
  startLsn: string;
  stopLsn: string;
  labelFile: string;
}

export const BACKUP_LABEL = 'pg-pitr drill';

/**
 * The drill's base backup of a running primary: with the real pg_basebackup when a local one can
 * back up this major (command line built by the product's buildBaseBackupCommand, result checked
 * by pg_verifybackup when the server writes a manifest), else with the low-level API and a file
 * copy. A client this machine should have but lacks fails the drill under CI=true and is
 * reported loudly otherwise.
 */
export async function takeBaseBackup(primary: Cluster, destDataDir: string): Promise<BaseBackup> {
  const major = primary.major;
  const pick = baseBackupClientFor(major);
  if (pick.client) return takePgBasebackup(primary, pick.client, destDataDir);
  const msg = `PostgreSQL ${major}: base backup taken with the LOW-LEVEL API instead of pg_basebackup: ${pick.why}`;
  if (pick.expected) {
    if (process.env.CI === 'true')
      throw new Error(
        `${msg}\n(CI=true: .ci/run installs Debian's postgresql-client, so a missing pg_basebackup is a failure)`,
      );
    const bar = '!'.repeat(100);
    process.stderr.write(`\n${bar}\n!!! ${msg}\n${bar}\n\n`);
  } else {
    // not a missing install: Debian ships no pg_basebackup this new (the drill matrix shows the method)
    process.stderr.write(`      !!! ${msg}\n`);
  }
  return takeLowLevelBaseBackup(primary, major, primary.dataDir, destDataDir);
}

/**
 * pg_basebackup as the server user over 127.0.0.1 (the template's pg_hba trusts replication
 * connections from there): plain format, WAL streamed, fast checkpoint, a label. The preflight
 * and the command line are the product's, and must come without errors or warnings here.
 */
async function takePgBasebackup(primary: Cluster, client: LocalPgClient, destDataDir: string): Promise<BaseBackup> {
  const major = primary.major;
  if (primary.port === null) throw new Error(`PostgreSQL ${major} primary is not running`);
  const [room] = await primary.query<WalSendersInUseRow>(walSendersInUseQuery);
  const pre = baseBackupPreflight({
    clientMajor: client.major,
    serverMajor: major,
    maxWalSenders: room.max_wal_senders,
    walSendersInUse: room.wal_senders_in_use,
    maxReplicationSlots: room.max_replication_slots,
    replicationSlotsInUse: room.replication_slots_in_use,
    walMethod: 'stream',
  });
  assert.deepEqual(
    pre,
    { errors: [], warnings: [] },
    `baseBackupPreflight for PostgreSQL ${major} with pg_basebackup ${client.major}`,
  );
  const cmd = buildBaseBackupCommand({
    conn: { host: '127.0.0.1', port: primary.port, user: 'postgres' },
    targetDir: destDataDir,
    format: 'plain',
    walMethod: 'stream',
    writeRecoveryConf: false,
    checkpoint: 'fast',
    progress: false,
    label: BACKUP_LABEL,
    serverMajor: major,
    clientMajor: client.major,
    pgBinDir: client.dir,
  });
  assert.deepEqual(cmd.warnings, [], `buildBaseBackupCommand warnings for PostgreSQL ${major}`);
  const r = await runAsUser(cmd.file, cmd.args, { env: cmd.env, timeoutMs: 120_000 });
  if (r.code !== 0) {
    throw new Error(
      `pg_basebackup ${client.major} on PostgreSQL ${major} exited ${String(r.code)}: ${shellQuoteForDisplay([cmd.file, ...cmd.args])}\n${r.stderr}${r.stdout}`,
    );
  }
  const labelFile = fs.readFileSync(path.join(destDataDir, 'backup_label'), 'utf8');
  assert.match(labelFile, new RegExp(`^LABEL: ${BACKUP_LABEL}$`, 'm'));
  const startLsn = /^START WAL LOCATION: (\S+) /m.exec(labelFile)?.[1];
  if (!startLsn) throw new Error(`no START WAL LOCATION in the backup_label pg_basebackup wrote:\n${labelFile}`);
  const stopLsn = backupHistoryStopLsn(primary.dataDir, startLsn);
  const verified = await verifyPgBasebackup(major, client, destDataDir);
  return { dataDir: destDataDir, method: `pg_basebackup ${client.major}`, verified, startLsn, stopLsn, labelFile };
}

/** STOP WAL LOCATION of the backup history file the server wrote into pg_wal for the backup that
 * started at `startLsn`. An archiving server (as the drill primary is) keeps it there until its
 * next backup ends; without archiving the server removes it at once. */
function backupHistoryStopLsn(dataDir: string, startLsn: string): string {
  const walDir = path.join(dataDir, 'pg_wal');
  for (const name of fs.readdirSync(walDir).filter((n) => n.endsWith('.backup'))) {
    const text = fs.readFileSync(path.join(walDir, name), 'utf8');
    if (!text.includes(`START WAL LOCATION: ${startLsn} `) || !text.includes(`LABEL: ${BACKUP_LABEL}\n`)) continue;
    const stop = /^STOP WAL LOCATION: (\S+) /m.exec(text)?.[1];
    if (stop) return stop;
  }
  throw new Error(`no backup history file for the backup started at ${startLsn} in ${walDir} (is archive_mode on?)`);
}

/**
 * pg_verifybackup (the command line from the product's buildVerifyBackupCommand) on a plain
 * pg_basebackup result, once, before any drill restores it: exit 0 required. A 10-12 server
 * writes no manifest, which the builder must say instead of building a command.
 *
 * pg_verifybackup parses the backup's WAL with the pg_waldump of its own major, which reads only
 * that major's WAL (the page magic changes with every major: 0xD106 on 13, 0xD10D on 14, 0xD110
 * on 15): on another major's backup it exits 1 ("WAL parsing failed for timeline 1") and only
 * --no-parse-wal verifies the files. buildVerifyBackupCommand adds it when the backup's PG_VERSION
 * is not the client's major.
 */
async function verifyPgBasebackup(major: number, client: LocalPgClient, backupDir: string): Promise<string> {
  const hasManifest = fs.existsSync(path.join(backupDir, 'backup_manifest'));
  assert.equal(
    hasManifest,
    major >= 13 && client.major >= 13,
    `backup_manifest from pg_basebackup ${client.major} on PostgreSQL ${major}`,
  );
  const clientMajor = verifyBackupMajor(client);
  if (!hasManifest) {
    const v = buildVerifyBackupCommand(backupDir, { clientMajor: clientMajor ?? client.major, pgBinDir: client.dir });
    assert.ok(
      'error' in v && v.error.startsWith(`no backup_manifest in ${backupDir}: `),
      `buildVerifyBackupCommand on a manifest-less backup: ${JSON.stringify(v)}`,
    );
    return 'no manifest';
  }
  if (clientMajor === null) {
    const msg = `PostgreSQL ${major}: the backup by pg_basebackup ${client.major} is NOT VERIFIED: no pg_verifybackup in ${client.dir}`;
    if (process.env.CI === 'true') throw new Error(`${msg} (CI=true: Debian's postgresql-client ships it)`);
    const bar = '!'.repeat(100);
    process.stderr.write(`\n${bar}\n!!! ${msg}\n${bar}\n\n`);
    return 'missing';
  }
  const v = buildVerifyBackupCommand(backupDir, { clientMajor, pgBinDir: client.dir });
  if ('error' in v) throw new Error(`buildVerifyBackupCommand refused a plain pg_basebackup result: ${v.error}`);
  assert.equal(v.file, path.join(client.dir, 'pg_verifybackup'));
  const run = (args: string[]) => runAsUser(v.file, args, { timeoutMs: 120_000 });
  const args = v.args;
  if (clientMajor === major) {
    // plain format with streamed WAL of its own major: nothing to leave out, nothing to warn about
    assert.deepEqual({ args: v.args, warnings: v.warnings }, { args: [backupDir], warnings: [] });
  } else {
    // another major's WAL: the builder leaves WAL parsing out (without it pg_verifybackup exits 1,
    // "could not find a valid record after ..."), and says so
    assert.deepEqual(v.args, ['--no-parse-wal', backupDir]);
    assert.match(
      v.warnings.join('\n'),
      new RegExp(
        `the backup is of PostgreSQL ${major} and pg_verifybackup is ${clientMajor}: its pg_waldump reads only PostgreSQL ${clientMajor} WAL`,
      ),
    );
  }
  const r = await run(args);
  assert.equal(
    r.code,
    0,
    `pg_verifybackup ${clientMajor} ${args.join(' ')} on the PostgreSQL ${major} backup: ${r.stderr}${r.stdout}`,
  );
  assert.equal(r.stdout, 'backup successfully verified\n');
  return args.includes('--no-parse-wal') ? '-n: exit 0' : 'exit 0';
}

/**
 * A base backup with the non-exclusive low-level API: start, copy the running data directory,
 * stop (waiting for the WAL to be archived), then write the label file the stop call returns as
 * backup_label — without it the copy would start from the wrong checkpoint.
 */
export async function takeLowLevelBaseBackup(
  c: Queryable,
  major: number,
  srcDataDir: string,
  destDataDir: string,
): Promise<BaseBackup> {
  const [{ lsn: startLsn }] =
    major >= 15
      ? await c.query<{ lsn: string }>(`SELECT pg_backup_start('${BACKUP_LABEL}', true)::text AS lsn`)
      : await c.query<{ lsn: string }>(`SELECT pg_start_backup('${BACKUP_LABEL}', true, false)::text AS lsn`);
  copyRunningDataDir(srcDataDir, destDataDir);
  const [stop] =
    major >= 15
      ? await c.query<{ lsn: string; labelfile: string; spcmapfile: string }>(
          'SELECT lsn::text, labelfile, spcmapfile FROM pg_backup_stop(true)',
        )
      : await c.query<{ lsn: string; labelfile: string; spcmapfile: string }>(
          'SELECT lsn::text, labelfile, spcmapfile FROM pg_stop_backup(false, true)',
        );
  fs.writeFileSync(path.join(destDataDir, 'backup_label'), stop.labelfile);
  if (stop.spcmapfile) fs.writeFileSync(path.join(destDataDir, 'tablespace_map'), stop.spcmapfile);
  chownTreeToServerUser(destDataDir);
  return {
    dataDir: destDataDir,
    method: 'low-level API',
    verified: '-',
    startLsn,
    stopLsn: stop.lsn,
    labelFile: stop.labelfile,
  };
}

/** Inserts row i in its own committed transaction; returns that transaction's id. */
export async function commitRow(c: Queryable, i: number): Promise<string> {
  await c.query('BEGIN');
  try {
    const [{ xid }] = await c.query<{ xid: string }>('SELECT txid_current()::text AS xid');
    await c.query('INSERT INTO t VALUES ($1)', [i]);
    await c.query('COMMIT');
    return xid;
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

/** The table's rows as the drills compare them: null when table t does not exist. */
export async function readRows(q: Queryable): Promise<number[] | null> {
  const [{ exists }] = await q.query<{ exists: boolean }>("SELECT to_regclass('public.t') IS NOT NULL AS exists");
  if (!exists) return null;
  const [{ rows }] = await q.query<{ rows: number[] | null }>('SELECT array_agg(i ORDER BY i) AS rows FROM t');
  return rows ?? [];
}

export const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, k) => from + k);

/** What the workload recorded, each between two committed transactions (see runDrillWorkload). */
export interface DrillTargets {
  /** restore point created after row 3 */
  name: string;
  /** transaction id of the transaction that inserted row 4 */
  xid: string;
  /** exact commit time of row 5's transaction (pg_xact_commit_timestamp), with its UTC offset */
  commitTime: string;
  /** server clock between the commits of rows 5 and 6, a few ms away from both */
  betweenTime: string;
  /** commitTime as wall-clock time without offset in America/New_York and in UTC+05:30 */
  commitTimeNewYork: string;
  commitTimePlus0530: string;
  /** start LSN of row 6's commit record (the insert position just before COMMIT) */
  lsn: string;
  /** bytes of WAL between `lsn` and the insert position after the commit (only the commit record
   * when nothing else slipped in) */
  commitRecordBytes: number;
}

export const RESTORE_POINT = 'pitr-drill-after-3';

/**
 * Rows 3..7 committed one at a time after the base backup, targets recorded in between, then
 * DROP TABLE t (the destructive step) and a WAL switch, waited for in the archive.
 * Row k is committed by its own transaction, so the rows a recovery must keep are:
 *   name → 1..3; xid inclusive → 1..4, exclusive → 1..3; commitTime inclusive → 1..5,
 *   exclusive → 1..4; betweenTime → 1..5 either way; lsn inclusive → 1..6, exclusive → 1..5.
 */
export async function runDrillWorkload(c: Queryable, archive: string): Promise<DrillTargets> {
  await commitRow(c, 3);
  await c.query('SELECT pg_create_restore_point($1)', [RESTORE_POINT]);
  const xid = await commitRow(c, 4);
  const xid5 = await commitRow(c, 5);
  const [{ t: commitTime, ny: commitTimeNewYork, ist: commitTimePlus0530 }] = await c.query<{
    t: string;
    ny: string;
    ist: string;
  }>(
    // INTERVAL, not the string '+05:30': a string zone would be read POSIX-style (west positive).
    `SELECT ts::text AS t, (ts AT TIME ZONE 'America/New_York')::text AS ny, (ts AT TIME ZONE INTERVAL '+05:30')::text AS ist
       FROM (SELECT pg_xact_commit_timestamp($1::xid) AS ts) s`,
    [xid5],
  );
  await sleep(20);
  const [{ t: betweenTime }] = await c.query<{ t: string }>('SELECT clock_timestamp()::text AS t');
  await sleep(20);
  await c.query('BEGIN');
  await c.query('INSERT INTO t VALUES (6)');
  const [{ lsn }] = await c.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn');
  await c.query('COMMIT');
  const [{ bytes }] = await c.query<{ bytes: string }>(
    'SELECT (pg_current_wal_insert_lsn() - $1::pg_lsn)::text AS bytes',
    [lsn],
  );
  await commitRow(c, 7);
  await c.query('DROP TABLE t');
  await switchWalAndWait(c, archive);
  return {
    name: RESTORE_POINT,
    xid,
    commitTime,
    betweenTime,
    commitTimeNewYork,
    commitTimePlus0530,
    lsn,
    commitRecordBytes: Number(bytes),
  };
}

/** A fresh folder under the drill's work root holding data/ (a copy of the base backup owned by
 * the server user), the server log and the socket directory. */
export function restoreBaseBackup(
  workRoot: string,
  backup: BaseBackup,
  label: string,
): { workDir: string; dataDir: string } {
  const workDir = fs.mkdtempSync(path.join(workRoot, `${label.replace(/[^A-Za-z0-9]+/g, '-')}-`));
  fs.chmodSync(workDir, 0o755);
  chownTreeToServerUser(workDir);
  const dataDir = path.join(workDir, 'data');
  copyTree(backup.dataDir, dataDir);
  return { workDir, dataDir };
}

/** Compact form of a row set for the drill matrix: [1,2,3,100,101] → "1-3,100-101". */
export function formatRows(rows: number[] | null): string {
  if (rows === null) return 'no table';
  if (rows.length === 0) return 'empty';
  const parts: string[] = [];
  let start = rows[0];
  let prev = rows[0];
  for (const r of [...rows.slice(1), NaN]) {
    if (r === prev + 1) {
      prev = r;
      continue;
    }
    parts.push(start === prev ? `${start}` : `${start}-${prev}`);
    start = prev = r;
  }
  return parts.join(',');
}
