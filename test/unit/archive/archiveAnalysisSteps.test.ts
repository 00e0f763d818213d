import { strict as assert } from 'node:assert';

import { foreignTimelineAnomaly, listingAnomalies } from '../../../src/core/archive/archiveAnomalies';
import { collectListing, TimelineSegments } from '../../../src/core/archive/archiveListing';
import { readBackups, readHistories } from '../../../src/core/archive/archiveMetadata';
import { archiveProblems } from '../../../src/core/archive/archiveProblems';
import { lastContiguous, recoveryWindows } from '../../../src/core/archive/recoveryWindows';
import { inferSegmentSize } from '../../../src/core/archive/segmentSizeInference';
import { addInFlightTail, timelineRuns } from '../../../src/core/archive/timelineRuns';
import { backupHistoryText, memoryArchive, segmentNames } from '../../support/memoryArchive';

// Each step of analyseArchive alone (archiveAnalysis.test.ts tests them together).

const MB = 1024 * 1024;
const SEG = 16 * MB;
const PER_ID = 256;

function segments(list: Array<[number, number, number?, boolean?]>): Map<number, TimelineSegments> {
  const m = new Map<number, TimelineSegments>();
  for (const [tli, segno, size = SEG, compressed = false] of list) {
    let t = m.get(tli);
    if (!t) m.set(tli, (t = new TimelineSegments()));
    t.add(Math.floor(segno / PER_ID), segno % PER_ID, size, compressed);
  }
  return m;
}

describe('archive analysis steps', () => {
  it('listing: sorts every key by kind, the layout voted from the names', async () => {
    const [s1, s2] = segmentNames(1, 1, 2);
    const files = new Map<string, { size: number; text?: string }>([
      [s1, { size: SEG }],
      [`${s2}.gz`, { size: 10 }],
      ['00000002.history', { size: 40 }],
      [`${s1}.00000028.backup`, { size: 300 }],
      [`${s2}.partial`, { size: SEG }],
      ['README', { size: 5 }],
    ]);
    const c = await collectListing(memoryArchive('/a', files));
    assert.equal(c.layout, 'flat');
    assert.equal(c.outcome.complete, true);
    assert.deepEqual([...c.timelines.keys()], [1]);
    assert.equal(c.timelines.get(1)!.segs.length, 2);
    assert.equal(c.timelines.get(1)!.compressed.get(1), 1);
    assert.deepEqual(c.histories, [{ key: '00000002.history', timeline: 2 }]);
    assert.deepEqual(c.backupHistories, [`${s1}.00000028.backup`]);
    assert.deepEqual(c.partials, [`${s2}.partial`]);
    assert.equal(c.unexpectedCount, 1);
    assert.deepEqual(
      listingAnomalies(c).map((a) => `${a.kind}:${a.name}`),
      ['unexpected-file:README', `partial-segment:${s2}.partial`],
    );
  });

  it('segment size: told, else the common uncompressed size, else finished log ids, else assumed', () => {
    assert.equal(inferSegmentSize(segments([[1, 1]]), 64 * MB).segmentSizeSource, 'option');
    const bySize = inferSegmentSize(segments([[1, 1, 32 * MB]]), undefined);
    assert.deepEqual([bySize.segSize, bySize.segmentSizeSource, bySize.anomaly], [32 * MB, 'file sizes', null]);
    // log 0 finished at segment 0xFF: 16 MB
    const byNames = inferSegmentSize(
      segments([
        [1, 255, 5, true],
        [1, 256, 5, true],
      ]),
      undefined,
    );
    assert.deepEqual([byNames.segSize, byNames.segmentSizeSource], [SEG, 'names']);
    const assumed = inferSegmentSize(segments([[1, 3, 5, true]]), undefined);
    assert.equal(assumed.segmentSizeSource, 'assumed');
    assert.equal(assumed.anomaly?.kind, 'segment-size-assumed');
  });

  it('metadata: histories and backups read through the source; unreadable or invalid ones are anomalies', async () => {
    const [s2] = segmentNames(1, 2, 2);
    const files = new Map<string, { size: number; text?: string }>([
      ['00000002.history', { size: 20, text: '1\t0/3000000\tno recovery target specified\n' }],
      ['00000003.history', { size: 20, text: 'garbage\n' }],
      ['00000004.history', { size: 20 }],
      [
        `${s2}.00000028.backup`,
        {
          size: 300,
          text: backupHistoryText({ startLsn: '0/2000028', startWal: s2, stopLsn: '0/2000100', stopWal: s2 }),
        },
      ],
    ]);
    const src = memoryArchive('/a', files);
    const h = await readHistories(
      src,
      [2, 3, 4].map((t) => ({ key: `0000000${t}.history`, timeline: t })),
      'flat',
    );
    assert.deepEqual([...h.historyOf.keys()], [2]);
    assert.deepEqual(
      h.anomalies.map((a) => `${a.kind}:${a.name}`),
      ['history-invalid:00000003.history', 'history-unreadable:00000004.history'],
    );
    const b = await readBackups(src, [`${s2}.00000028.backup`], [], 'flat', SEG);
    assert.deepEqual(
      b.backups.map((x) => [x.startWal, x.stopWal, x.stopLsn]),
      [[s2, s2, '0/2000100']],
    );
  });

  it('runs and gaps: distinct sorted segments, a gap between runs, in flight behind the current segment', () => {
    const r = timelineRuns(
      segments([
        [1, 1],
        [1, 2],
        [1, 5],
        [1, 6],
        [1, 2, 3],
      ]),
      SEG,
      PER_ID,
      new Map(),
      {},
    );
    // segment 2 has an uncompressed copy of the wrong size: recovery stops there, so it ends the run
    assert.deepEqual(r.segnosOf.get(1), { starts: [1, 5], ends: [1, 6] });
    assert.deepEqual(
      r.reports[0]!.gaps.map((g) => [g.from, g.to, g.missing, g.class]),
      [
        ['000000010000000000000002', '000000010000000000000002', 1, 'wrong-size'],
        ['000000010000000000000003', '000000010000000000000004', 2, 'lost'],
      ],
    );
    assert.deepEqual(
      r.anomalies.map((a) => `${a.kind}:${a.name}`),
      ['wrong-size:000000010000000000000002', 'duplicate-segment:000000010000000000000002'],
    );
    addInFlightTail(r.reports, r.segnosOf, SEG, PER_ID, { current: '000000010000000000000009' });
    assert.deepEqual(
      r.reports[0]!.gaps.map((g) => [g.from, g.to, g.class]),
      [
        ['000000010000000000000002', '000000010000000000000002', 'wrong-size'],
        ['000000010000000000000003', '000000010000000000000004', 'lost'],
        ['000000010000000000000007', '000000010000000000000008', 'in-flight'],
      ],
    );
  });

  it('runs: in a flat archive a segment in a subfolder does not count; in a tool layout it does', () => {
    const t = new TimelineSegments();
    t.add(0, 1, SEG, false);
    t.add(0, 2, SEG, false, true);
    t.add(0, 3, SEG, false);
    const flatRuns = timelineRuns(new Map([[1, t]]), SEG, PER_ID, new Map(), {}, 'flat');
    assert.deepEqual(flatRuns.segnosOf.get(1), { starts: [1, 3], ends: [1, 3] });
    assert.deepEqual(
      flatRuns.reports[0]!.gaps.map((g) => g.class),
      ['lost'],
    );
    const barman = timelineRuns(new Map([[1, t]]), SEG, PER_ID, new Map(), {}, 'barman');
    assert.deepEqual(barman.segnosOf.get(1), { starts: [1], ends: [3] });
  });

  it('windows: from the backup to the end of its run; a backup whose WAL is missing is unusable', () => {
    const runs = new Map([[1, { starts: [1, 7], ends: [4, 9] }]]);
    assert.equal(lastContiguous(runs.get(1)!, 2, Number.MAX_SAFE_INTEGER), 4);
    assert.equal(lastContiguous(runs.get(1)!, 5, Number.MAX_SAFE_INTEGER), 4);
    const backup = (start: number, stop: number) => ({
      label: `b${start}`,
      timeline: 1,
      startWal: segmentNames(1, start, start)[0]!,
      stopWal: segmentNames(1, stop, stop)[0]!,
      startLsn: null,
      stopLsn: null,
      startTime: null,
      stopTime: null,
      source: 'backup-history' as const,
      key: `b${start}`,
    });
    const w = recoveryWindows([backup(2, 3), backup(4, 5)], runs, new Map(), 1, SEG, PER_ID);
    assert.deepEqual(
      w.windows.map((x) => [x.backup, x.to.wal]),
      [['000000010000000000000002', '000000010000000000000004']],
    );
    assert.deepEqual(
      w.anomalies.map((a) => `${a.kind}:${a.name}`),
      ['backup-unusable:b4'],
    );
  });

  it('problems and the foreign timeline, from the other steps results', () => {
    assert.deepEqual(archiveProblems([], [], [], null, SEG, PER_ID), [
      'the archive holds no WAL segment',
      'no base backup found in the archive (no backup history file or tool metadata): nothing to recover from',
    ]);
    assert.equal(foreignTimelineAnomaly(3, 2)?.kind, 'foreign-timeline');
    assert.equal(foreignTimelineAnomaly(2, 2), null);
    assert.equal(foreignTimelineAnomaly(3, undefined), null);
  });
});
