import { strict as assert } from 'node:assert';

import fc from 'fast-check';

import {
  formatLsn,
  MAX_LSN,
  parseTimelineHistory,
  switchPointOf,
  timelineHistoryFileName,
  timelineOfLsn,
  timelinesOf,
} from '../../../src/core/wal';

describe('wal/timelineHistory', () => {
  it('parses what PostgreSQL writes', () => {
    const text = '1\t0/3000060\tno recovery target specified\n\n2\t0/5000000\tbefore 2026-11-24 10:00:00+00\n';
    const h = parseTimelineHistory(text, 3);
    assert.deepEqual(h.errors, []);
    assert.deepEqual(h.warnings, []);
    assert.deepEqual(h.entries, [
      { parent: 1, switchLsn: 0x3000060n, reason: 'no recovery target specified', line: 1 },
      { parent: 2, switchLsn: 0x5000000n, reason: 'before 2026-11-24 10:00:00+00', line: 3 },
    ]);
    assert.deepEqual(timelinesOf(h), [1, 2, 3]);
  });

  it('comments, blank lines, CRLF, no final newline, missing reason', () => {
    const h = parseTimelineHistory('# written by hand\r\n   \r\n  # indented comment\n1\t0/3000060\r\n2\t1/0', 5);
    assert.deepEqual(h.errors, []);
    assert.deepEqual(
      h.entries.map((e) => [e.parent, formatLsn(e.switchLsn), e.reason, e.line]),
      [
        [1, '0/3000060', '', 4],
        [2, '1/0', '', 5],
      ],
    );
  });

  it('syntax errors carry the line number and never throw', () => {
    // line 7: "%u" reads 10, "\t" matches no blank, "%X" cannot start at '/': one field only
    const h = parseTimelineHistory(
      '1\t0/3000060\treason\nabc\t0/4000000\n2\t0-4000000\treason\n3\n4\t/5\n5\t6 /7\n10/3000060\n',
      99,
    );
    assert.equal(h.errors.length, 6, h.errors.join('\n'));
    assert.match(h.errors[0]!, /^line 2: syntax error: expected a numeric timeline ID/);
    assert.match(h.errors[1]!, /^line 3: syntax error: expected a switch point/);
    assert.match(h.errors[2]!, /^line 4: syntax error: expected a switch point/);
    assert.match(h.errors[3]!, /^line 5: /);
    assert.match(h.errors[4]!, /^line 6: /);
    assert.match(h.errors[5]!, /^line 7: syntax error: expected a switch point/);
    assert.deepEqual(
      h.entries.map((e) => e.parent),
      [1],
    );
  });

  it('parent timelines must increase and stay below the file own timeline', () => {
    let h = parseTimelineHistory('1\t0/3000060\tx\n1\t0/4000000\ty\n', 3);
    assert.equal(h.errors.length, 1);
    assert.match(h.errors[0]!, /line 2: invalid data: timeline IDs must increase, but 1 follows 1/);
    h = parseTimelineHistory('2\t0/3000060\tx\n1\t0/4000000\ty\n', 3);
    assert.match(h.errors[0]!, /line 2: .*1 follows 2/);
    h = parseTimelineHistory('1\t0/3000060\tx\n2\t0/4000000\ty\n', 2);
    assert.equal(h.errors.length, 1);
    assert.match(h.errors[0]!, /less than the file's own timeline 2, but 2 is listed/);
  });

  it('accepts, with a warning, what sscanf("%u\\t%X/%X") accepts but PostgreSQL never writes', () => {
    const lax: Array<[string, number, bigint]> = [
      ['1 0/3000060 spaces', 1, 0x3000060n],
      ['  1\t0/3000060\tleading blanks', 1, 0x3000060n],
      ['1\t\t0/3000060', 1, 0x3000060n],
      ['1 0/3000060', 1, 0x3000060n],
      ['+1\t0/3000060', 1, 0x3000060n],
      ['1\t0x0/0x3000060', 1, 0x3000060n],
      ['1\t0/ 3000060', 1, 0x3000060n],
      ['1\t0/3000060/7', 1, 0x3000060n],
      ['1\t0/3000060xyz', 1, 0x3000060n],
      ['1\t0x/5', 1, 5n],
      ['1\t100000000/0', 1, 0n],
    ];
    for (const [line, tli, lsn] of lax) {
      const h = parseTimelineHistory(`${line}\n`, 4294967295);
      assert.deepEqual(h.errors, [], line);
      assert.deepEqual(
        h.entries.map((e) => [e.parent, e.switchLsn]),
        [[tli, lsn]],
        line,
      );
      assert.equal(h.warnings.length, 1, `${line}: ${h.warnings.join()}`);
      assert.match(h.warnings[0]!, /never writes/);
    }
  });

  it('a line longer than 1023 bytes is read in pieces, like fgets does', () => {
    const long = `1\t0/3000060\t${'x'.repeat(1100)}\n`;
    const h = parseTimelineHistory(long, 2);
    assert.equal(h.errors.length, 1);
    assert.match(h.errors[0]!, /line 1 \(after byte 1023.*numeric timeline ID/);
    // a piece that is all blanks or a comment is skipped
    const ok = parseTimelineHistory(`1\t0/3000060\t${'x'.repeat(1011)}${' '.repeat(50)}\n`, 2);
    assert.deepEqual(ok.errors, []);
    assert.equal(ok.entries[0]!.reason.length, 1011 + 50 - 0, 'the reason keeps the whole line');
    // counted in bytes, not characters
    const multibyte = parseTimelineHistory(`1\t0/3000060\t${'é'.repeat(600)}\n`, 2);
    assert.equal(multibyte.errors.length, 1);
  });

  it('warnings: timeline 1, no entries, decreasing switch points', () => {
    assert.match(parseTimelineHistory('', 1).warnings[0]!, /timeline 1 never has a history file/);
    assert.match(parseTimelineHistory('# nothing\n', 2).warnings[0]!, /no entries/);
    assert.match(parseTimelineHistory('1\t0/5000000\n2\t0/4000000\n', 3).warnings[0]!, /before the previous one/);
  });

  it('binary input: NUL ends the C string', () => {
    const bytes = new TextEncoder().encode('1\t0/3000060\treason\n2\t0/4000000\n');
    bytes[bytes.indexOf(0x32)] = 0; // the '2' of line 2 becomes NUL: the line reads as empty
    const h = parseTimelineHistory(bytes, 3);
    assert.deepEqual(h.errors, []);
    assert.deepEqual(
      h.entries.map((e) => e.parent),
      [1],
    );
  });

  it('timelineOfLsn and switchPointOf follow tliOfPointInHistory / tliSwitchPoint', () => {
    const h = parseTimelineHistory('1\t0/3000060\ta\n3\t0/5000000\tb\n', 4);
    assert.equal(timelineOfLsn(h, 0n), 1);
    assert.equal(timelineOfLsn(h, 0x300005fn), 1);
    assert.equal(timelineOfLsn(h, 0x3000060n), 3, 'the switch point belongs to the new timeline');
    assert.equal(timelineOfLsn(h, 0x4ffffffn), 3);
    assert.equal(timelineOfLsn(h, 0x5000000n), 4);
    assert.equal(timelineOfLsn(h, MAX_LSN), 4);
    assert.equal(switchPointOf(h, 1), 0x3000060n);
    assert.equal(switchPointOf(h, 3), 0x5000000n);
    assert.equal(switchPointOf(h, 4), null);
    assert.equal(switchPointOf(h, 2), undefined, 'timeline 2 is not an ancestor');
  });

  it('timelineHistoryFileName', () => {
    assert.equal(timelineHistoryFileName(2), '00000002.history');
    assert.equal(timelineHistoryFileName(0x10), '00000010.history');
  });

  it('property: a history written like writeTimeLineHistory parses back exactly', () => {
    const entry = fc.record({
      gap: fc.integer({ min: 1, max: 1000 }),
      lsn: fc.bigInt({ min: 0n, max: MAX_LSN }),
      reason: fc.string({ maxLength: 80 }).map((s) => s.replace(/[\n\r\0]/g, ' ').trim()),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 20 }), fc.integer({ min: 1, max: 1000 }), (es, extra) => {
        let tli = 0;
        const want = es.map((e, i) => ({ parent: (tli += e.gap), switchLsn: e.lsn, reason: e.reason, line: i + 1 }));
        const text = want.map((e) => `${e.parent}\t${formatLsn(e.switchLsn)}\t${e.reason}\n`).join('');
        const h = parseTimelineHistory(text, tli + extra);
        assert.deepEqual(h.errors, []);
        assert.deepEqual(h.entries, want);
      }),
      { numRuns: 500 },
    );
  });

  it('property: never throws on arbitrary text', () => {
    const unit = fc.constantFrom(...'0123456789abcdefABCDEF/\t \n#x+-'.split(''));
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit, maxLength: 200 }), fc.string({ maxLength: 200 })),
        fc.integer({ min: 0, max: 0xffffffff }),
        (text, tli) => {
          const h = parseTimelineHistory(text, tli);
          for (const e of h.entries) assert.ok(e.line >= 1 && e.switchLsn >= 0n && e.switchLsn <= MAX_LSN);
          for (let i = 1; i < h.entries.length; i++) assert.ok(h.entries[i]!.parent > h.entries[i - 1]!.parent);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
