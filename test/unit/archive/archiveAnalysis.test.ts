import { strict as assert } from 'node:assert';

import { analyseArchive } from '../../../src/core/archive/archiveAnalysis';
import { backupHistoryText, memoryArchive, segmentNames } from '../../support/memoryArchive';

const MB = 1024 * 1024;

/** A flat archive: segments of timeline 1 from..to, a backup starting at segment 2. */
function flat(
  from: number,
  to: number,
  opts: {
    segSize?: number;
    skip?: number[];
    compressed?: boolean;
    extra?: Record<string, { size: number; text?: string }>;
  } = {},
) {
  const segSize = opts.segSize ?? 16 * MB;
  const files = new Map<string, { size: number; text?: string }>();
  for (const n of segmentNames(1, from, to, segSize)) {
    const s = parseInt(n.slice(16), 16) + parseInt(n.slice(8, 16), 16) * (0x100000000 / segSize);
    if (opts.skip?.includes(s)) continue;
    files.set(opts.compressed ? n + '.gz' : n, { size: opts.compressed ? 12345 : segSize });
  }
  const [start] = segmentNames(1, 2, 2, segSize);
  files.set(`${start}.00000028.backup`, {
    size: 300,
    text: backupHistoryText({ startLsn: '0/2000028', startWal: start, stopLsn: '0/2000100', stopWal: start }),
  });
  for (const [k, v] of Object.entries(opts.extra ?? {})) files.set(k, v);
  return memoryArchive('/mnt/archive', files);
}

describe('archive analysis', () => {
  it('a complete flat archive: one timeline, no gap, the backup recovers to the newest segment', async () => {
    const r = await analyseArchive(flat(1, 10));
    assert.equal(r.layout, 'flat');
    assert.equal(r.segmentSize, 16 * MB);
    assert.equal(r.segmentSizeSource, 'file sizes');
    assert.equal(r.complete, true);
    assert.deepEqual(
      r.timelines.map((t) => [t.timeline, t.first, t.last, t.segments, t.gaps.length]),
      [[1, '000000010000000000000001', '00000001000000000000000A', 10, 0]],
    );
    assert.deepEqual(
      r.backups.map((b) => [b.label, b.startWal, b.stopWal, b.startLsn, b.stopLsn, b.stopTime]),
      [
        [
          'base',
          '000000010000000000000002',
          '000000010000000000000002',
          '0/2000028',
          '0/2000100',
          '2026-11-24T10:05:00.000Z',
        ],
      ],
    );
    assert.deepEqual(r.windows, [
      {
        backup: '000000010000000000000002',
        from: { lsn: '0/2000100', time: '2026-11-24T10:05:00.000Z' },
        to: { wal: '00000001000000000000000A', time: null },
        timelines: [1],
      },
    ]);
  });

  it('a missing segment is exactly one gap, and the window stops before it', async () => {
    const r = await analyseArchive(flat(1, 10, { skip: [6] }));
    assert.deepEqual(r.timelines[0].gaps, [
      { from: '000000010000000000000006', to: '000000010000000000000006', missing: 1, class: 'lost' },
    ]);
    assert.equal(r.windows[0].to.wal, '000000010000000000000005');
    assert.equal(r.complete, false);
    assert.deepEqual(r.problems, [
      'the newest base backup (base) recovers only to 000000010000000000000005, not to the newest segment ' +
        '00000001000000000000000A: 1 segment(s) missing from 000000010000000000000006 to 000000010000000000000006',
    ]);
  });

  it('gaps across a log-id boundary use the real segment size (no false gaps at 64 MB)', async () => {
    const r = await analyseArchive(flat(60, 70, { segSize: 64 * MB, compressed: true }));
    assert.equal(r.segmentSize, 64 * MB);
    assert.equal(r.segmentSizeSource, 'names');
    assert.deepEqual(r.timelines[0].gaps, []);
    assert.equal(r.timelines[0].last, '000000010000000100000006');
  });

  it('says when it has to assume the segment size', async () => {
    const r = await analyseArchive(flat(1, 5, { compressed: true }));
    assert.equal(r.segmentSizeSource, 'assumed');
    assert.ok(r.anomalies.some((a) => a.kind === 'segment-size-assumed'));
  });

  it('in-flight versus lost, and acknowledged gaps', async () => {
    const src = flat(1, 20, { skip: [5, 19] });
    const r = await analyseArchive(src, {
      current: '000000010000000000000016',
      acknowledged: [{ from: '000000010000000000000005', to: '000000010000000000000005', note: 'disk incident 2025' }],
    });
    assert.deepEqual(r.timelines[0].gaps, [
      {
        from: '000000010000000000000005',
        to: '000000010000000000000005',
        missing: 1,
        class: 'acknowledged',
        note: 'disk incident 2025',
      },
      { from: '000000010000000000000013', to: '000000010000000000000013', missing: 1, class: 'in-flight' },
      { from: '000000010000000000000015', to: '000000010000000000000015', missing: 1, class: 'in-flight' },
    ]);
  });

  it('reports anomalies: wrong size, two forms, invalid names, .partial, garbage, truncated .backup', async () => {
    const r = await analyseArchive(
      flat(1, 6, {
        extra: {
          '000000010000000000000003.gz': { size: 100 },
          '00000001000000000000000A': { size: 42 },
          '000000010000000000000100': { size: 16 * MB },
          '000000010000000000000007.partial': { size: 16 * MB },
          'readme.txt': { size: 5 },
          '000000010000000000000009.00000028.backup': {
            size: 20,
            text: 'START WAL LOCATION: 0/9000028 (file 0000000100000000000',
          },
        },
      }),
    );
    const kinds = r.anomalies.map((a) => `${a.kind} ${a.name}`);
    assert.ok(kinds.includes('wrong-size 00000001000000000000000A'), kinds.join('\n'));
    assert.ok(kinds.includes('duplicate-segment 000000010000000000000003'));
    assert.ok(kinds.includes('invalid-name 000000010000000000000100'));
    assert.ok(kinds.includes('partial-segment 000000010000000000000007.partial'));
    assert.ok(kinds.includes('unexpected-file readme.txt'));
    assert.ok(kinds.some((k) => k.startsWith('backup-history-invalid 000000010000000000000009.00000028.backup')));
  });

  it('follows a timeline switch through its history file', async () => {
    const files = new Map<string, { size: number; text?: string }>();
    for (const n of segmentNames(1, 1, 5)) files.set(n, { size: 16 * MB });
    for (const n of segmentNames(2, 5, 8)) files.set(n, { size: 16 * MB });
    files.set('00000002.history', { size: 40, text: '1\t0/5000060\tno recovery target specified\n' });
    files.set('000000010000000000000002.00000028.backup', {
      size: 300,
      text: backupHistoryText({
        startLsn: '0/2000028',
        startWal: '000000010000000000000002',
        stopLsn: '0/2000100',
        stopWal: '000000010000000000000002',
      }),
    });
    const r = await analyseArchive(memoryArchive('/a', files), { serverTimeline: 1 });
    assert.deepEqual(
      r.timelines.map((t) => [t.timeline, t.parent, t.switchLsn]),
      [
        [1, null, null],
        [2, 1, '0/5000060'],
      ],
    );
    assert.deepEqual(r.windows[0].timelines, [1, 2]);
    assert.equal(r.windows[0].to.wal, '000000020000000000000008');
    assert.equal(r.complete, true);
    assert.ok(
      r.anomalies.some((a) => a.kind === 'foreign-timeline'),
      'timeline 2 is above the server timeline 1',
    );
  });

  it('an empty archive and an interrupted listing are not complete, and say why', async () => {
    const empty = await analyseArchive(memoryArchive('s3://b/empty', new Map()));
    assert.equal(empty.complete, false);
    assert.deepEqual(empty.problems, [
      'the archive holds no WAL segment',
      'no base backup found in the archive (no backup history file or tool metadata): nothing to recover from',
    ]);
    const files = new Map<string, { size: number }>();
    for (const n of segmentNames(1, 1, 10)) files.set(n, { size: 16 * MB });
    const cut = await analyseArchive(memoryArchive('/a', files, { failAfter: 5 }));
    assert.equal(cut.listingComplete, false);
    assert.equal(cut.complete, false);
    assert.match(cut.problems[0], /listing is incomplete \(connection reset\)/);
  });

  // issue 15, wrong answers 1: recovery stops at an uncompressed segment of the wrong size (FATAL
  // "archive file ... has wrong size", test/integration/recovery/wrongSizeSegment.test.ts)
  it('a 0-byte or short segment inside the window ends it like a gap, of its own class', async () => {
    const r = await analyseArchive(flat(1, 8, { extra: { '000000010000000000000005': { size: 0 } } }));
    assert.deepEqual(r.timelines[0].gaps, [
      { from: '000000010000000000000005', to: '000000010000000000000005', missing: 1, class: 'wrong-size' },
    ]);
    assert.equal(r.windows[0].to.wal, '000000010000000000000004');
    assert.equal(r.complete, false);
    assert.deepEqual(r.problems, [
      'the newest base backup (base) recovers only to 000000010000000000000004, not to the newest segment ' +
        '000000010000000000000008: 1 segment(s) of the wrong size from 000000010000000000000005 to 000000010000000000000005 ' +
        '(recovery stops there: "archive file has wrong size")',
    ]);
    // at the end of the archive too, and a compressed copy of another size is not wrong
    const tail = await analyseArchive(
      flat(1, 8, { extra: { '000000010000000000000008': { size: 1000 }, '000000010000000000000006.gz': { size: 5 } } }),
    );
    assert.deepEqual(tail.timelines[0].gaps, [
      { from: '000000010000000000000008', to: '000000010000000000000008', missing: 1, class: 'wrong-size' },
    ]);
    assert.equal(tail.windows[0].to.wal, '000000010000000000000007');
    assert.equal(tail.complete, false);
  });

  // issue 15, wrong answers 2: `cp /archive/%f %p` sees only the files at the archive's top
  it('in a flat archive, segments in a subfolder do not count as present', async () => {
    const src = flat(1, 8, { skip: [5] });
    const files = new Map<string, { size: number; text?: string }>();
    await src.list((e) => files.set(e.key, { size: e.size }));
    for (const k of files.keys())
      if (k.endsWith('.backup')) files.set(k, { size: 300, text: (await src.readText(k))! });
    files.set('old/000000010000000000000005', { size: 16 * MB });
    const r = await analyseArchive(memoryArchive('/mnt/archive', files));
    assert.equal(r.layout, 'flat');
    assert.deepEqual(r.timelines[0].gaps, [
      { from: '000000010000000000000005', to: '000000010000000000000005', missing: 1, class: 'lost' },
    ]);
    assert.equal(r.complete, false);
    assert.deepEqual(
      r.anomalies.filter((a) => a.kind === 'segment-in-subfolder'),
      [
        {
          name: 'old/000000010000000000000005',
          kind: 'segment-in-subfolder',
          message:
            'a WAL file in a subfolder of a flat archive: a restore_command that copies ARCHIVE/%f does not see it, so it does not count',
        },
      ],
    );
  });

  // issue 15, wrong answers 7: a listing that stopped half-way proves nothing missing
  it('an incomplete listing does not also claim "no WAL segment" or "no base backup"', async () => {
    const none = await analyseArchive(memoryArchive('/a', new Map([['x', { size: 1 }]]), { failAfter: 0 }));
    assert.deepEqual(none.problems, ['the listing is incomplete (connection reset): missing files prove nothing']);
  });
});
