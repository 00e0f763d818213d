import { strict as assert } from 'node:assert';

import { getCatalog } from '../../../src/core/catalog/catalogs';
import { formatG } from '../../../src/core/conf/cFormat';
import { parseBool, parseInt32, rint, validateValue } from '../../../src/core/conf/valueValidation';

const v = (major: number, name: string, value: string) => {
  const p = getCatalog(major).parameters[name];
  return validateValue(p, name, value, major);
};

describe('value validation (guc.c rules)', () => {
  it('booleans: unique prefixes, "o" and padded values refused', () => {
    assert.equal(parseBool('of'), false);
    assert.equal(parseBool('ON'), true);
    assert.equal(parseBool('tr'), true);
    assert.equal(parseBool('ye'), true);
    assert.equal(parseBool('o'), null);
    assert.equal(parseBool('onn'), null);
    assert.equal(parseBool(' on'), null);
    assert.equal(parseBool('10'), null);
    assert.equal(parseBool(''), null);
  });

  it('integers: base-0 strtol, octal, hex, float re-parse from 12', () => {
    assert.deepEqual(parseInt32('060', 's', 18), { ok: true, value: 48 });
    assert.deepEqual(parseInt32('0x1F', null, 18), { ok: true, value: 31 });
    assert.deepEqual(parseInt32('1.5', null, 18), { ok: true, value: 2 });
    assert.deepEqual(parseInt32('2.5', null, 18), { ok: true, value: 2 }, 'rint rounds half to even');
    assert.deepEqual(parseInt32('1.5', null, 11), { ok: false });
    assert.equal(parseInt32('08', 's', 18).ok, false);
  });

  it('units: case-sensitive, converted and rounded to the next smaller unit', () => {
    assert.deepEqual(parseInt32('30.1GB', 'MB', 18), { ok: true, value: 30822 });
    assert.deepEqual(parseInt32('1 MB', 'kB', 18), { ok: true, value: 1024 });
    assert.deepEqual(parseInt32('64mb', 'kB', 18), {
      ok: false,
      hint: 'Valid units for this parameter are "B", "kB", "MB", "GB", and "TB".',
    });
    assert.deepEqual(parseInt32('1500us', 'ms', 12), { ok: true, value: 2 });
    assert.equal(parseInt32('1500us', 'ms', 11).ok, false, 'us arrived in 12');
    assert.equal(parseInt32('1024B', 'kB', 10).ok, false, 'B arrived in 11');
  });

  it('words messages as the server of that major does', () => {
    assert.deepEqual(v(18, 'work_mem', 'bogus'), {
      ok: false,
      error: { message: 'invalid value for parameter "work_mem": "bogus"', hint: undefined },
    });
    assert.deepEqual(v(16, 'max_wal_senders', '999999'), {
      ok: false,
      error: { message: '999999 is outside the valid range for parameter "max_wal_senders" (0 .. 262143)' },
    });
    assert.deepEqual(v(17, 'bgwriter_flush_after', '0434MB'), {
      ok: false,
      error: {
        message: '36352 8kB is outside the valid range for parameter "bgwriter_flush_after" (0 8kB .. 256 8kB)',
      },
    });
    assert.deepEqual(v(10, 'random_page_cost', 'x'), {
      ok: false,
      error: { message: 'parameter "random_page_cost" requires a numeric value' },
    });
    assert.deepEqual(v(18, 'archive_mode', 'of'), {
      ok: false,
      error: {
        message: 'invalid value for parameter "archive_mode": "of"',
        hint: 'Available values: always, on, off.',
      },
    });
  });

  it('enums accept hidden spellings case-insensitively, never prefixes', () => {
    assert.equal(v(18, 'wal_level', 'HOT_STANDBY').ok, true);
    assert.equal(v(18, 'archive_mode', 'yes').ok, true);
    assert.equal(v(18, 'wal_level', 'repl').ok, false);
  });

  it('marks build-dependent values instead of failing them', () => {
    const r = v(15, 'wal_compression', 'lz4');
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.error.buildDependent, true);
  });

  it('formats reals like printf %g, infinities as the server spells them', () => {
    assert.equal(formatG(1e6, 18), '1e+06');
    assert.equal(formatG(1.5, 18), '1.5');
    assert.equal(formatG(-8.458036644658281e-73, 10), '-8.45804e-73');
    assert.equal(formatG(Infinity, 18), 'Infinity');
    assert.equal(formatG(Infinity, 11), 'inf');
    assert.equal(rint(0.5), 0);
    assert.equal(rint(1.5), 2);
  });
});
