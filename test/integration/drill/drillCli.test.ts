// `pg-pitr drill` on real servers 10-18: every major recovers a real base backup to the end of its
// archive and names the segment of a hole in it; a spread of majors recovers to a restore point
// and to a time (the rows committed after the target absent), fails a target beyond the archive
// (10-12 promote silently: the drill must notice), never reaches production (a -R backup's
// primary_conninfo, production's cleanup commands, the archive's files), fails a false check and
// runs amcheck. The rows are read by --check-sql inside the recovered server itself.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { DrillReport } from '../../../src/core/drill/types';
import { archiveSnapshot, snapshotDiff } from '../../support/pitrDrill';
import { MAJORS, requireServer } from '../../support/postgresServers';
import {
  archiveWithout,
  drill,
  type DrillFixture,
  explain,
  RESTORE_POINT,
  ROWS_SQL,
  rowsOf,
  sharedDrillFixture,
} from './drillFixture';

/** majors that run the cases beyond latest and missing-wal */
const SPREAD = new Set([10, 12, 13, 16, 18]);

describe('pg-pitr drill on real servers', function () {
  for (const major of MAJORS) {
    describe(`PostgreSQL ${major}`, function () {
      this.timeout(180_000);
      let f: DrillFixture;
      before(async function () {
        if (!requireServer(major, this)) return;
        f = await sharedDrillFixture(major);
      });

      it('latest: every committed row is back, replayed to the end of the archive, scratch removed, recorded', async () => {
        const before = archiveSnapshot(f.archive);
        const r = await drill(f, ['--archive', f.archive, '--check-sql', ROWS_SQL]);
        assert.equal(r.code, 0, explain(r));
        assert.equal(r.report.ok, true);
        assert.equal(rowsOf(r.report), '1,2,3,4,5,6');
        assert.equal(r.report.backup.major, major);
        assert.equal(r.report.backup.startLsn, f.backup.startLsn);
        assert.match(r.report.backup.systemIdentifier ?? '', /^\d{15,20}$/);
        assert.equal(r.report.reached?.stoppedBy, 'end of WAL');
        assert.equal(r.report.reached?.timeline, 2);
        assert.ok((r.report.walReplayedBytes ?? 0) > 0 && (r.report.replayMBps ?? 0) > 0);
        assert.equal(fs.existsSync(r.report.scratch!), false, 'scratch folder removed');
        assert.deepEqual(snapshotDiff(before, archiveSnapshot(f.archive)), [], 'the archive is untouched');
        const history = fs.readFileSync(path.join(f.root, 'drills.jsonl'), 'utf8').trim().split('\n');
        assert.equal((JSON.parse(history[history.length - 1]) as DrillReport).ok, true);
      });

      it('missing-wal: a segment removed from the archive fails the drill and is named', async () => {
        const hole = f.segmentsAfterBackup[0];
        const archive = archiveWithout(f, hole);
        const segments = fs
          .readdirSync(f.archive)
          .filter((n) => /^[0-9A-F]{24}$/.test(n))
          .sort();
        const previous = segments[segments.indexOf(hole) - 1];
        const r = await drill(f, ['--archive', archive, '--check-sql', ROWS_SQL]);
        assert.equal(r.code, 1, explain(r));
        assert.equal(r.report.failure?.kind, 'missing-wal', explain(r));
        assert.equal(r.report.failure?.segment, hole);
        assert.match(
          r.report.failure!.message,
          new RegExp(`WAL segment ${hole} is missing from the archive .*replay stopped after ${previous}`),
        );
        assert.deepEqual(r.report.checks, [], 'no check runs on a failed recovery');
      });

      if (!SPREAD.has(major)) return;

      it('a restore point: rows 1-4, the reached LSN is the restore point', async () => {
        const r = await drill(f, ['--archive', f.archive, '--target-name', RESTORE_POINT, '--check-sql', ROWS_SQL]);
        assert.equal(r.code, 0, explain(r));
        assert.equal(rowsOf(r.report), '1,2,3,4');
        assert.equal(r.report.reached?.lsn, f.restorePointLsn);
        assert.match(
          r.report.reached?.stoppedBy ?? '',
          new RegExp(`^recovery stopping at restore point "${RESTORE_POINT}"`),
        );
      });

      it('a time between two commits: rows 1-4, stopped before the next commit', async () => {
        const r = await drill(f, ['--archive', f.archive, '--target-time', f.betweenTime, '--check-sql', ROWS_SQL]);
        assert.equal(r.code, 0, explain(r));
        assert.equal(rowsOf(r.report), '1,2,3,4');
        assert.match(r.report.reached?.stoppedBy ?? '', /^recovery stopping before commit of transaction \d+, time /);
        // the commit it stopped before is row 5's, after the target
        const stoppedAt = Date.parse(r.report.reached!.time!.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'));
        assert.ok(
          stoppedAt > Date.parse(f.betweenTime.replace(' ', 'T')),
          `${r.report.reached!.time} after ${f.betweenTime}`,
        );
      });

      it('a target beyond the archive: target-not-reached (10-12 promote silently, the drill notices)', async () => {
        const r = await drill(f, ['--archive', f.archive, '--target-name', 'drill-never-created']);
        assert.equal(r.code, 1, explain(r));
        assert.equal(r.report.failure?.kind, 'target-not-reached', explain(r));
        assert.match(
          r.report.failure!.message,
          /without reaching restore point "drill-never-created"|before reaching restore point "drill-never-created"/,
        );
        if (major >= 13)
          assert.match(r.report.serverLog.join('\n'), /recovery ended before configured recovery target was reached/);
        else
          assert.deepEqual(
            r.report.serverLog.filter((l) => /^(FATAL|PANIC)/.test(l)),
            [],
            'the server itself says nothing',
          );
      });

      it('a check that returns false fails the drill (check-failed); amcheck reports the indexes it checked', async () => {
        const r = await drill(f, [
          '--archive',
          f.archive,
          '--check-sql',
          'SELECT count(*) = 99 FROM t',
          '--check-sql',
          'SELECT count(*) FROM t',
          '--amcheck',
        ]);
        assert.equal(r.code, 1, explain(r));
        assert.equal(r.report.failure?.kind, 'check-failed');
        assert.deepEqual(
          r.report.checks.filter((c) => !c.name.startsWith('amcheck')),
          [
            { name: 'SELECT count(*) = 99 FROM t', ok: false, detail: 'false' },
            { name: 'SELECT count(*) FROM t', ok: true, detail: '6' },
          ],
        );
        const am = r.report.checks.find((c) => c.name === 'amcheck postgres');
        assert.equal(am?.ok, true, JSON.stringify(r.report.checks));
        assert.match(am!.detail, /^[1-9]\d* btree indexes checked with bt_index_check$/);
      });
    });
  }
});
