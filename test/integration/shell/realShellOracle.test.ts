// The shell analysis judged by real shells: dash -n decides what parses, /bin/sh decides what a
// command line exits with. Oracles only: no product code decides an expected value here.
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

import fc from 'fast-check';

import { exitStatus } from '../../../src/core/shell/exitStatus';
import { parseShell } from '../../../src/core/shell/shellParser';
import { ALWAYS_SUCCEED } from '../../fixtures/alwaysSucceedCommands';

/** A real shell, or a loud skip (a failure under CI=true, where .ci/run installs dash). */
function requireShell(candidates: string[], what: string): string | undefined {
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    const msg = `${what}: none of ${candidates.join(', ')} exists`;
    if (process.env.CI === 'true') throw new Error(`${msg} (CI installs dash)`);
    console.warn(`\n*** SKIPPED: ${msg} ***\n`);
  }
  return found;
}

describe('shell parser against dash -n', () => {
  const dash = requireShell(['/usr/bin/dash', '/bin/dash'], 'shell parser oracle');
  (dash ? describe : describe.skip)('agrees with dash -n', () => {
    const valid = [
      'test ! -f /a/%f&&cp %p /a/%f',
      'if [ -f /a/%f ]; then cmp -s %p /a/%f; else cp %p /a/%f.tmp && sync /a/%f.tmp && mv /a/%f.tmp /a/%f; fi',
      'case %f in *.history) cp %p /h/%f;; *) cp %p /a/%f;; esac',
      'for f in a b; do echo $f; done; while false; do :; done',
      'f() echo x; f',
      '{ cp a b; } > /dev/null 2>&1 || :',
      'cp %p /a/$(date +%%Y)/%f',
      'cp %p /a/%f &>/dev/null',
      'echo `then`',
    ];
    const invalid = [
      'a | ! b',
      '! ! a',
      '{ cp a b }',
      'if a; fi',
      'cp a b; fi',
      '(cp a b',
      '( )',
      'cp a >',
      'in',
      ';;;',
      '&& &&',
      'cp a b &&',
      '(a) b',
      'cp $(case)',
      'echo "$(if true; then x)"',
      "cp '%p",
    ];
    const check = (text: string): boolean => spawnSync(dash as string, ['-n', '-c', text]).status === 0;
    for (const t of valid)
      it(`accepts ${JSON.stringify(t)}`, () => assert.deepEqual([check(t), parseShell(t).errors], [true, []]));
    for (const t of invalid)
      it(`rejects ${JSON.stringify(t)}`, () =>
        assert.deepEqual([check(t), parseShell(t).errors.length > 0], [false, true]));
  });
});

describe('exit status analysis against /bin/sh', () => {
  const sh = requireShell(['/bin/sh', '/usr/bin/dash'], 'exit status oracle');
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
