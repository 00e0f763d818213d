// The archive inspector against real PostgreSQL 10-18 archiving with a real archive_command into a
// folder: no gap and a window to the last archived segment; one removed segment is exactly that
// gap; a promotion creates timeline 2 and its history file is followed.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { analyseArchive } from '../../src/core/archive/archiveAnalysis';
import { localSource } from '../../src/core/archive/localSource';
import { s3Source } from '../../src/core/archive/s3Source';
import { lowLevelBackupMarks, switchWal } from '../support/archivingWorkload';
import {
  binDir,
  type Cluster,
  createCluster,
  MAJORS,
  makeTempDir,
  requireServer,
  runAsUser,
} from '../support/postgresServers';
import { S3RVER_CREDENTIALS, type S3TestServer, startS3TestServer } from '../support/s3TestServer';

let s3: S3TestServer | undefined;
let bucketNo = 0;
before(async function () {
  this.timeout(60000);
  s3 = await startS3TestServer();
});
after(async () => {
  await s3?.stop();
});

/** The archive folder uploaded to the S3-compatible test server, analysed through the S3 code path. */
async function analyseViaS3(archive: string, opts: Parameters<typeof analyseArchive>[1] = {}) {
  const bucket = `archive-${++bucketNo}`;
  await s3!.createBucket(bucket);
  // s3rver now and then drops a keep-alive connection under load: retry the upload, not the analysis
  for (let attempt = 1; ; attempt++) {
    try {
      await s3!.uploadFolder(bucket, archive, { prefix: 'pg/wal/', concurrency: 4 });
      break;
    } catch (e) {
      if (attempt >= 3) throw e;
    }
  }
  const src = s3Source(`s3://${bucket}/pg/wal`, {
    endpoint: s3!.endpoint,
    credentials: S3RVER_CREDENTIALS,
    timeoutMs: 10000,
  });
  try {
    return await analyseArchive(src, opts);
  } finally {
    src.close();
  }
}

/** Everything but the location must be the same through both code paths. */
function sameReport(
  a: Awaited<ReturnType<typeof analyseArchive>>,
  b: Awaited<ReturnType<typeof analyseArchive>>,
): void {
  const strip = (r: typeof a) =>
    JSON.parse(
      JSON.stringify({
        ...r,
        location: '',
        backups: r.backups.map((x) => ({ ...x, key: x.key.replace(/^.*\//, '') })),
        anomalies: r.anomalies.map((x) => ({ ...x, name: x.name.replace(/^.*\//, '') })),
      }),
    );
  assert.deepEqual(strip(b), strip(a));
}

for (const major of MAJORS) {
  describe(`archive inspector on a real PostgreSQL ${major} archive`, function () {
    this.timeout(120000);
    let c: Cluster;
    let archive: string;
    let conf: string[];
    let last: string;
    let backupStop: string;

    before(async function () {
      if (!requireServer(major, this)) return;
      archive = makeTempDir('pg-pitr-archive-');
      c = await createCluster(major);
      conf = ['wal_level=replica', 'archive_mode=on', `archive_command=cp %p ${archive}/%f`, 'max_wal_senders=2'];
      await c.start(conf);
      await c.query('CREATE TABLE t (i int)');
      await switchWal(c, 2, { table: 't' });
      backupStop = (await lowLevelBackupMarks(c, 'inspector test')).stopLsn;
      last = await switchWal(c, 3, { table: 't' });
    });
    after(async () => {
      await c?.destroy();
      if (archive) fs.rmSync(archive, { recursive: true, force: true });
    });

    it('finds no gap, the base backup, and a window to the last archived segment', async () => {
      const r = await analyseArchive(localSource(archive));
      assert.equal(r.layout, 'flat');
      assert.equal(r.segmentSize, 16 * 1024 * 1024);
      assert.equal(r.segmentSizeSource, 'file sizes');
      assert.deepEqual(
        r.timelines.map((t) => [t.timeline, t.last, t.gaps]),
        [[1, last, []]],
      );
      assert.equal(r.backups.length, 1);
      assert.equal(r.backups[0].label, 'inspector test');
      assert.equal(r.backups[0].stopLsn, backupStop.toUpperCase());
      assert.deepEqual(
        r.windows.map((w) => [w.backup, w.from.lsn, w.to.wal]),
        [[r.backups[0].startWal, backupStop.toUpperCase(), last]],
      );
      assert.equal(r.complete, true, r.problems.join('; '));
      sameReport(r, await analyseViaS3(archive));
    });

    it('one removed segment is exactly that gap', async () => {
      const names = fs
        .readdirSync(archive)
        .filter((f) => /^[0-9A-F]{24}$/.test(f))
        .sort();
      const victim = names[names.length - 2];
      const saved = fs.readFileSync(path.join(archive, victim));
      fs.rmSync(path.join(archive, victim));
      try {
        const r = await analyseArchive(localSource(archive));
        assert.deepEqual(r.timelines[0].gaps, [{ from: victim, to: victim, missing: 1, class: 'lost' }]);
        assert.equal(r.complete, false);
        assert.equal(r.windows[0].to.wal, names[names.length - 3]);
      } finally {
        fs.writeFileSync(path.join(archive, victim), saved);
      }
    });

    it('a promotion creates timeline 2; the inspector follows its history file', async () => {
      await c.stop();
      const restore = `cp ${archive}/%f %p`;
      const signal = path.join(c.dataDir, major >= 12 ? 'standby.signal' : 'recovery.conf');
      fs.writeFileSync(signal, major >= 12 ? '' : `standby_mode = on\nrestore_command = '${restore}'\n`);
      // the server renames recovery.conf durably at promotion: it must own it
      const { uid, gid } = fs.statSync(c.dataDir);
      fs.chownSync(signal, uid, gid);
      await c.start(major >= 12 ? [...conf, `restore_command=${restore}`] : conf);
      const pr = await runAsUser(path.join(binDir(major), 'pg_ctl'), ['promote', '-w', '-t', '30', '-D', c.dataDir], {
        timeoutMs: 40000,
      });
      assert.equal(pr.code, 0, pr.stderr);
      const [{ tli }] = await c.query<{ tli: string }>('SELECT timeline_id::text AS tli FROM pg_control_checkpoint()');
      void tli;
      const seg = await switchWal(c, 2, { table: 't' });
      assert.equal(seg.slice(0, 8), '00000002');
      assert.ok(fs.existsSync(path.join(archive, '00000002.history')), 'the history file is archived');
      const r = await analyseArchive(localSource(archive), { serverTimeline: 2 });
      assert.deepEqual(
        r.timelines.map((t) => [t.timeline, t.parent]),
        [
          [1, null],
          [2, 1],
        ],
      );
      assert.deepEqual(r.windows[0].timelines, [1, 2]);
      assert.equal(r.windows[0].to.wal, seg);
      assert.equal(r.complete, true, r.problems.join('; '));
      assert.ok(
        r.anomalies.some((a) => a.kind === 'partial-segment'),
        "the old timeline's last segment is archived as .partial",
      );
      sameReport(r, await analyseViaS3(archive, { serverTimeline: 2 }));
    });
  });
}
