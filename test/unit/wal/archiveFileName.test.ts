import { strict as assert } from 'node:assert';

import fc from 'fast-check';

import {
  type ArchiveName,
  classifyArchiveName,
  COMPRESSIONS,
  formatSegmentName,
  maxSegno,
  timelineHistoryFileName,
} from '../../../src/core/wal';

const SHA = '9c2f1d0e8b7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d';

describe('wal/archiveFileName', () => {
  it('classifies the names PostgreSQL and archiving tools write (table)', () => {
    const cases: Array<[string, ArchiveName]> = [
      [
        '000000010000000000000003',
        { kind: 'segment', timeline: 1, hex24: '000000010000000000000003', compression: null, checksum: null },
      ],
      [
        '0000000A00000001000000FF.gz',
        { kind: 'segment', timeline: 10, hex24: '0000000A00000001000000FF', compression: 'gz', checksum: null },
      ],
      // WAL-G
      [
        '000000010000000000000003.lz4',
        { kind: 'segment', timeline: 1, hex24: '000000010000000000000003', compression: 'lz4', checksum: null },
      ],
      [
        '000000010000000000000003.br',
        { kind: 'segment', timeline: 1, hex24: '000000010000000000000003', compression: 'br', checksum: null },
      ],
      [
        '000000010000000000000003.zst',
        { kind: 'segment', timeline: 1, hex24: '000000010000000000000003', compression: 'zst', checksum: null },
      ],
      [
        '000000010000000000000003.lzma',
        { kind: 'segment', timeline: 1, hex24: '000000010000000000000003', compression: 'lzma', checksum: null },
      ],
      // pgBackRest
      [
        `000000010000000000000003-${SHA}.gz`,
        { kind: 'segment', timeline: 1, hex24: '000000010000000000000003', compression: 'gz', checksum: SHA },
      ],
      [
        `000000010000000000000003-${SHA}`,
        { kind: 'segment', timeline: 1, hex24: '000000010000000000000003', compression: null, checksum: SHA },
      ],
      [
        `000000020000000000000003.partial-${SHA}.zst`,
        { kind: 'partial', timeline: 2, hex24: '000000020000000000000003', compression: 'zst', checksum: SHA },
      ],
      [
        '000000010000000000000003.partial',
        { kind: 'partial', timeline: 1, hex24: '000000010000000000000003', compression: null, checksum: null },
      ],
      [
        '000000010000000000000003.partial.xz',
        { kind: 'partial', timeline: 1, hex24: '000000010000000000000003', compression: 'xz', checksum: null },
      ],
      // pg_receivewal while streaming with compression
      [
        '000000010000000000000003.gz.partial',
        { kind: 'partial', timeline: 1, hex24: '000000010000000000000003', compression: 'gz', checksum: null },
      ],
      ['00000002.history', { kind: 'history', timeline: 2, compression: null }],
      ['0000001A.history.bz2', { kind: 'history', timeline: 26, compression: 'bz2' }],
      [
        '000000010000000000000002.00000028.backup',
        { kind: 'backup-history', timeline: 1, hex24: '000000010000000000000002', offset: 0x28, compression: null },
      ],
      [
        '000000030000000000000002.007C9330.backup.snappy',
        {
          kind: 'backup-history',
          timeline: 3,
          hex24: '000000030000000000000002',
          offset: 0x7c9330,
          compression: 'snappy',
        },
      ],
      [
        '000000010000000000000003.brotli',
        { kind: 'segment', timeline: 1, hex24: '000000010000000000000003', compression: 'brotli', checksum: null },
      ],
    ];
    for (const [name, want] of cases) assert.deepEqual(classifyArchiveName(name), want, name);
  });

  it('every compression extension is recognised on every kind', () => {
    for (const c of COMPRESSIONS) {
      assert.equal(classifyArchiveName(`000000010000000000000003.${c}`).kind, 'segment', c);
      assert.equal(classifyArchiveName(`000000010000000000000003.partial.${c}`).kind, 'partial', c);
      assert.equal(classifyArchiveName(`00000002.history.${c}`).kind, 'history', c);
      assert.equal(classifyArchiveName(`000000010000000000000002.00000028.backup.${c}`).kind, 'backup-history', c);
    }
  });

  it('does not check the segment number against a segment size (the analysis does)', () => {
    assert.equal(classifyArchiveName('000000010000000000000FFF').kind, 'segment');
    assert.equal(classifyArchiveName('00000001FFFFFFFFFFFFFFFF').kind, 'segment');
  });

  it('everything else is unexpected, with a reason', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /empty/],
      ['00000001000000000000000a', /lower-case/],
      ['0000000100000000000000ab.gz', /lower-case/],
      ['0000000a.history', /lower-case/],
      ['000000010000000000000002.0000002a.backup', /lower-case/],
      ['00000001000000000000003', /23 hex digits/],
      ['00000002', /8 hex digits alone/],
      ['0000000100000000000000030', /25 hex digits/],
      ['0000000100000000000000030.gz', /25 hex digits/],
      ['000000010000000000000003.tmp', /temporary/],
      ['000000010000000000000003.gz.tmp', /temporary/],
      ['.000000010000000000000003', /temporary or hidden/],
      ['000000010000000000000003~', /temporary/],
      ['RECOVERYXLOG', /restore_command/],
      ['RECOVERYHISTORY', /restore_command/],
      ['000000010000000000000003.ready', /archive status/],
      ['000000010000000000000003.done', /archive status/],
      ['000000010000000000000003.foo', /unknown suffix "\.foo"/],
      ['000000010000000000000003.gz.gz', /unknown suffix/],
      ['000000010000000000000003.GZ', /unknown suffix/],
      ['000000010000000000000003.lzo', /unknown suffix/],
      ['00000002.history.partial', /unknown suffix/],
      ['00000002.History', /unknown suffix/],
      ['000000000000000000000003', /timeline 0/],
      ['00000000.history', /timeline 0/],
      ['000000000000000000000002.00000028.backup', /timeline 0/],
      [`00000002.history-${SHA}`, /checksum/],
      [`000000010000000000000003-${SHA.toUpperCase()}.gz`, /unknown suffix/],
      [`000000010000000000000003-${SHA.slice(1)}.gz`, /unknown suffix/],
      ['000000010000000000000002.backup', /unknown suffix/],
      ['000000010000000000000002.28.backup', /unknown suffix/],
      ['backup_label', /not a WAL/],
      ['xlog.db', /not a WAL/],
      ['archive.info', /not a WAL/],
      ['wal_005/000000010000000000000003.lz4', /path/],
      ['C:\\archive\\000000010000000000000003', /path/],
      ['000000010000000000000003 ', /unknown suffix/],
      [' 000000010000000000000003', /not a WAL/],
      ['００００００01000000000000000003', /not a WAL/],
    ];
    for (const [name, reason] of cases) {
      const r = classifyArchiveName(name);
      assert.equal(r.kind, 'unexpected', `${JSON.stringify(name)} -> ${JSON.stringify(r)}`);
      if (r.kind === 'unexpected') assert.match(r.reason, reason, `${JSON.stringify(name)}: ${r.reason}`);
    }
  });

  it('property: every formatted segment / partial / history / backup name round-trips', () => {
    const tli = fc.integer({ min: 1, max: 0xffffffff });
    const segno = fc.bigInt({ min: 0n, max: maxSegno(1 << 20) });
    const comp = fc.option(fc.constantFrom(...COMPRESSIONS), { nil: null });
    fc.assert(
      fc.property(tli, segno, comp, fc.integer({ min: 0, max: 0xffffffff }), (t, s, c, off) => {
        const hex24 = formatSegmentName(t, s, 1 << 20);
        const ext = c ? `.${c}` : '';
        assert.deepEqual(classifyArchiveName(hex24 + ext), {
          kind: 'segment',
          timeline: t,
          hex24,
          compression: c,
          checksum: null,
        });
        assert.deepEqual(classifyArchiveName(`${hex24}.partial${ext}`), {
          kind: 'partial',
          timeline: t,
          hex24,
          compression: c,
          checksum: null,
        });
        assert.deepEqual(classifyArchiveName(timelineHistoryFileName(t) + ext), {
          kind: 'history',
          timeline: t,
          compression: c,
        });
        const offHex = off.toString(16).toUpperCase().padStart(8, '0');
        assert.deepEqual(classifyArchiveName(`${hex24}.${offHex}.backup${ext}`), {
          kind: 'backup-history',
          timeline: t,
          hex24,
          offset: off,
          compression: c,
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('property: never throws, and only well-formed names are known', () => {
    const known =
      /^(?:[0-9A-F]{24}(?:\.partial)?(?:-[0-9a-f]{40})?|[0-9A-F]{24}\.[0-9a-z]+\.partial|[0-9A-F]{8}\.history|[0-9A-F]{24}\.[0-9A-F]{8}\.backup)(?:\.[a-z0-9]+)?$/;
    const alphabet = fc.constantFrom(...'0123456789ABCDEFabcdef.-_/ xyzpartialhistorybackupgz'.split(''));
    const arb = fc.oneof(
      fc.string({ unit: alphabet, maxLength: 60 }),
      fc.string({ maxLength: 40 }),
      fc
        .tuple(fc.stringMatching(/^[0-9A-F]{24}$/), fc.string({ unit: alphabet, maxLength: 20 }))
        .map(([a, b]) => a + b),
    );
    fc.assert(
      fc.property(arb, (name) => {
        const r = classifyArchiveName(name);
        if (r.kind !== 'unexpected') assert.match(name, known);
        else assert.ok(r.reason.length > 0);
      }),
      { numRuns: 5000 },
    );
  });
});
