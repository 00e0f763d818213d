import { strict as assert } from 'node:assert';

import { parseShell } from '../../../src/core/shell/shellParser';
import { archiveLocations, cleanupLocation, restoreLocation } from '../../../src/core/shell/walLocationAnalysis';

const ast = (t: string) => parseShell(t).ast;

describe('where WAL is archived to and restored from', () => {
  it('archive_command: copy destinations and tool repositories', () => {
    const keys = (t: string) => archiveLocations(ast(t)).map((l) => l.key);
    assert.deepEqual(keys('test ! -f /mnt/a/%f && cp %p /mnt/a/%f'), ['/mnt/a']);
    assert.deepEqual(
      keys('f=/mnt/a/%f; if [ -f "$f" ]; then cmp -s "%p" "$f"; else cp "%p" "$f.tmp" && mv "$f.tmp" "$f"; fi'),
      ['/mnt/a'],
    );
    assert.deepEqual(keys('gzip < %p > /mnt/a//%f.gz'), ['/mnt/a']);
    assert.deepEqual(keys('rsync -a %p postgres@backup:/wal/%f'), ['backup:/wal']);
    assert.deepEqual(keys('aws s3 cp %p s3://bucket/wal/%f'), ['s3://bucket/wal']);
    assert.deepEqual(keys('cp %p ../wal_archive/%f'), ['../wal_archive']);
    assert.deepEqual(keys('pgbackrest --stanza=main archive-push %p'), ['pgbackrest stanza=main']);
    assert.deepEqual(keys('cp %p $ARCHIVE/%f'), []);
    assert.deepEqual(keys('/usr/local/bin/archive.sh %p %f'), []);
  });

  it('restore_command: copy sources', () => {
    const key = (t: string) => restoreLocation(ast(t))?.key ?? null;
    assert.equal(key('cp /mnt/a/%f %p'), '/mnt/a');
    assert.equal(key('gunzip < /mnt/a/%f.gz > %p'), '/mnt/a');
    assert.equal(key('rsync -a backup:/wal/%f %p'), 'backup:/wal');
    assert.equal(key('pgbackrest --stanza=main archive-get %f "%p"'), 'pgbackrest stanza=main');
    assert.equal(key('cp $ARCHIVE/%f %p'), null);
  });

  it('archive_cleanup_command: the folder pg_archivecleanup prunes', () => {
    assert.equal(cleanupLocation(ast('pg_archivecleanup /mnt/a %r'))?.key, '/mnt/a');
    assert.equal(cleanupLocation(ast('/usr/pgsql-16/bin/pg_archivecleanup -d -x .gz /mnt/a/ %r'))?.key, '/mnt/a');
    assert.equal(cleanupLocation(ast('/opt/cleanup.sh %r')), null);
  });
});
