// The pre-commit hook used the way a user tries it: `pre-commit try-repo` on a scratch git repository.
// Each try-repo installs the hook for real into a temporary store (npm registry only, the system Node.js): minutes.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '../..');
const BROKEN = "archive_mode = on\narchive_command = 'cp %p /mnt/archive/%f || true'\n";
const CLEAN = "wal_level = replica\narchive_mode = on\narchive_command = 'pgbackrest --stanza=main archive-push %p'\n";

function have(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env, timeout = 60000) {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout });
  return { code: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}`, error: r.error };
}

function git(cwd: string, ...args: string[]) {
  const r = sh('git', ['-c', 'user.name=pg-pitr test', '-c', 'user.email=test@pg-pitr.invalid', ...args], cwd);
  assert.equal(r.code, 0, `git ${args.join(' ')}: ${r.out}`);
  return r.out.trim();
}

/** The working tree as one commit of a new repository, so that every try-repo call reuses one installed hook. */
function snapshot(dest: string): string {
  const files = sh('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], ROOT)
    .out.split('\0')
    .filter((f) => f !== '' && fs.existsSync(path.join(ROOT, f)));
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dest, f)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, f), path.join(dest, f));
  }
  git(dest, 'init', '-q');
  git(dest, 'add', '-A');
  git(dest, 'commit', '-q', '-m', 'snapshot');
  return git(dest, 'rev-parse', 'HEAD');
}

describe('pre-commit hook (pre-commit try-repo)', function () {
  this.timeout(40 * 60 * 1000);
  let tmp: string;
  let hookRepo: string;
  let rev: string;
  let user: string;
  let env: NodeJS.ProcessEnv;

  before(function () {
    const missing = ['pre-commit', 'git', 'npm'].filter((c) => !have(c));
    if (missing.length > 0) {
      const why = `needs ${missing.join(', ')} (Debian: apt-get install pre-commit git)`;
      if (process.env.CI === 'true') throw new Error(`pg-pitr: pre-commit hook test failed: ${why}`);
      console.warn(`SKIPPED pre-commit hook test: ${why}`);
      this.skip();
    }
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-precommit-'));
    hookRepo = path.join(tmp, 'pg-pitr');
    rev = snapshot(hookRepo);
    user = path.join(tmp, 'user');
    fs.mkdirSync(user);
    git(user, 'init', '-q');
    for (const [f, text] of Object.entries({
      'db/postgresql.conf': BROKEN,
      'clean/postgresql.conf': CLEAN,
      'clean/conf.d/archive.conf': 'archive_timeout = 5min\n',
      'notes/postgresql.conf.example': BROKEN,
    })) {
      fs.mkdirSync(path.dirname(path.join(user, f)), { recursive: true });
      fs.writeFileSync(path.join(user, f), text);
    }
    git(user, 'add', '-A');
    env = {
      ...process.env,
      PRE_COMMIT_HOME: path.join(tmp, 'cache'),
      PRE_COMMIT_COLOR: 'never',
      // pre-commit's install runs npm with the user's npm_config_*: take packages from npm's cache when it
      // has them (this clone's `npm ci` filled it), as a user with a warm cache does; the registry otherwise
      npm_config_prefer_offline: 'true',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
    };
  });
  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const tryRepo = (...args: string[]) =>
    sh('pre-commit', ['try-repo', hookRepo, 'pg-pitr', '--ref', rev, ...args], user, env, 30 * 60 * 1000);

  it('declares the hook users add with three lines', () => {
    const hooks = parse(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Array<
      Record<string, unknown>
    >;
    assert.deepEqual(
      hooks.map((h) => [h.id, h.entry, h.language, h.language_version]),
      [['pg-pitr', 'pg-pitr lint', 'node', 'system']],
    );
  });

  it('fails on a postgresql.conf whose archive_command always succeeds, and prints the finding', () => {
    const r = tryRepo('--files', 'db/postgresql.conf');
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /pg-pitr lint\.+Failed/);
    assert.ok(
      r.out.includes(
        `${path.join(user, 'db/postgresql.conf')}:2:19: error archive-command-always-succeeds: archive_command can never report a failure`,
      ),
      r.out,
    );
  });

  it('passes on a clean postgresql.conf and conf.d file, and does not lint a broken *.example', () => {
    const r = tryRepo('--files', 'clean/postgresql.conf', 'clean/conf.d/archive.conf', 'notes/postgresql.conf.example');
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /pg-pitr lint\.+Passed/);
    assert.doesNotMatch(r.out, /postgresql\.conf\.example/);
  });
});
