// The timeline's layout model: lanes of branching timelines, recoverable bands per lane, gap and
// wrong-size placement in time, exact versus approximate times, restore points and drills.
import { strict as assert } from 'node:assert';

import { lsn, MIN, SEG, seg, T0, TestArchive, twoTimelines } from './timelineArchive';

const iso = (ms: number) => new Date(ms).toISOString();

describe('timeline model', () => {
  it('one lane per timeline, the child branching at its history file’s arrival, bounded by the segments around the switch', async () => {
    const { model } = await twoTimelines().timeline();
    assert.deepEqual(
      model.lanes.map((l) => [l.timeline, l.parent, l.switchLsn, l.fork && iso(l.fork.ms), l.fork?.quality]),
      [
        [1, null, null, null, undefined],
        [2, 1, lsn(36), iso(T0 + 355 * MIN), 'approximate'],
      ],
    );
    // a history file that arrived long after the switch is pulled back to the child's first segment
    const late = twoTimelines().history(2, [[1, 36]], T0 + 900 * MIN);
    const { model: m2 } = await late.timeline();
    assert.equal(iso(m2.lanes[1]!.fork!.ms), iso(T0 + 360 * MIN));
  });

  it('runs of archived WAL and the lost gap, placed at the arrival of the segments around it', async () => {
    const { model } = await twoTimelines().timeline();
    const l1 = model.lanes[0]!;
    assert.deepEqual(
      l1.runs.map((r) => [r.first, r.last, r.segments, iso(r.from), iso(r.to)]),
      [
        [seg(1, 1), seg(1, 19), 19, iso(T0), iso(T0 + 180 * MIN)],
        [seg(1, 23), seg(1, 40), 18, iso(T0 + 220 * MIN), iso(T0 + 390 * MIN)],
      ],
    );
    assert.deepEqual(
      l1.gaps.map((g) => [g.kind, g.first, g.last, g.missing, iso(g.from), iso(g.to)]),
      [['lost', seg(1, 20), seg(1, 22), 3, iso(T0 + 180 * MIN), iso(T0 + 220 * MIN)]],
    );
  });

  it('recoverable bands per lane: a backup reaches its own timeline to the first gap, and a child timeline through the switch', async () => {
    const { model } = await twoTimelines().timeline();
    const [l1, l2] = model.lanes;
    const label = (i: number) => model.backups[i]!.label;
    assert.deepEqual(
      l1!.reach.map((r) => [label(r.backup), iso(r.from), iso(r.to), r.lastSegment, r.endsAt]),
      [
        ['A', iso(T0 + 60 * MIN), iso(T0 + 180 * MIN), seg(1, 19), 'gap'],
        ['B', iso(T0 + 300 * MIN), iso(T0 + 390 * MIN), seg(1, 40), 'end'],
      ],
    );
    // A stops at the gap on timeline 1, before timeline 2 begins: it reaches nothing there
    assert.deepEqual(
      l2!.reach.map((r) => [label(r.backup), iso(r.from), iso(r.to), r.lastSegment, r.endsAt]),
      [['B', iso(T0 + 355 * MIN), iso(T0 + 500 * MIN), seg(2, 50), 'end']],
    );
    assert.deepEqual(
      l1!.bands.map((b) => [iso(b.from), iso(b.to)]),
      [
        [iso(T0 + 60 * MIN), iso(T0 + 180 * MIN)],
        [iso(T0 + 300 * MIN), iso(T0 + 390 * MIN)],
      ],
    );
  });

  it('the analysis’ own window of the newest timeline is the band of its lane', async () => {
    const { model, report } = await twoTimelines().timeline();
    // B (its times written in CET) is the newest backup, and it reaches the newest segment
    assert.deepEqual([report.complete, report.problems], [true, []]);
    const b = report.windows.find((w) => w.backup === seg(1, 30))!;
    assert.deepEqual(b.timelines, [1, 2]);
    assert.equal(b.to.wal, model.lanes[1]!.reach[0]!.lastSegment);
  });

  it('backup times: UTC is exact, an abbreviation is read against the file’s arrival, else the arrival is used as approximate', async () => {
    const a = twoTimelines();
    a.backup(1, 10, 11, {
      label: 'C',
      startTime: '2026-11-23 07:35:00 XYZT',
      stopTime: '2026-11-23 07:40:00 XYZT',
      arrived: T0 + 101 * MIN,
    });
    const { model } = await a.timeline();
    const by = (l: string) => model.backups.find((b) => b.label === l)!;
    assert.deepEqual(
      [by('A').stop!.ms, by('A').stop!.quality, by('A').stop!.from],
      [T0 + 60 * MIN, 'exact', 'STOP TIME in the backup history file'],
    );
    assert.deepEqual([iso(by('B').stop!.ms), by('B').stop!.quality], [iso(T0 + 300 * MIN), 'exact']);
    assert.match(by('B').stop!.from, /"2026-11-23 12:00:00 CET", read as UTC\+01:00/);
    assert.deepEqual([by('C').stop!.ms, by('C').stop!.quality], [T0 + 101 * MIN, 'approximate']);
    assert.match(by('C').stop!.from, /arrival of 00000001000000000000000A\.00000028\.backup/);
    assert.equal(by('C').start!.quality, 'approximate');
    assert.ok(model.backups.every((b) => b.usable));
  });

  it('an ambiguous abbreviation takes the meaning its file’s arrival allows', async () => {
    const a = new TestArchive()
      .segments(1, 1, 10, T0)
      // CST: US central (UTC-6), China (UTC+8) or Cuba (UTC-5); the file arrived at 01:30 UTC: only China's fits
      .backup(1, 2, 3, {
        label: 'cst',
        startTime: '2026-11-23 09:00:00 CST',
        stopTime: '2026-11-23 09:20:00 CST',
        arrived: Date.parse('2026-11-23T01:30:00Z'),
      });
    const { model } = await a.timeline();
    assert.equal(iso(model.backups[0]!.stop!.ms), '2026-11-23T01:20:00.000Z');
    assert.match(model.backups[0]!.stop!.from, /read as UTC\+08:00/);
  });

  it('a backup whose WAL between start and end is missing is not usable and has no band', async () => {
    const a = new TestArchive()
      .segments(1, 1, 20, T0, 10 * MIN, [6])
      .backup(1, 5, 7, { label: 'broken', startTime: '2026-11-23 06:40:00 UTC', stopTime: '2026-11-23 07:00:00 UTC' });
    const { model } = await a.timeline();
    assert.equal(model.backups[0]!.usable, false);
    assert.deepEqual(model.lanes[0]!.bands, []);
  });

  it('wrong-size segments are marked where they arrived; acknowledged and in-flight gaps keep their kind', async () => {
    const a = new TestArchive()
      .segments(1, 1, 30, T0, 10 * MIN, [12, 20, 21])
      .backup(1, 2, 3, { label: 'b', startTime: '2026-11-23 06:05:00 UTC', stopTime: '2026-11-23 06:25:00 UTC' });
    a.files.set(seg(1, 8), { size: 1234, mtimeMs: T0 + 70 * MIN });
    const { model } = await a.timeline(
      { now: T0 + 400 * MIN },
      { current: seg(1, 34), acknowledged: [{ from: seg(1, 12), to: seg(1, 12), note: 'restored elsewhere' }] },
    );
    const l = model.lanes[0]!;
    assert.deepEqual(
      l.wrongSize.map((w) => [w.segment, iso(w.ms)]),
      [[seg(1, 8), iso(T0 + 70 * MIN)]],
    );
    assert.deepEqual(
      l.gaps.map((g) => [g.kind, g.first, g.last, iso(g.from), iso(g.to), g.note ?? null]),
      [
        // recovery stops at a segment of the wrong size: it breaks the window like a missing one
        ['wrong-size', seg(1, 8), seg(1, 8), iso(T0 + 60 * MIN), iso(T0 + 80 * MIN), null],
        ['acknowledged', seg(1, 12), seg(1, 12), iso(T0 + 100 * MIN), iso(T0 + 120 * MIN), 'restored elsewhere'],
        ['lost', seg(1, 20), seg(1, 21), iso(T0 + 180 * MIN), iso(T0 + 210 * MIN), null],
        // behind the server's current segment: in flight, up to now
        ['in-flight', seg(1, 31), seg(1, 33), iso(T0 + 290 * MIN), iso(T0 + 400 * MIN), null],
      ],
    );
  });

  it('a segment archived again later does not pull the picture forward (times never decrease along the WAL)', async () => {
    const a = new TestArchive().segments(1, 1, 10, T0);
    a.files.set(seg(1, 4), { size: SEG, mtimeMs: T0 + 5000 * MIN });
    const { model } = await a.timeline();
    assert.deepEqual(
      model.lanes[0]!.runs.map((r) => [iso(r.from), iso(r.to)]),
      [[iso(T0), iso(T0 + 90 * MIN)]],
    );
  });

  it('restore points of this cluster (by system identifier, else by WAL position) and drills of its backups', async () => {
    const rp = (systemId: string, name: string, segno: number, tli = 1) => ({
      systemId,
      name,
      lsn: lsn(segno, 0x60),
      wal: seg(tli, segno),
      timeline: tli,
      time: iso(T0 + (segno - 1) * 10 * MIN + 60_000),
    });
    // 'later' is not archived yet (shown: it is this cluster's); 'older' predates the archive and
    // 'after the switch' lies on timeline 1 after timeline 2 left it (both left out)
    const points = [
      rp('42', 'mine', 15),
      rp('7', 'other cluster', 16),
      rp('42', 'on tl2', 40, 2),
      rp('42', 'later', 60, 2),
      rp('42', 'older', 0),
      rp('42', 'after the switch', 38),
    ];
    const drill = {
      startedAt: '2026-11-24T12:00:00Z',
      ok: true,
      backup: { systemIdentifier: '42', timeline: 1, stopLsn: lsn(31, 0x100) },
      reached: { time: iso(T0 + 450 * MIN), timeline: 2, lsn: null },
      totalSeconds: 42,
    };
    const alien = { ...drill, backup: { ...drill.backup, systemIdentifier: '7' } };
    const { model } = await twoTimelines().timeline({ systemId: '42', restorePoints: points, drills: [drill, alien] });
    assert.deepEqual(
      model.restorePoints.map((p) => [p.name, p.timeline, p.at.quality]),
      [
        ['mine', 1, 'exact'],
        ['on tl2', 2, 'exact'],
        ['later', 2, 'exact'],
      ],
    );
    assert.deepEqual(
      model.drills.map((d) => [d.ok, d.reached && iso(d.reached.ms), d.reached?.timeline, d.totalSeconds]),
      [[true, iso(T0 + 450 * MIN), 2, 42]],
    );
    // without a system identifier: by position, and said so
    const { model: m2 } = await twoTimelines().timeline({ restorePoints: points, drills: [alien] });
    assert.deepEqual(
      m2.restorePoints.map((p) => p.name),
      ['mine', 'other cluster', 'on tl2'],
    );
    assert.equal(m2.drills.length, 1, 'a drill of a backup in this archive (same stop LSN and timeline)');
    assert.ok(m2.notes.some((n) => /matched to this archive by their WAL position/.test(n)));
  });

  it('without any file time, segments are placed between the backups’ exact times (estimated)', async () => {
    const a = new TestArchive();
    for (let s = 1; s <= 30; s++) a.files.set(seg(1, s), { size: SEG });
    a.backup(1, 5, 6, { label: 'x', startTime: '2026-11-23 06:00:00 UTC', stopTime: '2026-11-23 06:10:00 UTC' });
    a.backup(1, 25, 26, { label: 'y', startTime: '2026-11-23 09:10:00 UTC', stopTime: '2026-11-23 09:20:00 UTC' });
    const { model } = await a.timeline();
    const l = model.lanes[0]!;
    // past the last anchor at the pace between the first and the last: 21 segments in 200 minutes
    assert.equal(l.runs[0]!.to, Date.parse('2026-11-23T09:20:00Z') + (4 * 200 * MIN) / 21);
    assert.equal(l.runs[0]!.from, Date.parse('2026-11-23T06:00:00Z') - (4 * 200 * MIN) / 21);
    assert.ok(model.notes.some((n) => /no file times/.test(n)));
  });

  it('sizes follow runs, not segments: 20,000 segments without a hole are one run', async () => {
    const a = new TestArchive().segments(1, 1, 20_000, T0, 1000);
    const { model } = await a.timeline();
    assert.equal(model.lanes[0]!.runs.length, 1);
    assert.ok(JSON.stringify(model).length < 4000);
  });
});
