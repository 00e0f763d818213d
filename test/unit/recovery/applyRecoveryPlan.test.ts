// applyRecoveryPlan on a temporary directory: backups beside replaced files, refusal while a
// postmaster runs there, refusal when a file changed since planning, atomic replacement.
import { strict as assert } from 'node:assert';
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { applyRecoveryPlan } from '../../../src/core/recovery/applyRecoveryPlan';
import { planRecovery } from '../../../src/core/recovery/planRecovery';
import { RecoveryRefusedError } from '../../../src/core/recovery/types';

const NOW = new Date('2026-11-24T19:30:00.000Z');

describe('applyRecoveryPlan', () => {
  let dir: string;
  let child: ChildProcess | null = null;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-apply-'));
    fs.writeFileSync(path.join(dir, 'PG_VERSION'), '16\n');
    fs.writeFileSync(path.join(dir, 'postgresql.conf'), "port = 5432\nrecovery_target_xid = '7'\n", { mode: 0o640 });
    fs.writeFileSync(path.join(dir, 'postgresql.auto.conf'), "work_mem = '8MB'\n");
  });
  afterEach(() => {
    if (child?.pid) child.kill();
    child = null;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const makePlan = () =>
    planRecovery({
      major: 16,
      dataDir: dir,
      target: { kind: 'lsn', lsn: '0/5000000' },
      restoreCommand: 'cp /a/%f %p',
      now: NOW,
    });

  it('writes every change and keeps each replaced file as a dated backup beside it', () => {
    const plan = makePlan();
    const r = applyRecoveryPlan(plan, { now: NOW });
    assert.deepEqual(r.written, [
      path.join(dir, 'postgresql.conf'),
      path.join(dir, 'postgresql.auto.conf'),
      path.join(dir, 'recovery.signal'),
    ]);
    assert.deepEqual(r.backups, [
      path.join(dir, 'postgresql.conf.pg-pitr-20261124T193000Z.bak'),
      path.join(dir, 'postgresql.auto.conf.pg-pitr-20261124T193000Z.bak'),
    ]);
    assert.equal(fs.readFileSync(r.backups[0], 'utf8'), "port = 5432\nrecovery_target_xid = '7'\n");
    assert.equal(fs.readFileSync(r.backups[1], 'utf8'), "work_mem = '8MB'\n");
    for (const c of plan.changes) assert.equal(fs.readFileSync(c.path, 'utf8'), c.content);
    // the replaced file keeps its mode; new files are private like the server's own
    assert.equal(fs.statSync(path.join(dir, 'postgresql.conf')).mode & 0o777, 0o640);
    assert.equal(fs.statSync(path.join(dir, 'recovery.signal')).mode & 0o777, 0o600);
    assert.deepEqual(
      fs.readdirSync(dir).filter((f) => f.includes('pg-pitr-tmp')),
      [],
    );
  });

  it('a second backup in the same second gets its own name', () => {
    applyRecoveryPlan(makePlan(), { now: NOW });
    const second = applyRecoveryPlan(
      planRecovery({ major: 16, dataDir: dir, target: { kind: 'latest' }, restoreCommand: 'cp /a/%f %p', now: NOW }),
      { now: NOW },
    );
    assert.deepEqual(second.backups, [path.join(dir, 'postgresql.auto.conf.pg-pitr-20261124T193000Z-1.bak')]);
  });

  it('refuses while a postmaster runs on the data directory, writes nothing', async () => {
    // a live process whose working directory is the data directory, as a postmaster's is
    child = spawn('sleep', ['30'], { cwd: dir, stdio: 'ignore' });
    await new Promise((res) => child!.once('spawn', res));
    fs.writeFileSync(path.join(dir, 'postmaster.pid'), `${child.pid}\n${dir}\n`);
    const plan = makePlan();
    assert.throws(
      () => applyRecoveryPlan(plan),
      (e: Error) =>
        e instanceof RecoveryRefusedError &&
        e.message ===
          `a postmaster (PID ${child!.pid}) is running on ${dir}: stop it before changing its recovery configuration`,
    );
    assert.deepEqual(fs.readdirSync(dir).sort(), [
      'PG_VERSION',
      'postgresql.auto.conf',
      'postgresql.conf',
      'postmaster.pid',
    ]);
  });

  it('a stale postmaster.pid (dead process, or a live process elsewhere, as in a copied data directory) does not block', () => {
    fs.writeFileSync(path.join(dir, 'postmaster.pid'), `${process.pid}\n/somewhere/else\n`);
    assert.equal(applyRecoveryPlan(makePlan()).written.length, 3);
    fs.rmSync(path.join(dir, 'recovery.signal'));
    fs.writeFileSync(path.join(dir, 'postmaster.pid'), '2147483646\n');
    assert.equal(
      applyRecoveryPlan(
        planRecovery({ major: 16, dataDir: dir, target: { kind: 'latest' }, restoreCommand: 'cp /a/%f %p', now: NOW }),
      ).written.length,
      2,
    );
  });

  it('refuses when a file changed since the plan was made', () => {
    const plan = makePlan();
    fs.appendFileSync(path.join(dir, 'postgresql.auto.conf'), "shared_buffers = '1GB'\n");
    assert.throws(
      () => applyRecoveryPlan(plan),
      (e: Error) =>
        e instanceof RecoveryRefusedError &&
        e.message === `${path.join(dir, 'postgresql.auto.conf')} changed since the plan was made: plan again`,
    );
    assert.equal(
      fs.readFileSync(path.join(dir, 'postgresql.conf'), 'utf8'),
      "port = 5432\nrecovery_target_xid = '7'\n",
    );
  });
  it('a symbolic link to a file inside the data directory is kept as the backup, its target is not changed, and the plan says so', () => {
    fs.mkdirSync(path.join(dir, 'conf'));
    const linked = path.join(dir, 'conf', 'main.conf');
    fs.writeFileSync(linked, "port = 5433\nrecovery_target_name = 'old'\n", { mode: 0o644 });
    fs.rmSync(path.join(dir, 'postgresql.conf'));
    fs.symlinkSync('conf/main.conf', path.join(dir, 'postgresql.conf'));
    const plan = makePlan();
    assert.ok(
      plan.warnings.includes(
        `${path.join(dir, 'postgresql.conf')} is a symbolic link to conf/main.conf: pg-pitr writes a ` +
          `regular file in its place (conf/main.conf itself is not changed) and keeps the link as the backup`,
      ),
      plan.warnings.join('\n'),
    );
    const r = applyRecoveryPlan(plan, { now: NOW });
    const backup = path.join(dir, 'postgresql.conf.pg-pitr-20261124T193000Z.bak');
    assert.equal(r.backups[0], backup);
    // the replaced thing was the link: putting the backup back restores the layout exactly
    assert.equal(fs.readlinkSync(backup), 'conf/main.conf');
    assert.equal(fs.readFileSync(linked, 'utf8'), "port = 5433\nrecovery_target_name = 'old'\n");
    assert.ok(fs.lstatSync(path.join(dir, 'postgresql.conf')).isFile());
    assert.equal(
      fs.readFileSync(path.join(dir, 'postgresql.conf'), 'utf8'),
      "port = 5433\n# commented out by pg-pitr 2026-11-24T19:30:00Z: recovery_target_name = 'old'\n",
    );
    // the new file takes the mode of what it replaces
    assert.equal(fs.statSync(path.join(dir, 'postgresql.conf')).mode & 0o777, 0o644);
  });

  it('a symbolic link to a file outside the data directory (postgresql.conf -> /etc, Debian layout) is refused: its content is never copied in', () => {
    const etc = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-etc-'));
    try {
      const linked = path.join(etc, 'postgresql.conf');
      fs.writeFileSync(linked, "port = 5433\nrecovery_target_name = 'old'\n", { mode: 0o644 });
      fs.rmSync(path.join(dir, 'postgresql.conf'));
      fs.symlinkSync(linked, path.join(dir, 'postgresql.conf'));
      assert.throws(
        () => makePlan(),
        (e: Error) =>
          e instanceof RecoveryRefusedError &&
          e.message ===
            `${path.join(dir, 'postgresql.conf')} is a symbolic link to ${linked} (${linked}), outside the data directory ${dir}: ` +
              'pg-pitr does not copy what lies outside the data directory into it; replace the link with a copy of the file, or remove it, and plan again',
      );
      assert.equal(fs.readFileSync(linked, 'utf8'), "port = 5433\nrecovery_target_name = 'old'\n");
      assert.deepEqual(fs.readdirSync(dir).sort(), ['PG_VERSION', 'postgresql.auto.conf', 'postgresql.conf']);
    } finally {
      fs.rmSync(etc, { recursive: true, force: true });
    }
  });
});
