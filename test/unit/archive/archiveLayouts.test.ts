// Fixtures for pgBackRest, WAL-G and Barman archives, built from those tools' documented layouts.
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';

import { analyseArchive } from '../../../src/core/archive/archiveAnalysis';
import { memoryArchive, segmentNames } from '../../support/memoryArchive';

const MB = 1024 * 1024;
const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

describe('archive layouts of backup tools', () => {
  it('pgBackRest: archive/<stanza>/<ver>-<n>/<16 hex>/<segment>-<sha1>.gz and backup.info', async () => {
    const files = new Map<string, { size: number; text?: string }>();
    for (const n of segmentNames(1, 1, 9))
      files.set(`archive/main/16-1/${n.slice(0, 16)}/${n}-${sha1(n)}.gz`, { size: 40000 });
    files.set('archive/main/16-1/0000000100000000/000000010000000000000002.00000028.backup', { size: 300 });
    files.set('archive/main/archive.info', { size: 200 });
    files.set('backup/main/backup.info', {
      size: 900,
      text: [
        '[backrest]',
        'backrest-format=5',
        '',
        '[backup:current]',
        '20261124-100000F={"backrest-format":5,"backup-archive-start":"000000010000000000000002","backup-archive-stop":"000000010000000000000003","backup-lsn-start":"0/2000028","backup-lsn-stop":"0/3000100","backup-timestamp-start":1795514400,"backup-timestamp-stop":1795514460,"backup-type":"full"}',
        '',
        '[db]',
        'db-id=1',
        '',
      ].join('\n'),
    });
    files.set('backup/main/20261124-100000F/backup.manifest', { size: 5000 });
    const r = await analyseArchive(memoryArchive('/var/lib/pgbackrest', files), { segmentSize: 16 * MB });
    assert.equal(r.layout, 'pgbackrest');
    assert.deepEqual(
      r.timelines.map((t) => [t.first, t.last, t.segments, t.gaps.length]),
      [['000000010000000000000001', '000000010000000000000009', 9, 0]],
    );
    assert.deepEqual(
      r.backups.map((b) => [b.label, b.startWal, b.stopWal, b.startLsn, b.stopLsn, b.source]),
      [
        [
          '20261124-100000F',
          '000000010000000000000002',
          '000000010000000000000003',
          '0/2000028',
          '0/3000100',
          'pgbackrest',
        ],
      ],
    );
    assert.equal(r.windows[0].to.wal, '000000010000000000000009');
    assert.equal(r.complete, true);
    assert.deepEqual(
      r.anomalies.filter((a) => a.kind === 'unexpected-file'),
      [],
      'archive.info and backup/ are part of the layout',
    );
  });

  it('WAL-G: wal_005/<segment>.lz4 and basebackups_005/*_backup_stop_sentinel.json', async () => {
    const files = new Map<string, { size: number; text?: string }>();
    for (const n of segmentNames(1, 1, 12))
      if (n !== '000000010000000000000008') files.set(`pg/wal_005/${n}.lz4`, { size: 30000 });
    files.set('pg/basebackups_005/base_000000010000000000000004_backup_stop_sentinel.json', {
      size: 400,
      text: JSON.stringify({
        LSN: 0x4000028,
        FinishLSN: 0x4000138,
        StartTime: '2026-11-24T10:00:00Z',
        FinishTime: '2026-11-24T10:01:00Z',
        PgVersion: 170004,
      }),
    });
    files.set('pg/basebackups_005/base_000000010000000000000004/tar_partitions/part_1.tar.lz4', { size: 9000000 });
    const r = await analyseArchive(memoryArchive('s3://bucket/pg', files), { segmentSize: 16 * MB });
    assert.equal(r.layout, 'wal-g');
    assert.deepEqual(
      r.backups.map((b) => [b.label, b.startWal, b.stopWal, b.startLsn, b.stopLsn, b.stopTime]),
      [
        [
          'base_000000010000000000000004',
          '000000010000000000000004',
          '000000010000000000000004',
          '0/4000028',
          '0/4000138',
          '2026-11-24T10:01:00.000Z',
        ],
      ],
    );
    assert.deepEqual(r.timelines[0].gaps, [
      { from: '000000010000000000000008', to: '000000010000000000000008', missing: 1, class: 'lost' },
    ]);
    assert.equal(r.windows[0].to.wal, '000000010000000000000007');
    assert.equal(r.complete, false);
  });

  it('Barman: wals/<16 hex>/<segment>[.gz] and base/<id>/backup.info', async () => {
    const files = new Map<string, { size: number; text?: string }>();
    for (const n of segmentNames(1, 254, 260)) files.set(`pg/wals/${n.slice(0, 16)}/${n}`, { size: 16 * MB });
    files.set('pg/wals/xlog.db', { size: 1000 });
    files.set('pg/base/20261124T100000/backup.info', {
      size: 800,
      text: [
        'backup_label=None',
        'begin_offset=40',
        'begin_time=2026-11-24 10:00:00.000000+00:00',
        'begin_wal=0000000100000000000000FE',
        'begin_xlog=0/FE000028',
        'end_time=2026-11-24 10:02:00.000000+00:00',
        'end_wal=0000000100000000000000FF',
        'end_xlog=0/FF000100',
        'status=DONE',
        'timeline=1',
        'version=170004',
        '',
      ].join('\n'),
    });
    const r = await analyseArchive(memoryArchive('/var/lib/barman', files));
    assert.equal(r.layout, 'barman');
    assert.equal(r.segmentSize, 16 * MB);
    assert.deepEqual(
      r.timelines.map((t) => [t.first, t.last, t.gaps.length]),
      [['0000000100000000000000FE', '000000010000000100000004', 0]],
    );
    assert.deepEqual(
      r.backups.map((b) => [b.label, b.startWal, b.stopWal, b.stopTime]),
      [['20261124T100000', '0000000100000000000000FE', '0000000100000000000000FF', '2026-11-24T10:02:00.000Z']],
    );
    assert.equal(r.complete, true);
  });
});
