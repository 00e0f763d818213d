// A clone inside a private (0700) folder, as root keeps one in /root/pg-pitr: its real-server tests
// pass, because the server user runs the PostgreSQL programs from serverFiles.ts's cache. Made
// cheap: the tracked files are copied, node_modules linked except the one server package used.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { osUser, requireServer } from '../support/postgresServers';
import { reachableBy, serverTmpDir } from '../support/serverFiles';

const ROOT = path.resolve(__dirname, '..', '..');
const MAJOR = 16;
/** a real-server test file of the suite that needs PostgreSQL 16 only */
const SPEC = 'test/integration/server/checkServerArchiveTimeout.test.ts';

/** The files git knows (tracked, or new and not ignored) as they are in this work tree. */
function copyWorkTree(to: string): number {
  const r = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (r.status !== 0) throw new Error(`git ls-files failed: ${r.stderr || r.error?.message}`);
  let n = 0;
  for (const rel of r.stdout.split('\0').filter(Boolean)) {
    const from = path.join(ROOT, rel);
    if (!fs.existsSync(from)) continue; // deleted in the work tree
    fs.mkdirSync(path.dirname(path.join(to, rel)), { recursive: true });
    fs.copyFileSync(from, path.join(to, rel));
    n++;
  }
  return n;
}

/** node_modules of the clone: links to ours, except the server package, which is really inside. */
function linkNodeModules(to: string): void {
  const ours = path.join(ROOT, 'node_modules');
  fs.mkdirSync(path.join(to, 'node_modules'));
  for (const name of fs.readdirSync(ours)) {
    const dest = path.join(to, 'node_modules', name);
    if (name === `pg${MAJOR}`) {
      // hard links where possible (same file system), else a copy: either way a folder inside the clone
      const cp = spawnSync('cp', ['-al', fs.realpathSync(path.join(ours, name)), dest], { timeout: 60_000 });
      if (cp.status !== 0) {
        fs.rmSync(dest, { recursive: true, force: true });
        fs.cpSync(fs.realpathSync(path.join(ours, name)), dest, { recursive: true, verbatimSymlinks: true });
      }
    } else {
      fs.symlinkSync(fs.realpathSync(path.join(ours, name)), dest);
    }
  }
}

describe('a clone inside a private (0700) folder', function () {
  this.timeout(600_000);
  let tmp: string;
  let cache: string;

  before(function () {
    requireServer(MAJOR, this);
  });

  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    if (cache) fs.rmSync(cache, { recursive: true, force: true });
  });

  it(`passes a real-server test file (${path.basename(SPEC)}), installing the server programs from scratch`, () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-private-'));
    assert.equal(fs.statSync(tmp).mode & 0o777, 0o700);
    const clone = path.join(tmp, 'pg-pitr');
    fs.mkdirSync(clone);
    assert.ok(copyWorkTree(clone) > 100, 'the work tree was copied');
    linkNodeModules(clone);
    const postgres = path.join(clone, 'node_modules', `pg${MAJOR}`, 'native', 'bin', 'postgres');
    assert.ok(fs.existsSync(postgres));
    if (process.getuid?.() === 0) {
      // what made the tests fail before: the server user cannot reach the clone's programs
      assert.equal(reachableBy(osUser(), path.dirname(postgres)), false, `${osUser().name} can reach ${postgres}`);
    }
    // a cache of its own, so that the install itself is part of the proof
    cache = fs.mkdtempSync(path.join(serverTmpDir(osUser()), 'pg-pitr-private-cache-'));
    fs.chmodSync(cache, 0o755);

    const r = spawnSync(process.execPath, [path.join(clone, 'node_modules', 'mocha', 'bin', 'mocha.js'), SPEC], {
      cwd: clone,
      env: { ...process.env, PG_PITR_SERVER_CACHE: cache, CI: 'true' },
      encoding: 'utf8',
      timeout: 540_000,
    });
    const out = `${r.stdout}${r.stderr}`;
    assert.equal(r.status, 0, out);
    assert.match(out, /^\s+2 passing/m, out);
    assert.doesNotMatch(out, /failing|pending/, out);
    // the programs ran from the cache: one installed copy of the package, readable by everyone
    const postgresCache = path.join(cache, 'postgres');
    const installed = fs.existsSync(postgresCache)
      ? fs.readdirSync(postgresCache).filter((n) => !n.startsWith('.'))
      : [];
    assert.equal(installed.length, process.getuid?.() === 0 ? 1 : 0, installed.join(', '));
  });
});
