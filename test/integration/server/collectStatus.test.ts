// collectStatus and lintLiveSettings against real servers of every major 10..18: archiving that
// works, archiving that fails, archiving off, a role without pg_monitor, an inactive slot, and a
// real streaming standby (promoted at the end) on some majors. One cluster per major, reused.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { getCatalog } from '../../../src/core/catalog/catalogs';
import { memoryFileSystem } from '../../../src/core/conf/fileSystem';
import { lintConfiguration } from '../../../src/core/lint/lintEngine';
import { collectStatus } from '../../../src/core/server/collectStatus';
import { FILE_ONLY_RULES, lintLiveSettings } from '../../../src/core/server/liveSettingsConf';
import { openConnection } from '../../../src/core/server/openConnection';
import { resolveConnection } from '../../../src/core/server/resolveConnection';
import type { ServerConnection, ServerStatus } from '../../../src/core/server/types';
import { parseLsn } from '../../../src/core/wal/lsn';
import { formatSegmentName, segmentOfLsn } from '../../../src/core/wal/segmentNames';
import { setArchiveCommand, switchWal } from '../../support/archivingWorkload';
import {
  binDir,
  type Cluster,
  createCluster,
  MAJORS,
  makeTempDir,
  osUser,
  requireServer,
  runAsUser,
} from '../../support/postgresServers';
import { waitFor } from '../../support/waitFor';

const STANDBY_MAJORS = new Set([10, 12, 18]);
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/;
const LSN = /^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/;

/** Through the product's own connection path: resolved profile, read-only session, timeouts. */
async function collect(port: number, user = 'postgres'): Promise<ServerStatus> {
  const profile = {
    name: `pg on ${port}`,
    host: '127.0.0.1',
    port,
    user,
    database: 'postgres',
    sslmode: 'disable' as const,
  };
  const resolved = resolveConnection(profile, {
    env: {},
    homeDir: '/nonexistent-home',
    sysconfDir: '/nonexistent-sysconf',
  });
  const conn: ServerConnection = await openConnection(resolved, { connectTimeoutMs: 5000, statementTimeoutMs: 5000 });
  try {
    return await collectStatus(conn);
  } finally {
    await conn.close();
  }
}

/** The ids the file linter gives for a postgresql.conf with exactly these settings (file-only ids left out). */
function fileLintIds(major: number, dataDir: string, settings: Record<string, string>): string[] {
  const text = Object.entries(settings)
    .map(([k, v]) => `${k} = '${v.replace(/'/g, "''")}'`)
    .join('\n');
  const findings = lintConfiguration({
    configFile: `${dataDir}/postgresql.conf`,
    dataDir,
    catalog: getCatalog(major),
    fs: memoryFileSystem({ [`${dataDir}/postgresql.conf`]: text + '\n' }),
  });
  return findings
    .map((f) => f.rule)
    .filter((id) => !FILE_ONLY_RULES.has(id))
    .sort();
}

const ids = (s: ServerStatus) =>
  lintLiveSettings(s)
    .map((f) => f.id)
    .sort();

for (const major of MAJORS) {
  describe(`collectStatus on PostgreSQL ${major}`, function () {
    this.timeout(60000);
    let c: Cluster;
    let archive: string;
    const conf = ['wal_level=replica', 'archive_mode=on', 'max_wal_senders=5'];

    before(async function () {
      if (!requireServer(major, this)) return;
      archive = makeTempDir('pg-pitr-status-archive-');
      c = await createCluster(major);
      await c.start(conf);
      await c.query('CREATE TABLE t (i int)');
      await c.query("SELECT pg_create_physical_replication_slot('held', true)");
      await setArchiveCommand(c, `cp %p ${archive}/%f`);
    });
    after(async () => {
      await c?.destroy();
      if (archive) fs.rmSync(archive, { recursive: true, force: true });
    });

    it('archiving works: counts, last archived WAL, WAL position, an inactive slot holding WAL', async () => {
      const seg = await switchWal(c, 1, { wait: false, table: 't' });
      await waitFor(
        'archiving',
        async () => (await c.query('SELECT 1 FROM pg_stat_archiver WHERE last_archived_wal >= $1', [seg])).length > 0,
      );
      await c.query('INSERT INTO t SELECT generate_series(1, 1000)');
      const s = await collect(c.port!);
      assert.equal(s.version.major, major);
      assert.equal(Math.floor(s.version.num / 10000), major);
      assert.match(s.version.text, new RegExp(`^${major}\\.\\d+`));
      assert.equal(s.inRecovery, false);
      assert.match(s.collectedAt, ISO);
      assert.ok(s.archiver.archivedCount >= 1);
      assert.match(s.archiver.lastArchivedWal ?? '', /^[0-9A-F]{24}$/);
      assert.ok(s.archiver.lastArchivedWal! >= seg);
      assert.match(s.archiver.lastArchivedTime ?? '', ISO);
      assert.equal(s.archiver.failedCount, 0);
      assert.equal(s.archiver.lastFailedWal, null);
      assert.equal(s.archiver.lastFailedTime, null);
      assert.equal(s.settings.archive_mode.setting, 'on');
      assert.equal(s.settings.archive_command.setting, `cp %p ${archive}/%f`);
      assert.equal(s.settings.archive_command.source, 'configuration file');
      assert.match(s.settings.archive_command.sourcefile ?? '', /postgresql\.auto\.conf$/);
      assert.equal(s.settings.wal_level.setting, 'replica');
      assert.equal(s.settings.wal_level.source, 'command line');
      assert.equal(s.settings.wal_segment_size.unit, major === 10 ? '8kB' : 'B');
      assert.equal(s.dataDirectory, c.dataDir);
      // WAL position: on the timeline 1, in the segment after the one switched away from
      assert.match(s.wal.currentLsn ?? '', LSN);
      assert.equal(s.wal.timeline, 1);
      assert.equal(s.wal.segmentSize, 16 * 1024 * 1024);
      assert.equal(
        s.wal.currentWal,
        formatSegmentName(1, segmentOfLsn(parseLsn(s.wal.currentLsn!)!, s.wal.segmentSize), s.wal.segmentSize),
      );
      assert.ok(s.wal.currentWal! > seg);
      assert.equal(s.wal.receiveLsn, null);
      assert.equal(s.wal.replayLsn, null);
      // backlog: 12+ superuser reads it; the archiver has caught up
      if (major >= 12) {
        assert.equal(s.backlog, 0);
        assert.equal(s.oldestReady, null);
      } else {
        assert.equal(s.backlog, null);
        assert.ok(
          s.limitations.some((l) => l.startsWith('backlog unknown:') && l.includes('cannot be counted through SQL')),
          s.limitations.join('\n'),
        );
      }
      assert.deepEqual(s.baseBackups, major >= 13 ? [] : null);
      assert.equal(s.slots.length, 1);
      const slot = s.slots[0];
      assert.deepEqual(
        [slot.name, slot.type, slot.active, slot.walStatus],
        ['held', 'physical', false, major >= 13 ? 'reserved' : null],
      );
      assert.match(slot.restartLsn ?? '', LSN);
      // retained bytes are measured after the WAL position was read: at least the distance seen then
      assert.ok(
        slot.retainedBytes !== null &&
          slot.retainedBytes >= Number(parseLsn(s.wal.currentLsn!)! - parseLsn(slot.restartLsn!)!),
        `retained ${slot.retainedBytes}`,
      );
      assert.ok(slot.retainedBytes > 1024 * 1024, `retained ${slot.retainedBytes}`);
      const expectedLimitations = [...(major < 12 ? ['backlog'] : []), ...(major < 13 ? ['base backups'] : [])];
      assert.deepEqual(
        s.limitations.map((l) => l.split(' unknown:')[0].replace(' in progress', '')),
        expectedLimitations,
      );
    });

    it('a role without pg_monitor: collection succeeds, hidden fields are null and listed', async () => {
      await c.query('DROP ROLE IF EXISTS watcher');
      await c.query('CREATE ROLE watcher LOGIN');
      const s = await collect(c.port!, 'watcher');
      assert.equal(s.version.major, major);
      assert.equal(s.dataDirectory, null);
      assert.equal(s.settings.data_directory, undefined);
      assert.equal(s.settings.archive_command.setting, `cp %p ${archive}/%f`);
      assert.equal(s.settings.archive_command.sourcefile, null);
      assert.equal(s.backlog, null);
      assert.equal(s.oldestReady, null);
      assert.ok(s.archiver.archivedCount >= 1);
      assert.equal(s.wal.timeline, 1);
      assert.equal(s.slots.length, 1);
      const hidden =
        major >= 12
          ? 'data_directory, primary_conninfo unknown: these settings are'
          : 'data_directory unknown: this setting is';
      assert.deepEqual(s.limitations, [
        `${hidden} visible only to superusers and members of pg_read_all_settings`,
        'which file sets each setting is unknown: sourcefile and sourceline are visible only to superusers and members of pg_read_all_settings',
        major >= 12
          ? 'backlog unknown: pg_ls_archive_statusdir() needs the pg_monitor role or superuser'
          : `backlog unknown: PostgreSQL ${major} has no pg_ls_archive_statusdir() (added in 12), so ` +
            `the .ready files in pg_wal/archive_status cannot be counted through SQL`,
        ...(major < 13
          ? [
              `base backups in progress unknown: pg_stat_progress_basebackup exists from PostgreSQL 13 (this is ${major})`,
            ]
          : []),
      ]);
      // the same lint findings as for the superuser: hidden is not taken for empty
      assert.deepEqual(ids(s), ids(await collect(c.port!)));
      // with pg_monitor the backlog becomes visible (12+), settings stay hidden without pg_read_all_settings
      if (major >= 12) {
        await c.query('GRANT pg_monitor TO watcher');
        const m = await collect(c.port!, 'watcher');
        assert.equal(m.backlog, 0);
        assert.equal(m.dataDirectory, c.dataDir, 'pg_monitor includes pg_read_all_settings');
      }
    });

    if (STANDBY_MAJORS.has(major)) {
      it('a streaming standby: in recovery, received and replayed positions, timeline, current WAL; promoted: timeline 2', async function () {
        this.timeout(90000);
        const standby = await createCluster(major);
        try {
          await cloneInto(c, standby);
          const primaryConninfo = `host=127.0.0.1 port=${c.port} user=postgres application_name=st password=not-a-real-secret`;
          if (major >= 12) {
            fs.writeFileSync(path.join(standby.dataDir, 'standby.signal'), '');
            chown(path.join(standby.dataDir, 'standby.signal'));
            await standby.start([...conf, `primary_conninfo=${primaryConninfo}`]);
          } else {
            fs.writeFileSync(
              path.join(standby.dataDir, 'recovery.conf'),
              `standby_mode = on\nprimary_conninfo = '${primaryConninfo}'\n`,
            );
            chown(path.join(standby.dataDir, 'recovery.conf'));
            await standby.start(conf);
          }
          await c.query('DROP ROLE IF EXISTS plain_reader');
          await c.query('CREATE ROLE plain_reader LOGIN');
          await switchWal(c, 1, { wait: false, table: 't' });
          await c.query('INSERT INTO t VALUES (1)');
          const [{ lsn }] = await c.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
          await waitFor(
            'the standby to replay',
            async () =>
              (await standby.query<{ ok: boolean }>('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok', [lsn]))[0]
                ?.ok,
          );
          const s = await collect(standby.port!);
          assert.equal(s.inRecovery, true);
          assert.match(s.wal.receiveLsn ?? '', LSN);
          assert.match(s.wal.replayLsn ?? '', LSN);
          assert.ok(parseLsn(s.wal.replayLsn!)! >= parseLsn(lsn)!);
          assert.equal(s.wal.currentLsn, s.wal.replayLsn);
          assert.equal(s.wal.timeline, 1);
          assert.equal(
            s.wal.currentWal,
            formatSegmentName(1, segmentOfLsn(parseLsn(s.wal.replayLsn!)!, s.wal.segmentSize), s.wal.segmentSize),
          );
          assert.equal(
            s.wal.currentWal,
            formatSegmentName(1, segmentOfLsn(parseLsn(lsn)!, s.wal.segmentSize), s.wal.segmentSize),
          );
          assert.deepEqual(
            s.limitations.filter((l) => l.startsWith('timeline')),
            [],
          );
          if (major >= 12) {
            assert.equal(
              s.settings.primary_conninfo.setting,
              `host=127.0.0.1 port=${c.port} user=postgres application_name=st password='********'`,
            );
            assert.ok(!JSON.stringify(s).includes('not-a-real-secret'));
            // a standby with archive_mode = on: the rule about archiving on a standby applies live too
            assert.ok(ids(s).includes('archive-mode-on-standby'), ids(s).join(' '));
          }
          // a role without pg_read_all_stats does not see the WAL receiver's timeline: the restartpoint's is used, and said
          const plain = await collect(standby.port!, 'plain_reader');
          assert.equal(plain.inRecovery, true);
          assert.equal(plain.wal.timeline, 1);
          assert.equal(plain.wal.currentWal, s.wal.currentWal);
          assert.deepEqual(
            plain.limitations.filter((l) => l.startsWith('timeline')),
            [
              'timeline taken from the last restartpoint (pg_control_checkpoint()): no WAL receiver details (not streaming, or pg_read_all_stats is needed)',
            ],
          );
          // the primary sees the walsender's slot-less connection; the slot stays inactive
          const p = await collect(c.port!);
          assert.equal(p.slots.find((x) => x.name === 'held')?.active, false);

          const pr = await runAsUser(
            path.join(binDir(major), 'pg_ctl'),
            ['promote', '-w', '-t', '30', '-D', standby.dataDir],
            { timeoutMs: 40000 },
          );
          assert.equal(pr.code, 0, pr.stderr);
          // the timeline comes from pg_walfile_name(pg_current_wal_lsn()): right at once. (At this
          // moment pg_control_checkpoint().timeline_id still said 1 on 10, 12 and 18.)
          const promoted = await collect(standby.port!);
          assert.equal(promoted.inRecovery, false);
          assert.equal(promoted.wal.timeline, 2);
          assert.match(promoted.wal.currentWal ?? '', /^00000002[0-9A-F]{16}$/);
        } finally {
          await standby.destroy();
        }
      });
    }

    it('archiving fails (archive_command = false): failures counted, failing segment named, backlog', async () => {
      await setArchiveCommand(c, 'false');
      const seg = await switchWal(c, 1, { wait: false, table: 't' });
      await waitFor(
        'a failure',
        async () => (await c.query('SELECT 1 FROM pg_stat_archiver WHERE last_failed_wal = $1', [seg])).length > 0,
      );
      const s = await collect(c.port!);
      assert.ok(s.archiver.failedCount >= 1);
      assert.equal(s.archiver.lastFailedWal, seg);
      assert.match(s.archiver.lastFailedTime ?? '', ISO);
      assert.ok(s.archiver.lastArchivedWal! < seg);
      if (major >= 12) {
        assert.ok(s.backlog !== null && s.backlog >= 1, `backlog ${s.backlog}`);
        assert.equal(s.oldestReady, seg);
      } else assert.equal(s.backlog, null);
      // 'false' can never succeed: the always-fails rule says so (archive_timeout is moot then)
      assert.deepEqual(ids(s), ['archive-command-always-fails']);
      assert.deepEqual(
        ids(s),
        fileLintIds(major, c.dataDir, {
          wal_level: 'replica',
          archive_mode: 'on',
          max_wal_senders: '5',
          archive_command: 'false',
        }),
      );
    });

    it("live lint: archive_command empty, and one that always succeeds, give the file linter's rule ids", async () => {
      await setArchiveCommand(c, '');
      const empty = await collect(c.port!);
      const expectedEmpty = ['archive-not-configured', 'archive-timeout-disabled'];
      assert.deepEqual(ids(empty), expectedEmpty);
      assert.deepEqual(
        ids(empty),
        fileLintIds(major, c.dataDir, {
          wal_level: 'replica',
          archive_mode: 'on',
          max_wal_senders: '5',
          archive_command: '',
        }),
      );

      await setArchiveCommand(c, 'cp %p /x/%f || true');
      const always = await collect(c.port!);
      const file = fileLintIds(major, c.dataDir, {
        wal_level: 'replica',
        archive_mode: 'on',
        max_wal_senders: '5',
        archive_command: 'cp %p /x/%f || true',
      });
      assert.deepEqual(ids(always), [
        'archive-command-always-succeeds',
        'archive-command-no-overwrite-guard',
        'archive-command-not-durable',
        'archive-timeout-disabled',
      ]);
      assert.deepEqual(ids(always), file);
    });

    if (major >= 15) {
      it('archive_library = basic_archive: its directory (a placeholder pg_settings does not list) is read, so the rule stays quiet', async () => {
        const dir = makeTempDir('pg-pitr-basic-archive-');
        try {
          // ALTER SYSTEM accepts an unknown custom name from 17 on; before, the module must be loaded in the session
          if (major < 17) await c.query("LOAD 'basic_archive'");
          await c.query("ALTER SYSTEM SET archive_command = ''");
          await c.query("ALTER SYSTEM SET archive_library = 'basic_archive'");
          await c.query(`ALTER SYSTEM SET basic_archive.archive_directory = '${dir}'`);
          await c.query('SELECT pg_reload_conf()');
          await waitFor(
            'the reload',
            async () =>
              (await c.query<{ archive_library: string }>('SHOW archive_library'))[0].archive_library ===
              'basic_archive',
          );
          const s = await collect(c.port!);
          assert.deepEqual(s.settings['basic_archive.archive_directory'], {
            name: 'basic_archive.archive_directory',
            setting: dir,
            unit: null,
            source: 'placeholder',
            sourcefile: null,
            sourceline: null,
          });
          assert.equal(s.settings.archive_library.setting, 'basic_archive');
          const live = ids(s);
          assert.ok(!live.includes('archive-library-unconfigured'), live.join(' '));
          assert.deepEqual(
            live,
            fileLintIds(major, c.dataDir, {
              wal_level: 'replica',
              archive_mode: 'on',
              max_wal_senders: '5',
              archive_command: '',
              archive_library: 'basic_archive',
              'basic_archive.archive_directory': dir,
            }),
          );
        } finally {
          await c.query('ALTER SYSTEM RESET archive_library');
          await c.query('ALTER SYSTEM RESET basic_archive.archive_directory');
          await c.query("ALTER SYSTEM SET archive_command = 'cp %p /x/%f || true'");
          await c.query('SELECT pg_reload_conf()');
          fs.rmSync(dir, { recursive: true, force: true });
        }
      });
    }

    it('archiving off with wal_level = minimal: the settings show it, the rules say so', async () => {
      await c.query("SELECT pg_drop_replication_slot('held')");
      await c.stop();
      await c.start(['wal_level=minimal', 'archive_mode=off', 'max_wal_senders=0']);
      const s = await collect(c.port!);
      assert.equal(s.settings.archive_mode.setting, 'off');
      assert.equal(s.settings.archive_mode.source, 'command line');
      assert.equal(s.settings.wal_level.setting, 'minimal');
      assert.equal(s.settings.max_wal_senders.setting, '0');
      // pg_settings.setting says "(disabled)" here; the command comes from reset_val
      assert.equal(s.settings.archive_command.setting, 'cp %p /x/%f || true');
      assert.equal(s.archiver.failedCount >= 1, true, 'the counters survive a restart');
      const file = fileLintIds(major, c.dataDir, {
        wal_level: 'minimal',
        archive_mode: 'off',
        max_wal_senders: '0',
        archive_command: 'cp %p /x/%f || true',
      });
      assert.deepEqual(ids(s), [
        'archive-command-always-succeeds',
        'archive-command-no-overwrite-guard',
        'archive-command-not-durable',
        'archive-mode-off',
        'wal-level-minimal',
      ]);
      assert.deepEqual(ids(s), file);
    });
  });
}

function chown(p: string): void {
  const u = osUser();
  if (process.getuid?.() === 0) fs.chownSync(p, u.uid, u.gid);
}

/** A base backup of `primary` into `standby`'s data directory: the low-level API plus a file copy. */
async function cloneInto(primary: Cluster, standby: Cluster): Promise<void> {
  const major = primary.major;
  await primary.query(
    major >= 15 ? "SELECT pg_backup_start('status test', true)" : "SELECT pg_start_backup('status test', true, false)",
  );
  let label: string;
  try {
    fs.rmSync(standby.dataDir, { recursive: true, force: true });
    // cp -a keeps the owner (the server user) when run as root
    const r = await runAsUser('cp', ['-a', primary.dataDir, standby.dataDir], { timeoutMs: 60000 });
    assert.equal(r.code, 0, r.stderr);
  } finally {
    const [row] = await primary.query<{ labelfile: string }>(
      major >= 15 ? 'SELECT labelfile FROM pg_backup_stop(true)' : 'SELECT labelfile FROM pg_stop_backup(false, true)',
    );
    label = row.labelfile;
  }
  for (const f of ['postmaster.pid', 'postmaster.opts', 'backup_label', 'recovery.conf', 'standby.signal'])
    fs.rmSync(path.join(standby.dataDir, f), { force: true });
  // the copy must not inherit the primary's slots (the documented exclusions of a base backup)
  for (const f of fs.readdirSync(path.join(standby.dataDir, 'pg_replslot')))
    fs.rmSync(path.join(standby.dataDir, 'pg_replslot', f), { recursive: true });
  const walDir = path.join(standby.dataDir, 'pg_wal');
  for (const f of fs.readdirSync(walDir)) if (/^[0-9A-F]{24}$/.test(f)) fs.rmSync(path.join(walDir, f));
  for (const f of fs.readdirSync(path.join(walDir, 'archive_status')))
    fs.rmSync(path.join(walDir, 'archive_status', f));
  fs.writeFileSync(path.join(standby.dataDir, 'backup_label'), label);
  chown(path.join(standby.dataDir, 'backup_label'));
}

// The segment size comes from pg_settings (11+: bytes; 10 is fixed at 16 MB), and the current
// file is named with it: the same name the server gives away from a segment boundary.
for (const major of [11, 18]) {
  describe(`collectStatus on PostgreSQL ${major} with 1 MB segments`, function () {
    this.timeout(60000);
    let c: Cluster;
    before(async function () {
      if (!requireServer(major, this)) return;
      c = await createCluster(major, { walSegmentSizeMB: 1 });
      await c.start();
    });
    after(async () => {
      await c?.destroy();
    });

    it('segment size and current WAL file', async () => {
      await c.query('CREATE TABLE t AS SELECT generate_series(1, 50000) AS i');
      const s = await collect(c.port!);
      assert.equal(s.wal.segmentSize, 1024 * 1024);
      assert.equal(s.settings.wal_segment_size.setting, String(1024 * 1024));
      const [{ file }] = await c.query<{ file: string }>('SELECT pg_walfile_name($1::pg_lsn) AS file', [
        s.wal.currentLsn,
      ]);
      assert.equal(s.wal.currentWal, file);
      assert.notEqual(file.slice(-8), '00000000', 'several segments in');
    });
  });
}
