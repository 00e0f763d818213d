// `pg-pitr drill` when the environment or the request is wrong, on one major (16): refusals (exit
// 2) for root without --os-user, a scratch folder inside a data directory, too little free space
// (a real 8 MB tmpfs), the wrong server major; a missing library (startup-failed, then --set lets
// it start); a target before the backup's end; Ctrl-C / Cancel during replay (no process left,
// scratch gone) and --timeout; the history listed newest first.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { main } from '../../../src/cli/main';
import { runDrill } from '../../../src/core/drill/runDrill';
import type { DrillReport } from '../../../src/core/drill/types';
import { chownTreeToServerUser, copyTree } from '../../support/pitrDrill';
import { binDir, requireServer } from '../../support/postgresServers';
import { drill, type DrillFixture, explain, ROWS_SQL, rowsOf, sharedDrillFixture } from './drillFixture';

const MAJOR = 16;
const isRoot = process.getuid?.() === 0;

/** restore_command that takes `seconds` per segment: replay lasts long enough to interrupt. */
const slowRestore = (f: DrillFixture, seconds: number) => `sleep ${seconds}; cp ${f.archive}/%f %p`;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe(`pg-pitr drill refusals, failures and interruptions (PostgreSQL ${MAJOR})`, function () {
  this.timeout(180_000);
  let f: DrillFixture;
  before(async function () {
    if (!requireServer(MAJOR, this)) return;
    f = await sharedDrillFixture(MAJOR);
  });

  it('as root without --os-user: refused (exit 2), nothing created', async function () {
    if (!isRoot) this.skip();
    const out: string[] = [];
    const err: string[] = [];
    const scratch = path.join(f.root, 'root-refused');
    const code = await main(
      [
        'drill',
        '--backup',
        f.backup.dataDir,
        '--archive',
        f.archive,
        '--scratch',
        scratch,
        '--pg-bin-dir',
        f.binDir,
        '--format',
        'json',
        '--record',
        path.join(f.root, 'refused.jsonl'),
      ],
      (s) => out.push(s),
      (s) => err.push(s),
    );
    assert.equal(code, 2);
    const r = JSON.parse(out.join('\n')) as DrillReport;
    assert.equal(r.failure?.kind, 'refused');
    assert.match(r.failure!.message, /^PostgreSQL refuses to run as root: give --os-user NAME/);
    assert.equal(fs.existsSync(scratch), false);
    assert.equal(fs.existsSync(path.join(f.root, 'refused.jsonl')), false, 'a refused drill is not recorded');
  });

  it('a scratch folder inside a data directory: refused', async () => {
    const inside = path.join(f.cluster.dataDir, 'pg_drill_scratch');
    const r = await drillWithScratch(f, inside);
    assert.equal(r.code, 2);
    assert.equal(r.report.failure?.kind, 'refused');
    assert.equal(
      r.report.failure?.message,
      `the scratch folder ${inside} is inside the data directory ${fs.realpathSync(f.cluster.dataDir)} ` +
        `(it holds PG_VERSION): a drill never writes into a data directory; choose a folder outside it`,
    );
    assert.equal(fs.existsSync(inside), false);
  });

  it('too little free space (an 8 MB tmpfs): refused before anything is copied', async function () {
    const mnt = path.join(f.root, 'tiny');
    fs.mkdirSync(mnt);
    const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mnt], { encoding: 'utf8' });
    if (m.status !== 0) {
      if (process.env.CI === 'true') assert.fail(`mount -t tmpfs failed: ${m.stderr}`);
      console.warn(`!!! SKIPPING the free-space test: mount -t tmpfs failed (${m.stderr.trim()})`);
      this.skip();
    }
    try {
      const r = await drillWithScratch(f, path.join(mnt, 'scratch'));
      assert.equal(r.code, 2);
      assert.equal(r.report.failure?.kind, 'refused');
      assert.match(
        r.report.failure!.message,
        /^not enough free space for the scratch copy in .*\/tiny\/scratch: [\d.]+ MB free, about [\d.]+ GB needed \(the backup's [\d.]+ MB, a margin, and up to 1 GB of restored WAL/,
      );
      assert.deepEqual(fs.readdirSync(mnt), []);
    } finally {
      spawnSync('umount', [mnt]);
    }
  });

  it('binaries of another major: refused, naming where it looked', async () => {
    const other = binDir(15);
    const r = await drill(f, ['--archive', f.archive, '--pg-bin-dir', other]);
    assert.equal(r.code, 2);
    assert.equal(
      r.report.failure?.message,
      `no PostgreSQL ${MAJOR} server program (postgres) in ${other} (--pg-bin-dir / pgPitr.pgBinDir): ` +
        `the backup is PostgreSQL ${MAJOR} and only that major can recover it; looked at ${other}/postgres (PostgreSQL ` +
        `15); give --pg-bin-dir DIR, the folder holding postgres ${MAJOR}`,
    );
  });

  it('a library missing on this host: startup-failed with the FATAL line and the --set hint; --set makes it start', async () => {
    const dir = path.join(f.root, 'preload');
    copyTree(f.backup.dataDir, dir);
    fs.appendFileSync(path.join(dir, 'postgresql.auto.conf'), "shared_preload_libraries = 'pg_pitr_no_such_library'\n");
    chownTreeToServerUser(dir);
    const r = await drill(f, ['--archive', f.archive], dir);
    assert.equal(r.code, 1, explain(r));
    assert.equal(r.report.failure?.kind, 'startup-failed');
    assert.match(
      r.report.serverLog.join('\n'),
      /FATAL: {2}could not access file "pg_pitr_no_such_library": No such file or directory/,
    );
    assert.match(r.report.failure!.message, /HINT: --set NAME=VALUE changes a setting in the scratch copy only/);
    const ok = await drill(
      f,
      ['--archive', f.archive, '--set', 'shared_preload_libraries=', '--check-sql', ROWS_SQL],
      dir,
    );
    assert.equal(ok.code, 0, explain(ok));
    assert.equal(rowsOf(ok.report), '1,2,3,4,5,6');
  });

  it('a target time before the backup ended: target-before-backup-end', async () => {
    const r = await drill(f, ['--archive', f.archive, '--target-time', '2000-01-01 00:00:00+00']);
    assert.equal(r.code, 1, explain(r));
    assert.equal(r.report.failure?.kind, 'target-before-backup-end');
    assert.match(
      r.report.failure!.message,
      /^target time 2000-01-01 00:00:00\+00:00 is before the end of the base backup/,
    );
  });

  it('cancelled during replay: no postgres process left, the scratch folder gone', async () => {
    const controller = new AbortController();
    const scratch = path.join(f.root, 'cancelled');
    let pid: number | null = null;
    let poll: NodeJS.Timeout | undefined;
    const report = await runDrill({
      backup: { kind: 'folder', path: f.backup.dataDir },
      target: { kind: 'latest' },
      wal: { restoreCommand: slowRestore(f, 2) },
      pgBinDir: f.binDir,
      osUser: f.osUser,
      scratch,
      onProgress: (p) => {
        if (p.phase !== 'start') return;
        // cancel once the postmaster runs (its pid file names it) and the slow restore_command is at work
        poll = setInterval(() => {
          let text = '';
          try {
            text = fs.readFileSync(path.join(scratch, 'data', 'postmaster.pid'), 'utf8');
          } catch {
            return;
          }
          const n = Number(text.split('\n')[0]);
          if (!(n > 0) || !text.includes('\n')) return;
          clearInterval(poll);
          pid = n;
          controller.abort();
        }, 100);
      },
      signal: controller.signal,
    });
    clearInterval(poll);
    assert.equal(report.failure?.kind, 'cancelled');
    assert.ok(pid !== null && pid > 0, 'the postmaster was running when cancelled');
    assert.equal(processAlive(pid!), false, `postmaster ${pid} still alive`);
    const ps = spawnSync('pgrep', ['-f', scratch], { encoding: 'utf8' });
    assert.equal(ps.stdout.trim(), '', `processes left: ${ps.stdout}`);
    assert.equal(fs.existsSync(scratch), false);
  });

  it('--timeout: the drill stops, says where replay was, cleans up (exit 1, timeout)', async () => {
    const r = await drill(f, ['--restore-command', slowRestore(f, 2), '--timeout', '3s']);
    assert.equal(r.code, 1, explain(r));
    assert.equal(r.report.failure?.kind, 'timeout');
    assert.match(r.report.failure!.message, /^the drill did not finish within 3 s \(--timeout\)/);
    assert.equal(fs.existsSync(r.report.scratch!), false);
  });

  it('--history lists the recorded drills newest first', async () => {
    const record = path.join(f.root, 'drills.jsonl');
    const out: string[] = [];
    const code = await main(
      ['drill', '--history', '--record', record, '--format', 'json'],
      (s) => out.push(s),
      () => undefined,
    );
    assert.equal(code, 0);
    const list = JSON.parse(out.join('\n')) as DrillReport[];
    assert.ok(list.length >= 3, `${list.length} records`);
    const times = list.map((r) => Date.parse(r.startedAt));
    assert.deepEqual(
      times,
      [...times].sort((a, b) => b - a),
    );
    assert.equal(list[0].failure?.kind, 'timeout');
  });
});

describe(`pg-pitr check reads the drill history (PostgreSQL ${MAJOR})`, function () {
  this.timeout(180_000);
  let f: DrillFixture;
  before(async function () {
    if (!requireServer(MAJOR, this)) return;
    f = await sharedDrillFixture(MAJOR);
  });

  it('drill and rto in the JSON, matched by the system identifier; no-recent-drill past --drill-max-age-days', async () => {
    const ok = await drill(f, ['--archive', f.archive]);
    assert.equal(ok.code, 0, explain(ok));
    const failed = await drill(f, ['--archive', f.archive, '--target-name', 'drill-never-created']);
    assert.equal(failed.code, 1, explain(failed));
    // a history of these two drills only: other files share the fixture and its drills.jsonl (the RTO is
    // the median replay rate of the cluster's drills)
    const history = path.join(f.root, `drills-check-${process.pid}.jsonl`);
    const recorded = fs.readFileSync(path.join(f.root, 'drills.jsonl'), 'utf8').trimEnd().split('\n');
    fs.writeFileSync(history, `${recorded.slice(-2).join('\n')}\n`);
    await f.cluster.start();
    const check = async (...extra: string[]) => {
      const out: string[] = [];
      const args = [
        'check',
        `host=127.0.0.1 port=${f.cluster.port} user=postgres dbname=postgres`,
        '--archive',
        f.archive,
      ];
      await main(
        [...args, '--drill-history', history, ...extra, '--format', 'json'],
        (s) => out.push(s),
        () => undefined,
      );
      return JSON.parse(out.join('\n')) as {
        drill: Record<string, unknown>;
        rto: Record<string, unknown>;
        reasons: { id: string }[];
      };
    };
    const j = await check();
    assert.deepEqual(j.drill, {
      lastOk: false,
      lastAt: failed.report.startedAt,
      lastTotalSeconds: failed.report.durations.totalSeconds,
      lastTimeToRecoverSeconds:
        Math.round((failed.report.durations.restoreSeconds + failed.report.durations.replaySeconds) * 10) / 10,
      lastOkAt: ok.report.startedAt,
    });
    assert.equal(j.rto.basis, 'replay-rate');
    assert.equal(j.rto.replayMBps, ok.report.replayMBps);
    assert.ok((j.rto.estimateSeconds as number) >= ok.report.durations.restoreSeconds, JSON.stringify(j.rto));
    assert.ok(!j.reasons.some((r) => r.id === 'no-recent-drill'));
    await new Promise((r) => setTimeout(r, 1500));
    const old = await check('--drill-max-age-days', '0.00001');
    assert.ok(
      old.reasons.some((r) => r.id === 'no-recent-drill'),
      JSON.stringify(old.reasons),
    );
    const other = await check('--drill-history', path.join(f.root, 'none.jsonl'));
    assert.deepEqual([other.drill, other.rto.basis], [null, 'none']);
  });
});

async function drillWithScratch(f: DrillFixture, scratch: string) {
  const out: string[] = [];
  const code = await main(
    [
      'drill',
      '--backup',
      f.backup.dataDir,
      '--archive',
      f.archive,
      '--scratch',
      scratch,
      '--pg-bin-dir',
      f.binDir,
      '--os-user',
      f.osUser,
      '--format',
      'json',
      '--record',
      path.join(f.root, 'x.jsonl'),
    ],
    (s) => out.push(s),
    () => undefined,
  );
  return { code, report: JSON.parse(out.join('\n')) as DrillReport };
}
