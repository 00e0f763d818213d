import { strict as assert } from 'node:assert';

import fc from 'fast-check';

import { formatLsn, isLsn, MAX_LSN, parseLsn } from '../../../src/core/wal';

describe('wal/lsn', () => {
  it('parses what pg_lsn_in accepts', () => {
    const cases: Array<[string, bigint]> = [
      ['0/0', 0n],
      ['0/3000060', 0x3000060n],
      ['16/B374D848', 0x16_b374d848n],
      ['16/b374d848', 0x16_b374d848n],
      ['FFFFFFFF/FFFFFFFF', MAX_LSN],
      ['00000000/00000001', 1n],
      ['1/0A', 0x1_0000000an],
    ];
    for (const [text, want] of cases) assert.equal(parseLsn(text), want, text);
  });

  it('rejects what pg_lsn_in rejects', () => {
    for (const text of [
      '',
      '/',
      '0/',
      '/0',
      'G/0',
      '-1/0',
      ' 0/12345678',
      '0/12345678 ',
      'ABCD/',
      '/ABCD',
      '123456789/0',
      '0/123456789',
      '0x1/0',
      '0/+1',
      '0//1',
      '0/1/2',
      '1',
      '0-1',
      '0/1\n',
      '０/1',
    ])
      assert.equal(parseLsn(text), null, JSON.stringify(text));
  });

  it('formats like PostgreSQL 10-18 print (upper case, no leading zeros)', () => {
    assert.equal(formatLsn(0n), '0/0');
    assert.equal(formatLsn(0x3000060n), '0/3000060');
    assert.equal(formatLsn(0x16_b374d848n), '16/B374D848');
    assert.equal(formatLsn(0x1_0000000an), '1/A');
    assert.equal(formatLsn(MAX_LSN), 'FFFFFFFF/FFFFFFFF');
    assert.throws(() => formatLsn(-1n), RangeError);
    assert.throws(() => formatLsn(MAX_LSN + 1n), RangeError);
  });

  it('isLsn', () => {
    assert.equal(isLsn(0n), true);
    assert.equal(isLsn(MAX_LSN), true);
    assert.equal(isLsn(-1n), false);
    assert.equal(isLsn(1), false);
  });

  it('property: parse(format(x)) = x for every 64-bit LSN', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_LSN }), (x) => parseLsn(formatLsn(x)) === x),
      { numRuns: 2000 },
    );
  });

  it('property: format(parse(s)) is s upper-cased without leading zeros', () => {
    const hex = fc.stringMatching(/^[0-9a-fA-F]{1,8}$/);
    fc.assert(
      fc.property(hex, hex, (a, b) => {
        const strip = (h: string) => h.toUpperCase().replace(/^0+(?=.)/, '');
        return formatLsn(parseLsn(`${a}/${b}`)!) === `${strip(a)}/${strip(b)}`;
      }),
      { numRuns: 1000 },
    );
  });
});
