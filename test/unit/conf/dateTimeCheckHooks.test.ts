import { strict as assert } from 'node:assert';

import {
  checkDateStyle,
  checkRecoveryTargetTime,
  checkTimeZone,
  newDateTimeSession,
  refusedZoneWord,
  splitIdentifierList,
} from '../../../src/core/conf/dateTimeCheckHooks';

describe('date and time check hooks', () => {
  it('DateStyle: keywords, prefixes, conflicts and list syntax (check_datestyle)', () => {
    const check = (v: string, major = 18) => checkDateStyle(v, major, newDateTimeSession()) ?? 'ok';
    assert.equal(check('iso, mdy'), 'ok');
    assert.equal(check('Postgresql, European'), 'ok');
    assert.equal(check('default, iso'), 'ok');
    assert.equal(check(''), 'ok');
    assert.deepEqual(check('hot_standby'), { detail: 'Unrecognized key word: "hot_standby".' });
    assert.deepEqual(check('iso, sql'), { detail: 'Conflicting "DateStyle" specifications.' });
    assert.deepEqual(check('iso, sql', 17), { detail: 'Conflicting "datestyle" specifications.' });
    assert.deepEqual(check('iso mdy'), { detail: 'List syntax is invalid.' });
    assert.deepEqual(splitIdentifierList(' "ISO" , Mdy '), ['ISO', 'mdy']);
    assert.equal(splitIdentifierList('iso,,mdy'), null);
  });

  it('TimeZone: numbers of hours up to 167:59:59, zone names and POSIX zones (check_timezone)', () => {
    const check = (v: string) => checkTimeZone(v, 18, newDateTimeSession()) ?? 'ok';
    for (const v of ['UTC', 'europe/paris', '-167.99', '1e1', ' 3', 'JST-9']) assert.equal(check(v), 'ok', v);
    assert.deepEqual(check('168'), { detail: 'UTC timezone offset is out of range.' });
    assert.deepEqual(check('nan'), { detail: 'UTC timezone offset is out of range.' });
    assert.deepEqual(check('JST'), {});
  });

  it('recovery_target_time: abbreviations that are not zone names stop 12+, unless loaded earlier', () => {
    const s = newDateTimeSession();
    assert.deepEqual(checkRecoveryTargetTime('2024-01-01 10:00:00 JST', 16, s), {});
    assert.equal(checkRecoveryTargetTime('2024-01-01 10:00:00 EST', 16, s), undefined);
    assert.deepEqual(checkRecoveryTargetTime('2024-01-01T10:00:00Z', 16, s), {});
    assert.equal(checkRecoveryTargetTime('2024-01-01 10:00:00.5+05:30', 16, s), undefined);
    assert.deepEqual(checkRecoveryTargetTime('2024-02-30 10:00:00+00', 16, s), {});
    assert.deepEqual(checkRecoveryTargetTime('2024-01-01 10:00:00 Foo/Bar', 15, s), {
      fatal: 'time zone "foo/bar" not recognized',
    });
    assert.deepEqual(checkRecoveryTargetTime('2024-01-01 10:00:00 Foo/Bar', 16, s), {});
    // PostgreSQL 18 knows the abbreviations of the TimeZone set earlier in the file
    const tokyo = newDateTimeSession();
    checkTimeZone('Asia/Tokyo', 18, tokyo);
    assert.equal(checkRecoveryTargetTime('2024-01-01 10:00:00 JST', 18, tokyo), undefined);
    assert.deepEqual(checkRecoveryTargetTime('2024-01-01 10:00:00 JST', 17, tokyo), {});
    const loaded = newDateTimeSession();
    loaded.abbreviationsLoaded = true;
    assert.equal(checkRecoveryTargetTime('2024-01-01 10:00:00 JST', 12, loaded), undefined);
  });

  it('names the refused abbreviation with its Default offset', () => {
    assert.deepEqual(refusedZoneWord('2024-01-01 10:00:00 cest', 18), { word: 'CEST', offset: 7200, ambiguous: false });
    assert.deepEqual(refusedZoneWord('2024-01-01 10:00:00 IST', 18), { word: 'IST', offset: 7200, ambiguous: true });
    assert.equal(refusedZoneWord('2024-01-01 10:00:00 UTC', 18), null);
  });
});
