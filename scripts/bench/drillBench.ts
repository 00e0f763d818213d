// `npm run bench drill`: a restore drill of a ~200 MB database with ~1 GB of archived WAL (sizes:
// PG_PITR_BENCH_DRILL_DB_MB, PG_PITR_BENCH_DRILL_WAL_MB) against a hand-run recovery of the same
// backup and archive measured in the same run: cp -a of the backup, recovery.signal and the same
// restore_command, postgres started, polled until it has promoted, the copy removed. The drill's figures (restore,
// replay, checks, MB/s) are its own report's; the goal is at most 10 % over the hand-run recovery.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { Client } from 'pg';

import { runDrill } from '../../src/core/drill/runDrill';
import { chownTreeToServerUser, switchWalAndWait, takeLowLevelBaseBackup } from '../../test/support/pitrDrill';
import {
  binDir,
  type Cluster,
  createCluster,
  makeTempDir,
  osUser,
  requireServer,
} from '../../test/support/postgresServers';
import type { Bench } from './index';

const MAJOR = 17;
const RUNS = 2;
const DB_MB = Number(process.env.PG_PITR_BENCH_DRILL_DB_MB ?? 200);
const WAL_MB = Number(process.env.PG_PITR_BENCH_DRILL_WAL_MB ?? 1024);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The baseline: what a DBA types, timed from the copy to the promotion. */
async function handRunRecovery(
  backup: string,
  archive: string,
  root: string,
): Promise<{ copyMs: number; replayMs: number; removeMs: number }> {
  const work = fs.mkdtempSync(path.join(root, 'hand-'));
  chownTreeToServerUser(work);
  const data = path.join(work, 'data');
  const sock = path.join(work, 'sock');
  fs.mkdirSync(sock, { mode: 0o700 });
  const t0 = performance.now();
  const cp = spawnSync('cp', ['-a', backup, data]);
  if (cp.status !== 0) throw new Error(`cp -a failed: ${cp.stderr}`);
  fs.writeFileSync(path.join(data, 'recovery.signal'), '');
  fs.appendFileSync(
    path.join(data, 'postgresql.auto.conf'),
    `restore_command = 'cp ${archive}/%f %p'\narchive_mode = 'off'\nlisten_addresses = ''\nunix_socket_directories = '${sock}'\nport = 5433\n`,
  );
  chownTreeToServerUser(work);
  const t1 = performance.now();
  const u = osUser();
  const log = fs.openSync(path.join(work, 'server.log'), 'a');
  const child = spawn(path.join(binDir(MAJOR), 'postgres'), ['-D', data], {
    stdio: ['ignore', log, log],
    detached: true,
    ...(process.getuid?.() === 0 ? { uid: u.uid, gid: u.gid } : {}),
  });
  fs.closeSync(log);
  try {
    for (;;) {
      const c = new Client({ host: sock, port: 5433, user: 'postgres', database: 'postgres' });
      c.on('error', () => undefined);
      try {
        await c.connect();
        const [{ rec }] = (await c.query<{ rec: boolean }>('SELECT pg_is_in_recovery() AS rec')).rows;
        await c.end();
        if (!rec) break;
      } catch {
        await c.end().catch(() => undefined);
      }
      if (child.exitCode !== null)
        throw new Error(
          `the hand-run server stopped: ${fs.readFileSync(path.join(work, 'server.log'), 'utf8').slice(-2000)}`,
        );
      await sleep(100);
    }
    const replayMs = performance.now() - t1;
    process.kill(child.pid!, 'SIGQUIT');
    await new Promise((r) => child.once('exit', r));
    const t2 = performance.now();
    fs.rmSync(work, { recursive: true, force: true });
    return { copyMs: t1 - t0, replayMs, removeMs: performance.now() - t2 };
  } finally {
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGKILL');
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** ~DB_MB of table and index, a base backup, then ~WAL_MB of archived WAL. */
async function prepare(cluster: Cluster, archive: string, root: string): Promise<{ backup: string; walBytes: number }> {
  const rows = Math.round((DB_MB * 1048576) / 120);
  await cluster.query(`CREATE TABLE big AS SELECT g AS id, md5(g::text) AS h FROM generate_series(1, ${rows}) g`);
  await cluster.query('CREATE INDEX ON big (h)');
  await cluster.query('CHECKPOINT');
  const backup = path.join(root, 'backup');
  const b = await takeLowLevelBaseBackup(cluster, MAJOR, cluster.dataDir, backup);
  await cluster.query('CREATE TABLE w (id int, pad text)');
  for (;;) {
    const [{ bytes }] = await cluster.query<{ bytes: string }>(
      'SELECT (pg_current_wal_lsn() - $1::pg_lsn)::text AS bytes',
      [b.stopLsn],
    );
    if (Number(bytes) >= WAL_MB * 1048576) break;
    await cluster.query("INSERT INTO w SELECT g, repeat('x', 400) FROM generate_series(1, 50000) g");
    await cluster.query('DELETE FROM w WHERE id % 2 = 0');
  }
  await switchWalAndWait(cluster, archive);
  const [{ bytes }] = await cluster.query<{ bytes: string }>(
    'SELECT (pg_current_wal_lsn() - $1::pg_lsn)::text AS bytes',
    [b.startLsn],
  );
  return { backup, walBytes: Number(bytes) };
}

export const drillBench: Bench = {
  name: 'drill',
  title:
    `Restore drill (pg-pitr drill, PostgreSQL ${MAJOR}, ${DB_MB} MB database, ${WAL_MB} MB of archived ` +
    `WAL) against a hand-run recovery of the same backup`,
  async run(ctx) {
    if (!requireServer(MAJOR)) {
      if (ctx.ci) throw new Error(`PostgreSQL ${MAJOR} server binaries are missing (CI=true)`);
      ctx.log(`!!! SKIPPED: PostgreSQL ${MAJOR} server binaries are missing`);
      return;
    }
    const root = makeTempDir('pg-pitr-bench-drill-');
    const archive = path.join(root, 'archive');
    fs.mkdirSync(archive);
    chownTreeToServerUser(archive);
    const cluster = await createCluster(MAJOR);
    try {
      await cluster.start([
        'wal_level=replica',
        'archive_mode=on',
        `archive_command=cp %p ${archive}/%f`,
        'synchronous_commit=off',
        'max_wal_size=4GB',
        'fsync=off',
      ]);
      const t0 = performance.now();
      const { backup, walBytes } = await prepare(cluster, archive, root);
      await cluster.stop();
      ctx.log(
        `prepared in ${((performance.now() - t0) / 1000).toFixed(0)} s: backup ${(Number(spawnSync('du', ['-sb', backup], { encoding: 'utf8' }).stdout.split('\t')[0]) / 1048576).toFixed(0)} MB, ${(walBytes / 1048576).toFixed(0)} MB of WAL to replay`,
      );
      const hand: number[] = [];
      const drill: number[] = [];
      const drillNoChecks: number[] = [];
      let last;
      for (let i = 0; i < RUNS; i++) {
        const h = await handRunRecovery(backup, archive, root);
        hand.push(h.copyMs + h.replayMs + h.removeMs);
        ctx.log(
          `hand-run ${i + 1}: copy ${(h.copyMs / 1000).toFixed(1)} s, start to promotion ${(h.replayMs / 1000).toFixed(1)} s, rm -rf ${(h.removeMs / 1000).toFixed(1)} s`,
        );
        const report = await runDrill({
          backup: { kind: 'folder', path: backup },
          target: { kind: 'latest' },
          wal: { restoreCommand: `cp ${archive}/%f %p`, archive },
          pgBinDir: binDir(MAJOR),
          osUser: process.getuid?.() === 0 ? osUser().name : undefined,
          scratch: path.join(root, `drill-${i}`),
          checkSql: ['SELECT count(*) FROM big'],
        });
        if (!report.ok) throw new Error(`the drill failed: ${JSON.stringify(report.failure)}`);
        last = report;
        const d = report.durations;
        drill.push(d.totalSeconds * 1000);
        drillNoChecks.push((d.totalSeconds - d.checksSeconds) * 1000);
        ctx.log(
          `drill ${i + 1}: restore ${d.restoreSeconds.toFixed(1)} s, replay ${d.replaySeconds.toFixed(1)} s (${report.replayMBps?.toFixed(1)} MB/s), checks ${d.checksSeconds.toFixed(1)} s, total ${d.totalSeconds.toFixed(1)} s`,
        );
      }
      const base = median(hand);
      ctx.log('');
      ctx.log(`| | median of ${RUNS} | ratio |`);
      ctx.log('|---|---|---|');
      ctx.log(
        `| hand-run recovery (cp -a, recovery.signal, start, until promoted, rm -rf) | ${(base / 1000).toFixed(1)} s | 1.00x |`,
      );
      ctx.log(
        `| pg-pitr drill without its checks (validate, restore, configure, replay, stop, clean up) | ${(median(drillNoChecks) / 1000).toFixed(1)} s | ${(median(drillNoChecks) / base).toFixed(2)}x |`,
      );
      ctx.log(
        `| pg-pitr drill, total (with SELECT count(*) of the big table) | ${(median(drill) / 1000).toFixed(1)} s | ${(median(drill) / base).toFixed(2)}x |`,
      );
      ctx.log(
        `replayed ${((last?.walReplayedBytes ?? 0) / 1048576).toFixed(0)} MB at ${last?.replayMBps?.toFixed(1)} ` +
          `MB/s (drill's own figure); goal: at most 1.10x without checks`,
      );
    } finally {
      await cluster.destroy();
      fs.rmSync(root, { recursive: true, force: true });
    }
  },
};
