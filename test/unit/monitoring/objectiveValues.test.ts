import { strict as assert } from 'node:assert';

import {
  formatByteSize,
  formatDuration,
  parseByteSize,
  parseDuration,
  parseQuantity,
} from '../../../src/core/monitoring/objectiveValues';

describe('objective values', () => {
  it('durations in PostgreSQL-like units', () => {
    assert.deepEqual(parseDuration('7d'), { seconds: 604800 });
    assert.deepEqual(parseDuration('26h'), { seconds: 93600 });
    assert.deepEqual(parseDuration('5min'), { seconds: 300 });
    assert.deepEqual(parseDuration(' 90 s '), { seconds: 90 });
    assert.deepEqual(parseDuration('1.5h'), { seconds: 5400 });
    assert.deepEqual(parseDuration('2w'), { seconds: 1209600 });
    assert.deepEqual(parseDuration('250ms'), { seconds: 0.25 });
  });

  it('refuses what it cannot read, saying why', () => {
    assert.deepEqual(parseDuration('7'), {
      error: '"7" is not a duration: write a number and a unit, e.g. 7d, 26h, 5min, 90s',
    });
    assert.deepEqual(parseDuration('5m'), {
      error: '"5m": unknown duration unit "m" (write min for minutes); use ms, s, min, h, d or w',
    });
    assert.deepEqual(parseDuration('-1h'), {
      error: '"-1h" is not a duration: write a number and a unit, e.g. 7d, 26h, 5min, 90s',
    });
    assert.deepEqual(parseByteSize('16XB'), { error: '"16XB": unknown size unit "XB"; use B, kB, MB, GB or TB' });
  });

  it('sizes are 1024-based, as PostgreSQL memory units', () => {
    assert.deepEqual(parseByteSize('16MB'), { bytes: 16777216 });
    assert.deepEqual(parseByteSize('1GB'), { bytes: 1073741824 });
    assert.deepEqual(parseByteSize('512kB'), { bytes: 524288 });
    assert.deepEqual(parseByteSize('100B'), { bytes: 100 });
  });

  it('maxRpo takes a duration or a size; a bare m is ambiguous', () => {
    assert.deepEqual(parseQuantity('5min'), { kind: 'seconds', value: 300, text: '5min' });
    assert.deepEqual(parseQuantity('64MB'), { kind: 'bytes', value: 67108864, text: '64MB' });
    assert.deepEqual(parseQuantity('5m'), {
      error: '"5m": "m" is ambiguous: write min for minutes or MB for megabytes',
    });
  });

  it('prints in the largest unit that keeps the number at 1 or more', () => {
    assert.equal(formatDuration(90), '1.5 min');
    assert.equal(formatDuration(93600), '1.1 d');
    assert.equal(formatDuration(7200), '2 h');
    assert.equal(formatDuration(12), '12 s');
    assert.equal(formatByteSize(16777216), '16 MB');
    assert.equal(formatByteSize(96), '96 B');
    assert.equal(formatByteSize(1536), '1.5 kB');
  });
});
