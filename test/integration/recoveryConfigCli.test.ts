// `pg-pitr recovery-config` as a user runs it (through main(), so no build is needed): exit codes,
// the JSON shape, --write with backups; and, on real PostgreSQL 11 (recovery.conf) and 16
// (postgresql.auto.conf + recovery.signal) data directories, that the written files are what the
// server accepts: `postgres -C` passes where it failed before, and a recovery to 'immediate' with
// action promote really runs (the files are read, the copy is promoted and archives nothing).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import { binDir, createCluster, makeTempDir, osUser, requireServer, runAsUser, type Cluster } from '../support/postgresServers';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['recovery-config', ...args], (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('pg-pitr recovery-config (CLI)', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir('pg-pitr-recovery-cli-');
    fs.writeFileSync(path.join(dir, 'PG_VERSION'), '16\n');
    fs.writeFileSync(path.join(dir, 'postgresql.conf'), "port = 5432\nrecovery_target_xid = '999'\n");
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('exit 0 and the documented JSON without --write; nothing is written', async () => {
    const r = await cli(['--pg-version', '16', '--data-dir', dir, '--target-lsn', '0/3000060', '--inclusive', 'false', '--action', 'promote', '--archive-command', 'test ! -f /mnt/wal/%f && cp %p /mnt/wal/%f', '--format', 'json']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.deepEqual(Object.keys(j), ['changes', 'warnings']);
    assert.deepEqual(j.changes.map((c: { path: string; action: string }) => [path.basename(c.path), c.action]), [['postgresql.conf', 'update'], ['postgresql.auto.conf', 'create'], ['recovery.signal', 'create']]);
    for (const c of j.changes) assert.deepEqual(Object.keys(c), ['path', 'action', 'content']);
    const auto = j.changes[1].content as string;
    assert.match(auto, /\nrestore_command = 'cp \/mnt\/wal\/%f %p'\nrecovery_target_lsn = '0\/3000060'\nrecovery_target_inclusive = 'off'\nrecovery_target_action = 'promote'\narchive_mode = 'off'\n# pg-pitr recovery settings end\n$/);
    assert.match(j.changes[0].content, /^port = 5432\n# commented out by pg-pitr \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ: recovery_target_xid = '999'\n$/);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['PG_VERSION', 'postgresql.conf']);
  });

  it('--write applies the plan and keeps the replaced file as a backup beside it', async () => {
    const before = fs.readFileSync(path.join(dir, 'postgresql.conf'), 'utf8');
    const r = await cli(['--data-dir', dir, '--target-immediate', '--restore-command', 'cp /mnt/wal/%f %p', '--write', '--format', 'json']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.deepEqual(Object.keys(j), ['changes', 'warnings', 'written', 'backups']);
    assert.deepEqual(j.written.map((p: string) => path.basename(p)), ['postgresql.conf', 'postgresql.auto.conf', 'recovery.signal']);
    assert.equal(j.backups.length, 1);
    assert.match(path.basename(j.backups[0]), /^postgresql\.conf\.pg-pitr-\d{8}T\d{6}Z\.bak$/);
    assert.equal(path.dirname(j.backups[0]), dir);
    assert.equal(fs.readFileSync(j.backups[0], 'utf8'), before);
    assert.equal(fs.readFileSync(path.join(dir, 'recovery.signal'), 'utf8'), '');
    assert.match(fs.readFileSync(path.join(dir, 'postgresql.auto.conf'), 'utf8'), /\nrecovery_target = 'immediate'\nrecovery_target_action = 'pause'\nrecovery_target_timeline = 'current'\narchive_mode = 'off'\n/);
    // a second run replaces pg-pitr's block and keeps the first version as a backup
    const again = await cli(['--data-dir', dir, '--target-latest', '--restore-command', 'cp /mnt/wal/%f %p', '--write']);
    assert.equal(again.code, 0, again.err);
    const auto = fs.readFileSync(path.join(dir, 'postgresql.auto.conf'), 'utf8');
    assert.equal((auto.match(/pg-pitr recovery settings begin/g) ?? []).length, 1);
    assert.doesNotMatch(auto, /immediate/);
    assert.equal(fs.readdirSync(dir).filter((f) => f.startsWith('postgresql.auto.conf.pg-pitr-')).length, 1);
  });

  it('exit 1 with the reason on stderr (text) and in JSON when refused', async () => {
    const t = await cli(['--data-dir', dir, '--target-time', '2026-03-29 02:30', '--time-zone', 'Europe/Paris', '--restore-command', 'cp /a/%f %p']);
    assert.equal(t.code, 1);
    assert.equal(t.out, '');
    assert.equal(t.err, 'pg-pitr: refused: recovery target time "2026-03-29 02:30" does not exist in Europe/Paris: the clocks skip that hour (daylight-saving change); write the time with an explicit offset');
    const j = await cli(['--data-dir', dir, '--target-xid', '1234', '--restore-command', 'cp /a/%f', '--format', 'json']);
    assert.equal(j.code, 1);
    assert.deepEqual(JSON.parse(j.out), {
      refused: 'restore_command "cp /a/%f" would not work: restore-command-placeholders: restore_command has no %p: the file must be written where PostgreSQL says (a temporary name such as pg_wal/RECOVERYXLOG), not into pg_wal under its own name.',
      changes: [],
      warnings: [],
    });
    const w = await cli(['--data-dir', dir, '--target-latest', '--archive-command', '/usr/local/bin/archive.sh %p', '--write']);
    assert.equal(w.code, 1);
    assert.equal(w.err, 'pg-pitr: refused: no restore_command: pg-pitr cannot derive one from archive_command (archive_command calls a script: pg-pitr does not guess what it does; set the archive location for this server); give the restore command yourself');
    assert.deepEqual(fs.readdirSync(dir).sort(), ['PG_VERSION', 'postgresql.conf']);
  });

  it('exit 2 on usage errors', async () => {
    const cases: [string[], string][] = [
      [['--data-dir', dir, '--restore-command', 'cp /a/%f %p'], 'pg-pitr: one target is required: --target-time | --target-xid | --target-lsn | --target-name | --target-immediate | --target-latest'],
      [['--data-dir', dir, '--target-xid', '5', '--target-latest', '--restore-command', 'x'], 'pg-pitr: only one target may be given (got --target-xid, --target-latest)'],
      [['--data-dir', dir, '--target-latest'], 'pg-pitr: --restore-command CMD or --archive-command CMD is required'],
      [['--data-dir', dir, '--target-xid', '5', '--inclusive', 'yes', '--restore-command', 'x'], 'pg-pitr: --inclusive must be true or false (got "yes")'],
      [['--data-dir', dir, '--target-xid', '5', '--timeline', 'newest', '--restore-command', 'x'], 'pg-pitr: --timeline must be latest, current or a timeline number (got "newest")'],
      [['--pg-version', '9', '--data-dir', dir, '--target-latest', '--restore-command', 'x'], 'pg-pitr: --pg-version must be one of 10, 11, 12, 13, 14, 15, 16, 17, 18 (got "9")'],
      [['--target-latest', '--restore-command', 'x'], "pg-pitr: --data-dir DIR is required (the restored copy's data directory)"],
      [['--data-dir', dir, '--target-latest', '--restore-command', 'x', '--format', 'yaml'], 'pg-pitr: --format must be json or text (got "yaml")'],
    ];
    for (const [args, first] of cases) {
      const r = await cli(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.err.split('\n')[0], first);
    }
  });
});

for (const major of [11, 16]) {
  describe(`pg-pitr recovery-config on a real PostgreSQL ${major} data directory`, function () {
    let cluster: Cluster;
    let archive: string;
    before(async function () {
      requireServer(major, this);
      cluster = await createCluster(major);
      archive = makeTempDir(`pg-pitr-recovery-cli-archive-${major}-`);
    });
    after(async () => {
      await cluster?.destroy();
      if (archive) fs.rmSync(archive, { recursive: true, force: true });
    });

    it('the generated files are accepted by the server and a recovery to immediate promotes the copy', async () => {
      // The data directory itself becomes the "restored copy": the low-level backup API's
      // backup_label makes recovery start at the backup's checkpoint and be consistent at its
      // end, where an 'immediate' target stops; the row inserted after the backup must be absent.
      await cluster.start();
      await cluster.query('CREATE TABLE t AS SELECT 1 AS x');
      await cluster.query(major >= 15 ? "SELECT pg_backup_start('recovery-config test', true)" : "SELECT pg_start_backup('recovery-config test', true, false)");
      await cluster.query('INSERT INTO t VALUES (2)');
      const [b] = await cluster.query<{ labelfile: string }>(major >= 15 ? 'SELECT labelfile FROM pg_backup_stop(false)' : 'SELECT labelfile FROM pg_stop_backup(false, false)');
      await cluster.query('INSERT INTO t VALUES (3)');
      const crash = await runAsUser(path.join(binDir(major), 'pg_ctl'), ['stop', '-D', cluster.dataDir, '-m', 'immediate', '-w', '-t', '30'], { timeoutMs: 40_000 });
      assert.equal(crash.code, 0, crash.stderr);
      await cluster.stop();
      const label = path.join(cluster.dataDir, 'backup_label');
      fs.writeFileSync(label, b.labelfile, { mode: 0o600 });
      fs.chownSync(label, osUser().uid, osUser().gid);

      // earlier settings the server refuses: on 11 recovery settings are unknown in postgresql.conf,
      // on 12+ two different targets are
      fs.appendFileSync(path.join(cluster.dataDir, 'postgresql.conf'), "\n  Recovery_Target_Xid='5'   # old\n");
      fs.appendFileSync(path.join(cluster.dataDir, 'postgresql.auto.conf'), "recovery_target_name = 'before-migration'\n");
      const refused = await cluster.checkConfig();
      assert.notEqual(refused.code, 0);
      assert.match(refused.stderr, major <= 11 ? /unrecognized configuration parameter "Recovery_Target_Xid"/ : /multiple recovery targets specified/);

      const r = await cli(['--pg-version', String(major), '--data-dir', cluster.dataDir, '--target-immediate', '--action', 'promote', '--archive-command', `test ! -f ${archive}/%f && cp %p ${archive}/%f`, '--write', '--format', 'json']);
      assert.equal(r.code, 0, r.err);
      const written = (JSON.parse(r.out).written as string[]).map((p) => path.basename(p));
      assert.deepEqual(written, major <= 11 ? ['postgresql.conf', 'postgresql.auto.conf', 'recovery.conf'] : ['postgresql.conf', 'postgresql.auto.conf', 'recovery.signal']);
      const ok = await cluster.checkConfig();
      assert.equal(ok.code, 0, ok.stderr);
      assert.equal(ok.stderr.trim(), '');

      await cluster.start();
      // pg_ctl -w returns once read-only connections are accepted, which can be before promotion
      for (const end = Date.now() + 30_000; (await cluster.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r'))[0].r; ) {
        if (Date.now() > end) assert.fail('the copy was not promoted within 30 s');
        await new Promise((res) => setTimeout(res, 100));
      }
      const [s] = await cluster.query<{ rec: boolean; wal: string; am: string }>('SELECT pg_is_in_recovery() AS rec, pg_walfile_name(pg_current_wal_lsn()) AS wal, current_setting(\'archive_mode\') AS am');
      assert.deepEqual([s.rec, s.wal.slice(0, 8), s.am], [false, '00000002', 'off']);
      const rows = await cluster.query<{ x: number }>('SELECT x FROM t ORDER BY x');
      assert.deepEqual(rows.map((r) => r.x), [1, 2]);
      // a running postmaster on the data directory: nothing is written
      const filesBefore = fs.readdirSync(cluster.dataDir).sort();
      const running = await cli(['--pg-version', String(major), '--data-dir', cluster.dataDir, '--target-latest', '--restore-command', `cp ${archive}/%f %p`, '--write']);
      assert.equal(running.code, 1);
      assert.match(running.err, new RegExp(`^pg-pitr: refused: a postmaster \\(PID \\d+\\) is running on ${cluster.dataDir}: stop it before changing its recovery configuration$`));
      assert.deepEqual(fs.readdirSync(cluster.dataDir).sort(), filesBefore);
      await cluster.stop();
      const left = fs.readdirSync(cluster.dataDir);
      if (major <= 11) assert.deepEqual([left.includes('recovery.conf'), left.includes('recovery.done')], [false, true]);
      else assert.equal(left.includes('recovery.signal'), false);
      assert.deepEqual(fs.readdirSync(archive), []);
    });
  });
}
