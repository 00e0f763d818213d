// Restore points on real servers 10..18: the LSN createRestorePoint returns is where the server
// wrote the restore point record (read back from the WAL file), the name limit is 63 bytes with the
// server's own message, and a standby refuses with PostgreSQL's message.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { Client } from 'pg';

import {
  baseBackupPreflight,
  walSendersInUseQuery,
  type WalSendersInUseRow,
} from '../../../src/core/basebackup/baseBackupArgs';
import {
  createRestorePoint,
  RECOVERY_IN_PROGRESS,
  RESTORE_POINT_NAME_TOO_LONG,
  suggestRestorePointName,
  validateRestorePointName,
} from '../../../src/core/server/restorePoints';
import type { ServerConnection } from '../../../src/core/server/types';
import { type Cluster, createCluster, MAJORS, osUser, requireServer } from '../../support/postgresServers';
import { productConnection } from './productConnection';

const SEGMENT = 16 * 1024 * 1024;
const STANDBY_MAJORS: readonly number[] = [10, 12, 18];
const PAGE = 8192;

function lsnValue(lsn: string): bigint {
  const [hi, lo] = lsn.split('/');
  return (BigInt(`0x${hi}`) << 32n) | BigInt(`0x${lo}`);
}

/**
 * The `count` bytes of WAL just before `lsn`, from the segment file, without the page headers in
 * between (24 bytes at each 8 kB page, 40 at the segment start).
 */
function walBytesBefore(dataDir: string, wal: string, lsn: string, count: number): Buffer {
  let end = Number(lsnValue(lsn) % BigInt(SEGMENT));
  if (end === 0) end = SEGMENT; // the record ends exactly at the end of its segment
  const file = fs.readFileSync(path.join(dataDir, 'pg_wal', wal));
  const out: number[] = [];
  let pos = end;
  while (out.length < count && pos > 0) {
    pos--;
    const inPage = pos % PAGE;
    const header = pos < PAGE ? 40 : 24;
    if (inPage < header) {
      pos -= inPage; // skip the header of this page
      continue;
    }
    out.push(file[pos]!);
  }
  return Buffer.from(out.reverse());
}

async function serverError(
  c: Cluster,
  sql: string,
  params: unknown[],
): Promise<{ code: string; message: string; hint?: string }> {
  try {
    await c.query(sql, params);
  } catch (e) {
    const err = e as { code: string; message: string; hint?: string };
    return { code: err.code, message: err.message, hint: err.hint };
  }
  assert.fail(`no error from ${sql}`);
}

for (const major of MAJORS) {
  describe(`restore points on PostgreSQL ${major}`, function () {
    let cluster: Cluster;
    let conn: ServerConnection;

    before(async function () {
      requireServer(major, this);
      cluster = await createCluster(major);
      await cluster.start(['wal_level=replica', 'max_wal_senders=3']);
      conn = await productConnection(cluster.port!);
    });
    after(async () => {
      await conn?.close();
      await cluster?.destroy();
    });

    it('createRestorePoint, on a read-only connection, returns where the server wrote the record', async () => {
      assert.deepEqual(await conn.query('SHOW default_transaction_read_only'), [
        { default_transaction_read_only: 'on' },
      ]);
      const name = suggestRestorePointName(`drop orders on ${major}`, new Date());
      const before = Date.now();
      const p = await createRestorePoint(conn, name);
      const [server] = await cluster.query<{ wal: string; passed: boolean; sysid: string; seg: string }>(
        'SELECT pg_walfile_name($1::pg_lsn) AS wal, pg_current_wal_insert_lsn() >= $1::pg_lsn AS passed, ' +
          "(SELECT system_identifier::text FROM pg_control_system()) AS sysid, current_setting('wal_segment_size') AS seg",
        [p.lsn],
      );
      assert.equal(server!.seg, '16MB');
      assert.equal(p.name, name);
      assert.equal(p.wal, server!.wal);
      assert.equal(server!.passed, true);
      assert.equal(p.timeline, 1);
      assert.equal(p.systemId, server!.sysid);
      assert.match(p.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
      assert.ok(Math.abs(Date.parse(p.time) - before) < 10_000, `${p.time} vs ${new Date(before).toISOString()}`);
      // the record: xl_restore_point {rp_time, rp_name[64]} is the record's last 72 bytes, 6 bytes of
      // alignment before the returned (end) LSN; the switch flushes it to the segment file
      await cluster.query('SELECT pg_switch_wal()');
      const tail = walBytesBefore(cluster.dataDir, p.wal, p.lsn, 70);
      assert.equal(tail.subarray(0, name.length + 1).toString('latin1'), `${name}\0`);
    });

    it("a name of 64 bytes: refused by validateRestorePointName with the server's own message", async () => {
      for (const name of ['a'.repeat(64), 'é'.repeat(32)]) {
        const err = await serverError(cluster, 'SELECT pg_create_restore_point($1)', [name]);
        assert.deepEqual([err.code, err.message], ['22023', RESTORE_POINT_NAME_TOO_LONG]);
        const ours = validateRestorePointName(name);
        assert.ok(ours?.startsWith(`${RESTORE_POINT_NAME_TOO_LONG}: this name is 64 bytes`), ours ?? 'null');
        await assert.rejects(createRestorePoint(conn, name), { message: ours });
      }
      // 63 bytes in 32 characters: accepted by both
      const name = `${'é'.repeat(31)}a`;
      assert.equal(validateRestorePointName(name), null);
      const p = await createRestorePoint(conn, name);
      assert.equal(p.name, name);
    });

    // (here to reuse the cluster) the room pg_basebackup's preflight reads: every WAL sender counts
    it('walSendersInUseQuery counts WAL senders, and a sender over max_wal_senders is refused', async () => {
      const row = async () => (await conn.query<WalSendersInUseRow>(walSendersInUseQuery))[0]!;
      assert.deepEqual(await row(), {
        wal_senders_in_use: 0,
        max_wal_senders: 3,
        replication_slots_in_use: 0,
        max_replication_slots: 10,
      });
      const senders: Client[] = [];
      try {
        for (let i = 0; i < 3; i++) {
          const c = new Client({
            host: '127.0.0.1',
            port: cluster.port!,
            user: 'postgres',
            database: 'postgres',
            replication: 'database',
          } as object);
          c.on('error', () => undefined);
          await c.connect();
          senders.push(c);
        }
        const r = await row();
        assert.equal(r.wal_senders_in_use, 3);
        assert.deepEqual(
          baseBackupPreflight({
            clientMajor: major,
            serverMajor: major,
            maxWalSenders: r.max_wal_senders,
            walSendersInUse: r.wal_senders_in_use,
            walMethod: 'fetch',
          }).errors,
          [
            'max_wal_senders = 3 with 3 in use leaves 0 free: pg_basebackup needs 1 ("number of requested ' +
              'standby connections exceeds max_wal_senders"); raise max_wal_senders (takes a restart) or wait for a WAL sender to end',
          ],
        );
        const extra = new Client({
          host: '127.0.0.1',
          port: cluster.port!,
          user: 'postgres',
          database: 'postgres',
          replication: 'database',
        } as object);
        extra.on('error', () => undefined);
        // 17+ quote the parameter name
        const refusal =
          major >= 17
            ? 'number of requested standby connections exceeds "max_wal_senders" (currently 3)'
            : 'number of requested standby connections exceeds max_wal_senders (currently 3)';
        await assert.rejects(extra.connect(), { message: refusal });
      } finally {
        await Promise.all(senders.map((c) => c.end().catch(() => undefined)));
      }
    });

    // the same code on every major; 10 (recovery.conf), 12 (standby.signal) and 18 keep the suite short
    if (STANDBY_MAJORS.includes(major))
      it("a standby refuses with PostgreSQL's message", async function () {
        this.timeout(60_000);
        // a copy of the stopped primary, started in standby mode (no primary to follow)
        await conn.close();
        await cluster.stop();
        const standby = await createCluster(major);
        try {
          fs.rmSync(standby.dataDir, { recursive: true, force: true });
          const cp = spawnSync('cp', ['-a', cluster.dataDir, standby.dataDir]);
          assert.equal(cp.status, 0, String(cp.stderr));
          const signal =
            major >= 12 ? path.join(standby.dataDir, 'standby.signal') : path.join(standby.dataDir, 'recovery.conf');
          fs.writeFileSync(signal, major >= 12 ? '' : "standby_mode = 'on'\n");
          fs.chownSync(signal, osUser().uid, osUser().gid);
          await standby.start(['wal_level=replica']);
          const err = await serverError(standby, 'SELECT pg_create_restore_point($1)', ['x']);
          assert.deepEqual(err, {
            code: '55000',
            message: RECOVERY_IN_PROGRESS,
            hint: 'WAL control functions cannot be executed during recovery.',
          });
          const sconn = await productConnection(standby.port!);
          try {
            await assert.rejects(createRestorePoint(sconn, 'x'), {
              message:
                'recovery is in progress (WAL control functions cannot be executed during recovery): ' +
                'the server is a standby; create the restore point on the primary',
            });
          } finally {
            await sconn.close();
          }
        } finally {
          await standby.destroy();
        }
      });
  });
}
