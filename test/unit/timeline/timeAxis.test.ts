// Time axis in the user's zone: local round times across daylight-saving changes, the offset shown,
// and moments written with their offset (what the recovery wizard receives).
import { strict as assert } from 'node:assert';

import { axisTicks, checkedZone, formatMoment, instantOf } from '../../../src/core/timeline/timeAxis';

const iso = (ms: number) => new Date(ms).toISOString();

describe('timeline time axis', () => {
  it('writes moments with the zone’s offset at that moment (winter, summer, half-hour zones)', () => {
    assert.equal(formatMoment(Date.parse('2026-11-24T09:31:05Z'), 'Europe/Paris'), '2026-11-24 10:31:05+01:00');
    assert.equal(formatMoment(Date.parse('2026-07-01T12:00:00Z'), 'Europe/Paris'), '2026-07-01 14:00:00+02:00');
    assert.equal(formatMoment(Date.parse('2026-07-01T12:00:00Z'), 'Asia/Kolkata'), '2026-07-01 17:30:00+05:30');
    assert.equal(formatMoment(Date.parse('2026-07-01T12:00:00Z'), 'America/St_Johns'), '2026-07-01 09:30:00-02:30');
    assert.equal(formatMoment(Date.parse('2026-07-01T12:00:00Z'), 'UTC'), '2026-07-01 12:00:00+00:00');
  });

  it('ticks at local round hours across the end of summer time, with the change in the zone label', () => {
    const a = axisTicks(Date.parse('2026-10-24T12:00:00Z'), Date.parse('2026-10-26T12:00:00Z'), 1000, 'Europe/Paris');
    assert.equal(a.zoneLabel, 'Europe/Paris · UTC+02:00 → +01:00 (Sun 25 Oct 02:00)');
    assert.equal(a.firstMajor, 'Sat 24 Oct 2026');
    assert.deepEqual(
      a.ticks.map((t) => [iso(t.ms), t.label, t.major]),
      [
        ['2026-10-24T16:00:00.000Z', '18:00', null],
        ['2026-10-24T22:00:00.000Z', '00:00', 'Sun 25 Oct 2026'],
        // the night of the change is seven hours long: 06:00 local is still a tick
        ['2026-10-25T05:00:00.000Z', '06:00', null],
        ['2026-10-25T11:00:00.000Z', '12:00', null],
        ['2026-10-25T17:00:00.000Z', '18:00', null],
        ['2026-10-25T23:00:00.000Z', '00:00', 'Mon 26 Oct 2026'],
        ['2026-10-26T05:00:00.000Z', '06:00', null],
        ['2026-10-26T11:00:00.000Z', '12:00', null],
      ],
    );
  });

  it('seconds when zoomed in, months when zoomed out, one label per ~110 px', () => {
    const s = axisTicks(
      Date.parse('2026-11-24T09:30:00Z'),
      Date.parse('2026-11-24T09:32:00Z'),
      1000,
      'America/New_York',
    );
    assert.equal(s.zoneLabel, 'America/New_York · UTC-05:00');
    assert.deepEqual(
      s.ticks.map((t) => t.label),
      ['04:30:00', '04:30:15', '04:30:30', '04:30:45', '04:31:00', '04:31:15', '04:31:30', '04:31:45', '04:32:00'],
    );
    const m = axisTicks(Date.parse('2026-01-10T00:00:00Z'), Date.parse('2027-02-10T00:00:00Z'), 1600, 'Asia/Kolkata');
    assert.deepEqual(
      m.ticks.map((t) => `${t.label}${t.major ? `|${t.major}` : ''}`),
      ['Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec', 'Jan|2027', 'Feb'],
    );
    assert.equal(iso(m.ticks[0]!.ms), '2026-01-31T18:30:00.000Z', 'local midnight of 1 February in Kolkata');
  });

  it('reads wall-clock times of a zone (a skipped time becomes the one after the change) and falls back to UTC for an unknown zone', () => {
    assert.equal(iso(instantOf('Europe/Paris', 2026, 11, 24, 10, 31, 5)), '2026-11-24T09:31:05.000Z');
    assert.equal(iso(instantOf('Europe/Paris', 2026, 3, 29, 2, 30)), '2026-03-29T01:30:00.000Z');
    assert.equal(checkedZone('Europe/Paris'), 'Europe/Paris');
    assert.equal(checkedZone('Mars/Olympus'), 'UTC');
    assert.equal(checkedZone(undefined), 'UTC');
  });
});
