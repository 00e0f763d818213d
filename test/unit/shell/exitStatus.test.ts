// Whether PostgreSQL can ever see a failure from the command, and why not when it cannot.
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { existsSync } from 'node:fs';
import { parseShell } from '../../../src/core/shell/shellParser';
import {
  alwaysSucceedsReason,
  canExitNonZero,
  exitStatus,
  lastStatusIsPipeline,
} from '../../../src/core/shell/exitStatus';
import { shellOptions } from '../../../src/core/shell/shellOptions';

function parse(text: string) {
  const r = parseShell(text);
  assert.deepEqual(r.errors, [], `no syntax errors in ${JSON.stringify(text)}`);
  return r.ast;
}

/** commands PostgreSQL would always see succeed, with the reason given */
const ALWAYS_SUCCEED: Array<[string, string]> = [
  ['cp %p /a/%f || true', '`|| true` makes the command succeed even when cp fails'],
  ['cp %p /a/%f||true', '`|| true` makes the command succeed even when cp fails'],
  ['cp %p /a/%f   ||   true', '`|| true` makes the command succeed even when cp fails'],
  ['cp %p /a/%f || /bin/true', '`|| /bin/true` makes the command succeed even when cp fails'],
  ['cp a b || :', '`|| :` makes the command succeed even when cp fails'],
  ['cp a b || exit 0', '`|| exit 0` makes the command succeed even when cp fails'],
  ['cp a b || echo failed', '`|| echo failed` makes the command succeed even when cp fails'],
  ['test ! -f /a/%f && cp %p /a/%f || true', '`|| true` makes the command succeed even when test or cp fails'],
  ['cp a b; true', '`true` always succeeds, so a failure of cp is not reported'],
  ['cp a b; :', '`:` always succeeds, so a failure of cp is not reported'],
  ['cp a b; exit 0', '`exit 0` ends the shell with status 0, so a failure of cp is not reported'],
  ['cp a b\nexit 0', '`exit 0` ends the shell with status 0, so a failure of cp is not reported'],
  ['cp a b; echo done', '`echo` always succeeds, so a failure of cp is not reported'],
  ['cp %p /a/%f; echo ok', '`echo` always succeeds, so a failure of cp is not reported'],
  ['cp a b; printf "%s\\n" done', '`printf` always succeeds, so a failure of cp is not reported'],
  ['cp a b; logger -t pg "archived %f"', '`logger` always succeeds, so a failure of cp is not reported'],
  ['cp a b; echo done 2>/dev/null >&2', '`echo` always succeeds, so a failure of cp is not reported'],
  ['{ cp a b; } || :', '`|| :` makes the command succeed even when cp fails'],
  ['(cp a b) || true', '`|| true` makes the command succeed even when cp fails'],
  ['(cp a b || exit 0)', '`|| exit 0` makes the command succeed even when cp fails'],
  ['true', '`true` always succeeds'],
  ['/bin/true', '`/bin/true` always succeeds'],
  ['/usr/bin/true %p', '`/usr/bin/true` always succeeds'],
  [':', '`:` always succeeds'],
  ['exit 0', '`exit 0` ends the shell with status 0'],
  ['exit 256', '`exit 256` ends the shell with status 0'],
  ['cp %p /a/%f &', '`&` runs cp in the background, so the shell reports success without waiting for it'],
  [
    'cp %p /a/%f &>/dev/null',
    '`&` runs cp in the background, so the shell reports success without waiting for it (`&>` is bash syntax; /bin/sh reads `cmd &>file` as `cmd &` followed by `>file`)',
  ],
  ['cp a b; exec true', '`exec true` always succeeds, so a failure of cp is not reported'],
  ['if test -f x; then true; else :; fi', 'every branch of the `if` always succeeds'],
  [
    'if cp a b; then echo ok; fi',
    'every branch of the `if` always succeeds, and an `if` without `else` succeeds when no condition holds',
  ],
  ['if cp a b; then echo ok; else echo failed; fi', 'every branch of the `if` always succeeds'],
  [
    'case %f in *.history) true;; esac',
    'every branch of the `case` always succeeds (and a `case` where nothing matches succeeds too)',
  ],
  ['cp a b | true', 'only the last command of a pipeline decides its status, and `true` always succeeds'],
  ['! false', '`!` turns the failure of `false` into success'],
  ['X=1', 'a variable assignment always succeeds'],
  ['cp a b; set -e', '`set` only changes shell options and succeeds, so a failure of cp is not reported'],
  ['exit 0; cp a b', '`exit 0` ends the shell with status 0'],
];

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

  // Cross-check the "always succeeds" claims against the real /bin/sh with every tool failing.
  const sh = ['/bin/sh', '/usr/bin/dash'].find((p) => existsSync(p));
  (sh && process.platform !== 'win32' ? describe : describe.skip)(
    `agrees with ${sh ?? '/bin/sh'} when every tool fails`,
    () => {
      const failing =
        'cp() { return 1; }; mv() { return 1; }; test() { return 1; }; sync() { return 1; }; cmp() { return 1; }; gzip() { return 1; }; ';
      for (const [text] of ALWAYS_SUCCEED) {
        if (text.includes('/bin/true') || text.includes('/usr/bin/true') || text.includes('logger')) continue;
        it(JSON.stringify(text), () => {
          const script = failing + text.replace(/%[pf]/g, 'x');
          let status = 0;
          try {
            execFileSync(sh as string, ['-c', script], { stdio: 'ignore', timeout: 5000, cwd: '/tmp' });
          } catch (e) {
            status = (e as { status?: number }).status ?? -1;
          }
          assert.equal(status, 0);
        });
      }
      // random command lines over two tools `a` and `b`: every "always succeeds" / "never succeeds"
      // claim must hold for all four combinations of a and b succeeding or failing
      it('holds every claim on random command lines, for every outcome of the tools', function () {
        this.timeout(60000);
        const atom = fc.constantFrom(
          'a',
          'b',
          'true',
          ':',
          'false',
          'echo x',
          'exit 0',
          'exit 1',
          'exit',
          'exit 256',
          'set -e',
          'set -u',
          'a >/dev/null',
          'true > /nonexistent/x',
          'X=1',
          'X=$(a)',
          '! a',
          '! true',
          'exec true',
          'exec a',
          ': ${X?}',
          'echo $Y',
          'case x in x) a;; esac',
          '(exit 0)',
          '{ a; } >/dev/null',
        );
        const line: fc.Arbitrary<string> = fc.letrec((tie) => ({
          c: fc.oneof(
            { depthSize: 'small' },
            atom,
            atom,
            fc
              .tuple(tie('c'), fc.constantFrom(' && ', ' || ', ' | ', '; ', ' & '), tie('c'))
              .map(([x, o, y]) => `${x}${o}${y}`),
            tie('c').map((x) => `( ${x} )`),
            tie('c').map((x) => `{ ${x}; }`),
            fc
              .tuple(tie('c'), tie('c'), fc.option(tie('c')))
              .map(([x, y, z]) => `if ${x}; then ${y};${z ? ` else ${z};` : ''} fi`),
          ),
        })).c as fc.Arbitrary<string>;
        let claims = 0;
        for (const text of new Set(fc.sample(line, { numRuns: 600, seed: 12 }))) {
          const r = parseShell(text);
          if (r.errors.length > 0) continue;
          const es = exitStatus(r.ast);
          if (es.canFail && es.canSucceed) continue;
          claims++;
          for (const [ra, rb] of [
            [0, 0],
            [0, 1],
            [1, 0],
            [1, 1],
          ]) {
            const status = spawnSync(sh as string, ['-c', `a() { return ${ra}; }; b() { return ${rb}; }; ${text}`], {
              stdio: 'ignore',
              timeout: 5000,
              cwd: '/tmp',
            }).status;
            if (!es.canFail) assert.equal(status, 0, `${text} (a=${ra}, b=${rb})`);
            else assert.notEqual(status, 0, `${text} (a=${ra}, b=${rb})`);
          }
        }
        assert.ok(claims > 50, `${claims} claims checked`);
      });

      for (const text of [
        'cp a b',
        'test ! -f x && cp a x',
        'cp a b || exit 1',
        'set -e; cp a b; true',
        'cp a b; : ${X?}',
        'set -o pipefail; cp a b || true',
      ]) {
        it(`${JSON.stringify(text)} fails`, () => {
          let status = 0;
          try {
            execFileSync(sh as string, ['-c', failing + text], { stdio: 'ignore', timeout: 5000, cwd: '/tmp' });
          } catch (e) {
            status = (e as { status?: number }).status ?? -1;
          }
          assert.notEqual(status, 0);
        });
      }
    },
  );
});
