import { strict as assert } from 'node:assert';

import { analyseCommand } from '../../../src/core/shell/commandFacts';
import { nestedCommand } from '../../../src/core/shell/nestedShell';
import { parseShell } from '../../../src/core/shell/shellParser';

const inner = (text: string) => {
  const n = nestedCommand(parseShell(text).ast);
  return n && [n.via, n.text];
};

describe('commands that hand a string to another shell', () => {
  it('finds the string behind bash -c, sh -ec, su -c, runuser, sudo and env', () => {
    assert.deepEqual(inner(`bash -c 'cp %p /a/%f'`), ['bash -c', 'cp %p /a/%f']);
    assert.deepEqual(inner(`/bin/sh -ec "test ! -f /a/%f && cp %p /a/%f"`), [
      'sh -c',
      'test ! -f /a/%f && cp %p /a/%f',
    ]);
    assert.deepEqual(inner(`bash -o pipefail -c 'gzip < %p | aws s3 cp - s3://b/%f'`), [
      'bash -c',
      'gzip < %p | aws s3 cp - s3://b/%f',
    ]);
    assert.deepEqual(inner(`su - postgres -c "pgbackrest --stanza=main archive-push %p"`), [
      'su -c',
      'pgbackrest --stanza=main archive-push %p',
    ]);
    assert.deepEqual(inner(`runuser -u postgres -- sh -c 'cp %p /a/%f'`), ['sh -c', 'cp %p /a/%f']);
    assert.deepEqual(inner(`sudo -u postgres bash -c 'wal-g wal-push %p'`), ['bash -c', 'wal-g wal-push %p']);
    assert.deepEqual(inner(`env X=1 sh -c 'cp %p /a/%f' >>/var/log/archive.log 2>&1`), ['sh -c', 'cp %p /a/%f']);
  });

  it('leaves everything else alone', () => {
    for (const t of [
      'cp %p /a/%f',
      'bash /opt/archive.sh %p %f',
      'sh -c "$CMD"',
      'cd /a && bash -c "cp %p x"',
      'bash -c',
      'su postgres',
      `bash -c 'a' | cat`,
    ]) {
      assert.equal(nestedCommand(parseShell(t).ast), null, t);
    }
  });

  it('command facts describe the inner string', () => {
    const f = analyseCommand(`sudo -u postgres bash -c 'cp %p /a/%f || true'`);
    assert.equal(f.via, 'bash -c');
    assert.equal(f.canFail, false);
    assert.equal(f.alwaysSucceedsReason, '`|| true` makes the command succeed even when cp fails');
    assert.equal(analyseCommand(`su postgres -c "pgbackrest --stanza=main archive-push %p"`).tool, 'pgBackRest');
    // a secret on the outer command is still found
    assert.deepEqual(analyseCommand(`env PGPASSWORD=x sh -c 'pg_receivewal -D /a'`).credentials, ['PGPASSWORD']);
  });
});
