// `pg-pitr drill --pgbackrest-stanza` on a repository written by the real pgBackRest (Debian's
// pgbackrest package, 2.45: it supports PostgreSQL up to 15): the test's primary archives with
// `pgbackrest archive-push`, pgBackRest creates the stanza and takes a full backup, rows are
// committed after it; the drill restores with `pgbackrest restore` and replays with archive-get.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { main } from '../../../src/cli/main';
import type { DrillReport } from '../../../src/core/drill/types';
import {
  appendAutoConf,
  chownTreeToServerUser,
  commitRow,
  makeDrillDir,
  removeDrillDir,
} from '../../support/pitrDrill';
import { binDir, type Cluster, createCluster, osUser, requireServer, runAsUser } from '../../support/postgresServers';
import { explain, ROWS_SQL, rowsOf } from './drillFixture';

function pgbackrestVersion(): string | null {
  const r = spawnSync('pgbackrest', ['version'], { encoding: 'utf8', timeout: 10_000 });
  return r.status === 0 ? r.stdout.trim() : null;
}

interface Repo {
  root: string;
  config: string;
  cluster: Cluster;
  restorePointLsn: string;
}

async function buildRepo(major: number): Promise<Repo> {
  const root = makeDrillDir(`pg-pitr-drill-pgbackrest-${major}-`);
  const cluster = await createCluster(major, major >= 11 ? { walSegmentSizeMB: 1 } : {});
  const config = path.join(root, 'pgbackrest.conf');
  for (const d of ['repo', 'log', 'lock', 'spool']) fs.mkdirSync(path.join(root, d));
  const write = (port: number | null) =>
    fs.writeFileSync(
      config,
      `[global]\nrepo1-path=${root}/repo\nlog-path=${root}/log\nlock-path=${root}/lock\nspool-path=${root}/spool\nlog-level-console=warn\nlog-level-file=off\nstart-fast=y\nrepo1-retention-full=2\n\n[drill]\npg1-path=${cluster.dataDir}\npg1-socket-path=${(cluster as unknown as { sockDir: string }).sockDir}\npg1-user=postgres\n${port ? `pg1-port=${port}\n` : ''}`,
    );
  write(null);
  appendAutoConf(cluster.dataDir, {
    wal_level: 'replica',
    archive_mode: 'on',
    archive_command: `pgbackrest --config=${config} --stanza=drill archive-push %p`,
    fsync: 'off',
    shared_buffers: '16MB',
  });
  await cluster.start();
  write(cluster.port);
  chownTreeToServerUser(root);
  const pb = async (...args: string[]) => {
    const r = await runAsUser('pgbackrest', [`--config=${config}`, '--stanza=drill', ...args], { timeoutMs: 120_000 });
    if (r.code !== 0) throw new Error(`pgbackrest ${args.join(' ')} exited ${String(r.code)}: ${r.stderr}${r.stdout}`);
  };
  await cluster.query('CREATE TABLE t (i int PRIMARY KEY)');
  await commitRow(cluster, 1);
  await commitRow(cluster, 2);
  await pb('stanza-create');
  await pb('--type=full', 'backup');
  await commitRow(cluster, 3);
  await commitRow(cluster, 4);
  const [{ lsn }] = await cluster.query<{ lsn: string }>("SELECT pg_create_restore_point('drill-rp')::text AS lsn");
  await commitRow(cluster, 5);
  await commitRow(cluster, 6);
  await cluster.query('SELECT pg_switch_wal()');
  await pb('check'); // waits until the switched segment is in the repository
  await cluster.stop();
  return { root, config, cluster, restorePointLsn: lsn };
}

describe('pg-pitr drill from a pgBackRest repository', function () {
  const version = pgbackrestVersion();
  before(function () {
    if (version) return;
    const msg = 'pgbackrest is not installed (Debian: apt-get install pgbackrest)';
    if (process.env.CI === 'true') throw new Error(`${msg}; CI=true: .ci/run installs it`);
    console.warn(`\n!!! SKIPPING the pgBackRest drills: ${msg}\n`);
    this.skip();
  });
  for (const major of [10, 13, 15]) {
    describe(`PostgreSQL ${major}`, function () {
      this.timeout(240_000);
      let repo: Repo;
      before(async function () {
        if (!version || !requireServer(major, this)) return;
        repo = await buildRepo(major);
      });
      after(async () => {
        await repo?.cluster.destroy();
        if (repo) removeDrillDir(repo.root);
      });
      const run = async (args: string[]) => {
        const out: string[] = [];
        const err: string[] = [];
        const code = await main(
          [
            'drill',
            '--pgbackrest-stanza',
            'drill',
            '--pgbackrest-config',
            repo.config,
            '--scratch',
            path.join(repo.root, `scratch-${Date.now()}`),
            '--pg-bin-dir',
            binDir(major),
            '--os-user',
            osUser().name,
            '--record',
            path.join(repo.root, 'drills.jsonl'),
            '--format',
            'json',
            '--check-sql',
            ROWS_SQL,
            ...args,
          ],
          (s) => out.push(s),
          (s) => err.push(s),
        );
        return { code, report: JSON.parse(out.join('\n')) as DrillReport, stderr: err.join('\n') };
      };

      it('latest: restored by pgbackrest restore, replayed with archive-get, rows 1-6', async () => {
        const r = await run([]);
        assert.equal(r.code, 0, explain(r));
        assert.equal(r.report.backup.format, 'pgbackrest');
        assert.match(r.report.backup.label ?? '', /^\d{8}-\d{6}F$/);
        assert.match(r.report.backup.systemIdentifier ?? '', /^\d{15,20}$/);
        assert.equal(rowsOf(r.report), '1,2,3,4,5,6');
        assert.equal(r.report.reached?.stoppedBy, 'end of WAL');
      });

      if (major === 13) {
        it('a restore point: rows 1-4 and the reached LSN is the restore point', async () => {
          const r = await run(['--target-name', 'drill-rp']);
          assert.equal(r.code, 0, explain(r));
          assert.equal(rowsOf(r.report), '1,2,3,4');
          assert.equal(r.report.reached?.lsn, repo.restorePointLsn);
        });
      }
    });
  }
});
