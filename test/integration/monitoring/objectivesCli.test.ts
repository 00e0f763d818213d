// `pg-pitr check` with recoverability objectives on real PostgreSQL 13 and 18 and a real archive:
// a lost gap after the older of two base backups (the window starts at the newer one, only one
// backup intact), then both backups backdated in their history files (too old). Each violation is
// named in text, JSON, Nagios and OpenMetrics, with the measured value and the objective.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { lowLevelBackupMarks, setArchiveCommand, switchWal } from '../../support/archivingWorkload';
import { type Cluster, createCluster, makeTempDir, requireServer } from '../../support/postgresServers';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');

function run(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, 'check', ...args], {
      env: { PATH: process.env.PATH, HOME: '/nonexistent-home' },
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (b) => (out += b));
    p.stderr.on('data', (b) => (err += b));
    p.on('close', (code) => resolve({ code, out, err }));
  });
}

/** The archived backup history files, oldest first. */
function historyFiles(archive: string): string[] {
  return fs
    .readdirSync(archive)
    .filter((n) => n.endsWith('.backup'))
    .sort();
}

function stopSegment(archive: string, file: string): string {
  return /^STOP WAL LOCATION: \S+ \(file ([0-9A-F]{24})\)$/m.exec(
    fs.readFileSync(path.join(archive, file), 'utf8'),
  )![1];
}

const next = (seg: string) =>
  seg.slice(0, 16) + (parseInt(seg.slice(16), 16) + 1).toString(16).toUpperCase().padStart(8, '0');

for (const major of [13, 18]) {
  describe(`pg-pitr check with objectives on PostgreSQL ${major}`, function () {
    this.timeout(120000);
    let c: Cluster;
    let archive: string;
    let conninfo: string;
    let lost: string;
    const flags = ['--min-window', '1h', '--max-backup-age', '26h', '--min-backups', '2', '--max-rpo', '16MB'];

    before(async function () {
      if (!requireServer(major, this)) return;
      archive = makeTempDir('pg-pitr-objectives-archive-');
      c = await createCluster(major);
      await c.start(['wal_level=replica', 'archive_mode=on']);
      await setArchiveCommand(c, `cp %p ${archive}/%f`);
      conninfo = `host=127.0.0.1 port=${c.port} user=postgres dbname=postgres`;
      await switchWal(c, 1);
      await lowLevelBackupMarks(c, 'older');
      await switchWal(c, 3);
      // a segment after the older backup is lost; the newer backup and 10 more segments follow, so the
      // gap is far behind the server's position (not "in flight")
      lost = next(stopSegment(archive, historyFiles(archive)[0]));
      fs.rmSync(path.join(archive, lost));
      await lowLevelBackupMarks(c, 'newer');
      await switchWal(c, 10);
    });
    after(async () => {
      await c?.destroy();
      if (archive) fs.rmSync(archive, { recursive: true, force: true });
    });

    it('a lost gap after the older backup: window-too-short and too-few-backups in JSON (exit 1), the rest met', async () => {
      const r = await run([conninfo, '--name', 'db', '--format', 'json', ...flags]);
      assert.equal(r.code, 1, r.out + r.err);
      const j = JSON.parse(r.out);
      assert.equal(j.health, 'warning');
      const newerStop = j.archive.backups[1].stopTime;
      const o = Object.fromEntries(
        j.objectives.map((x: { id: string; status: string; measured: number }) => [x.id, [x.status, x.measured]]),
      );
      assert.equal(o.minWindow[0], 'violated');
      assert.ok(o.minWindow[1] >= 0 && o.minWindow[1] < 300, `window ${o.minWindow[1]} s: from the newer backup`);
      assert.deepEqual(o.minBackups, ['violated', 1]);
      assert.equal(o.maxBackupAge[0], 'met');
      assert.deepEqual(o.maxRpo, ['met', 0]);
      const reasons = j.reasons.filter((x: { severity: string }) => x.severity !== 'info');
      assert.deepEqual(
        reasons.map((x: { id: string; severity: string; message: string }) => [
          x.id,
          x.severity,
          x.message.replace(/window is \d+(\.\d)? (s|min)/, 'window is N'),
        ]),
        [
          [
            'window-too-short',
            'warning',
            `the recoverable window is N (from ${newerStop}), shorter than the objective 1h (minWindow)`,
          ],
          [
            'too-few-backups',
            'warning',
            '1 base backup with an unbroken WAL path to the newest archived segment, fewer than the objective 2 (minBackups)',
          ],
        ],
      );
      assert.ok(
        j.archive.timelines[0].gaps.some((g: { from: string; class: string }) => g.from === lost && g.class === 'lost'),
      );
      assert.deepEqual(j.rpo, { seconds: 0, bytes: 0, worstCaseSeconds: 0, idle: false, applicable: true, note: null });
    });

    it('the backups backdated (the newer by two days): backup-too-old too; failing objectives are CRITICAL in Nagios (exit 2)', async () => {
      // both backups backdated (the older by three days, the newer by two), keeping their order
      const backdate = (file: string, days: number) => {
        const when = new Date(Date.now() - days * 86400_000)
          .toISOString()
          .replace('T', ' ')
          .replace(/\.\d+Z$/, ' UTC');
        const p = path.join(archive, file);
        fs.writeFileSync(p, fs.readFileSync(p, 'utf8').replace(/^STOP TIME: .*$/m, `STOP TIME: ${when}`));
      };
      backdate(historyFiles(archive)[0], 3);
      backdate(historyFiles(archive)[1], 2);
      const args = [
        conninfo,
        '--name',
        'db',
        '--min-window',
        '7d',
        '--max-backup-age',
        '26h',
        '--min-backups',
        '2',
        '--objective-severity',
        'failing',
      ];
      const nagios = await run([...args, '--format', 'nagios']);
      assert.equal(nagios.code, 2, nagios.out + nagios.err);
      const lines = nagios.out.trim().split('\n');
      assert.match(
        lines[0],
        /^PGPITR CRITICAL - db: the recoverable window is 2 d \(from \S+\), shorter than the objective 7d \(minWindow\) \| archived=\d+c failed=0c backlog=0 rpo=\d+s rpo_bytes=\d+B window=17280\ds;;604800: backup_age=17280\ds;;93600 backups=1;;2:$/,
      );
      assert.match(
        lines[1],
        /^failing: the recoverable window is 2 d \(from \S+\), shorter than the objective 7d \(minWindow\)$/,
      );
      assert.match(
        lines[2],
        /^failing: the newest usable base backup ended 2 d ago \(\S+\), older than the objective 26h \(maxBackupAge\)$/,
      );
      assert.equal(
        lines[3],
        'failing: 1 base backup with an unbroken WAL path to the newest archived segment, fewer than the objective 2 (minBackups)',
      );

      const text = await run([...args, '--format', 'text']);
      assert.equal(text.code, 2);
      assert.match(text.out, /^db \(postgres@127\.0\.0\.1:\d+\/postgres\): FAILING$/m);
      // a few bytes of PostgreSQL's housekeeping records may follow the last switch
      assert.match(
        text.out,
        /^ {2}RPO \d+ s \(\d+ B not archived\), worst case (0 s|unbounded \(archive_timeout = 0\))$/m,
      );
      assert.match(text.out, /^ {2}objective minWindow 7d \(failing\): violated, measured 2 d$/m);
      assert.match(text.out, /^ {2}objective maxBackupAge 26h \(failing\): violated, measured 2 d$/m);
      assert.match(text.out, /^ {2}objective minBackups 2 \(failing\): violated, measured 1$/m);
      assert.match(text.out, /^ {2}FAILING backup-too-old: the newest usable base backup ended 2 d ago/m);

      const om = await run([...args, '--format', 'openmetrics']);
      assert.equal(om.code, 2);
      for (const line of [
        'pgpitr_health{server="db",pgpitr_health="failing"} 1',
        'pgpitr_reason{server="db",reason="window-too-short",severity="failing"} 1',
        'pgpitr_reason{server="db",reason="backup-too-old",severity="failing"} 1',
        'pgpitr_reason{server="db",reason="too-few-backups",severity="failing"} 1',
        'pgpitr_objective_met{server="db",objective="min-window",severity="failing"} 0',
        'pgpitr_objective_met{server="db",objective="max-backup-age",severity="failing"} 0',
        'pgpitr_objective_met{server="db",objective="min-backups",severity="failing"} 0',
        'pgpitr_base_backups_intact{server="db"} 1',
        `pgpitr_archive_lost_segments{server="db",timeline="1"} 1`,
      ])
        assert.ok(om.out.split('\n').includes(line), `${line}\n${om.out}`);
      assert.ok(om.out.endsWith('\n# EOF\n'), 'the text ends with # EOF');
    });

    it('a bad objective is a usage error (exit 3), saying which flag and why', async () => {
      const r = await run([conninfo, '--max-rpo', '5m']);
      assert.equal(r.code, 3);
      assert.equal(
        r.err.split('\n')[0],
        'pg-pitr: --max-rpo: "5m": "m" is ambiguous: write min for minutes or MB for megabytes',
      );
    });
  });
}
