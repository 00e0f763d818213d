// The archive_command pg-pitr offers (quick fix and snippet) against a real server: when a segment
// is archived a second time, as after a crash, it succeeds if the archived copy is identical, where
// the plain `test ! -f` guard of the documentation fails and stalls archiving.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { idempotentArchiveCommand } from '../../src/core/lint/shellSettings';
import { type Cluster, createCluster, makeTempDir, requireServer } from '../support/postgresServers';

async function archiveSegment(c: Cluster): Promise<string> {
  await c.query('CREATE TABLE IF NOT EXISTS t (i int)');
  await c.query('INSERT INTO t SELECT generate_series(1, 100)');
  const [{ f }] = await c.query<{ f: string }>('SELECT pg_walfile_name(pg_switch_wal()) AS f');
  return f;
}

async function waitArchived(c: Cluster, seg: string, ms = 20000): Promise<{ archived: boolean; failed: number }> {
  const end = Date.now() + ms;
  for (;;) {
    const [r] = await c.query<{ last_archived_wal: string | null; failed_count: string }>(
      'SELECT last_archived_wal, failed_count FROM pg_stat_archiver',
    );
    if (r.last_archived_wal !== null && r.last_archived_wal >= seg)
      return { archived: true, failed: Number(r.failed_count) };
    if (Date.now() > end) return { archived: false, failed: Number(r.failed_count) };
    await new Promise((res) => setTimeout(res, 200));
  }
}

/**
 * Makes the server archive `seg` again, as after a crash that lost the .done rename: the segment
 * is back in pg_wal (from the archive, byte for byte) and marked .ready.
 */
async function rearchive(c: Cluster, archive: string, seg: string): Promise<void> {
  await c.stop();
  const walDir = path.join(c.dataDir, 'pg_wal');
  const { uid, gid } = fs.statSync(walDir);
  fs.copyFileSync(path.join(archive, seg), path.join(walDir, seg));
  fs.chownSync(path.join(walDir, seg), uid, gid);
  fs.rmSync(path.join(walDir, 'archive_status', `${seg}.done`), { force: true });
  fs.writeFileSync(path.join(walDir, 'archive_status', `${seg}.ready`), '');
  fs.chownSync(path.join(walDir, 'archive_status', `${seg}.ready`), uid, gid);
}

for (const major of [12, 18]) {
  describe(`re-archiving an already archived segment on PostgreSQL ${major}`, function () {
    this.timeout(120000);
    before(function () {
      requireServer(major, this);
    });

    for (const [label, command, expectOk] of [
      ['pg-pitr idempotent command', (dir: string) => idempotentArchiveCommand(dir), true],
      ['plain test ! -f guard', (dir: string) => `test ! -f ${dir}/%f && cp %p ${dir}/%f`, false],
    ] as const) {
      it(`${label}: ${expectOk ? 'succeeds again, archiving goes on' : 'fails and archiving stalls'}`, async () => {
        const archive = makeTempDir('pg-pitr-idem-');
        const c = await createCluster(major);
        try {
          const conf = ['wal_level=replica', 'archive_mode=on', `archive_command=${command(archive)}`];
          await c.start(conf);
          const seg = await archiveSegment(c);
          assert.equal((await waitArchived(c, seg)).archived, true, 'first archiving works');
          assert.equal(fs.existsSync(path.join(archive, seg)), true);
          await rearchive(c, archive, seg);
          await c.start(conf);
          const next = await archiveSegment(c);
          const r = await waitArchived(c, next, expectOk ? 20000 : 5000);
          if (expectOk) {
            assert.equal(r.archived, true, 'later segments are archived');
            assert.equal(r.failed, 0);
            assert.equal(fs.existsSync(path.join(archive, next)), true);
            assert.deepEqual(
              fs.readdirSync(archive).filter((f) => f.endsWith('.tmp')),
              [],
              'no temporary file left',
            );
          } else {
            assert.equal(r.archived, false, 'archiving is stuck on the re-archived segment');
            assert.ok(r.failed > 0, 'failures are counted');
          }
        } finally {
          await c.destroy();
          fs.rmSync(archive, { recursive: true, force: true });
        }
      });
    }

    it('pg-pitr idempotent command refuses a different file already in the archive', async () => {
      const archive = makeTempDir('pg-pitr-idem-');
      const c = await createCluster(major);
      try {
        const conf = ['wal_level=replica', 'archive_mode=on', `archive_command=${idempotentArchiveCommand(archive)}`];
        await c.start(conf);
        const [{ f }] = await c.query<{ f: string }>('SELECT pg_walfile_name(pg_current_wal_lsn()) AS f');
        fs.writeFileSync(path.join(archive, f), 'another cluster wrote this');
        fs.chownSync(path.join(archive, f), fs.statSync(archive).uid, fs.statSync(archive).gid);
        await archiveSegment(c);
        const r = await waitArchived(c, f, 5000);
        assert.equal(r.archived, false);
        assert.ok(r.failed > 0);
        assert.equal(
          fs.readFileSync(path.join(archive, f), 'utf8'),
          'another cluster wrote this',
          'the foreign file is never overwritten',
        );
      } finally {
        await c.destroy();
        fs.rmSync(archive, { recursive: true, force: true });
      }
    });
  });
}
