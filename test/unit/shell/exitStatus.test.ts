// Whether PostgreSQL can ever see a failure from the command, and why not when it cannot.
import { strict as assert } from 'node:assert';

import {
  alwaysSucceedsReason,
  canExitNonZero,
  exitStatus,
  lastStatusIsPipeline,
} from '../../../src/core/shell/exitStatus';
import { shellOptions } from '../../../src/core/shell/shellOptions';
import { parseShell } from '../../../src/core/shell/shellParser';
import { ALWAYS_SUCCEED } from '../../fixtures/alwaysSucceedCommands';

function parse(text: string) {
  const r = parseShell(text);
  assert.deepEqual(r.errors, [], `no syntax errors in ${JSON.stringify(text)}`);
  return r.ast;
}

/** commands that can report a failure */
const CAN_FAIL: string[] = [
  'cp a b',
  'cp %p /mnt/server/archivedir/%f',
  'test ! -f x && cp a x',
  'test ! -f /a/%f&&cp %p /a/%f',
  'cp a b && sync',
  'if test -f x; then cmp -s a x; else cp a x; fi',
  'if [ -f /a/%f ]; then cmp -s %p /a/%f; else cp %p /a/%f.tmp && sync /a/%f.tmp && mv /a/%f.tmp /a/%f; fi',
  'cp a b || exit 1',
  'cp a b || exit',
  'cp a b || exit $RC',
  'cp a b || false',
  'true; cp a b',
  'cp a b; echo done > /var/log/archive.log',
  'cp a b; echo "$X"; cp c d',
  'set -e; cp a b; true',
  'set -eu; cp a b; echo done',
  'set -o errexit\ncp a b\n:',
  'cp a b; : ${X?}',
  'set -u; cp a b; echo $X',
  'cp a b; true > /nonexistent/x',
  'cp a b; exec cp c d; true',
  'cp a b || eval true',
  'cp a b; . /etc/archive.sh',
  'gzip < %p | aws s3 cp - s3://b/%f',
  'false',
  'exit 3',
  '/usr/local/bin/archive_wal.sh %p %f',
  'pgbackrest --stanza=main archive-push %p',
  '$CMD %p',
  'nice true',
  'cp a b || sudo true',
  'for f in a; do true; done',
  'while false; do :; done',
  'cp a b; { echo ok; } > /var/log/x',
  'X=$(cp a b)',
  'set -o pipefail; cp a b || true',
  'cp a b || { echo failed; exit 1; }',
  '! true',
  'if true; then cp a b; fi',
  'case %f in *.history) cp %p /h/%f;; esac',
];

describe('exit status analysis', () => {
  describe('always succeeds (PostgreSQL would never see a failure)', () => {
    for (const [text, reason] of ALWAYS_SUCCEED) {
      it(JSON.stringify(text), () => {
        const ast = parse(text);
        assert.equal(canExitNonZero(ast), false);
        assert.equal(alwaysSucceedsReason(ast), reason);
      });
    }
  });

  describe('can fail', () => {
    for (const text of CAN_FAIL) {
      it(JSON.stringify(text), () => {
        const ast = parse(text);
        assert.equal(canExitNonZero(ast), true);
        assert.equal(alwaysSucceedsReason(ast), null);
      });
    }
  });

  it('knows commands that can never succeed', () => {
    for (const text of ['false', 'exit 1', 'cp a b; exit 2', '! true', 'true && false'])
      assert.equal(exitStatus(parse(text)).canSucceed, false, text);
    for (const text of ['cp a b', 'cp a b || exit 1']) assert.equal(exitStatus(parse(text)).canSucceed, true, text);
  });

  it('treats a null tree (nothing parsed) as unknown', () => {
    assert.equal(canExitNonZero(null), true);
    assert.equal(alwaysSucceedsReason(null), null);
  });

  describe('lastStatusIsPipeline', () => {
    const cases: Array<[string, boolean, boolean]> = [
      ['gzip < %p | aws s3 cp - s3://b/%f', true, false],
      ['gzip -c %p | aws s3 cp - s3://b/%f.gz', true, false],
      ['set -o pipefail; gzip -c %p | aws s3 cp - s3://b/%f.gz', true, true],
      ['set -euo pipefail; a | b', true, true],
      ['a | b; set -o pipefail', false, false],
      ['(set -o pipefail); a | b', true, false],
      ['{ set -o pipefail; }; a | b', true, true],
      ['cp %p /a/%f', false, false],
      ['a | b; cp c d', false, false],
      ['a | b && echo ok', true, false],
      ['test -f x || gzip -c %p | ssh h "cat > /a/%f"', true, false],
      ['if test -f x; then true; else a | b; fi', true, false],
      ['(a | b)', true, false],
      ['a | b &', false, false],
    ];
    for (const [text, isPipeline, pipefailSet] of cases) {
      it(JSON.stringify(text), () => {
        const r = lastStatusIsPipeline(parse(text));
        assert.equal(r.isPipeline, isPipeline);
        assert.equal(r.pipefailSet, pipefailSet);
        assert.equal(r.failuresLost, isPipeline && !pipefailSet);
      });
    }
  });

  describe('shell options', () => {
    it('reads set -e / -u / -o pipefail and flags non-portable ones', () => {
      const r = shellOptions(parse('set -euo pipefail; cp a b'));
      assert.equal(r.errexit, true);
      assert.equal(r.nounset, true);
      assert.equal(r.pipefail, true);
      assert.deepEqual(
        r.nonPortable.map((s) => s.nonPortable),
        [['pipefail']],
      );
      const p = shellOptions(parse('set -e -o nounset +x; cp a b'));
      assert.deepEqual([p.errexit, p.nounset, p.pipefail, p.nonPortable.length], [true, true, false, 0]);
      assert.deepEqual(shellOptions(parse('set -- a b')).setCommands[0].enables, []);
    });
  });
});
