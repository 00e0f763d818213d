// issue 15: what the lint engine says when it cannot finish its job — a rule that throws, a
// configuration that passes a read limit — is never quieter than a warning, and never hides the
// server's own errors. (A rule with more findings than a call's arguments can hold: in
// test/integration/lintHostileInput.test.ts, it takes longer than this lane allows.)
import { strict as assert } from 'node:assert';

import { getCatalog } from '../../../src/core/catalog/catalogs';
import { memoryFileSystem } from '../../../src/core/conf/fileSystem';
import { lintConfiguration } from '../../../src/core/lint/lintEngine';
import type { Rule } from '../../../src/core/lint/types';

const lint = (files: Record<string, string>, opts: { rules?: Rule[]; maxFiles?: number } = {}) =>
  lintConfiguration({
    configFile: '/etc/pg/postgresql.conf',
    catalog: getCatalog(17),
    fs: memoryFileSystem(files),
    rules: opts.rules,
    limits: opts.maxFiles === undefined ? undefined : { maxFiles: opts.maxFiles, maxBytes: 1 << 30 },
  });

describe('lint engine: failures are never quiet (issue 15)', () => {
  it('a rule that throws becomes an internal-error warning naming it (only the rules asked for run)', () => {
    const broken: Rule = {
      id: 'always-throws',
      severity: 'information',
      summary: 'test rule',
      docPage: 'runtime-config-wal.html',
      check() {
        throw new Error('boom');
      },
    };
    const findings = lint(
      { '/etc/pg/postgresql.conf': 'wal_level = minimal\narchive_mode = on\n' },
      { rules: [broken] },
    );
    assert.deepEqual(
      findings.map((f) => [f.rule, f.severity, f.message]),
      [
        [
          'internal-error',
          'warning',
          'pg-pitr: rule always-throws failed: boom; its findings are missing (a bug in pg-pitr: please report it)',
        ],
      ],
    );
  });
});

describe('lint engine: read limits (issue 15)', () => {
  it('two files including each other 4 times each: the depth error the server gives, then a lint-incomplete warning', () => {
    const a = "include 'b.conf'\n".repeat(4);
    const b = "include 'a.conf'\n".repeat(4);
    // the CLI test (test/integration/lintHostileInput.test.ts) does this with the default limit
    const findings = lint(
      { '/etc/pg/postgresql.conf': "include 'a.conf'\n", '/etc/pg/a.conf': a, '/etc/pg/b.conf': b },
      { maxFiles: 1000 },
    );
    const depth = findings.filter((f) => f.rule === 'include-error');
    assert.ok(depth.length > 0);
    assert.equal(
      depth[0].message,
      'The server will not start: could not open configuration file "a.conf": maximum nesting depth exceeded',
    );
    const stop = findings.filter((f) => f.rule === 'lint-incomplete');
    assert.equal(stop.length, 1);
    assert.equal(stop[0].severity, 'warning');
    assert.match(
      stop[0].message,
      /^pg-pitr stopped reading the configuration at "\/etc\/pg\/[ab]\.conf": 1000 files were opened \(its limit per check; an include cycle multiplies the files the server opens\); the findings cover only what was read$/,
    );
  });

  it('a configuration larger than the byte limit: a lint-incomplete warning, not a raw EFBIG', () => {
    const findings = lintConfiguration({
      configFile: '/etc/pg/postgresql.conf',
      catalog: getCatalog(17),
      fs: memoryFileSystem({ '/etc/pg/postgresql.conf': '# comment\n'.repeat(200_000) }),
      limits: { maxFiles: 10, maxBytes: 1024 * 1024 },
    });
    assert.deepEqual(
      findings.map((f) => [f.rule, f.severity, f.message]),
      [
        [
          'lint-incomplete',
          'warning',
          'pg-pitr stopped reading the configuration at "/etc/pg/postgresql.conf": it would read more than 1 MiB ' +
            '(its limit per check; PostgreSQL reads files of any size); the findings cover only what was read',
        ],
      ],
    );
  });
});

describe('lint rules on long names (issue 15)', () => {
  it('a 200,000-letter parameter name of a known module is reported without comparing it letter by letter', () => {
    const name = 'auto_explain.' + 'x'.repeat(200_000);
    const findings = lint({ '/etc/pg/postgresql.conf': `${name} = on\n`.repeat(20) });
    const typos = findings.filter((f) => f.rule === 'custom-parameter-typo');
    assert.equal(typos.length, 20);
    assert.equal(typos[0].fix, null);
  });
});
