import { strict as assert } from 'node:assert';

import {
  abbreviation,
  acceptsTimeZone,
  isPosixTimeZone,
  zoneName,
  zoneUsesAbbreviation,
} from '../../../src/core/catalog/timeZones';

describe('time zones as each major knows them', () => {
  it('zone names are found case-insensitively, per major', () => {
    assert.equal(zoneName('europe/paris', 18), 'Europe/Paris');
    assert.equal(zoneName('EST', 16), 'EST');
    assert.equal(zoneName('JST', 16), null);
    assert.equal(zoneName('America/Ciudad_Juarez', 10), null);
    assert.equal(zoneName('America/Ciudad_Juarez', 11), 'America/Ciudad_Juarez');
    assert.equal(zoneName('posixrules', 12), 'posixrules');
    assert.equal(zoneName('posixrules', 13), null);
  });

  it("abbreviations carry the Default table's offset and whether they are ambiguous", () => {
    assert.deepEqual(abbreviation('jst', 18), { offset: 32400, dst: false, ambiguous: false });
    assert.deepEqual(abbreviation('IST', 18), { offset: 7200, dst: false, ambiguous: true });
    assert.deepEqual(abbreviation('PYT', 12), { offset: -10800, dst: true, ambiguous: false });
    assert.equal(abbreviation('XYZ', 18), null);
    assert.equal(zoneUsesAbbreviation('Asia/Tokyo', 'jst'), true);
    assert.equal(zoneUsesAbbreviation('Asia/Tokyo', 'CEST'), false);
  });

  it('tzparse accepts POSIX zones the way PostgreSQL does', () => {
    for (const s of [
      'EST5EDT',
      'JST-9',
      '<+03>-3',
      'AB3',
      '3',
      'UTC+3',
      'CET-1CEST,M3.5.0,M10.5.0/3',
      'XX-1YY,J60,J300',
      'XYZ167:59:59',
    ])
      assert.equal(isPosixTimeZone(s), true, s);
    for (const s of ['XYZ', '', 'CET-1CEST,M13.5.0,M10.5.0', 'XX-1YY,366,1', 'XYZ168', 'A3B,M3.5.0', '<+03'])
      assert.equal(isPosixTimeZone(s), false, s);
    assert.equal(acceptsTimeZone(':UTC', 18), true);
    assert.equal(acceptsTimeZone(':JST-9', 18), false);
    assert.equal(acceptsTimeZone('Foo/Bar', 18), false);
  });
});
