import { strict as assert } from 'node:assert';

import fc from 'fast-check';

import { analyseCommand, scanPlaceholders } from '../../../src/core/shell/commandFacts';
import { parseShell } from '../../../src/core/shell/shellParser';

const IDEMPOTENT =
  'f=/mnt/archive/%f; if [ -f "$f" ]; then cmp -s "%p" "$f"; else cp "%p" "$f.tmp" && sync "$f.tmp" && mv "$f.tmp" "$f" && sync "/mnt/archive"; fi';

describe('shell analysis of archive and restore commands', () => {
  it('exit status: which commands can report a failure', () => {
    const cases: Array<[string, boolean]> = [
      ['cp %p /a/%f', true],
      ['test ! -f /a/%f && cp %p /a/%f', true],
      ['test ! -f /a/%f&&cp %p /a/%f', true],
      ['cp %p /a/%f && sync', true],
      ['cp %p /a/%f || exit 1', true],
      [IDEMPOTENT, true],
      ['cp %p /a/%f || true', false],
      ['cp %p /a/%f||true', false],
      ['cp %p /a/%f; true', false],
      ['cp %p /a/%f ; :', false],
      ['cp %p /a/%f || exit 0', false],
      ['cp %p /a/%f; exit 0', false],
      ['exit 0', false],
      ['/bin/true', false],
      ['true', false],
      [':', false],
      ['cp %p /a/%f; echo done', false],
      ['{ cp %p /a/%f; } || :', false],
      ['(cp %p /a/%f) || true', false],
      ['if cp %p /a/%f; then echo ok; else echo failed; fi', false],
      ['if cp %p /a/%f; then echo ok; else exit 1; fi', true],
      ['gzip < %p > /a/%f.gz', true],
      ['cp %p /a/%f 2>/dev/null || true', false],
      ['false', true],
    ];
    for (const [cmd, canFail] of cases) assert.equal(analyseCommand(cmd).canFail, canFail, cmd);
  });

  it('says why a command always succeeds', () => {
    assert.equal(
      analyseCommand('cp %p /a/%f || true').alwaysSucceedsReason,
      '`|| true` makes the command succeed even when cp fails',
    );
    assert.equal(
      analyseCommand('cp %p /a/%f; echo ok').alwaysSucceedsReason,
      '`echo` always succeeds, so a failure of cp is not reported',
    );
    assert.equal(
      analyseCommand('cp %p /a/%f; exit 0').alwaysSucceedsReason,
      '`exit 0` ends the shell with status 0, so a failure of cp is not reported',
    );
    assert.equal(analyseCommand('/bin/true').alwaysSucceedsReason, '`/bin/true` always succeeds');
  });

  it('pipelines lose the status of all but the last command', () => {
    assert.equal(analyseCommand('gzip < %p | aws s3 cp - s3://b/%f.gz').endsInPipeline, true);
    assert.equal(analyseCommand('gzip -c %p > /a/%f.gz').endsInPipeline, false);
    const pf = analyseCommand('set -o pipefail; gzip < %p | aws s3 cp - s3://b/%f');
    assert.equal(pf.endsInPipeline && pf.pipefail, true);
  });

  it('finds guards, content comparison, copies and their destinations', () => {
    const g = analyseCommand('test ! -f /mnt/server/archivedir/%f && cp %p /mnt/server/archivedir/%f');
    assert.deepEqual(g.guards, [{ path: '/mnt/server/archivedir/%f', host: null }]);
    assert.deepEqual(
      g.copies.map((c) => [c.name, c.destination]),
      [['cp', '/mnt/server/archivedir/%f']],
    );
    assert.equal(g.comparesContent, false);
    const i = analyseCommand(IDEMPOTENT);
    assert.deepEqual(i.guards, [{ path: '$f', host: null }]);
    assert.equal(i.comparesContent, true);
    assert.equal(i.durable, true);
    assert.deepEqual(analyseCommand('[ ! -e /a/%f ] && cp %p /a/%f').guards, [{ path: '/a/%f', host: null }]);
    assert.deepEqual(
      analyseCommand('gzip < %p > /a/%f.gz').copies.map((c) => c.destination),
      ['/a/%f.gz'],
    );
    assert.deepEqual(
      analyseCommand('aws s3 cp %p s3://bucket/wal/%f').copies.map((c) => c.destination),
      ['s3://bucket/wal/%f'],
    );
    assert.deepEqual(
      analyseCommand('rsync -a %p backup:/archive/%f').copies.map((c) => c.destination),
      ['backup:/archive/%f'],
    );
  });

  it('recognises archiving tools, wrapper scripts, cp -i, cd, durability', () => {
    assert.equal(analyseCommand('pgbackrest --stanza=main archive-push %p').tool, 'pgBackRest');
    assert.equal(analyseCommand('wal-g wal-push %p').tool, 'WAL-G');
    assert.equal(analyseCommand('barman-wal-archive backup pg %p').tool, 'Barman');
    assert.equal(analyseCommand('envdir /etc/wal-e.d/env wal-e wal-push %p').tool, 'WAL-E');
    assert.equal(analyseCommand('/usr/local/bin/archive_wal.sh %p %f').wrapperScript, true);
    assert.equal(analyseCommand('cp %p /a/%f').wrapperScript, false);
    assert.equal(analyseCommand('cp -i %p /a/%f </dev/null').usesCpI, true);
    assert.equal(analyseCommand('cd /tmp && cp %p /a/%f').changesDirectoryBeforeP, true);
    assert.equal(analyseCommand('cp %p /a/%f && cd /tmp').changesDirectoryBeforeP, false);
    assert.equal(analyseCommand('cp %p /a/%f').durable, false);
    assert.equal(analyseCommand('cp %p /a/%f && sync /a/%f').durable, true);
    assert.equal(analyseCommand('dd if=%p of=/a/%f conv=fsync').durable, true);
  });

  it('scans placeholders like replace_percent_placeholders', () => {
    assert.deepEqual(scanPlaceholders('cp %p /a/%f', 'pf'), { letters: ['p', 'f'], invalid: [] });
    assert.deepEqual(scanPlaceholders('cp %p /a/%x', 'pf'), { letters: ['p'], invalid: ['%x'] });
    assert.deepEqual(scanPlaceholders('echo 100%% %', 'pf'), { letters: [], invalid: ['%'] });
  });

  it('reports syntax errors and never throws', () => {
    assert.equal(parseShell("cp '%p /a").errors.length, 1);
    assert.ok(parseShell('&& &&').errors.length > 0);
    for (const s of ['', ';;;', 'if then fi', '((((', '$((1+', '`', 'x'.repeat(10000), 'a |', 'a &&']) parseShell(s);
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        analyseCommand(s);
      }),
      { numRuns: 1000, seed: 7 },
    );
  });
});
