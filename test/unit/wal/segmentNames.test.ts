import { strict as assert } from 'node:assert';

import fc from 'fast-check';

import {
  DEFAULT_SEGMENT_SIZE,
  formatSegmentName,
  impliedSegmentSizes,
  isSegmentFileName,
  isValidSegmentSize,
  lsnOfSegmentStart,
  MAX_LSN,
  maxSegno,
  nextSegment,
  parseLsn,
  parseSegmentName,
  previousSegment,
  SEGMENT_SIZES,
  segmentOfEndLsn,
  segmentOffsetOfLsn,
  segmentOfLsn,
  segmentsPerId,
  segnoDistance,
} from '../../../src/core/wal';

const MB = 1024 * 1024;
const S16 = DEFAULT_SEGMENT_SIZE;

/** A valid segment size and a segment name valid for it. */
const sizeAndSegno = fc
  .constantFrom(...SEGMENT_SIZES)
  .chain((size) =>
    fc.tuple(fc.constant(size), fc.integer({ min: 0, max: 0xffffffff }), fc.bigInt({ min: 0n, max: maxSegno(size) })),
  );

describe('wal/segmentNames', () => {
  it('segment sizes: powers of two from 1 MB to 1 GB', () => {
    assert.deepEqual(
      SEGMENT_SIZES.map((s) => s / MB),
      [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
    );
    for (const s of SEGMENT_SIZES) assert.equal(isValidSegmentSize(s), true);
    for (const s of [0, -MB, MB / 2, 3 * MB, 2048 * MB, 16 * MB + 1, 1.5 * MB, NaN, Infinity])
      assert.equal(isValidSegmentSize(s), false, String(s));
    assert.equal(segmentsPerId(MB), 4096);
    assert.equal(segmentsPerId(16 * MB), 256);
    assert.equal(segmentsPerId(64 * MB), 64);
    assert.equal(segmentsPerId(1024 * MB), 4);
    assert.throws(() => segmentsPerId(3 * MB), RangeError);
    assert.throws(() => parseSegmentName('000000010000000000000001', 1000), RangeError);
  });

  it('parses and formats names (table)', () => {
    const cases: Array<[string, number, number, bigint]> = [
      ['000000010000000000000001', S16, 1, 1n],
      ['0000000100000000000000FF', S16, 1, 255n],
      ['000000010000000100000000', S16, 1, 256n],
      ['0000000200001234000003CD', 4 * MB, 2, 0x1234n * 1024n + 0x3cdn],
      ['00000001000000000000003F', 64 * MB, 1, 63n],
      ['000000010000000000000003', 1024 * MB, 1, 3n],
      ['00000001FFFFFFFF00000FFF', MB, 1, 0xffffffffn * 4096n + 4095n],
      ['FFFFFFFF0000000000000000', S16, 0xffffffff, 0n],
    ];
    for (const [name, size, tli, segno] of cases) {
      assert.deepEqual(parseSegmentName(name, size), { timeline: tli, segno }, name);
      assert.equal(formatSegmentName(tli, segno, size), name);
    }
  });

  it('rejects names that are not segments for the size', () => {
    const bad: Array<[string, number]> = [
      ['00000001000000000000000a', S16], // lower case is never valid
      ['0000000100000000000000ff', S16],
      ['00000001000000000000001', S16], // 23
      ['0000000100000000000000001', S16], // 25
      ['000000010000000000000100', S16], // 0x100 >= 256
      ['000000010000000000000040', 64 * MB],
      ['000000010000000000000004', 1024 * MB],
      ['000000010000000000001000', MB],
      ['000000010000000000000001.partial', S16],
      [' 00000001000000000000001', S16],
      ['', S16],
    ];
    for (const [name, size] of bad) assert.equal(parseSegmentName(name, size), null, `${name} @${size / MB}MB`);
    assert.equal(isSegmentFileName('000000010000000000000100'), true, 'shape only');
    assert.equal(isSegmentFileName('00000001000000000000010a'), false);
  });

  it('format rejects out-of-range arguments', () => {
    assert.throws(() => formatSegmentName(-1, 0n, S16), RangeError);
    assert.throws(() => formatSegmentName(2 ** 32, 0n, S16), RangeError);
    assert.throws(() => formatSegmentName(1.5, 0n, S16), RangeError);
    assert.throws(() => formatSegmentName(1, -1n, S16), RangeError);
    assert.throws(() => formatSegmentName(1, maxSegno(S16) + 1n, S16), RangeError);
    assert.equal(formatSegmentName(1, maxSegno(S16), S16), '00000001FFFFFFFF000000FF');
    assert.equal(formatSegmentName(0, 0n, S16), '000000000000000000000000');
  });

  it('next and previous segment re-split at the log id boundary', () => {
    assert.equal(nextSegment('0000000100000000000000FF', S16), '000000010000000100000000');
    assert.equal(previousSegment('000000010000000100000000', S16), '0000000100000000000000FF');
    assert.equal(nextSegment('00000001000000000000003F', 64 * MB), '000000010000000100000000');
    assert.equal(nextSegment('00000001000000000000003F', S16), '000000010000000000000040');
    assert.equal(nextSegment('000000010000000000000003', 1024 * MB), '000000010000000100000000');
    assert.equal(nextSegment('000000010000000000000FFF', MB), '000000010000000100000000');
    assert.equal(previousSegment('000000010000000000000000', S16), null, 'segment 0 has no predecessor');
    assert.equal(nextSegment('00000001FFFFFFFF000000FF', S16), null, 'last segment has no successor');
    assert.equal(nextSegment('000000010000000000000040', 64 * MB), null, 'invalid for the size');
    assert.equal(nextSegment('garbage', S16), null);
  });

  it('LSN to segment and back', () => {
    const lsn = parseLsn('16/B374D848')!;
    assert.equal(formatSegmentName(1, segmentOfLsn(lsn, S16), S16), '0000000100000016000000B3');
    assert.equal(segmentOffsetOfLsn(lsn, S16), 0x74d848);
    assert.equal(formatSegmentName(1, segmentOfLsn(lsn, MB), MB), '000000010000001600000B37');
    assert.equal(formatSegmentName(1, segmentOfLsn(lsn, 1024 * MB), 1024 * MB), '000000010000001600000002');
    assert.equal(lsnOfSegmentStart(3n, S16), 0x3000000n);
    assert.equal(segmentOfLsn(0x3000000n, S16), 3n, 'a boundary LSN is in the segment it starts');
    assert.equal(segmentOfEndLsn(0x3000000n, S16), 2n, 'an end pointer at a boundary belongs to the previous segment');
    assert.equal(segmentOfEndLsn(0x3000001n, S16), 3n);
    // LSN 0 wraps like the C macro (what pg_walfile_name('0/0') printed on 10-16).
    assert.equal(formatSegmentName(1, segmentOfEndLsn(0n, S16), S16), '00000001FFFFFFFF000000FF');
    assert.equal(formatSegmentName(1, segmentOfEndLsn(0n, MB), MB), '00000001FFFFFFFF00000FFF');
    assert.equal(formatSegmentName(1, segmentOfLsn(MAX_LSN, S16), S16), '00000001FFFFFFFF000000FF');
    assert.throws(() => lsnOfSegmentStart(maxSegno(S16) + 1n, S16), RangeError);
  });

  it('segnoDistance ignores the timeline', () => {
    assert.equal(segnoDistance('000000010000000000000001', '000000010000000000000003', S16), 2n);
    assert.equal(segnoDistance('0000000100000000000000FF', '000000020000000100000000', S16), 1n);
    assert.equal(segnoDistance('000000010000000100000000', '0000000100000000000000FF', S16), -1n);
    assert.equal(
      segnoDistance('000000010000000100000000', '0000000100000000000000FF', 64 * MB),
      null,
      'FF is invalid at 64 MB',
    );
  });

  it('impliedSegmentSizes', () => {
    const sizes = (name: string) => impliedSegmentSizes(name).map((s) => s / MB);
    assert.deepEqual(sizes('000000010000000000000000'), [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]);
    assert.deepEqual(sizes('000000010000000000000003'), [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]);
    assert.deepEqual(sizes('000000010000000000000004'), [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]);
    assert.deepEqual(sizes('0000000100000000000000FF'), [1, 2, 4, 8, 16]);
    assert.deepEqual(sizes('000000010000000000000100'), [1, 2, 4, 8]);
    assert.deepEqual(sizes('000000010000000000000FFF'), [1]);
    assert.deepEqual(sizes('000000010000000000001000'), []);
    // The documentation's example backup history file 0000000100001234000055CD.007C9330.backup
    // names a segment that cannot exist under any segment size 1 MB .. 1 GB.
    assert.deepEqual(sizes('0000000100001234000055CD'), []);
    assert.deepEqual(sizes('0000000100000000000000ff'), [], 'lower case');
    assert.deepEqual(sizes('00000001000000000000000'), []);
  });

  it('property: format∘parse and parse∘format round-trip for every segment size', () => {
    fc.assert(
      fc.property(sizeAndSegno, ([size, tli, segno]) => {
        const name = formatSegmentName(tli, segno, size);
        assert.match(name, /^[0-9A-F]{24}$/);
        assert.deepEqual(parseSegmentName(name, size), { timeline: tli, segno });
        assert.equal(impliedSegmentSizes(name).includes(size), true);
      }),
      { numRuns: 3000 },
    );
  });

  it('property: a 24-hex name parses exactly for the sizes impliedSegmentSizes lists, and re-formats to itself', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9A-F]{24}$/), (name) => {
        const implied = impliedSegmentSizes(name);
        for (const size of SEGMENT_SIZES) {
          const p = parseSegmentName(name, size);
          assert.equal(p !== null, implied.includes(size));
          if (p) assert.equal(formatSegmentName(p.timeline, p.segno, size), name);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('property: next(prev(x)) = x = prev(next(x))', () => {
    fc.assert(
      fc.property(sizeAndSegno, ([size, tli, segno]) => {
        const name = formatSegmentName(tli, segno, size);
        if (segno > 0n) assert.equal(nextSegment(previousSegment(name, size)!, size), name);
        if (segno < maxSegno(size)) assert.equal(previousSegment(nextSegment(name, size)!, size), name);
        if (segno < maxSegno(size)) assert.equal(segnoDistance(name, nextSegment(name, size)!, size), 1n);
      }),
      { numRuns: 3000 },
    );
  });

  it('property: segmentOfLsn / lsnOfSegmentStart / segmentOffsetOfLsn are consistent', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SEGMENT_SIZES), fc.bigInt({ min: 0n, max: MAX_LSN }), (size, lsn) => {
        const segno = segmentOfLsn(lsn, size);
        const start = lsnOfSegmentStart(segno, size);
        assert.ok(start <= lsn && lsn < start + BigInt(size));
        assert.equal(lsn - start, BigInt(segmentOffsetOfLsn(lsn, size)));
        assert.equal(segmentOfLsn(start, size), segno);
        // the name is the high 32 bits of the LSN, then the offset within those 4 GB / size
        const name = formatSegmentName(1, segno, size);
        assert.equal(name.slice(8, 16), (lsn >> 32n).toString(16).toUpperCase().padStart(8, '0'));
        assert.equal(parseInt(name.slice(16), 16), Number((lsn & 0xffffffffn) / BigInt(size)));
        // the end-pointer rule differs only at segment boundaries
        assert.equal(segmentOfEndLsn(lsn, size) === segno, lsn !== start);
        if (lsn === start && lsn > 0n) assert.equal(segmentOfEndLsn(lsn, size), segno - 1n);
      }),
      { numRuns: 3000 },
    );
  });
});
