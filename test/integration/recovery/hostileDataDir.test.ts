// issue 15 (security 1-3): `recovery-config --write` run as root on a data directory its owner
// controls. The owner (the OS user pgpitr here, as the postgres user in production) plants links
// under the temporary, backup and target names pg-pitr writes, links postgresql.auto.conf to a
// root-only file, includes files through '..' and a conf.d that is a link, or swaps any of these
// between the plan and the write. No write may land outside the data directory, no root-only
// content may be copied into it, and nothing may wait on a FIFO. Needs root.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { applyRecoveryPlan } from '../../../src/core/recovery/applyRecoveryPlan';
import { planRecovery } from '../../../src/core/recovery/planRecovery';
import { RecoveryRefusedError } from '../../../src/core/recovery/types';
import { osUser } from '../../support/postgresServers';

const NOW = new Date('2026-11-24T19:30:00.000Z');
const STAMP = '20261124T193000Z';
const CLI = path.resolve(__dirname, '../../../dist/cli.js');
const SECRET = "ssl_passphrase_command = 'echo hunter2-ROOT-ONLY'\n";

const isRoot = process.getuid?.() === 0;

function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof RecoveryRefusedError, `not a refusal: ${(e as Error).stack}`);
    return e.message;
  }
  assert.fail('not refused');
}

/** Everything about a file an attacker would want changed. */
function fingerprint(p: string) {
  const st = fs.lstatSync(p);
  return { content: fs.readFileSync(p, 'utf8'), uid: st.uid, gid: st.gid, mode: st.mode & 0o7777 };
}

describe('recovery-config --write as root on a hostile data directory (issue 15)', function () {
  this.timeout(60_000);
  let root: string;
  let dir: string;
  let owner: { uid: number; gid: number };
  const victims: string[] = [];

  before(function () {
    if (!isRoot) {
      const why = 'these tests plant links as the data directory owner and write as root: run them as root';
      if (process.env.CI === 'true') throw new Error(why);
      console.warn(`\n*** SKIPPED: ${why}\n`);
      this.skip();
    }
    owner = osUser();
  });

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-hostile-'));
    fs.chmodSync(root, 0o755);
    dir = path.join(root, 'data');
    fs.mkdirSync(dir, { mode: 0o700 });
    fs.writeFileSync(path.join(dir, 'PG_VERSION'), '16\n');
    fs.writeFileSync(path.join(dir, 'postgresql.conf'), "port = 5432\nrecovery_target_xid = '7'\n", { mode: 0o600 });
    fs.writeFileSync(path.join(dir, 'postgresql.auto.conf'), "work_mem = '8MB'\n", { mode: 0o600 });
    for (const f of fs.readdirSync(dir)) fs.chownSync(path.join(dir, f), owner.uid, owner.gid);
    fs.chownSync(dir, owner.uid, owner.gid);
    victims.length = 0;
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  /** A root-only file (mode 0600) outside the data directory. */
  const victim = (name: string, content = `root only: ${name}\n`) => {
    const p = path.join(root, name);
    fs.writeFileSync(p, content, { mode: 0o600 });
    victims.push(p);
    return p;
  };
  /** A link planted by the data directory's owner. */
  const plant = (name: string, target: string) => {
    const p = path.join(dir, name);
    fs.symlinkSync(target, p);
    fs.lchownSync(p, owner.uid, owner.gid);
  };
  const request = () => ({
    major: 16,
    dataDir: dir,
    target: { kind: 'lsn', lsn: '0/5000000' } as const,
    restoreCommand: 'cp /a/%f %p',
    now: NOW,
  });
  const untouched = () => {
    for (const v of victims) {
      assert.deepEqual(fingerprint(v), { content: `root only: ${path.basename(v)}\n`, uid: 0, gid: 0, mode: 0o600 });
    }
  };

  it('links planted under the temporary names and under every backup name never redirect a write', () => {
    const files = ['postgresql.conf', 'postgresql.auto.conf', 'recovery.signal'];
    for (const f of files) {
      // the names pg-pitr used to write through (<file>.pg-pitr-tmp-<pid>), and the backup names
      plant(`${f}.pg-pitr-tmp-${process.pid}`, victim(`tmp-${f}`));
      for (let i = 0; i < 5; i++) plant(`${f}.pg-pitr-${STAMP}${i === 0 ? '' : `-${i}`}.bak`, victim(`bak${i}-${f}`));
    }
    const r = applyRecoveryPlan(planRecovery(request()), { now: NOW });
    untouched();
    assert.deepEqual(
      r.written,
      files.map((f) => path.join(dir, f)),
    );
    assert.deepEqual(r.backups, [
      path.join(dir, `postgresql.conf.pg-pitr-${STAMP}-5.bak`),
      path.join(dir, `postgresql.auto.conf.pg-pitr-${STAMP}-5.bak`),
    ]);
    // written files and backups are the data directory owner's regular files, as before
    for (const p of [...r.written, ...r.backups]) {
      const st = fs.lstatSync(p);
      assert.ok(st.isFile(), p);
      assert.deepEqual([st.uid, st.gid, st.mode & 0o777], [owner.uid, owner.gid, 0o600], p);
    }
    assert.equal(fs.readFileSync(r.backups[1], 'utf8'), "work_mem = '8MB'\n");
    assert.deepEqual(
      fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')),
      [],
    );
  });

  it('a link planted under a signal file or a target name after planning is refused, not written through', () => {
    const plan = planRecovery(request());
    plant('recovery.signal', victim('signal'));
    assert.match(
      refusal(() => applyRecoveryPlan(plan, { now: NOW })),
      /recovery\.signal .*outside the data directory/,
    );
    fs.unlinkSync(path.join(dir, 'recovery.signal'));
    fs.unlinkSync(path.join(dir, 'postgresql.auto.conf'));
    plant('postgresql.auto.conf', victim('auto'));
    assert.match(
      refusal(() => applyRecoveryPlan(plan, { now: NOW })),
      /postgresql\.auto\.conf is a symbolic link to .*outside the data directory/,
    );
    untouched();
    assert.deepEqual(fs.readdirSync(dir).sort(), ['PG_VERSION', 'postgresql.auto.conf', 'postgresql.conf']);
  });

  it('postgresql.auto.conf linked to a root-only file: refused, its content is neither shown nor copied', () => {
    const secret = path.join(root, 'secret.conf');
    fs.writeFileSync(secret, SECRET, { mode: 0o600 });
    fs.unlinkSync(path.join(dir, 'postgresql.auto.conf'));
    plant('postgresql.auto.conf', secret);
    const expected =
      `${dir}/postgresql.auto.conf is a symbolic link to ${secret} (${secret}), outside the data directory ${dir}: ` +
      'pg-pitr does not copy what lies outside the data directory into it; replace the link with a copy of the file, or remove it, and plan again';
    assert.equal(
      refusal(() => planRecovery(request())),
      expected,
    );
    for (const extra of [[], ['--write'], ['--write', '--format', 'json']]) {
      const r = spawnSync(
        process.execPath,
        [CLI, 'recovery-config', '--data-dir', dir, '--target-latest', '--restore-command', 'cp /a/%f %p', ...extra],
        { encoding: 'utf8', timeout: 30_000 },
      );
      assert.equal(r.status, 1, r.stdout + r.stderr);
      assert.doesNotMatch(r.stdout + r.stderr, /hunter2/);
      assert.equal(r.stderr, `pg-pitr: refused: ${expected}\n`);
    }
    assert.deepEqual(fs.readdirSync(dir).sort(), ['PG_VERSION', 'postgresql.auto.conf', 'postgresql.conf']);
    assert.equal(fs.readFileSync(secret, 'utf8'), SECRET);
  });

  it('a file outside the data directory is never edited: an absolute include with .., a conf.d that is a link', () => {
    const prod = path.join(root, 'prod');
    fs.mkdirSync(path.join(prod, 'conf.d'), { recursive: true });
    fs.writeFileSync(path.join(prod, 'prod.conf'), "recovery_target_name = 'prod'\n");
    fs.writeFileSync(path.join(prod, 'conf.d', '10.conf'), "recovery_target_time = '2020-01-01 00:00:00+00'\n");
    const snapshot = () => ({
      files: ['prod.conf', 'conf.d/10.conf'].map((f) => fingerprint(path.join(prod, f))),
      listings: [fs.readdirSync(prod), fs.readdirSync(path.join(prod, 'conf.d'))],
    });
    const before = snapshot();
    fs.writeFileSync(path.join(dir, 'postgresql.conf'), `port = 5432\ninclude '${dir}/../prod/prod.conf'\n`);
    assert.equal(
      refusal(() => planRecovery(request())),
      `recovery_target_name is set in ${dir}/../prod/prod.conf line 1, outside the data directory ${dir} (its real path is ${prod}/prod.conf): ` +
        `pg-pitr edits only the restored copy's files; comment it out there first`,
    );
    fs.writeFileSync(path.join(dir, 'postgresql.conf'), "port = 5432\ninclude_dir 'conf.d'\n");
    plant('conf.d', path.join(prod, 'conf.d'));
    assert.equal(
      refusal(() => planRecovery(request())),
      `recovery_target_time is set in ${dir}/conf.d/10.conf line 1, outside the data directory ${dir} (its real path is ${prod}/conf.d/10.conf): ` +
        `pg-pitr edits only the restored copy's files; comment it out there first`,
    );
    assert.deepEqual(snapshot(), before);
  });

  it('conf.d swapped for a link to another folder between the plan and the write: refused, nothing written there', () => {
    const prod = path.join(root, 'prod');
    fs.mkdirSync(prod);
    const line = "recovery_target_time = '2020-01-01 00:00:00+00'\n";
    fs.writeFileSync(path.join(prod, '10.conf'), line);
    fs.mkdirSync(path.join(dir, 'conf.d'));
    fs.writeFileSync(path.join(dir, 'conf.d', '10.conf'), line);
    fs.writeFileSync(path.join(dir, 'postgresql.conf'), "port = 5432\ninclude_dir 'conf.d'\n");
    const plan = planRecovery(request());
    assert.ok(plan.changes.some((c) => c.path === `${dir}/conf.d/10.conf`));
    fs.renameSync(path.join(dir, 'conf.d'), path.join(dir, 'conf.d.orig'));
    plant('conf.d', prod);
    assert.equal(
      refusal(() => applyRecoveryPlan(plan, { now: NOW })),
      `${dir}/conf.d/10.conf lies outside the data directory ${dir} (its folder's real path is ${prod}): pg-pitr edits only the restored copy's files`,
    );
    assert.deepEqual(fs.readdirSync(prod), ['10.conf']);
    assert.equal(fs.readFileSync(path.join(prod, '10.conf'), 'utf8'), line);
  });

  it('a FIFO as postmaster.pid or PG_VERSION does not make the CLI wait', () => {
    spawnSync('mkfifo', [path.join(dir, 'postmaster.pid')]);
    const run = (args: string[]) =>
      spawnSync(process.execPath, [CLI, 'recovery-config', '--data-dir', dir, '--target-latest', ...args], {
        encoding: 'utf8',
        timeout: 30_000,
        killSignal: 'SIGKILL',
      });
    const w = run(['--restore-command', 'cp /a/%f %p', '--write']);
    assert.equal(w.signal, null, 'recovery-config --write waited on the FIFO postmaster.pid');
    assert.equal(w.status, 0, w.stderr);
    fs.unlinkSync(path.join(dir, 'PG_VERSION'));
    spawnSync('mkfifo', [path.join(dir, 'PG_VERSION')]);
    const v = run(['--restore-command', 'cp /a/%f %p']);
    assert.equal(v.signal, null, 'recovery-config waited on the FIFO PG_VERSION');
    assert.equal(v.status, 2);
    assert.equal(v.stderr.split('\n')[0], 'pg-pitr: --pg-version N is required (no PG_VERSION in the data directory)');
  });
});
