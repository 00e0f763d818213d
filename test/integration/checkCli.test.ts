// `pg-pitr check` against real PostgreSQL 10-18: archiving working, failing (archive_command =
// 'false'), archiving off, and a server that cannot be reached. Nagios exit codes 0/1/2/3.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

import { lowLevelBackupMarks, switchWal } from '../support/archivingWorkload';
import { type Cluster, createCluster, MAJORS, makeTempDir, requireServer } from '../support/postgresServers';

const CLI = path.resolve(__dirname, '../../dist/cli.js');

function run(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; out: string; err: string; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, 'check', ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (b) => (out += b));
    p.stderr.on('data', (b) => (err += b));
    p.on('close', (code) => resolve({ code, out, err, ms: Date.now() - t0 }));
  });
}

const conninfo = (c: Cluster) => `host=127.0.0.1 port=${c.port} user=postgres dbname=postgres`;

for (const major of MAJORS) {
  describe(`pg-pitr check on PostgreSQL ${major}`, function () {
    this.timeout(120000);
    let c: Cluster;
    let archive: string;

    before(async function () {
      if (!requireServer(major, this)) return;
      archive = makeTempDir('pg-pitr-check-archive-');
      c = await createCluster(major);
      await c.start(['wal_level=replica', 'archive_mode=on', `archive_command=cp %p ${archive}/%f`]);
      await switchWal(c, 1);
      await lowLevelBackupMarks(c, 'check test');
      await switchWal(c, 1);
    });
    after(async () => {
      await c?.destroy();
      if (archive) fs.rmSync(archive, { recursive: true, force: true });
    });

    it('archiving into a folder with a base backup: OK, exit 0, the documented JSON', async () => {
      const r = await run([conninfo(c), '--format', 'json']);
      assert.equal(r.code, 0, r.out + r.err);
      const j = JSON.parse(r.out);
      for (const k of [
        'server',
        'version',
        'inRecovery',
        'health',
        'reasons',
        'archiver',
        'wal',
        'backlog',
        'slots',
        'archive',
      ])
        assert.ok(k in j, `JSON has ${k}`);
      assert.equal(j.health, 'ok', JSON.stringify(j.reasons));
      assert.equal(j.inRecovery, false);
      assert.match(j.version, new RegExp(`^${major}\\.`));
      assert.equal(j.archiver.failedCount, 0);
      assert.match(j.archiver.lastArchivedWal, /^0{7}1[0-9A-F]{16}$/);
      assert.equal(j.archive.location, archive);
      assert.equal(j.archive.source, 'inferred');
      assert.equal(j.archive.complete, true, j.archive.problems.join('; '));
      assert.equal(j.archive.backups.length, 1);
      assert.deepEqual(
        j.reasons.filter((x: { severity: string }) => x.severity !== 'info'),
        [],
      );
    });

    it("archive_command = 'false': failing, exit 2, the failing segment named", async () => {
      await c.stop();
      await c.start(['wal_level=replica', 'archive_mode=on', 'archive_command=false']);
      const seg = await switchWal(c, 1, { wait: false });
      const end = Date.now() + 30000;
      while (
        (await c.query<{ n: string }>('SELECT failed_count::text AS n FROM pg_stat_archiver'))[0].n === '0' &&
        Date.now() < end
      )
        await new Promise((r) => setTimeout(r, 100));
      const r = await run([conninfo(c), '--format', 'nagios', '--archive', archive]);
      assert.equal(r.code, 2, r.out + r.err);
      const first = r.out.split('\n')[0];
      assert.match(
        first,
        new RegExp(
          `^PGPITR CRITICAL - postgres@127\\.0\\.0\\.1:\\d+/postgres: archive_command is failing: ${seg} failed at `,
        ),
      );
      assert.match(first, / \| archived=\d+c failed=[1-9]\d*c/);
    });

    it('archive_mode = off: failing, exit 2, archiving-off', async () => {
      await c.stop();
      await c.start(['wal_level=replica', 'archive_mode=off']);
      const r = await run([conninfo(c), '--format', 'json']);
      assert.equal(r.code, 2, r.out + r.err);
      const j = JSON.parse(r.out);
      assert.equal(j.health, 'failing');
      assert.equal(j.reasons[0].id, 'archiving-off');
    });
  });
}

describe('pg-pitr check without a server', function () {
  this.timeout(30000);

  it('a closed port: UNKNOWN, exit 3, the cause named', async () => {
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as net.AddressInfo).port;
    await new Promise((r) => srv.close(r));
    const r = await run([`postgresql://postgres@127.0.0.1:${port}/postgres`, '--format', 'nagios']);
    assert.equal(r.code, 3, r.out + r.err);
    assert.match(
      r.out.split('\n')[0],
      new RegExp(`^PGPITR UNKNOWN - .*cannot connect: .*127\\.0\\.0\\.1:${port}.*refused`, 'i'),
    );
  });

  it('a server that accepts and never answers: UNKNOWN within the connect timeout', async () => {
    const sockets: net.Socket[] = [];
    const srv = net.createServer((s) => sockets.push(s));
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as net.AddressInfo).port;
    try {
      const r = await run([`host=127.0.0.1 port=${port} user=postgres`, '--connect-timeout', '1', '--format', 'json']);
      assert.equal(r.code, 3, r.out + r.err);
      assert.equal(JSON.parse(r.out).health, 'unknown');
      // it ends (a generous bound for a busy machine); the JSON says it gave up as unknown
      assert.ok(r.ms < 30_000, `answered in ${r.ms} ms`);
    } finally {
      for (const s of sockets) s.destroy();
      srv.close();
    }
  });

  it('usage errors exit 3 (UNKNOWN), as Nagios plugins do', async () => {
    const r = await run(['--format', 'xml']);
    assert.equal(r.code, 3);
    assert.match(r.err, /--format must be text, json, nagios or openmetrics \(got "xml"\)/);
  });

  it('a password in the URI is used but warned about', async () => {
    const r = await run(['postgresql://u:s3cret-pw@127.0.0.1:1/db', '--connect-timeout', '1', '--format', 'json']);
    assert.match(r.err, /a password on the command line is visible to other users/);
    assert.ok(!r.out.includes('s3cret-pw') && !r.err.includes('s3cret-pw'), 'the password is never printed');
  });
});
