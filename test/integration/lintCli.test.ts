// `pg-pitr lint` as CI runs it: the built dist/cli.js, exit codes, text, JSON and SARIF.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const CLI = path.resolve(__dirname, '../../dist/cli.js');
const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, 'lint', ...args], { encoding: 'utf8', timeout: 30000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('pg-pitr lint (CLI)', () => {
  let dir: string;
  let bad: string;
  let warnOnly: string;
  let clean: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-lint-'));
    bad = path.join(dir, 'bad.conf');
    fs.writeFileSync(bad, "wal_level = minimal\narchive_mode = on\narchive_command = 'cp %p /mnt/a/%f || true'\n");
    warnOnly = path.join(dir, 'warn.conf');
    fs.writeFileSync(warnOnly, 'fsync = off\nfull_page_writes = off\n');
    clean = path.join(dir, 'clean.conf');
    fs.writeFileSync(
      clean,
      "wal_level = replica\narchive_mode = on\narchive_command = '/usr/local/bin/archive-wal %p %f'\narchive_timeout = '5min'\n",
    );
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('text reads like a compiler and exits 1 on errors', () => {
    const r = run([bad, '--pg-version', '16']);
    assert.equal(r.code, 1);
    const lines = r.out.trim().split('\n');
    assert.ok(
      lines.includes(
        `${bad}:1:13: error wal-level-minimal-archive: The server will not start: "WAL archival cannot ` +
          `be enabled when wal_level is "minimal"". archive_mode is on, and minimal WAL cannot rebuild data from ` +
          `a base backup. Set wal_level = replica.`,
      ),
    );
    assert.ok(
      lines.some((l) =>
        l.startsWith(
          `${bad}:3:19: error archive-command-always-succeeds: archive_command can never report a failure: ` +
            `\`|| true\` makes the command succeed even when cp fails.`,
        ),
      ),
    );
    assert.equal(lines[lines.length - 1], '3 errors, 3 warnings, 1 information');
  });

  it('restart-required hints only with --explain-restarts', () => {
    assert.equal(run([bad, '--pg-version', '16']).out.includes('restart-required'), false);
    const r = run([bad, '--pg-version', '16', '--explain-restarts']);
    const lines = r.out.trim().split('\n');
    assert.ok(
      lines.includes(
        `${bad}:1:1: hint restart-required: wal_level takes effect only when the server restarts; a reload ` +
          `(pg_ctl reload, SELECT pg_reload_conf()) leaves the running value unchanged.`,
      ),
    );
    assert.equal(lines[lines.length - 1], '3 errors, 3 warnings, 1 information, 2 hints');
  });

  it('JSON has the documented shape with 1-based positions and fixes', () => {
    const r = run([warnOnly, '--pg-version', '17', '--format', 'json']);
    assert.equal(r.code, 0, 'warnings alone do not fail');
    const j = JSON.parse(r.out);
    assert.deepEqual(j, [
      {
        file: warnOnly,
        line: 1,
        column: 9,
        endLine: 1,
        endColumn: 12,
        severity: 'warning',
        rule: 'fsync-off',
        message: j[0].message,
        fix: { title: "Set fsync = 'on'", edits: [{ line: 1, column: 9, endLine: 1, endColumn: 12, newText: "'on'" }] },
      },
      {
        file: warnOnly,
        line: 2,
        column: 20,
        endLine: 2,
        endColumn: 23,
        severity: 'warning',
        rule: 'full-page-writes-off',
        message: j[1].message,
        fix: {
          title: "Set full_page_writes = 'on'",
          edits: [{ line: 2, column: 20, endLine: 2, endColumn: 23, newText: "'on'" }],
        },
      },
    ]);
    assert.match(j[0].message, /^fsync = off "can result in unrecoverable data corruption/);
  });

  it('--max-warnings turns too many warnings into exit 1', () => {
    assert.equal(run([warnOnly, '--max-warnings', '2']).code, 0);
    assert.equal(run([warnOnly, '--max-warnings', '1']).code, 1);
    assert.equal(run([clean, '--max-warnings', '0']).code, 0);
  });

  it('SARIF is valid SARIF 2.1.0 (official schema) with rules, levels, regions and fixes', () => {
    const r = run([bad, warnOnly, '--pg-version', '16', '--format', 'sarif']);
    assert.equal(r.code, 1);
    const sarif = JSON.parse(r.out);

    const Ajv = require('ajv-draft-04');
    const schema = JSON.parse(
      fs.readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
    );
    const validate = new Ajv({
      strict: false,
      allErrors: true,
      unicodeRegExp: false,
      validateFormats: false,
      logger: false,
    }).compile(schema);
    assert.equal(validate(sarif), true, JSON.stringify(validate.errors));
    const results = sarif.runs[0].results;
    const always = results.find((x: { ruleId: string }) => x.ruleId === 'archive-command-always-succeeds');
    assert.equal(always.level, 'error');
    assert.deepEqual(always.locations[0].physicalLocation.region, {
      startLine: 3,
      startColumn: 19,
      endLine: 3,
      endColumn: 44,
    });
    assert.equal(always.locations[0].physicalLocation.artifactLocation.uri, 'file://' + bad);
    const fsync = results.find((x: { ruleId: string }) => x.ruleId === 'fsync-off');
    assert.equal(fsync.level, 'warning');
    assert.equal(fsync.fixes[0].artifactChanges[0].replacements[0].insertedContent.text, "'on'");
    assert.equal(results.filter((x: { level: string }) => x.level === 'note').length, 1); // restart-required hints are left out
    const ruleIds = sarif.runs[0].tool.driver.rules.map((x: { id: string }) => x.id);
    assert.equal(ruleIds[always.ruleIndex], 'archive-command-always-succeeds');
  });

  it('exits 2 on usage errors and reads a missing file as an error finding', () => {
    assert.equal(run([]).code, 2);
    assert.equal(run([clean, '--format', 'xml']).code, 2);
    assert.equal(run([clean, '--max-warnings', 'x']).code, 2);
    const r = run([path.join(dir, 'missing.conf'), '--format', 'json']);
    assert.equal(r.code, 1);
    assert.equal(JSON.parse(r.out)[0].rule, 'include-error');
  });
});
