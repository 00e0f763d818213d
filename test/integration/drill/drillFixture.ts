// A primary with a known history for the drill tests, per major: rows 1-2 before the base backup,
// then, each in its own transaction and with WAL switches in between so that every step lands in
// its own archived segment: row 3 (after the backup ended), row 4, the restore point "drill-rp",
// a time between two commits, row 5, row 6. The primary is stopped afterwards: a drill never needs
// it. Servers run as the test OS user (test/support/postgresServers.ts).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { main } from '../../../src/cli/main';
import { buildBaseBackupCommand } from '../../../src/core/basebackup/baseBackupArgs';
import type { DrillReport } from '../../../src/core/drill/types';
import { baseBackupClientFor } from '../../support/localPgClients';
import {
  appendAutoConf,
  type BaseBackup,
  commitRow,
  makeDrillDir,
  primarySettings,
  removeDrillDir,
  switchWalAndWait,
  takeBaseBackup,
} from '../../support/pitrDrill';
import { binDir, type Cluster, createCluster, osUser, runAsUser } from '../../support/postgresServers';

export const RESTORE_POINT = 'drill-rp';

export interface DrillFixture {
  major: number;
  root: string;
  archive: string;
  backup: BaseBackup;
  /** pg_create_restore_point's LSN (the end of its record) */
  restorePointLsn: string;
  /** the server's clock between the commits of rows 4 and 5, with its offset */
  betweenTime: string;
  /** archived segments after the backup's own, oldest first */
  segmentsAfterBackup: string[];
  segmentSizeMB: number;
  binDir: string;
  osUser: string;
  cluster: Cluster;
  tars: Partial<Record<TarKind, { dir: string; method: string }>>;
}

export type TarKind = 'gzip' | 'lz4' | 'zstd';

/**
 * A tar-format backup of the running primary: the real pg_basebackup -Ft (pg-pitr's own command
 * builder) where a local client can back up this major, else the plain backup packed by the
 * system's tar and gzip the way pg_basebackup lays it out (base.tar.gz, no pg_wal.tar: its WAL is
 * in the archive).
 */
async function takeTarBackup(cluster: Cluster, plain: BaseBackup, dest: string, kind: TarKind): Promise<string> {
  const pick = baseBackupClientFor(cluster.major);
  if (pick.client) {
    const cmd = buildBaseBackupCommand({
      conn: { host: '127.0.0.1', port: cluster.port!, user: 'postgres' },
      targetDir: dest,
      format: 'tar',
      compression: kind,
      walMethod: 'stream',
      writeRecoveryConf: false,
      checkpoint: 'fast',
      progress: false,
      label: `drill ${kind}`,
      serverMajor: cluster.major,
      clientMajor: pick.client.major,
      pgBinDir: pick.client.dir,
    });
    const r = await runAsUser(cmd.file, cmd.args, { env: cmd.env, timeoutMs: 120_000 });
    if (r.code !== 0) throw new Error(`pg_basebackup -Ft ${kind} failed: ${r.stderr}${r.stdout}`);
    return `pg_basebackup ${pick.client.major}`;
  }
  if (kind !== 'gzip')
    throw new Error(`no pg_basebackup for PostgreSQL ${cluster.major}: only a gzip tar can be packed by hand`);
  fs.mkdirSync(dest, { mode: 0o700 });
  const r = spawnSync('tar', ['-czf', path.join(dest, 'base.tar.gz'), '-C', plain.dataDir, '.'], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`tar -czf failed: ${r.stderr}`);
  return 'tar -czf of the low-level backup';
}

export async function buildDrillFixture(
  major: number,
  opts: { archiveCommand?: (archive: string) => string; tars?: TarKind[] } = {},
): Promise<DrillFixture> {
  const root = makeDrillDir(`pg-pitr-drilltest-${major}-`);
  const archive = path.join(root, 'archive');
  fs.mkdirSync(archive, { mode: 0o755 });
  fs.chownSync(archive, osUser().uid, osUser().gid);
  const segmentSizeMB = major >= 11 ? 1 : 16;
  const cluster = await createCluster(major, major >= 11 ? { walSegmentSizeMB: 1 } : {});
  const settings = primarySettings(archive);
  if (opts.archiveCommand) settings.archive_command = opts.archiveCommand(archive);
  appendAutoConf(cluster.dataDir, settings);
  await cluster.start();
  await cluster.query('CREATE TABLE t (i int PRIMARY KEY)');
  await commitRow(cluster, 1);
  await commitRow(cluster, 2);
  const backup = await takeBaseBackup(cluster, path.join(root, 'backup'));
  const tars: DrillFixture['tars'] = {};
  for (const kind of opts.tars ?? []) {
    const dir = path.join(root, `tar-${kind}`);
    tars[kind] = { dir, method: await takeTarBackup(cluster, backup, dir, kind) };
  }
  const [{ f: backupWal }] = await cluster.query<{ f: string }>('SELECT pg_walfile_name(pg_current_wal_lsn()) AS f');
  await commitRow(cluster, 3);
  await switchWalAndWait(cluster, archive);
  await commitRow(cluster, 4);
  const [{ lsn: restorePointLsn }] = await cluster.query<{ lsn: string }>(
    'SELECT pg_create_restore_point($1)::text AS lsn',
    [RESTORE_POINT],
  );
  await new Promise((r) => setTimeout(r, 30));
  const [{ t: betweenTime }] = await cluster.query<{ t: string }>(
    "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00:00' AS t",
  );
  await new Promise((r) => setTimeout(r, 30));
  await commitRow(cluster, 5);
  await switchWalAndWait(cluster, archive);
  await commitRow(cluster, 6);
  await switchWalAndWait(cluster, archive);
  await cluster.stop();
  const segs = fs
    .readdirSync(archive)
    .filter((n) => /^[0-9A-F]{24}$/.test(n))
    .sort();
  return {
    major,
    root,
    archive,
    backup,
    restorePointLsn,
    betweenTime,
    segmentsAfterBackup: segs.filter((s) => s > backupWal),
    segmentSizeMB,
    binDir: binDir(major),
    osUser: osUser().name,
    cluster,
    tars,
  };
}

/** The tar backups the tar tests drill, per major. */
const TARS_BY_MAJOR: Partial<Record<number, TarKind[]>> = {
  10: ['gzip'],
  13: ['gzip', 'lz4', 'zstd'],
  16: ['gzip'],
  18: ['gzip'],
};
const shared = new Map<number, Promise<DrillFixture>>();

/**
 * One fixture per major for every drill test file of this run (each takes a few seconds to build):
 * the files only read it and add their own folders under its root. Removed by a root hook.
 */
export function sharedDrillFixture(major: number): Promise<DrillFixture> {
  let p = shared.get(major);
  if (!p) {
    p = buildDrillFixture(major, { tars: TARS_BY_MAJOR[major] ?? [] });
    shared.set(major, p);
  }
  return p;
}

if (typeof after === 'function') {
  after('pg-pitr: remove the shared drill fixtures', async function () {
    this.timeout(120_000);
    for (const p of shared.values()) await destroyDrillFixture(await p.catch(() => undefined));
    shared.clear();
  });
}

export async function destroyDrillFixture(f: DrillFixture | undefined): Promise<void> {
  if (!f) return;
  await f.cluster.destroy();
  removeDrillDir(f.root);
}

/** A copy of the archive with one segment left out (owned like the original). */
export function archiveWithout(f: DrillFixture, segment: string): string {
  const dir = path.join(f.root, `archive-without-${segment}`);
  if (fs.existsSync(dir)) return dir;
  fs.mkdirSync(dir, { mode: 0o755 });
  for (const n of fs.readdirSync(f.archive))
    if (n !== segment) fs.copyFileSync(path.join(f.archive, n), path.join(dir, n));
  const u = osUser();
  for (const n of [dir, ...fs.readdirSync(dir).map((x) => path.join(dir, x))]) fs.chownSync(n, u.uid, u.gid);
  return dir;
}

export const ROWS_SQL = "SELECT coalesce(string_agg(i::text, ',' ORDER BY i), 'none') FROM t";

export interface CliRun {
  code: number;
  report: DrillReport;
  stderr: string;
}

let scratchCount = 0;

/** Runs `pg-pitr drill` in this process on the fixture's backup, the scratch folder in the fixture's (memory) folder. */
export async function drill(f: DrillFixture, args: string[], backup = f.backup.dataDir): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const record = path.join(f.root, 'drills.jsonl');
  const scratch = path.join(f.root, `scratch-${++scratchCount}`);
  const code = await main(
    [
      'drill',
      '--backup',
      backup,
      '--scratch',
      scratch,
      '--pg-bin-dir',
      f.binDir,
      '--os-user',
      f.osUser,
      '--record',
      record,
      '--format',
      'json',
      '--timeout',
      '3m',
      ...args,
    ],
    (s) => out.push(s),
    (s) => err.push(s),
  );
  let report: DrillReport;
  try {
    report = JSON.parse(out.join('\n')) as DrillReport;
  } catch {
    throw new Error(`no JSON report (exit ${code}):\n${out.join('\n')}\n${err.join('\n')}`);
  }
  return { code, report, stderr: err.join('\n') };
}

export function rowsOf(r: DrillReport): string | undefined {
  return r.checks.find((c) => c.name === ROWS_SQL)?.detail;
}

export function explain(r: CliRun): string {
  return `exit ${r.code}: ${JSON.stringify(r.report.failure)}\n${r.report.serverLog.join('\n')}\n${r.stderr}`;
}
