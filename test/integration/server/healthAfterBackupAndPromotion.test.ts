// The health's "archiving behind" trail right after a base backup and right after a promotion, on
// real servers. PostgreSQL decides what pg_stat_archiver.last_archived_wal then says (seen on 13, 16
// and 18): the backup history file <start segment>.<offset>.backup after a backup, the old timeline's
// <segment>.partial after a promotion (00000002.history is archived before it). An archive_command
// that is not found stops the archiver with FATAL and is not counted in failed_count, so only the
// trail can tell that archiving stopped.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { checkServer } from '../../../src/core/server/checkServer';
import type { CheckResult, ServerProfile } from '../../../src/core/server/types';
import { parseSegmentName } from '../../../src/core/wal/segmentNames';
import { lowLevelBackupMarks, setArchiveCommand, switchWal } from '../../support/archivingWorkload';
import { type Cluster, createCluster, makeTempDir, osUser, requireServer } from '../../support/postgresServers';
import { waitFor } from '../../support/waitFor';

const MB16 = 16 * 1024 * 1024;
const MAJORS_HERE = [13, 18];

async function lastArchived(c: Cluster): Promise<string | null> {
  return (await c.query<{ w: string | null }>('SELECT last_archived_wal AS w FROM pg_stat_archiver'))[0].w;
}

function behind(r: CheckResult): string | undefined {
  return r.reasons.find((x) => x.id === 'archiving-behind')?.message;
}

const segno = (name: string) => parseSegmentName(name.slice(0, 24), MB16)!.segno;

for (const major of MAJORS_HERE) {
  describe(`health after a base backup and a promotion on a real PostgreSQL ${major}`, function () {
    this.timeout(120000);
    let c: Cluster;
    let archive: string;
    let profile: ServerProfile;
    const notFound = '/nonexistent/pg-pitr-archive-command-not-found %p';
    const cp = () => `cp %p ${archive}/%f`;
    // archive_command through ALTER SYSTEM: a -c option at start would win over it for good
    const conf = ['archive_mode=on', 'wal_level=replica'];

    before(async function () {
      if (!requireServer(major, this)) return;
      c = await createCluster(major);
      archive = makeTempDir('pg-pitr-health-archive');
      const u = osUser();
      fs.chownSync(archive, u.uid, u.gid);
      await c.start(conf);
      await setArchiveCommand(c, cp());
      await c.query('CREATE TABLE t (i int)');
      profile = {
        name: `pg${major}`,
        host: '127.0.0.1',
        port: c.port!,
        user: 'postgres',
        database: 'postgres',
        sslmode: 'disable',
        archive,
      };
    });

    after(async () => {
      await c?.destroy();
      if (archive) fs.rmSync(archive, { recursive: true, force: true });
    });

    it("archiving that stops after a base backup is behind, measured from the backup's stop segment", async () => {
      await c.query('SELECT pg_switch_wal()');
      await lowLevelBackupMarks(c, 'health test');
      const backupName = await waitFor(
        'the backup history file archived',
        async () => {
          const w = await lastArchived(c);
          return w !== null && /^[0-9A-F]{24}\.[0-9A-F]{8}\.backup$/.test(w) ? w : null;
        },
        30000,
      );
      const history = fs.readFileSync(path.join(archive, backupName), 'utf8');
      const stopWal = /^STOP WAL LOCATION: \S+ \(file ([0-9A-F]{24})\)$/m.exec(history)![1];

      const idle = await checkServer(profile, { env: {}, homeDir: '/nonexistent-home', behindWarning: 2 });
      assert.equal(idle.archiver?.lastArchivedWal, backupName);
      assert.equal(behind(idle), undefined, 'an idle server right after its backup is not behind');

      await setArchiveCommand(c, notFound);
      await switchWal(c, 4, { wait: false, table: 't' });
      const r = await checkServer(profile, { env: {}, homeDir: '/nonexistent-home', behindWarning: 2 });
      assert.equal(r.archiver?.lastArchivedWal, backupName);
      assert.equal(r.archiver?.failedCount, 0, 'a command that is not found is not counted');
      const current = r.wal!.currentWal!;
      assert.equal(
        behind(r),
        `archiving is ${segno(current) - segno(stopWal) - 1n} segments behind: last archived ${backupName}, ` +
          `the server is writing ${current} (a command killed by a signal or not found is not counted in failed_count)`,
      );
    });

    it('archiving that stops after a promotion is behind, measured across the timeline switch from the .partial', async () => {
      await setArchiveCommand(c, cp());
      await c.stop();
      const signal = path.join(c.dataDir, 'standby.signal');
      fs.writeFileSync(signal, '');
      const u = osUser();
      fs.chownSync(signal, u.uid, u.gid);
      await c.start([...conf, `restore_command=cp ${archive}/%f %p`]);
      await c.query('SELECT pg_promote(true, 60)');
      const partial = await waitFor(
        'the .partial archived',
        async () => {
          const w = await lastArchived(c);
          return w !== null && w.endsWith('.partial') ? w : null;
        },
        30000,
      );
      assert.ok(fs.existsSync(path.join(archive, '00000002.history')));
      profile = { ...profile, port: c.port! };

      const idle = await checkServer(profile, { env: {}, homeDir: '/nonexistent-home', behindWarning: 2 });
      assert.equal(idle.wal?.timeline, 2);
      assert.equal(idle.archiver?.lastArchivedWal, partial);
      assert.equal(behind(idle), undefined, 'a freshly promoted idle server is not behind');

      await setArchiveCommand(c, notFound);
      await switchWal(c, 4, { wait: false, table: 't' });
      const r = await checkServer(profile, { env: {}, homeDir: '/nonexistent-home', behindWarning: 2 });
      const current = r.wal!.currentWal!;
      assert.equal(current.slice(0, 8), '00000002');
      assert.equal(r.archiver?.lastArchivedWal, partial);
      assert.equal(
        behind(r),
        `archiving is ${segno(current) - segno(partial)} segments behind: last archived ${partial}, the server is writing ${current} ` +
          `(a command killed by a signal or not found is not counted in failed_count)`,
      );
    });
  });
}
