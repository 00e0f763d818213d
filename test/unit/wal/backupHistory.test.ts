import { strict as assert } from 'node:assert';

import fc from 'fast-check';

import {
  formatLsn,
  formatSegmentName,
  parseBackupHistory,
  parseBackupTime,
  SEGMENT_SIZES,
  segmentOfLsn,
} from '../../../src/core/wal';

// As PostgreSQL 14 wrote it (seen on a real server).
const PG14 =
  'START WAL LOCATION: 0/2000028 (file 000000010000000000000002)\nSTOP WAL LOCATION: 0/2000100 (file ' +
  '000000010000000000000002)\nCHECKPOINT LOCATION: 0/2000060\nBACKUP METHOD: streamed\nBACKUP FROM: primary\nSTART ' +
  'TIME: 2026-11-24 15:26:19 UTC\nLABEL: my label: x\ty\nSTART TIMELINE: 1\nSTOP TIME: 2026-11-24 15:26:19 ' +
  'UTC\nSTOP TIMELINE: 1\n';
// PostgreSQL 10: "master", no timeline lines.
const PG10 =
  'START WAL LOCATION: 0/2000028 (file 000000010000000000000002)\nSTOP WAL LOCATION: 0/20000F8 (file ' +
  '000000010000000000000002)\nCHECKPOINT LOCATION: 0/2000060\nBACKUP METHOD: streamed\nBACKUP FROM: master\nSTART ' +
  'TIME: 2026-11-24 15:26:15 UTC\nLABEL: my label: x\ty\nSTOP TIME: 2026-11-24 15:26:15 UTC\n';

describe('wal/backupHistory', () => {
  it('parses a PostgreSQL 14-18 file', () => {
    const h = parseBackupHistory(PG14);
    assert.deepEqual(h.errors, []);
    assert.equal(h.startLsn, 0x2000028n);
    assert.equal(h.startWal, '000000010000000000000002');
    assert.equal(h.stopLsn, 0x2000100n);
    assert.equal(h.stopWal, '000000010000000000000002');
    assert.equal(h.checkpointLsn, 0x2000060n);
    assert.equal(h.method, 'streamed');
    assert.equal(h.from, 'primary');
    assert.equal(h.startTime, '2026-11-24 15:26:19 UTC');
    assert.equal(h.startTimeParsed?.toISOString(), '2026-11-24T15:26:19.000Z');
    assert.equal(h.stopTimeParsed?.toISOString(), '2026-11-24T15:26:19.000Z');
    assert.equal(h.label, 'my label: x\ty');
    assert.equal(h.startTimeline, 1);
    assert.equal(h.stopTimeline, 1);
    assert.equal(h.incrementalFromLsn, null);
    assert.deepEqual(h.other, []);
    assert.deepEqual(parseBackupHistory(PG14, { segSize: 16 << 20 }).errors, []);
  });

  it('parses a PostgreSQL 10 file (no timeline lines)', () => {
    const h = parseBackupHistory(PG10);
    assert.deepEqual(h.errors, []);
    assert.equal(h.from, 'master');
    assert.equal(h.startTimeline, null);
    assert.equal(h.stopTimeline, null);
  });

  it('a label with newlines continues until the next known line', () => {
    const text = PG14.replace('LABEL: my label: x\ty\n', 'LABEL: a\nb\nFOO: c\n');
    const h = parseBackupHistory(text);
    assert.deepEqual(h.errors, []);
    assert.equal(h.label, 'a\nb\nFOO: c');
  });

  it('incremental backups (17+) and unknown keys', () => {
    const h = parseBackupHistory(
      `${PG14}INCREMENTAL FROM LSN: 0/1000028\nINCREMENTAL FROM TLI: 1\nSOMETHING NEW: 42\n`,
    );
    assert.deepEqual(h.errors, []);
    assert.equal(h.incrementalFromLsn, 0x1000028n);
    assert.equal(h.incrementalFromTimeline, 1);
    assert.deepEqual(h.other, [{ key: 'SOMETHING NEW', value: '42', line: 13 }]);
    assert.match(
      parseBackupHistory(`${PG14}INCREMENTAL FROM LSN: 0/1000028\n`).errors.join(),
      /no INCREMENTAL FROM TLI/,
    );
  });

  it('truncated files give errors, never exceptions', () => {
    const cuts: Array<[number, RegExp]> = [
      [0, /empty file/],
      [PG14.indexOf('STOP TIMELINE'), /no STOP TIMELINE line/],
      [PG14.indexOf('STOP TIME:'), /no STOP TIME line/],
      [PG14.indexOf('STOP WAL'), /no STOP WAL LOCATION line/],
      [PG14.length - 1, /does not end with a newline/],
      [PG14.indexOf('(file') + 10, /truncated[\s\S]*expected "X\/X \(file/],
    ];
    for (const [n, want] of cuts) {
      const h = parseBackupHistory(PG14.slice(0, n));
      assert.match(h.errors.join('\n'), want, `cut at ${n}: ${h.errors.join(' | ')}`);
    }
    // every prefix shorter than the file has at least one error
    for (let n = 0; n < PG14.length; n++)
      assert.ok(parseBackupHistory(PG14.slice(0, n)).errors.length > 0, `prefix ${n}`);
    for (let n = 0; n < PG10.length; n++)
      assert.ok(parseBackupHistory(PG10.slice(0, n)).errors.length > 0, `prefix ${n}`);
  });

  it('garbled files', () => {
    const cases: Array<[string, RegExp]> = [
      [PG14.replace('0/2000028 (file', '0/20000ZZ (file'), /line 1: START WAL LOCATION: expected/],
      [
        PG14.replace('(file 000000010000000000000002)\nSTOP', '(file 00000001000000000000000x)\nSTOP'),
        /not a WAL segment name/,
      ],
      [
        PG14.replace('STOP WAL LOCATION: 0/2000100', 'STOP WAL LOCATION: 0/1000100'),
        /STOP WAL LOCATION 0\/1000100 is before START WAL LOCATION|is not in 000000010000000000000002/,
      ],
      [
        PG14.replace('CHECKPOINT LOCATION: 0/2000060', 'CHECKPOINT LOCATION: 0/1000060'),
        /CHECKPOINT LOCATION 0\/1000060 is before START/,
      ],
      [PG14.replace('START TIMELINE: 1', 'START TIMELINE: 2'), /START TIMELINE 2 does not match/],
      [PG14.replace('STOP TIMELINE: 1', 'STOP TIMELINE: x'), /line 10: STOP TIMELINE: expected a timeline ID/],
      [
        PG14.replace('START TIME: 2026-11-24 15:26:19 UTC', 'START TIME: yesterday'),
        /START TIME: expected "YYYY-MM-DD/,
      ],
      [
        PG14.replace('START TIME: 2026-11-24 15:26:19 UTC', 'START TIME: 2026-02-30 15:26:19 UTC'),
        /START TIME: expected/,
      ],
      [
        PG14.replace('BACKUP METHOD: streamed\n', 'BACKUP METHOD: streamed\ngarbage\n'),
        /line 5: not a "KEY: value" line/,
      ],
      [`${PG14}LABEL: again\n`, /line 11: LABEL appears again \(first on line 7\)/],
      [
        PG14.replace('0/2000100 (file 000000010000000000000002)', '0/3000100 (file 000000010000000000000002)'),
        /STOP WAL LOCATION 0\/3000100 is not in 000000010000000000000002 for any segment size/,
      ],
      ['\0\0\0\0', /not a "KEY: value" line|newline/],
    ];
    for (const [text, want] of cases) {
      const h = parseBackupHistory(text);
      assert.match(h.errors.join('\n'), want, h.errors.join(' | '));
    }
    // with a known segment size the file names are checked exactly: at 1 MB, 0/2000028 is in ...0020
    assert.match(
      parseBackupHistory(PG14, { segSize: 1 << 20 }).errors.join(),
      /START WAL LOCATION 0\/2000028 is not in 000000010000000000000002 \(segment size 1 MB\)/,
    );
  });

  it('parseBackupTime', () => {
    assert.equal(parseBackupTime('2026-11-24 10:00:00 UTC')?.toISOString(), '2026-11-24T10:00:00.000Z');
    assert.equal(parseBackupTime('2026-11-24 10:00:00 GMT')?.toISOString(), '2026-11-24T10:00:00.000Z');
    assert.equal(parseBackupTime('2026-11-24 10:00:00 +03')?.toISOString(), '2026-11-24T07:00:00.000Z');
    assert.equal(parseBackupTime('2026-11-24 10:00:00 -0330')?.toISOString(), '2026-11-24T13:30:00.000Z');
    assert.equal(parseBackupTime('2026-11-24 10:00:00 CET'), null, 'abbreviations are not resolved');
    assert.equal(parseBackupTime('2026-11-24 10:00:00 EST'), null);
    assert.equal(parseBackupTime('2026-11-24 10:00:00'), undefined);
    assert.equal(parseBackupTime('2026-13-01 10:00:00 UTC'), undefined);
    assert.equal(parseBackupTime('2026-11-24 24:00:00 UTC'), undefined);
    assert.equal(parseBackupTime('2024-02-29 00:00:00 UTC')?.toISOString(), '2024-02-29T00:00:00.000Z');
  });

  it('property: whatever a server writes parses back, for every segment size', () => {
    const lsn = fc.bigInt({ min: 0n, max: 0xffff_ffff_ffff_0000n });
    fc.assert(
      fc.property(
        fc.constantFrom(...SEGMENT_SIZES),
        lsn,
        fc.bigInt({ min: 0n, max: 0xffffn }),
        fc.integer({ min: 1, max: 0xffffffff }),
        fc.string({ maxLength: 60 }).map((s) => s.replace(/[\r\n]/g, '')),
        (size, start, len, tli, label) => {
          const stop = start + len;
          const wal = (l: bigint) => formatSegmentName(tli, segmentOfLsn(l, size), size);
          const text =
            `START WAL LOCATION: ${formatLsn(start)} (file ${wal(start)})\nSTOP WAL LOCATION: ${formatLsn(stop)} (file ${wal(stop)})\n` +
            `CHECKPOINT LOCATION: ${formatLsn(start + 0x38n)}\nBACKUP METHOD: streamed\nBACKUP FROM: standby\nSTART TIME: 2026-01-01 00:00:00 UTC\n` +
            `LABEL: ${label}\nSTART TIMELINE: ${tli}\nSTOP TIME: 2026-01-01 00:00:01 UTC\nSTOP TIMELINE: ${tli}\n`;
          const h = parseBackupHistory(text, { segSize: size });
          assert.deepEqual(h.errors, []);
          assert.equal(h.startLsn, start);
          assert.equal(h.stopLsn, stop);
          assert.equal(h.label, label);
          assert.equal(h.stopTimeline, tli);
          assert.deepEqual(parseBackupHistory(text).errors, []);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('property: never throws on arbitrary text', () => {
    const line = fc.oneof(fc.constantFrom(...PG14.split('\n')), fc.string({ maxLength: 40 }));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 15 }), (lines) => {
        const h = parseBackupHistory(lines.join('\n'));
        assert.ok(Array.isArray(h.errors));
      }),
      { numRuns: 2000 },
    );
  });
});
