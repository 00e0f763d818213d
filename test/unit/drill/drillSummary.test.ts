// What checks and the Servers view say about restore drills: the last drill of the cluster (by
// system identifier), the time-to-recover estimate from the drills' replay rate and the WAL since
// the newest backup, no-recent-drill, and the view's "Last drill" row.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import type { ArchiveReport } from '../../../src/core/archive/archiveAnalysis';
import { drillCheck, estimateRto, noRecentDrillReason, summariseDrills } from '../../../src/core/drill/drillSummary';
import type { DrillReport } from '../../../src/core/drill/types';
import type { CheckResult } from '../../../src/core/server/types';
import { lastDrillRow } from '../../../src/extension/servers/serverTreeModel';

const SID = '7714301105174730853';
function rec(at: string, ok: boolean, sid = SID, restore = 10, replay = 30, mbps: number | null = 50): DrillReport {
  return {
    startedAt: at,
    ok,
    backup: { systemIdentifier: sid },
    durations: { restoreSeconds: restore, replaySeconds: replay, checksSeconds: 1, totalSeconds: restore + replay + 2 },
    replayMBps: mbps,
  } as unknown as DrillReport;
}
const NOW = new Date('2026-12-10T12:00:00Z');

describe('drill: summary for checks and the Servers view', () => {
  it('the last drill and the last successful one', () => {
    const drills = [rec('2026-12-09T12:00:00Z', false), rec('2026-12-08T12:00:00Z', true)];
    assert.deepEqual(summariseDrills(drills), {
      lastOk: false,
      lastAt: '2026-12-09T12:00:00Z',
      lastTotalSeconds: 42,
      lastTimeToRecoverSeconds: 40,
      lastOkAt: '2026-12-08T12:00:00Z',
    });
    assert.equal(summariseDrills([]), null);
  });

  it('RTO: restore + WAL since the newest backup at the median replay rate; the last drill when the WAL is unknown; none without a drill', () => {
    const drills = [
      rec('2026-12-09T00:00:00Z', true, SID, 12, 30, 40),
      rec('2026-12-08T00:00:00Z', true, SID, 10, 30, 60),
      rec('2026-12-07T00:00:00Z', true, SID, 10, 30, 50),
    ];
    assert.deepEqual(estimateRto(drills, 500 * 1048576), {
      estimateSeconds: 22,
      basis: 'replay-rate',
      walBytes: 500 * 1048576,
      replayMBps: 50,
    });
    assert.deepEqual(estimateRto(drills, null), {
      estimateSeconds: 42,
      basis: 'last-drill',
      walBytes: null,
      replayMBps: 50,
    });
    assert.deepEqual(estimateRto([rec('2026-12-09T00:00:00Z', false)], 1), {
      estimateSeconds: null,
      basis: 'none',
      walBytes: 1,
      replayMBps: null,
    });
  });

  it('no-recent-drill only when pgPitr.drillMaxAgeDays is set and the last success is older (or absent)', () => {
    const s = summariseDrills([rec('2026-12-01T12:00:00Z', true)]);
    assert.equal(noRecentDrillReason(s, undefined, NOW), null);
    assert.equal(noRecentDrillReason(s, 14, NOW), null);
    assert.deepEqual(noRecentDrillReason(s, 7, NOW), {
      id: 'no-recent-drill',
      severity: 'warning',
      message:
        'the last successful restore drill is 9 days old (pgPitr.drillMaxAgeDays is 7): run pg-pitr drill to prove the backups still recover',
    });
    assert.match(
      noRecentDrillReason(null, 7, NOW)!.message,
      /^no successful restore drill is recorded for this server/,
    );
  });

  it("drillCheck reads the history file and keeps this cluster's drills only", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-drillsum-'));
    try {
      const file = path.join(dir, 'drills.jsonl');
      fs.writeFileSync(
        file,
        [rec('2026-12-09T12:00:00Z', true, '1'), rec('2026-12-08T12:00:00Z', true)]
          .map((r) => JSON.stringify(r))
          .join('\n') + '\n',
      );
      const archive = { backups: [{ stopLsn: '0/1000000' }, { stopLsn: '0/3000000' }] } as unknown as ArchiveReport;
      const r = drillCheck(SID, '0/5000000', archive, { drillHistoryFile: file, drillMaxAgeDays: 1, now: NOW });
      assert.equal(r.drill?.lastAt, '2026-12-08T12:00:00Z');
      assert.deepEqual(r.rto, { estimateSeconds: 10.6, basis: 'replay-rate', walBytes: 32 * 1048576, replayMBps: 50 });
      assert.deepEqual(
        r.reasons.map((x) => x.id),
        ['no-recent-drill'],
      );
      assert.deepEqual(drillCheck(SID, null, null, { drillHistoryFile: null }), {
        drill: null,
        rto: { estimateSeconds: null, basis: 'none', walBytes: null, replayMBps: null },
        reasons: [],
      });
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });

  it('the Servers view row: "ok 3 h ago · 42 s to recover"', () => {
    const r = {
      drill: {
        lastOk: true,
        lastAt: '2026-12-10T09:00:00Z',
        lastTotalSeconds: 44,
        lastTimeToRecoverSeconds: 42,
        lastOkAt: '2026-12-10T09:00:00Z',
      },
      rto: { estimateSeconds: 55, basis: 'replay-rate', walBytes: 1, replayMBps: 1 },
    } as unknown as CheckResult;
    const row = lastDrillRow('server:a/backups', r, NOW);
    assert.deepEqual(
      [row.label, row.description, row.id],
      ['Last drill', 'ok 3 h ago · 42 s to recover', 'server:a/backups/last-drill'],
    );
    assert.equal(
      row.tooltip,
      'Last drill: ok 3 h ago · 42 s to recover\nEstimated time to recover now: 55 s (replay-rate)',
    );
    assert.equal(lastDrillRow('x', { drill: null } as unknown as CheckResult, NOW).description, 'none recorded');
  });
});
