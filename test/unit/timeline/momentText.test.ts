// Clicking a moment: recoverable (which backup, which timeline) or why not, in words.
import { strict as assert } from 'node:assert';

import { judgeMoment } from '../../../src/core/timeline/momentText';
import { MIN, seg, T0, twoTimelines } from './timelineArchive';

describe('timeline moments', () => {
  it('inside a band: the newest backup that ended before it, on the lane’s timeline', async () => {
    const { model } = await twoTimelines().timeline();
    const m = judgeMoment(model, 2, T0 + 400 * MIN, 'Europe/Paris');
    assert.equal(m.kind, 'recoverable');
    assert.equal(m.kind === 'recoverable' && model.backups[m.backup]!.label, 'B');
    assert.equal(
      m.message,
      '2026-11-23 13:40:00+01:00 on timeline 2 can be recovered: restore base backup B (ended 2026-11-23 ' +
        "12:00:00+01:00) and replay 1 h 40 min of WAL with recovery_target_time = '2026-11-23 13:40:00+01:00' " +
        'and recovery_target_timeline = 2.',
    );
    const early = judgeMoment(model, 1, T0 + 100 * MIN, 'UTC');
    assert.equal(early.kind === 'recoverable' && model.backups[early.backup]!.label, 'A');
  });

  it('in the gap: names the missing segments and where recovery can start again', async () => {
    const { model } = await twoTimelines().timeline();
    const m = judgeMoment(model, 1, T0 + 200 * MIN, 'UTC');
    assert.deepEqual([m.kind, m.kind === 'unreachable' && m.reason], ['unreachable', 'gap']);
    assert.equal(
      m.message,
      `2026-11-23 09:20:00+00:00 falls in a gap on timeline 1: 3 segments (${seg(1, 20)} … ${seg(1, 22)}) ` +
        `are missing from the archive. Recovery replays WAL in order and stops at the first missing segment, so ` +
        `nothing after ~2026-11-23 09:00:00+00:00 can be reached from an earlier base backup. The next recoverable ` +
        `moment on timeline 1 is 2026-11-23 11:00:00+00:00, when base backup B ended.`,
    );
  });

  it('after the gap but before the next backup ends; before the first backup; before the timeline began; the future', async () => {
    const { model } = await twoTimelines().timeline();
    const reason = (tli: number, min: number) => {
      const m = judgeMoment(model, tli, T0 + min * MIN, 'UTC');
      return m.kind === 'unreachable' ? [m.reason, m.message] : ['recoverable', m.message];
    };
    assert.deepEqual(reason(1, 250), [
      'backup-stops-earlier',
      `Base backup A recovers on timeline 1 only to ~2026-11-23 09:00:00+00:00 (${seg(1, 19)}, the next ` +
        `segment is missing). The next recoverable moment on timeline 1 is 2026-11-23 11:00:00+00:00, when base backup B ended.`,
    ]);
    assert.equal(reason(1, 30)[0], 'no-backup-before');
    assert.match(
      reason(1, 30)[1]!,
      /The earliest recoverable moment after it is 2026-11-23 07:00:00\+00:00, when base backup A ended\./,
    );
    assert.deepEqual(reason(2, 100), [
      'before-timeline',
      'Timeline 2 begins ~2026-11-23 11:55:00+00:00, when it branched from timeline 1 at 0/24000000: ' +
        'for 2026-11-23 07:40:00+00:00 pick the lane of timeline 1.',
    ]);
    assert.equal(reason(1, 395)[0], 'after-archive');
    assert.equal(reason(1, 60 * 24 * 30)[0], 'future');
    assert.equal(reason(7, 100)[0], 'no-lane');
  });
});
