// Proof that pg-pitr's recovery configuration recovers to the right point, on real servers 10-18.
//
// Per major one primary archives (pg-pitr's idempotent archive_command) into a folder; a base
// backup is taken with the real pg_basebackup where a local client can back up that major (the
// command line from pg-pitr's buildBaseBackupCommand, the result checked once by pg_verifybackup
// on 13+), else with the low-level API and a file copy; a workload commits rows one at a time
// and records a restore point, a transaction id, two times and an LSN between the commits, then
// drops the table. Every drill restores the backup into a fresh folder, writes the recovery
// configuration with planRecovery + applyRecoveryPlan, starts the server, waits for the promotion
// and compares the table's rows with exactly the rows committed up to the target. Each drill also
// checks that the recovered copy wrote nothing into the archive.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { idempotentArchiveCommand } from '../../../src/core/lint/shellSettings';
import {
  archiveSnapshot,
  type BaseBackup,
  commitRow,
  copyTree,
  DataDirServer,
  type DrillPrimary,
  type DrillTargets,
  formatRows,
  range,
  readRows,
  removeDrillDir,
  RESTORE_POINT,
  restoreBaseBackup,
  runDrillWorkload,
  snapshotDiff,
  startArchivingPrimary,
  switchWalAndWait,
  takeBaseBackup,
} from '../../support/pitrDrill';
import { MAJORS, requireServer } from '../../support/postgresServers';
import { type DrillRecovery, writeRecoveryConfig } from './writeRecoveryConfig';

interface MatrixCell {
  expected: string;
  got: string;
  ms: number;
}
const matrix = new Map<number, Map<string, MatrixCell>>();
const columns: string[] = [];
/** per major: how the base backup was taken and what verified it */
const backups = new Map<number, { method: string; verified: string }>();
function record(major: number, column: string, cell: MatrixCell): void {
  if (!columns.includes(column)) columns.push(column);
  if (!matrix.has(major)) matrix.set(major, new Map());
  matrix.get(major)!.set(column, cell);
}

function printMatrix(): void {
  if (matrix.size === 0) return;
  const majors = [...matrix.keys()];
  // Expectations that differ by major are listed with their majors.
  const want = (c: string) => {
    const by = new Map<string, number[]>();
    for (const m of majors) {
      const e = matrix.get(m)!.get(c)?.expected;
      if (e !== undefined) by.set(e, [...(by.get(e) ?? []), m]);
    }
    if (by.size <= 1) return [...by.keys()][0] ?? '-';
    return [...by.entries()]
      .map(([e, ms]) => `${e} (${ms[0]}${ms.length > 1 ? `-${ms[ms.length - 1]}` : ''})`)
      .join(', ');
  };
  const header = ['drill', 'want', ...majors.map(String)];
  const rows = [
    ['backup', '', ...majors.map((m) => backups.get(m)?.method ?? '-')],
    ['pg_verifybackup', '', ...majors.map((m) => backups.get(m)?.verified ?? '-')],
  ].concat(
    columns.map((c) => [
      c,
      want(c),
      ...majors.map((m) => {
        const cell = matrix.get(m)!.get(c);
        if (!cell) return '-';
        return cell.expected === cell.got ? `${cell.got} ✓` : `${cell.got} ✗`;
      }),
    ]),
  );
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => [...r[i]].length)));
  const line = (r: string[]) => `| ${r.map((v, i) => v + ' '.repeat(widths[i] - [...v].length)).join(' | ')} |`;
  const out = [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)];
  const total = [...matrix.values()].flatMap((m) => [...m.values()]);
  process.stdout.write(
    `\nPITR drill matrix: rows of table t after each recovery (✓ = exactly the rows committed up to the target; ✗ = anything else)\n${out.join('\n')}\n` +
      `${total.length} recoveries, ${total.filter((c) => c.expected === c.got).length} exact, median ${median(total.map((c) => c.ms))} ` +
      `ms per recovery (restore, configure, start, promote)\n` +
      ([...backups.values()].some((b) => b.verified.startsWith('-n'))
        ? 'pg_verifybackup -n: --no-parse-wal, the files checked against the manifest but not the WAL (pg_waldump reads only the WAL of its own major)\n'
        : '') +
      '\n',
  );
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

interface Drill {
  column: string;
  recovery: (t: DrillTargets) => Omit<DrillRecovery, 'major' | 'dataDir' | 'restoreCommand'>;
  expected: number[] | null;
  /** restore_command derived by pg-pitr from the primary's archive_command instead of given */
  derived?: true;
}

/** Rows 1-2 are committed before the base backup; see runDrillWorkload for the rest. */
const DRILLS: Drill[] = [
  { column: 'immediate', recovery: () => ({ target: { kind: 'immediate' } }), expected: range(1, 2), derived: true },
  {
    column: 'name',
    recovery: (t) => ({ target: { kind: 'name', name: t.name } }),
    expected: range(1, 3),
    derived: true,
  },
  {
    column: 'xid incl',
    recovery: (t) => ({ target: { kind: 'xid', xid: t.xid }, inclusive: true }),
    expected: range(1, 4),
  },
  {
    column: 'xid excl',
    recovery: (t) => ({ target: { kind: 'xid', xid: t.xid }, inclusive: false }),
    expected: range(1, 3),
  },
  {
    column: 'time=commit incl',
    recovery: (t) => ({ target: { kind: 'time', time: t.commitTime }, inclusive: true }),
    expected: range(1, 5),
  },
  {
    column: 'time=commit excl',
    recovery: (t) => ({ target: { kind: 'time', time: t.commitTime }, inclusive: false }),
    expected: range(1, 4),
  },
  // A time without offset, in the zone the user confirmed: exact to the microsecond or the
  // exclusive stop lands elsewhere.
  {
    column: 'time NY excl',
    recovery: (t) => ({
      target: { kind: 'time', time: t.commitTimeNewYork },
      timeZone: 'America/New_York',
      inclusive: false,
    }),
    expected: range(1, 4),
  },
  {
    column: 'time +05:30 incl',
    recovery: (t) => ({ target: { kind: 'time', time: t.commitTimePlus0530 }, timeZone: '+05:30', inclusive: true }),
    expected: range(1, 5),
  },
  {
    column: 'time between incl',
    recovery: (t) => ({ target: { kind: 'time', time: t.betweenTime }, inclusive: true }),
    expected: range(1, 5),
  },
  {
    column: 'time between excl',
    recovery: (t) => ({ target: { kind: 'time', time: t.betweenTime }, inclusive: false }),
    expected: range(1, 5),
  },
  {
    column: 'lsn incl',
    recovery: (t) => ({ target: { kind: 'lsn', lsn: t.lsn }, inclusive: true }),
    expected: range(1, 6),
  },
  {
    column: 'lsn excl',
    recovery: (t) => ({ target: { kind: 'lsn', lsn: t.lsn }, inclusive: false }),
    expected: range(1, 5),
  },
  { column: 'latest', recovery: () => ({ target: { kind: 'latest' } }), expected: null, derived: true },
];

interface Recovered {
  server: DataDirServer;
  dataDir: string;
  ms: number;
}

/** Restores the base backup, writes the configuration, starts the copy and waits until it is
 * promoted. The caller stops the server. */
async function recover(
  p: DrillPrimary,
  backup: BaseBackup,
  label: string,
  req: Omit<DrillRecovery, 'major' | 'dataDir'>,
): Promise<Recovered> {
  const t0 = Date.now();
  const { workDir, dataDir } = restoreBaseBackup(p.workRoot, backup, label);
  // promote: the drills read the table from the promoted server; 'latest' has no target, no action.
  writeRecoveryConfig({
    major: p.major,
    dataDir,
    ...(req.target.kind === 'latest' ? {} : { action: 'promote' as const }),
    ...req,
  });
  const server = new DataDirServer(p.major, dataDir, workDir);
  try {
    await server.start();
    await server.waitPromoted();
  } catch (e) {
    await server.stop();
    throw e;
  }
  if (process.env.PG_PITR_DRILL_LOG) printRecoveryLog(p.major, label, server.log());
  return { server, dataDir, ms: Date.now() - t0 };
}

/** PG_PITR_DRILL_LOG=1: the server's own account of each recovery (where it stopped and why). */
function printRecoveryLog(major: number, label: string, log: string): void {
  const wanted =
    /starting point-in-time|starting archive recovery|recovery stopping|recovery ended|redo done|last completed|selected new timeline|archive recovery complete|consistent recovery state|FATAL|WARNING|LOG: {2}restored log file "0000000[0-9]\.history"|ready to accept/;
  const lines = log
    .split('\n')
    .filter((l) => wanted.test(l))
    .map((l) => `        ${l.replace(/^[^A-Z]*(LOG|FATAL|WARNING|DETAIL):/, '$1:')}`);
  process.stdout.write(`      [${major} ${label}]\n${lines.join('\n')}\n`);
}

describe('PITR drills on real servers', function () {
  after(printMatrix);

  for (const major of MAJORS) {
    describe(`PostgreSQL ${major}`, function () {
      this.timeout(120_000);
      let p: DrillPrimary;
      let backup: BaseBackup;
      let targets: DrillTargets;
      const restoreCommand = () => `cp ${p.archive}/%f %p`;

      before(async function () {
        if (!requireServer(major, this)) return;
        p = await startArchivingPrimary(major);
        const c = p.cluster;
        await c.query('CREATE TABLE t (i int)');
        await commitRow(c, 1);
        await commitRow(c, 2);
        backup = await takeBaseBackup(c, path.join(p.workRoot, 'backup'));
        backups.set(major, { method: backup.method, verified: backup.verified });
        targets = await runDrillWorkload(c, p.archive);
        // The commit record of row 6 must start exactly at the recorded LSN for the lsn drills to
        // mean what they say. It is 40 bytes on 10-18 (plus a page header of 24 or 40 bytes when it
        // crosses a page); another record in between (a running-xacts record is 56) shows as more.
        assert.ok(
          targets.commitRecordBytes >= 40 && targets.commitRecordBytes <= 80,
          `WAL between the recorded LSN and the end of row 6's commit: ${targets.commitRecordBytes} bytes; another record slipped in`,
        );
        // The primary is no longer needed: stopping it frees a core for the drills.
        await c.stop();
      });
      after(async () => {
        await p?.cluster.destroy();
        if (p) for (const d of [p.archive, p.workRoot]) removeDrillDir(d);
      });

      for (const drill of DRILLS) {
        it(`${drill.column}: exactly rows ${formatRows(drill.expected)}, nothing written to the archive`, async () => {
          const before = archiveSnapshot(p.archive);
          const source = drill.derived
            ? { archiveCommand: idempotentArchiveCommand(p.archive) }
            : { restoreCommand: restoreCommand() };
          const r = await recover(p, backup, drill.column, { ...drill.recovery(targets), ...source });
          try {
            const rows = await readRows(r.server);
            record(major, drill.column, { expected: formatRows(drill.expected), got: formatRows(rows), ms: r.ms });
            assert.deepEqual(rows, drill.expected);
            // Recovery ended the way the generator tells the user it will: 12+ removes the signal
            // file, 10-11 rename recovery.conf to recovery.done.
            const left = (f: string) => fs.existsSync(path.join(r.dataDir, f));
            if (major >= 12) assert.deepEqual([left('recovery.signal'), left('recovery.conf')], [false, false]);
            else assert.deepEqual([left('recovery.conf'), left('recovery.done')], [false, true]);
            // After a fast shutdown an archiver would have archived the new timeline's history file.
            await r.server.stop('fast');
            assert.deepEqual(
              snapshotDiff(before, archiveSnapshot(p.archive)),
              [],
              'the recovered copy wrote into the archive',
            );
          } finally {
            await r.server.stop();
            fs.rmSync(path.dirname(r.dataDir), { recursive: true, force: true });
          }
        });
      }

      it('over stale settings and an earlier pg-pitr configuration: old targets commented out, the new plan replaces the old one', async () => {
        const before = archiveSnapshot(p.archive);
        const t0 = Date.now();
        const { workDir, dataDir } = restoreBaseBackup(p.workRoot, backup, 'replan');
        // Left over from an earlier recovery: on 12+ two targets stop the server ("multiple
        // recovery targets specified"), on 10-11 postgresql.conf does not know these parameters.
        const conf = path.join(dataDir, 'postgresql.conf');
        fs.appendFileSync(
          conf,
          "recovery_target_name = 'stale-target'\nrecovery_target_time = '2000-01-01 00:00:00+00'\n",
        );
        const source = { restoreCommand: restoreCommand(), action: 'promote' as const };
        const first = writeRecoveryConfig({ major, dataDir, target: { kind: 'name', name: RESTORE_POINT }, ...source });
        const second = writeRecoveryConfig({
          major,
          dataDir,
          target: { kind: 'xid', xid: targets.xid },
          inclusive: true,
          ...source,
        });
        const stale = fs
          .readFileSync(conf, 'utf8')
          .split('\n')
          .filter((l) => l.includes('stale-target') || l.includes('2000-01-01'));
        assert.equal(stale.length, 2);
        for (const l of stale) assert.match(l, /^# commented out by pg-pitr /);
        assert.ok(first.written.includes(conf), 'the first plan comments the stale lines out');
        assert.ok(!second.written.includes(conf), 'the second finds nothing left to comment out');
        assert.ok(
          second.backups.some((b) => b.startsWith(path.join(dataDir, 'postgresql.auto.conf.pg-pitr-'))),
          'the replaced postgresql.auto.conf is kept',
        );
        if (major <= 11)
          assert.ok(
            second.backups.some((b) => b.startsWith(path.join(dataDir, 'recovery.conf.pg-pitr-'))),
            'the replaced recovery.conf is kept',
          );
        const auto = fs.readFileSync(path.join(dataDir, 'postgresql.auto.conf'), 'utf8');
        assert.equal(auto.split('# pg-pitr recovery settings begin').length, 2, 'one pg-pitr block');
        const server = new DataDirServer(major, dataDir, workDir);
        try {
          await server.start();
          await server.waitPromoted();
          const rows = await readRows(server);
          record(major, 're-planned over stale', {
            expected: formatRows(range(1, 4)),
            got: formatRows(rows),
            ms: Date.now() - t0,
          });
          assert.deepEqual(rows, range(1, 4));
          await server.stop('fast');
          assert.deepEqual(snapshotDiff(before, archiveSnapshot(p.archive)), []);
        } finally {
          await server.stop();
          fs.rmSync(workDir, { recursive: true, force: true });
        }
      });

      it('a target beyond the archived WAL: 13+ refuses to finish recovery, 10-12 promote at the end of the WAL', async () => {
        const t0 = Date.now();
        const before = archiveSnapshot(p.archive);
        const { workDir, dataDir } = restoreBaseBackup(p.workRoot, backup, 'beyond');
        writeRecoveryConfig({
          major,
          dataDir,
          target: { kind: 'name', name: 'pitr-drill-never-created' },
          action: 'promote',
          restoreCommand: restoreCommand(),
        });
        const server = new DataDirServer(major, dataDir, workDir);
        try {
          // A hot standby accepts connections before it reaches the end of the WAL, so pg_ctl
          // may report a start even when the server stops right after.
          let failure = '';
          try {
            await server.start();
            await server.waitPromoted();
          } catch (e) {
            failure = (e as Error).message;
          }
          if (major >= 13) {
            assert.match(failure, /FATAL: {2}recovery ended before configured recovery target was reached/);
            record(major, 'name beyond WAL', {
              expected: 'FATAL',
              got: failure ? 'FATAL' : 'started',
              ms: Date.now() - t0,
            });
          } else {
            assert.equal(failure, '');
            const rows = await readRows(server);
            record(major, 'name beyond WAL', { expected: 'no table', got: formatRows(rows), ms: Date.now() - t0 });
            assert.equal(rows, null, 'the whole WAL was replayed, DROP TABLE included');
          }
          await server.stop('fast');
          assert.deepEqual(
            snapshotDiff(before, archiveSnapshot(p.archive)),
            [],
            'the recovered copy wrote into the archive',
          );
        } finally {
          await server.stop();
          fs.rmSync(workDir, { recursive: true, force: true });
        }
      });

      it('a promoted copy with new WAL and a WAL switch still writes nothing into the archive', async () => {
        const before = archiveSnapshot(p.archive);
        const r = await recover(p, backup, 'archive-proof', {
          target: { kind: 'name', name: RESTORE_POINT },
          restoreCommand: restoreCommand(),
        });
        try {
          await r.server.query('CREATE TABLE after_promotion AS SELECT generate_series(1, 1000) AS i');
          const [{ f }] = await r.server.query<{ f: string }>('SELECT pg_walfile_name(pg_switch_wal()) AS f');
          // The positive control (timeline drill) sees a copy told to archive deliver its history
          // file before its promotion is even observed; and a fast shutdown lets an archiver finish.
          await new Promise((res) => setTimeout(res, 1000));
          const [{ mode }] = await r.server.query<{ mode: string }>("SELECT current_setting('archive_mode') AS mode");
          assert.equal(mode, 'off');
          await r.server.stop('fast');
          assert.equal(fs.existsSync(path.join(p.archive, f)), false);
          assert.deepEqual(snapshotDiff(before, archiveSnapshot(p.archive)), []);
        } finally {
          await r.server.stop();
          fs.rmSync(path.dirname(r.dataDir), { recursive: true, force: true });
        }
      });

      it('across a timeline switch: a copy promoted to timeline 2 archives elsewhere; timeline latest reaches a target on timeline 2, current one on timeline 1 (12+ default follows timeline 2)', async () => {
        // Archive 2 starts as a copy of the production archive; the timeline-2 server archives there.
        const archive2 = path.join(p.workRoot, 'archive2');
        copyTree(p.archive, archive2);
        const prodBefore = archiveSnapshot(p.archive);
        const a = await recover(p, backup, 'tl2-source', {
          target: { kind: 'name', name: RESTORE_POINT },
          restoreCommand: restoreCommand(),
          recoveredArchiving: { mode: 'elsewhere', archiveCommand: idempotentArchiveCommand(archive2) },
        });
        let tl2Ms = 0;
        try {
          const [{ tli }] = await a.server.query<{ tli: string }>(
            'SELECT substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8) AS tli',
          );
          assert.equal(tli, '00000002');
          // Positive control: told to archive elsewhere, the copy delivers its history file there.
          const t0 = Date.now();
          while (!fs.existsSync(path.join(archive2, '00000002.history'))) {
            if (Date.now() - t0 > 10_000) assert.fail('00000002.history never reached archive 2');
            await new Promise((res) => setTimeout(res, 20));
          }
          tl2Ms = Date.now() - t0;
          assert.deepEqual(await readRows(a.server), range(1, 3));
          await commitRow(a.server, 100);
          await commitRow(a.server, 101);
          await a.server.query("SELECT pg_create_restore_point('pitr-drill-tl2')");
          await commitRow(a.server, 102);
          await switchWalAndWait(a.server, archive2);
        } finally {
          await a.server.stop();
          fs.rmSync(path.dirname(a.dataDir), { recursive: true, force: true });
        }
        assert.deepEqual(snapshotDiff(prodBefore, archiveSnapshot(p.archive)), [], 'production archive untouched');
        const archive2Before = archiveSnapshot(archive2);
        const b = await recover(p, backup, 'tl2-target', {
          target: { kind: 'name', name: 'pitr-drill-tl2' },
          timeline: 'latest',
          restoreCommand: `cp ${archive2}/%f %p`,
        });
        try {
          const rows = await readRows(b.server);
          record(major, 'tl2 name (latest)', {
            expected: formatRows([...range(1, 3), 100, 101]),
            got: formatRows(rows),
            ms: b.ms,
          });
          assert.deepEqual(rows, [...range(1, 3), 100, 101]);
          const [{ tli }] = await b.server.query<{ tli: string }>(
            'SELECT substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8) AS tli',
          );
          assert.equal(tli, '00000003');
          assert.deepEqual(
            snapshotDiff(archive2Before, archiveSnapshot(archive2)),
            [],
            'archive 2 untouched by the second copy',
          );
          process.stdout.write(
            `      (PostgreSQL ${major}: history file in archive 2 ${tl2Ms} ms after the promotion was observed)\n`,
          );
        } finally {
          await b.server.stop();
          fs.rmSync(path.dirname(b.dataDir), { recursive: true, force: true });
        }

        // Why a recovered copy must not archive where later recoveries read: a target on timeline 1
        // after the switch point (rows 4-5) is reached with timeline 'current'; left to the default,
        // 12+ follows timeline 2 ('latest' since 12) and stops there before row 100, without rows 4-5.
        try {
          for (const [column, timeline, expected] of [
            ['tl1 time, timeline current', 'current', range(1, 5)],
            ['tl1 time, timeline default', undefined, major >= 12 ? range(1, 3) : range(1, 5)],
          ] as const) {
            const r = await recover(p, backup, column, {
              target: { kind: 'time', time: targets.betweenTime },
              ...(timeline ? { timeline } : {}),
              restoreCommand: `cp ${archive2}/%f %p`,
            });
            try {
              const rows = await readRows(r.server);
              record(major, column, { expected: formatRows([...expected]), got: formatRows(rows), ms: r.ms });
              assert.deepEqual(rows, expected, column);
            } finally {
              await r.server.stop();
              fs.rmSync(path.dirname(r.dataDir), { recursive: true, force: true });
            }
          }
        } finally {
          fs.rmSync(archive2, { recursive: true, force: true });
        }
      });
    });
  }
});
