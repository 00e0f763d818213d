// A drill never reaches production, on a spread of majors: a backup taken with -R (standby.signal
// and primary_conninfo, here pointing at a TCP listener the test owns; recovery.conf with
// standby_mode on 10-11) recovers from the archive without one connection reaching the listener;
// production's archive_cleanup_command and recovery_end_command (each would touch a sentinel file)
// never run; the archive's names, sizes and mtimes are the same before and after. A positive
// control proves the listener sees a standby's connection attempt.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

import { archiveSnapshot, chownTreeToServerUser, copyTree, DataDirServer, snapshotDiff } from '../../support/pitrDrill';
import { requireServer } from '../../support/postgresServers';
import { waitFor } from '../../support/waitFor';
import { drill, type DrillFixture, explain, ROWS_SQL, rowsOf, sharedDrillFixture } from './drillFixture';

interface Listener {
  port: number;
  connections: () => number;
  close: () => Promise<void>;
}

function listen(): Promise<Listener> {
  return new Promise((resolve) => {
    let n = 0;
    const sockets = new Set<net.Socket>();
    const srv = net.createServer((s) => {
      n++;
      sockets.add(s);
      s.on('error', () => undefined);
      s.destroy();
    });
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address() as net.AddressInfo;
      resolve({ port: a.port, connections: () => n, close: () => new Promise((r) => srv.close(() => r())) });
    });
  });
}

/** The backup as `pg_basebackup -R` leaves it, plus production's cleanup commands touching sentinels. */
function hostileBackup(f: DrillFixture, port: number, sentinels: { cleanup: string; end: string }): string {
  const dir = path.join(f.root, `hostile-${port}`);
  copyTree(f.backup.dataDir, dir);
  const conninfo = `user=postgres host=127.0.0.1 port=${port} sslmode=disable`;
  const commands = `archive_cleanup_command = 'touch ${sentinels.cleanup}'\nrecovery_end_command = 'touch ${sentinels.end}'\n`;
  if (f.major >= 12) {
    fs.writeFileSync(path.join(dir, 'standby.signal'), '');
    fs.appendFileSync(
      path.join(dir, 'postgresql.auto.conf'),
      `primary_conninfo = '${conninfo}'\nprimary_slot_name = 'drill_slot'\n${commands}`,
    );
  } else {
    fs.writeFileSync(
      path.join(dir, 'recovery.conf'),
      `standby_mode = 'on'\nprimary_conninfo = '${conninfo}'\nprimary_slot_name = 'drill_slot'\n${commands}`,
    );
  }
  chownTreeToServerUser(dir);
  return dir;
}

describe('pg-pitr drill never touches production', function () {
  for (const major of [10, 13, 16, 18]) {
    describe(`PostgreSQL ${major}`, function () {
      this.timeout(180_000);
      let f: DrillFixture;
      let listener: Listener;
      before(async function () {
        if (!requireServer(major, this)) return;
        f = await sharedDrillFixture(major);
        listener = await listen();
      });
      after(async () => {
        await listener?.close();
      });

      it('a -R backup with production cleanup commands: recovered, no connection to the primary, no command run, archive unchanged', async () => {
        const sentinels = { cleanup: path.join(f.root, 'cleanup-ran'), end: path.join(f.root, 'end-ran') };
        const backup = hostileBackup(f, listener.port, sentinels);
        const before = archiveSnapshot(f.archive);
        const r = await drill(
          f,
          [
            '--archive',
            f.archive,
            '--check-sql',
            ROWS_SQL,
            '--check-sql',
            "SELECT current_setting('archive_mode')",
            '--keep',
          ],
          backup,
        );
        try {
          assert.equal(r.code, 0, explain(r));
          assert.equal(rowsOf(r.report), '1,2,3,4,5,6');
          assert.deepEqual(r.report.checks[1], {
            name: "SELECT current_setting('archive_mode')",
            ok: true,
            detail: 'off',
          });
          assert.equal(listener.connections(), 0, 'a connection reached the "primary"');
          assert.deepEqual(
            [fs.existsSync(sentinels.cleanup), fs.existsSync(sentinels.end)],
            [false, false],
            'a production command ran',
          );
          assert.deepEqual(snapshotDiff(before, archiveSnapshot(f.archive)), []);
          if (major >= 12) {
            assert.ok(
              r.report.warnings.includes(
                'standby.signal removed (a -R backup): the copy recovers from the archive and never follows the primary',
              ),
              r.report.warnings.join('\n'),
            );
            const auto = fs.readFileSync(path.join(r.report.scratch!, 'data', 'postgresql.auto.conf'), 'utf8');
            for (const name of [
              'primary_conninfo',
              'primary_slot_name',
              'archive_cleanup_command',
              'recovery_end_command',
            ]) {
              assert.match(auto, new RegExp(`^# neutralised by pg-pitr drill: ${name} = `, 'm'), name);
            }
          } else {
            // the generator rewrote recovery.conf whole (renamed recovery.done after recovery); the old one is kept
            const data = path.join(r.report.scratch!, 'data');
            assert.doesNotMatch(
              fs.readFileSync(path.join(data, 'recovery.done'), 'utf8'),
              /primary_conninfo|standby_mode|cleanup|end_command/,
            );
          }
          const hba = fs.readFileSync(path.join(r.report.scratch!, 'pg_hba.drill.conf'), 'utf8');
          assert.match(hba, /^local all all trust$/m);
          assert.doesNotMatch(hba, /host/);
        } finally {
          fs.rmSync(r.report.scratch!, { recursive: true, force: true });
        }
      });

      if (major === 16) {
        it('positive control: the same copy started as a standby does connect to the listener', async () => {
          const sentinels = { cleanup: path.join(f.root, 'c2'), end: path.join(f.root, 'e2') };
          const backup = hostileBackup(f, listener.port, sentinels);
          const work = path.join(f.root, 'control');
          fs.mkdirSync(work);
          chownTreeToServerUser(work);
          const data = path.join(work, 'data');
          copyTree(backup, data);
          fs.appendFileSync(
            path.join(data, 'postgresql.auto.conf'),
            `archive_mode = 'off'\nrestore_command = 'cp ${f.archive}/%f %p'\n`,
          );
          const before = listener.connections();
          const server = new DataDirServer(major, data, work);
          try {
            await server.start();
            await waitFor('a connection attempt to the listener', async () => listener.connections() > before, 20_000);
          } finally {
            await server.stop();
          }
        });
      }
    });
  }
});
