// `npm run demo` as a newcomer uses it: the printed URLs work, PostgreSQL archives WAL, and
// Ctrl-C stops and removes everything the demo started.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { Client } from 'pg';

import { requireServer } from '../support/postgresServers';

const ROOT = path.resolve(__dirname, '../..');

describe('npm run demo', function () {
  this.timeout(240000);
  before(function () {
    requireServer(17, this);
  });

  it('prints working URLs, archives WAL, and Ctrl-C removes what it started', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo/demo.ts'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (b) => (out += b.toString()));
    child.stderr.on('data', (b) => (out += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    try {
      const deadline = Date.now() + 180000;
      while (!/Press Ctrl-C/.test(out)) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`demo did not come up:\n${out}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const vscodeUrl = /VS Code:\s+(\S+)/.exec(out)![1];
      const pgUrl = /PostgreSQL:\s+(\S+)/.exec(out)![1];
      const archive = /archive: ([^)]+)\)/.exec(out)![1];
      const workspace = decodeURI(new URL(vscodeUrl).searchParams.get('folder')!);
      assert.match(vscodeUrl, /^http:\/\/127\.0\.0\.1:\d+\/\?folder=/);
      const page = await fetch(vscodeUrl);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<html/i);
      assert.ok(
        fs.existsSync(path.join(workspace, 'postgresql.conf')) &&
          fs.existsSync(path.join(workspace, 'conf.d', '10-recovery.conf')) &&
          fs.existsSync(path.join(workspace, 'migrations')),
      );

      const client = new Client({ connectionString: pgUrl, connectionTimeoutMillis: 10000 });
      await client.connect();
      try {
        await client.query('CREATE TABLE demo_t AS SELECT g FROM generate_series(1, 1000) g');
        const seg = (await client.query('SELECT pg_walfile_name(pg_switch_wal()) AS f')).rows[0].f as string;
        const end = Date.now() + 30000;
        while (!fs.existsSync(path.join(archive, seg))) {
          if (Date.now() > end) throw new Error(`${seg} never reached ${archive}`);
          await new Promise((r) => setTimeout(r, 200));
        }
      } finally {
        await client.end();
      }

      // the two servers the Servers view shows: one healthy (with a base backup), one failing
      const failingUrl = /Failing:\s+(\S+)/.exec(out)![1];
      const check = (url: string) =>
        spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'check', url, '--format', 'json'], {
          encoding: 'utf8',
          timeout: 60000,
        });
      const ok = check(pgUrl);
      assert.equal(ok.status, 0, ok.stdout + ok.stderr);
      const bad = check(failingUrl);
      assert.equal(bad.status, 2, bad.stdout + bad.stderr);
      assert.equal(JSON.parse(bad.stdout).reasons[0].id, 'archiving-failing');

      child.kill('SIGINT');
      assert.equal(await exited, 0);
      assert.match(out, /Everything the demo started is stopped and removed/);
      assert.equal(fs.existsSync(workspace), false, 'workspace removed');
      assert.equal(fs.existsSync(archive), false, 'archive removed');
      await assert.rejects(fetch(vscodeUrl), 'VS Code server stopped');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
