import { strict as assert } from 'node:assert';

import { inferArchive } from '../../../src/core/archive/archiveCommandInference';

describe('where archive_command puts WAL, and the mirror restore_command', () => {
  const cases: Array<[string, string, string | null, string, string | null]> = [
    [
      'cp %p /mnt/server/archivedir/%f',
      'local',
      '/mnt/server/archivedir',
      'certain',
      'cp /mnt/server/archivedir/%f %p',
    ],
    ['test ! -f /mnt/a/%f && cp %p /mnt/a/%f', 'local', '/mnt/a', 'certain', 'cp /mnt/a/%f %p'],
    [
      'f=/mnt/a/%f; if [ -f "$f" ]; then cmp -s "%p" "$f"; else cp "%p" "$f.tmp" && sync "$f.tmp" && mv "$f.tmp" "$f" && sync "/mnt/a"; fi',
      'local',
      '/mnt/a',
      'certain',
      'cp /mnt/a/%f %p',
    ],
    ['gzip < %p > /archive/%f.gz', 'local', '/archive', 'certain', 'gunzip < /archive/%f.gz > %p'],
    [
      'rsync -a %p backup@host:/srv/wal/%f',
      'remote-host',
      'backup@host:/srv/wal',
      'certain',
      'rsync backup@host:/srv/wal/%f %p',
    ],
    ['aws s3 cp %p s3://bucket/pg/wal/%f', 's3', 's3://bucket/pg/wal', 'certain', 'aws s3 cp s3://bucket/pg/wal/%f %p'],
    [
      'pgbackrest --stanza=main archive-push %p',
      'tool',
      null,
      'certain',
      'pgbackrest --stanza=main archive-get %f "%p"',
    ],
    ['wal-g wal-push %p', 'tool', null, 'certain', 'wal-g wal-fetch %f %p'],
    ['envdir /etc/wal-g.d/env wal-g wal-push %p', 'tool', null, 'certain', 'wal-g wal-fetch %f %p'],
    ['barman-wal-archive backup pg %p', 'tool', 'backup', 'certain', 'barman-wal-restore backup pg %f %p'],
    [
      'barman-cloud-wal-archive --gzip s3://b/barman pg %p',
      's3',
      's3://b/barman',
      'certain',
      'barman-cloud-wal-restore --gzip s3://b/barman pg %f %p',
    ],
    ['/usr/local/bin/archive_wal.sh %p %f', 'unknown', null, 'guess', null],
    ['', 'unknown', null, 'guess', null],
  ];
  for (const [cmd, kind, location, confidence, restore] of cases) {
    it(JSON.stringify(cmd), () => {
      const r = inferArchive(cmd);
      assert.deepEqual(
        [r.kind, r.location, r.confidence, r.restoreCommand],
        [kind, location, confidence, restore],
        r.reason,
      );
    });
  }
});
