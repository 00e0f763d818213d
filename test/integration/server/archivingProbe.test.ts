// The archiving probe (what `pgbackrest check` does) on real servers 10..18. One cluster per major
// archives through a script whose behaviour a file selects: copy into a folder, fail (`exit 1`,
// like archive_command = 'false'), or hang until told otherwise (like `sleep 60`, but released
// before the server stops, so that the shutdown's final archiving round is quick).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { localSource } from '../../../src/core/archive/localSource';
import { archivedReaches, type ProbeResult, proveArchiving } from '../../../src/core/server/archivingProbe';
import type { ServerConnection } from '../../../src/core/server/types';
import { type Cluster, createCluster, MAJORS, makeTempDir, osUser, requireServer } from '../../support/postgresServers';
import { productConnection } from './productConnection';

type Mode = 'copy' | 'fail' | 'hang' | 'pgbackrest' | 'walg';

// Every major proves a working archive; the failure paths (seconds each: the archiver's retries, a
// timeout) run on 10, 13 (statistics collector), 15 (first with shared-memory statistics) and 18.
const FAILURE_MAJORS: readonly number[] = [10, 13, 15, 18];

/** The archive script: %p %f; the mode file picks what it does. */
function archiveScript(dir: string): string {
  return `#!/bin/sh
d='${dir}'
while [ "$(cat "$d/mode")" = hang ]; do sleep 0.05; done
case "$(cat "$d/mode")" in
  copy) cp "$1" "$d/archive/$2.tmp" && mv "$d/archive/$2.tmp" "$d/archive/$2" ;;
  walg) mkdir -p "$d/walg/wal_005" && gzip -c "$1" > "$d/walg/wal_005/$2.gz.tmp" && mv "$d/walg/wal_005/$2.gz.tmp" "$d/walg/wal_005/$2.gz" ;;
  pgbackrest)
    case "$2" in
      *.history|*.backup) dest="$d/pgbr/archive/main/16-1/$2" ;;
      *) sub=$(echo "$2" | cut -c1-16); sum=$(sha1sum "$1" | cut -c1-40); mkdir -p "$d/pgbr/archive/main/16-1/$sub"; dest="$d/pgbr/archive/main/16-1/$sub/$2-$sum.gz" ;;
    esac
    gzip -c "$1" > "$dest.tmp" && mv "$dest.tmp" "$dest" ;;
  *) exit 1 ;;
esac
`;
}

function assertTimings(r: ProbeResult, withArchive: boolean): void {
  assert.ok(
    typeof r.archivedAfterMs === 'number' && r.archivedAfterMs >= 0 && r.archivedAfterMs < 20_000,
    `archivedAfterMs ${r.archivedAfterMs}`,
  );
  if (withArchive)
    assert.ok(
      typeof r.inArchiveAfterMs === 'number' && r.inArchiveAfterMs >= r.archivedAfterMs!,
      `inArchiveAfterMs ${r.inArchiveAfterMs}`,
    );
  else assert.equal(r.inArchiveAfterMs, null);
}

describe('archivedReaches', () => {
  it('compares segment names by timeline and position', () => {
    const seg = '0000000100000000000000A3';
    assert.equal(archivedReaches('0000000100000000000000A3', seg), true);
    assert.equal(archivedReaches('0000000100000001000000A2', seg), true);
    assert.equal(archivedReaches('0000000100000000000000A2', seg), false);
    assert.equal(archivedReaches('0000000200000000000000A0', seg), true);
    assert.equal(archivedReaches('0000000000000000000000FF', seg), false);
    // a backup history file or partial segment of the same segment can be archived before it
    assert.equal(archivedReaches('0000000100000000000000A3.00000028.backup', seg), false);
    assert.equal(archivedReaches('0000000100000000000000A4.00000028.backup', seg), true);
    assert.equal(archivedReaches('0000000100000000000000A3.partial', seg), false);
    assert.equal(archivedReaches('00000002.history', seg), false);
    assert.equal(archivedReaches(null, seg), false);
    assert.equal(archivedReaches('0000000100000000000000A3', 'junk'), false);
  });
});

for (const major of MAJORS) {
  describe(`archiving probe on PostgreSQL ${major}`, function () {
    let cluster: Cluster;
    let conn: ServerConnection;
    let dir: string;
    let lastOk = '';
    const setMode = (m: Mode) => fs.writeFileSync(path.join(dir, 'mode'), m);

    before(async function () {
      requireServer(major, this);
      dir = makeTempDir('pg-pitr-probe-');
      for (const sub of ['archive', 'walg', 'pgbr']) {
        fs.mkdirSync(path.join(dir, sub));
        fs.chownSync(path.join(dir, sub), osUser().uid, osUser().gid);
      }
      fs.writeFileSync(path.join(dir, 'archive.sh'), archiveScript(dir), { mode: 0o755 });
      setMode('copy');
      cluster = await createCluster(major);
      await cluster.start([
        'wal_level=replica',
        'archive_mode=on',
        `archive_command=/bin/sh ${dir}/archive.sh "%p" "%f"`,
      ]);
      conn = await productConnection(cluster.port!);
    });
    after(async function () {
      this.timeout(60_000);
      if (dir) setMode('copy'); // releases a hanging archive_command: the server stops at once
      await conn?.close();
      await cluster?.destroy();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('proves archiving into a folder: the segment is archived and in the folder', async () => {
      const progress: string[] = [];
      const r = await proveArchiving(conn, {
        archive: localSource(path.join(dir, 'archive')),
        timeoutMs: 20_000,
        pollMs: 100,
        onProgress: (m) => progress.push(m),
      });
      assert.equal(r.failure, null);
      assert.equal(r.ok, true);
      assert.match(r.segment, /^00000001[0-9A-F]{16}$/);
      assert.match(r.restorePoint, /^pg-pitr-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ-archive-check$/);
      assertTimings(r, true);
      assert.ok(fs.existsSync(path.join(dir, 'archive', r.segment)), `${r.segment} not in the folder`);
      const [s] = await cluster.query<{ w: string }>('SELECT last_archived_wal AS w FROM pg_stat_archiver');
      assert.ok(s!.w >= r.segment);
      assert.deepEqual(progress.slice(0, 4), [
        'reading the archiving settings',
        'creating a restore point so that there is WAL to switch',
        'switching to a new WAL file',
        `waiting for the archiver to report ${r.segment}`,
      ]);
      assert.equal(progress.at(-1), 'archiving works');
      lastOk = r.segment;
      // without an archive location, only the archiver's report is awaited
      const r2 = await proveArchiving(conn, { archive: null, timeoutMs: 20_000, pollMs: 100 });
      assert.equal(r2.ok, true);
      assert.ok(r2.segment > r.segment);
      assertTimings(r2, false);
      lastOk = r2.segment;
    });

    if (major === 18) {
      it('finds the segment in WAL-G and pgBackRest layouts, compressed; an unreadable archive fails at once', async () => {
        setMode('walg');
        const w = await proveArchiving(conn, {
          archive: localSource(path.join(dir, 'walg')),
          timeoutMs: 20_000,
          pollMs: 100,
        });
        assert.equal(w.failure, null);
        assert.ok(fs.existsSync(path.join(dir, 'walg', 'wal_005', `${w.segment}.gz`)));
        setMode('pgbackrest');
        const p = await proveArchiving(conn, {
          archive: localSource(path.join(dir, 'pgbr')),
          timeoutMs: 20_000,
          pollMs: 100,
        });
        assert.equal(p.failure, null);
        const sub = path.join(dir, 'pgbr', 'archive', 'main', '16-1', p.segment.slice(0, 16));
        assert.ok(fs.readdirSync(sub).some((f) => new RegExp(`^${p.segment}-[0-9a-f]{40}\\.gz$`).test(f)));
        // a second probe finds it by prefix in the directory the first one learned
        const p2 = await proveArchiving(conn, {
          archive: localSource(path.join(dir, 'pgbr')),
          timeoutMs: 20_000,
          pollMs: 100,
        });
        assert.equal(p2.failure, null);
        lastOk = p2.segment;
        setMode('copy');
        // an archive that cannot be read fails at once, not at the timeout
        const missing = path.join(dir, 'no-such-folder');
        const t0 = Date.now();
        const m = await proveArchiving(conn, { archive: localSource(missing), timeoutMs: 20_000, pollMs: 100 });
        assert.equal(
          m.failure,
          `the archiver reports ${m.segment} archived, but ${missing} cannot be read: no such folder: ${missing}`,
        );
        assert.ok(Date.now() - t0 < 10_000);
        lastOk = m.segment;
      });
    }

    if (FAILURE_MAJORS.includes(major))
      it('archive_command failing: names the file, when, and the archiver counters', async function () {
        this.timeout(60_000);
        setMode('fail');
        const t0 = Date.now();
        const r = await proveArchiving(conn, {
          archive: localSource(path.join(dir, 'archive')),
          timeoutMs: 30_000,
          pollMs: 100,
        });
        const took = Date.now() - t0;
        assert.equal(r.ok, false);
        const [s] = await cluster.query<{ failed_count: string; last_failed_wal: string }>(
          'SELECT failed_count::text, last_failed_wal FROM pg_stat_archiver',
        );
        // everything before was archived: the first file that fails is the probe's own segment
        assert.equal(s!.last_failed_wal, r.segment);
        assert.match(
          r.failure!,
          new RegExp(
            `^archive_command failed for ${r.segment} at \\d{4}-\\d\\d-\\d\\dT[0-9:.]+\\+00:00 \\(failed_count ` +
              `(\\d+), last archived ${lastOk}\\): ${r.segment} cannot be archived before it; ` +
              "the archiver retries in up to a minute; the server log has the command's error$",
          ),
        );
        const failedCount = Number(/failed_count (\d+)/.exec(r.failure!)![1]);
        assert.ok(failedCount >= 3 && failedCount <= Number(s!.failed_count), `${failedCount} vs ${s!.failed_count}`);
        assert.equal(r.archivedAfterMs, null);
        // the archiver's three tries, a second apart, not the 30 s timeout
        assert.ok(took < 15_000, `took ${took} ms`);
      });

    if (FAILURE_MAJORS.includes(major))
      it('times out cleanly when archive_command hangs', async function () {
        this.timeout(30_000);
        setMode('hang');
        const t0 = Date.now();
        const r = await proveArchiving(conn, {
          archive: localSource(path.join(dir, 'archive')),
          timeoutMs: 1500,
          pollMs: 100,
        });
        const took = Date.now() - t0;
        assert.equal(r.ok, false);
        assert.match(r.segment, /^00000001[0-9A-F]{16}$/);
        assert.ok(
          r.failure!.startsWith(
            `timed out after 1.5 s: the archiver has not reported ${r.segment}; last archived ${lastOk} at `,
          ),
          r.failure!,
        );
        assert.ok(
          r.failure!.endsWith('; a slow or hanging archive_command, or a long queue of WAL waiting to be archived'),
          r.failure!,
        );
        assert.ok(took >= 1400 && took < 4000, `took ${took} ms`);
      });

    if (FAILURE_MAJORS.includes(major))
      it('is cancelled promptly through its AbortSignal', async () => {
        // the archiver still hangs
        const ac = new AbortController();
        const t0 = Date.now();
        setTimeout(() => ac.abort(), 300);
        const r = await proveArchiving(conn, { archive: null, timeoutMs: 20_000, pollMs: 100, signal: ac.signal });
        const took = Date.now() - t0;
        assert.deepEqual(
          { ok: r.ok, failure: r.failure, archivedAfterMs: r.archivedAfterMs },
          { ok: false, failure: 'cancelled', archivedAfterMs: null },
        );
        assert.ok(took < 1500, `took ${took} ms`);
        const pre = new AbortController();
        pre.abort();
        assert.deepEqual(await proveArchiving(conn, { archive: null, timeoutMs: 20_000, signal: pre.signal }), {
          ok: false,
          segment: '',
          restorePoint: '',
          archivedAfterMs: null,
          inArchiveAfterMs: null,
          failure: 'cancelled',
        });
        // released: the queue drains and the connection still works
        setMode('copy');
        const ok = await proveArchiving(conn, {
          archive: localSource(path.join(dir, 'archive')),
          timeoutMs: 30_000,
          pollMs: 100,
        });
        assert.equal(ok.failure, null);
      });
  });
}

describe('archiving probe refusals (PostgreSQL 13)', function () {
  let primary: Cluster;
  before(async function () {
    requireServer(13, this);
    primary = await createCluster(13);
  });
  after(async () => {
    await primary?.destroy();
  });

  it('archive_mode off', async () => {
    await primary.start(['wal_level=replica', 'archive_mode=off']);
    const conn = await productConnection(primary.port!);
    try {
      assert.deepEqual(await proveArchiving(conn, { archive: null, timeoutMs: 5000 }), {
        ok: false,
        segment: '',
        restorePoint: '',
        archivedAfterMs: null,
        inArchiveAfterMs: null,
        failure: 'archive_mode is off: the server archives no WAL (set archive_mode = on, which takes a restart)',
      });
    } finally {
      await conn.close();
      await primary.stop();
    }
  });

  it('archive_mode on without archive_command', async () => {
    await primary.start(['wal_level=replica', 'archive_mode=on', 'archive_command=']);
    const conn = await productConnection(primary.port!);
    try {
      const r = await proveArchiving(conn, { archive: null, timeoutMs: 5000 });
      assert.equal(
        r.failure,
        'archive_mode is on but archive_command is empty: nothing is archived and WAL piles up in pg_wal',
      );
    } finally {
      await conn.close();
      await primary.stop();
    }
  });

  it('a role without the WAL control functions', async () => {
    await primary.start(['wal_level=replica', 'archive_mode=on', 'archive_command=true']);
    await primary.query('CREATE ROLE probe_user LOGIN');
    const conn = await productConnection(primary.port!, 'probe_user');
    try {
      const r = await proveArchiving(conn, { archive: null, timeoutMs: 5000 });
      assert.equal(
        r.failure,
        'cannot create a restore point: permission denied for function pg_create_restore_point (needs ' +
          'superuser, or EXECUTE on pg_create_restore_point(text) and pg_switch_wal())',
      );
      // granted, the probe works (the pg_stat_archiver columns are readable by every role)
      await primary.query('GRANT EXECUTE ON FUNCTION pg_create_restore_point(text), pg_switch_wal() TO probe_user');
      const ok = await proveArchiving(conn, { archive: null, timeoutMs: 20_000, pollMs: 100 });
      assert.equal(ok.failure, null);
    } finally {
      await conn.close();
      await primary.stop();
    }
  });

  it('a standby', async function () {
    this.timeout(60_000);
    const standby = await createCluster(13);
    try {
      fs.rmSync(standby.dataDir, { recursive: true, force: true });
      assert.equal(spawnSync('cp', ['-a', primary.dataDir, standby.dataDir]).status, 0);
      fs.writeFileSync(path.join(standby.dataDir, 'standby.signal'), '');
      fs.chownSync(path.join(standby.dataDir, 'standby.signal'), osUser().uid, osUser().gid);
      await standby.start(['wal_level=replica', 'archive_mode=on', 'archive_command=true']);
      const conn = await productConnection(standby.port!);
      try {
        const r = await proveArchiving(conn, { archive: null, timeoutMs: 5000 });
        assert.equal(
          r.failure,
          'the server is a standby: a WAL switch can only be forced on the primary (pgBackRest checks archiving there too); check the primary',
        );
      } finally {
        await conn.close();
      }
    } finally {
      await standby.destroy();
    }
  });
});
