import { strict as assert } from 'node:assert';

import { idleSuccess } from '../../../src/core/shell/idleSuccessAnalysis';
import { parseShell } from '../../../src/core/shell/shellParser';

const idle = (t: string) => idleSuccess(parseShell(t).ast);

describe('success paths that archive nothing', () => {
  it('finds them and says when', () => {
    const rows: Array<[string, string | null]> = [
      [
        'test ! -f /var/lib/pgsql/backup_in_progress || (test ! -f /a/%f && cp %p /a/%f)',
        '`test ! -f /var/lib/pgsql/backup_in_progress` succeeds',
      ],
      ['[ -d /mnt/nfs ] || exit 0; cp %p /mnt/nfs/%f', '`[ -d /mnt/nfs ]` fails'],
      [
        'if [ -f /backup_in_progress ]; then cp %p /a/%f; fi',
        '`[ -f /backup_in_progress ]` does not hold (an `if` without `else` then succeeds)',
      ],
      ['case "$X" in on) cp %p /a/%f;; esac', 'no `case` pattern matches'],
      ['[ -f /tmp/stop ] && exit 0; cp %p /a/%f', '`[ -f /tmp/stop ]` succeeds'],
    ];
    for (const [t, when] of rows) assert.deepEqual(idle(t), { possible: true, when, doesWork: true }, t);
  });

  it('does not confuse existence checks of the archived file, comparisons or failures with idleness', () => {
    for (const t of [
      'cp %p /a/%f',
      'test ! -f /a/%f && cp %p /a/%f',
      'test -f /a/%f || cp %p /a/%f',
      'mkdir -p ../wal_archive && test ! -f ../wal_archive/%f && cp %p ../wal_archive/%f',
      'f=/a/%f; if [ -f "$f" ]; then cmp -s "%p" "$f"; else cp "%p" "$f.tmp" && sync "$f.tmp" && mv "$f.tmp" "$f"; fi',
      'if [ -f /backup_in_progress ]; then cp %p /a/%f; else exit 1; fi',
      'pgbackrest --stanza=main archive-push %p',
      '/usr/local/bin/archive.sh %p %f',
    ]) {
      assert.equal(idle(t).possible, false, t);
    }
  });

  it('marks pure no-ops as doing no work', () => {
    for (const t of ['/bin/true', ':', 'cd .', 'exit 0', 'false', 'echo %p']) assert.equal(idle(t).doesWork, false, t);
  });
});
