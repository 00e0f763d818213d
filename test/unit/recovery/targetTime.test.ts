// Target times are written with an explicit offset; a naive time is read in the confirmed zone,
// and the daylight-saving gap and overlap are refused rather than guessed.
import { strict as assert } from 'node:assert';

import { instantMs, parseTargetTime } from '../../../src/core/recovery/targetTime';
import { RecoveryRefusedError } from '../../../src/core/recovery/types';

function refused(input: string, zone?: string): string {
  try {
    parseTargetTime(input, zone);
  } catch (e) {
    assert.ok(e instanceof RecoveryRefusedError);
    return e.message;
  }
  assert.fail(`accepted: ${input}`);
}

describe('parseTargetTime', () => {
  it('keeps an explicit offset, normalised to ±HH:MM', () => {
    const cases: [string, string, string][] = [
      ['2026-11-24 10:15:00+01', '2026-11-24 10:15:00+01:00', '2026-11-24T09:15:00.000Z'],
      ['2026-11-24T10:15:00-0530', '2026-11-24 10:15:00-05:30', '2026-11-24T15:45:00.000Z'],
      ['2026-11-24 10:15Z', '2026-11-24 10:15:00+00:00', '2026-11-24T10:15:00.000Z'],
      ['2026-11-24 10:15:00 UTC', '2026-11-24 10:15:00+00:00', '2026-11-24T10:15:00.000Z'],
      ['2026-11-24 10:15:00.123456+00', '2026-11-24 10:15:00.123456+00:00', '2026-11-24T10:15:00.123Z'],
      // an explicit offset wins over the confirmed zone
      ['2026-07-01 12:00:00+00', '2026-07-01 12:00:00+00:00', '2026-07-01T12:00:00.000Z'],
    ];
    for (const [input, text, iso] of cases) {
      const t = parseTargetTime(input, 'America/New_York');
      assert.deepEqual([t.text, new Date(t.epochMs).toISOString()], [text, iso], input);
    }
  });

  it('reads a naive time in the confirmed zone: standard and daylight-saving time', () => {
    assert.equal(parseTargetTime('2026-01-15 12:00:00', 'Europe/Paris').text, '2026-01-15 12:00:00+01:00');
    assert.equal(parseTargetTime('2026-07-15 12:00:00', 'Europe/Paris').text, '2026-07-15 12:00:00+02:00');
    assert.equal(parseTargetTime('2023-10-27 14:45:00', 'America/New_York').text, '2023-10-27 14:45:00-04:00');
    assert.equal(parseTargetTime('2023-12-27 14:45:00', 'America/New_York').text, '2023-12-27 14:45:00-05:00');
    assert.equal(parseTargetTime('2026-03-29 03:00:00', 'Europe/Paris').text, '2026-03-29 03:00:00+02:00');
    assert.equal(parseTargetTime('2026-03-29 01:59:59', 'Europe/Paris').text, '2026-03-29 01:59:59+01:00');
    assert.equal(parseTargetTime('2026-06-01 09:00', 'Asia/Kathmandu').text, '2026-06-01 09:00:00+05:45');
    assert.equal(parseTargetTime('2026-06-01 09:00', '+05:30').text, '2026-06-01 09:00:00+05:30');
    assert.equal(parseTargetTime('2026-06-01 09:00', 'UTC').text, '2026-06-01 09:00:00+00:00');
    // southern hemisphere: daylight-saving time in January
    assert.equal(parseTargetTime('2026-01-10 08:00:00', 'Australia/Sydney').text, '2026-01-10 08:00:00+11:00');
  });

  it('refuses the wall-clock hour a spring-forward change skips', () => {
    assert.equal(
      refused('2026-03-29 02:30:00', 'Europe/Paris'),
      'recovery target time "2026-03-29 02:30:00" does not exist in Europe/Paris: the clocks skip that ' +
        'hour (daylight-saving change); write the time with an explicit offset',
    );
    assert.equal(
      refused('2026-03-08 02:00', 'America/New_York'),
      'recovery target time "2026-03-08 02:00" does not exist in America/New_York: the clocks skip that ' +
        'hour (daylight-saving change); write the time with an explicit offset',
    );
  });

  it('refuses the hour a fall-back change repeats, offering both offsets', () => {
    assert.equal(
      refused('2026-10-25 02:30:00', 'Europe/Paris'),
      'recovery target time "2026-10-25 02:30:00" happens twice in Europe/Paris (the clocks go back): ' +
        'write it with an explicit offset, 2026-10-25 02:30:00+02:00 (the first) or 2026-10-25 02:30:00+01:00 (the second)',
    );
    assert.equal(
      refused('2026-11-01 01:15', 'America/New_York'),
      'recovery target time "2026-11-01 01:15" happens twice in America/New_York (the clocks go back): ' +
        'write it with an explicit offset, 2026-11-01 01:15:00-04:00 (the first) or 2026-11-01 01:15:00-05:00 (the second)',
    );
  });

  it('refuses a naive time without a zone, unknown zones, abbreviations and impossible dates', () => {
    assert.equal(
      refused('2026-11-24 10:00:00'),
      'recovery target time "2026-11-24 10:00:00" has no UTC offset: confirm the time zone it is in (an ' +
        'IANA zone such as Europe/Paris, or an offset such as +02:00), or write the offset into the time',
    );
    const unknown = (z: string) =>
      `unknown time zone "${z}": give an IANA zone name (Europe/Paris, America/New_York) or an offset ` +
      `(+02:00); abbreviations such as EST or CEST are fixed offsets and are not accepted`;
    assert.equal(refused('2026-11-24 10:00:00', 'Mars/Olympus'), unknown('Mars/Olympus'));
    assert.equal(refused('2026-11-24 10:00:00', 'EST'), unknown('EST'));
    assert.equal(refused('2026-11-24 10:00:00', 'CEST'), unknown('CEST'));
    assert.equal(
      refused('2026-02-30 10:00:00+00'),
      'recovery target time "2026-02-30 10:00:00+00" is not a valid date and time',
    );
    assert.equal(
      refused('2026-11-24 24:00:00+00'),
      'recovery target time "2026-11-24 24:00:00+00" is not a valid date and time',
    );
    assert.equal(
      refused('2026-11-24 10:00:00+16'),
      'recovery target time "2026-11-24 10:00:00+16" has an invalid UTC offset "+16"',
    );
    const shape = (s: string) =>
      `recovery target time "${s}" is not a time pg-pitr can write safely: use YYYY-MM-DD HH:MM[:SS[.ffffff]] ` +
      `with an optional offset (+02:00, -05, Z); for a zone name (Europe/Paris) give the time without offset ` +
      `and the zone separately`;
    assert.equal(refused('2023-10-27 14:45:00 EST'), shape('2023-10-27 14:45:00 EST'));
    assert.equal(refused('yesterday'), shape('yesterday'));
    assert.equal(refused('2026-11-24 10:00:00.1234567+00'), shape('2026-11-24 10:00:00.1234567+00'));
  });
});

describe('instantMs', () => {
  it('reads PostgreSQL output (+00) and ISO 8601; null for nothing', () => {
    assert.equal(instantMs('2026-11-24 10:00:00.5+00'), Date.UTC(2026, 10, 24, 10, 0, 0, 500));
    assert.equal(instantMs('2026-11-24T10:00:00.000Z'), Date.UTC(2026, 10, 24, 10));
    assert.equal(instantMs(null), null);
    assert.equal(instantMs('soon'), null);
  });
});
