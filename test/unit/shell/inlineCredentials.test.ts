import { strict as assert } from 'node:assert';

import { inlineCredentials } from '../../../src/core/shell/inlineCredentials';
import { parseShell } from '../../../src/core/shell/shellParser';

const names = (t: string) => inlineCredentials(parseShell(t).ast).map((c) => c.name);

describe('secrets written into a command', () => {
  it('finds secret variables, options and URI passwords, by name only', () => {
    assert.deepEqual(names('AWS_ACCESS_KEY_ID=AKIA AWS_SECRET_ACCESS_KEY=wJal aws s3 cp %p s3://b/%f'), [
      'AWS_SECRET_ACCESS_KEY',
    ]);
    assert.deepEqual(names('env PGPASSWORD=s3cret pg_receivewal -D /a'), ['PGPASSWORD']);
    assert.deepEqual(names('pgbackrest --repo1-s3-key-secret=abc --stanza=x archive-push %p'), [
      '--repo1-s3-key-secret',
    ]);
    assert.deepEqual(names('WALG_LIBSODIUM_KEY=k wal-g wal-push %p'), ['WALG_LIBSODIUM_KEY']);
    assert.deepEqual(names('curl -T %p ftp://wal:hunter2@backup/wal/%f'), ['a password in a URI']);
    assert.deepEqual(names('sshpass -p hunter2 scp %p backup:/wal/%f'), ['sshpass -p']);
    assert.deepEqual(names('pg_receivewal -d "host=b password=x" -D /a'), ['a password in a connection string']);
  });

  it('leaves variables, files and ids alone', () => {
    for (const t of [
      'AWS_SECRET_ACCESS_KEY=$KEY aws s3 cp %p s3://b/%f',
      'AWS_SHARED_CREDENTIALS_FILE=/etc/aws wal-g wal-push %p',
      'PGPASSFILE=/var/lib/pgsql/.pgpass pg_receivewal -D /a',
      'WALG_S3_PREFIX=s3://b/p wal-g wal-push %p',
      'envdir /etc/wal-g.d/env wal-g wal-push %p',
      'rsync -a %p postgres@backup:/wal/%f',
      'curl -T %p https://backup/wal/%f',
    ]) {
      assert.deepEqual(names(t), [], t);
    }
  });
});
