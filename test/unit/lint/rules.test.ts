// Each rule fires on the configuration it is about and stays quiet on its correct twin.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { getCatalog, SUPPORTED_MAJORS } from '../../../src/core/catalog/catalogs';
import { memoryFileSystem } from '../../../src/core/conf/fileSystem';
import { lintConfiguration } from '../../../src/core/lint/lintEngine';
import { RULES } from '../../../src/core/lint/rules/index';
import type { Finding } from '../../../src/core/lint/types';
import { CASES, IDEMPOTENT } from '../../fixtures/ruleExamples';

function lint(conf: string, major = 18, extra: Record<string, string> = {}, dataDir = true): Finding[] {
  const files: Record<string, string> = { '/d/postgresql.conf': conf, ...extra };
  return lintConfiguration({
    configFile: '/d/postgresql.conf',
    dataDir: dataDir ? '/d' : null,
    catalog: getCatalog(major),
    fs: memoryFileSystem(files),
  });
}
const ids = (fs: Finding[]) => fs.map((f) => f.rule);

describe('lint rules: firing and quiet', () => {
  for (const c of CASES) {
    it(`${c.rule} (PostgreSQL ${c.major ?? 18})`, () => {
      const fired = lint(c.fires, c.major, c.extra);
      assert.ok(
        ids(fired).includes(c.rule),
        `${c.rule} should fire on ${JSON.stringify(c.fires)}; got ${JSON.stringify(ids(fired))}`,
      );
      const quiet = lint(c.quiet, c.major, c.quietExtra ?? {});
      assert.ok(
        !ids(quiet).includes(c.rule),
        `${c.rule} should stay quiet on ${JSON.stringify(c.quiet)}; got ${JSON.stringify(quiet.filter((f) => f.rule === c.rule).map((f) => f.message))}`,
      );
      for (const more of c.alsoFires ?? [])
        assert.ok(
          ids(lint(more, c.major, c.extra)).includes(c.rule),
          `${c.rule} should fire on ${JSON.stringify(more)}; got ${JSON.stringify(ids(lint(more, c.major, c.extra)))}`,
        );
      for (const more of c.alsoQuiet ?? []) {
        const got = lint(more, c.major, c.quietExtra ?? {}).filter((f) => f.rule === c.rule);
        assert.deepEqual(
          got.map((f) => f.message),
          [],
          `${c.rule} should stay quiet on ${JSON.stringify(more)}`,
        );
      }
    });
  }

  it('every rule in the registry has a firing case here', () => {
    const covered = new Set(CASES.map((c) => c.rule));
    for (const r of RULES) assert.ok(covered.has(r.id), `no test case for ${r.id}`);
  });

  it('reports the exact range, severity, message and fix of a finding', () => {
    const [f] = lint('wal_level = minimal\nmax_wal_senders = 0\narchive_mode = on\n').filter(
      (x) => x.rule === 'wal-level-minimal-archive',
    );
    assert.deepEqual(f.range, { start: { line: 0, character: 12 }, end: { line: 0, character: 19 } });
    assert.equal(f.severity, 'error');
    assert.equal(
      f.message,
      'The server will not start: "WAL archival cannot be enabled when "wal_level" is "minimal"". archive_mode ' +
        'is on, and minimal WAL cannot rebuild data from a base backup. Set wal_level = replica.',
    );
    assert.deepEqual(f.fix?.edits, [
      {
        file: '/d/postgresql.conf',
        range: { start: { line: 0, character: 12 }, end: { line: 0, character: 19 } },
        newText: "'replica'",
      },
    ]);
    assert.equal(f.docUrl, 'https://www.postgresql.org/docs/18/runtime-config-wal.html#GUC-WAL-LEVEL');
  });

  it('pgtune "desktop" output loses PITR at once', () => {
    const found = ids(lint('wal_level = minimal\nmax_wal_senders = 0\n', 16));
    assert.deepEqual(
      found.filter((r) => r.startsWith('wal-level')),
      ['wal-level-minimal'],
    );
  });

  it('a removed parameter gets its replacement instead of a bare unknown-parameter', () => {
    const found = lint('wal_keep_segments = 8\n', 13);
    assert.deepEqual(ids(found), ['removed-parameter']);
    assert.equal(found[0].fix?.edits[0].newText, "wal_keep_size = '128MB'");
    assert.deepEqual(ids(lint('wal_keep_segments = 8\n', 12)), []);
  });
});

describe('no false alarms', () => {
  for (const major of SUPPORTED_MAJORS) {
    it(`postgresql.conf.sample of ${major} has no error and no warning`, function () {
      const sample = path.resolve(
        __dirname,
        `../../../node_modules/pg${major}/native/share/postgresql/postgresql.conf.sample`,
      );
      if (!fs.existsSync(sample)) {
        if (process.env.CI === 'true') throw new Error(`missing ${sample}: install the devDependency pg${major}`);
        console.error(`SKIPPED: ${sample} missing (devDependency pg${major} not installed)`);
        this.skip();
      }
      const bad = lint(fs.readFileSync(sample, 'utf8'), major, {}, false).filter(
        (f) => f.severity !== 'information' && f.severity !== 'hint',
      );
      assert.deepEqual(
        bad.map((f) => `${f.rule}: ${f.message}`),
        [],
      );
    });
  }

  it('a correct PITR setup (durable, idempotent guard) has no error and no warning', () => {
    const conf = [
      'wal_level = replica',
      'archive_mode = on',
      `archive_command = '${IDEMPOTENT}'`,
      "archive_timeout = '5min'",
      'max_wal_senders = 10',
      '',
    ].join('\n');
    for (const major of SUPPORTED_MAJORS) {
      const bad = lint(conf, major).filter((f) => f.severity !== 'information' && f.severity !== 'hint');
      assert.deepEqual(
        bad.map((f) => `${major} ${f.rule}: ${f.message}`),
        [],
      );
    }
  });
});

describe('rules page', () => {
  it('docs/rules.md is generated from the current rules and examples', () => {
    const { renderRuleDocs } =
      require('../../../scripts/generateRuleDocs') as typeof import('../../../scripts/generateRuleDocs');
    const file = path.resolve(__dirname, '../../../docs/rules.md');
    assert.equal(fs.readFileSync(file, 'utf8'), renderRuleDocs(), 'run: npx tsx scripts/generateRuleDocs.ts');
    for (const r of RULES)
      assert.match(fs.readFileSync(file, 'utf8'), new RegExp(`^## ${r.id}$`, 'm'), `${r.id} documented`);
  });
});

describe('quick fixes coverage', () => {
  it('at least 20 rules offer an unambiguous fix, and each such rule marks one fix preferred', () => {
    const withFix = new Set<string>();
    const preferred = new Set<string>();
    for (const c of CASES) {
      for (const f of lint(c.fires, c.major, c.extra).filter((x) => x.rule === c.rule && x.fix)) {
        withFix.add(c.rule);
        if (f.fix!.preferred) preferred.add(c.rule);
      }
    }
    assert.ok(withFix.size >= 20, `${withFix.size} rules with fixes: ${[...withFix].join(', ')}`);
    assert.ok(preferred.size >= 20, `${preferred.size} rules with a preferred fix`);
  });
});

describe('recovery.conf (PostgreSQL 10-11)', () => {
  const lintRc = (text: string, major: number) =>
    lintConfiguration({
      configFile: '/d/recovery.conf',
      dataDir: '/d',
      catalog: getCatalog(major),
      fs: memoryFileSystem({ '/d/recovery.conf': text }),
    });

  it('a correct recovery.conf raises nothing on 11', () => {
    assert.deepEqual(
      lintRc(
        "restore_command = 'cp /mnt/a/%f %p'\nrecovery_target_time = '2026-01-01 10:00:00+00'\nrecovery_target_action = 'promote'\n",
        11,
      ).map((f) => f.rule),
      [],
    );
  });
  it('names are case-sensitive and limited to recovery settings', () => {
    const f = lintRc("Restore_Command = 'cp /mnt/a/%f %p'\nwork_mem = 4MB\n", 10);
    assert.deepEqual(
      f.map((x) => [x.rule, x.range.start.line]),
      [
        ['unknown-parameter', 0],
        ['restore-command-missing', 0],
        ['unknown-parameter', 1],
      ],
    );
    assert.match(f[0].message, /unrecognized recovery parameter "Restore_Command"/);
  });
  it('restore_command checks apply inside recovery.conf', () => {
    assert.deepEqual(
      lintRc("restore_command = 'cp /mnt/a/%f %p || true'\n", 11).map((x) => x.rule),
      ['restore-command-always-succeeds'],
    );
    assert.deepEqual(
      lintRc("standby_mode = on\nprimary_conninfo = 'host=p'\n", 11).map((x) => x.rule),
      [],
    );
  });
  it('on 12+ the file itself is the problem', () => {
    assert.deepEqual(
      lintRc("restore_command = 'cp /mnt/a/%f %p'\n", 12).map((x) => [x.rule, x.severity]),
      [['recovery-conf-present', 'error']],
    );
  });
});
