// The first page of a segment names its cluster (XLogLongPageHeaderData). The bytes below are the
// first 40 bytes of a segment archived by PostgreSQL 18 (system identifier 7714300956738417781,
// pg_control_system() on the same server; 4 MB segments, 8 kB pages).
import { strict as assert } from 'node:assert';

import { parseLongPageHeader } from '../../../src/core/timeline/walPageHeader';

const PG18 = Buffer.from('18d1070001000000000080000000000035000000000000007574d918d9b30e6b0000400000200000', 'hex');

describe('timeline WAL page header', () => {
  it('reads the system identifier and sizes of a long page header', () => {
    const h = parseLongPageHeader(PG18);
    assert.deepEqual(h, {
      magic: 0xd118,
      timeline: 1,
      systemId: '7714300956738417781',
      segmentSize: 4 * 1024 * 1024,
      blockSize: 8192,
    });
  });

  it('null for anything else (short, not WAL, no long header)', () => {
    assert.equal(parseLongPageHeader(PG18.subarray(0, 30)), null);
    assert.equal(parseLongPageHeader(Buffer.alloc(40)), null);
    const short = Buffer.from(PG18);
    short.writeUInt16LE(0x0004, 2);
    assert.equal(parseLongPageHeader(short), null);
  });
});
