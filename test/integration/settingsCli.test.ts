// The built CLI (dist/cli.js, what `bin` points to) as a user runs it.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const CLI = path.resolve(__dirname, '../../dist/cli.js');

function run(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30000, maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('pg-pitr settings (CLI)', () => {
  let dir: string;
  before(function () {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does)`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-cli-'));
    fs.mkdirSync(path.join(dir, 'conf.d'));
    fs.writeFileSync(path.join(dir, 'PG_VERSION'), '16\n');
    fs.writeFileSync(
      path.join(dir, 'postgresql.conf'),
      [
        'wal_level = replica',
        'archive_mode = on',
        "include_dir 'conf.d'",
        "archive_command = 'test ! -f /a/%f && cp %p /a/%f'",
        'work_mem = 4MB',
        'archive_command = cp %p /x/%f',
        '',
      ].join('\n'),
    );
    fs.writeFileSync(path.join(dir, 'conf.d', '10-mem.conf'), 'work_mem = 8MB\n');
    fs.writeFileSync(path.join(dir, 'postgresql.auto.conf'), "work_mem = '16MB'\n");
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints the exact JSON shape, with included files spliced in read order', () => {
    const good = path.join(dir, 'good.conf');
    fs.writeFileSync(good, "wal_level = replica\ninclude_dir 'conf.d'\nwork_mem = 4MB\n");
    const r = run(['settings', good, '--pg-version', '17', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(j), ['version', 'files', 'settings', 'errors', 'incomplete']);
    assert.equal(j.incomplete, null);
    assert.equal(j.version, 17);
    assert.deepEqual(j.files, [good, path.join(dir, 'conf.d', '10-mem.conf')]);
    assert.deepEqual(j.settings, [
      { file: good, line: 1, seqno: 1, name: 'wal_level', value: 'replica', applied: true, error: null },
      {
        file: path.join(dir, 'conf.d', '10-mem.conf'),
        line: 1,
        seqno: 2,
        name: 'work_mem',
        value: '8MB',
        applied: false,
        error: null,
      },
      { file: good, line: 3, seqno: 3, name: 'work_mem', value: '4MB', applied: true, error: null },
    ]);
    assert.deepEqual(j.errors, []);
  });

  it('a reading stopped at a limit (issue 15: files including each other) says so in "incomplete" and in the text, exit 1', () => {
    const a = path.join(dir, 'cycle-a.conf');
    fs.writeFileSync(a, "include 'cycle-b.conf'\n".repeat(4));
    fs.writeFileSync(path.join(dir, 'cycle-b.conf'), "include 'cycle-a.conf'\n".repeat(4));
    const r = run(['settings', a, '--pg-version', '17', '--format', 'json']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      JSON.parse(r.stdout).incomplete,
      /^pg-pitr stopped reading the configuration at .*: 10000 files were opened/,
    );
    const t = run(['settings', a, '--pg-version', '17']);
    assert.equal(t.code, 1, t.stderr);
    assert.match(t.stdout, /\nwarning: pg-pitr stopped reading .*; the lists above are partial\n/);
  });

  it('reports a syntax error with the server wording and exits 1; reads PG_VERSION and auto.conf of the data directory', () => {
    const conf = path.join(dir, 'postgresql.conf');
    const r = run(['settings', conf, '--data-dir', dir, '--format', 'json']);
    assert.equal(r.code, 1);
    const j = JSON.parse(r.stdout);
    assert.equal(j.version, 16);
    assert.deepEqual(j.errors, [
      {
        file: conf,
        line: 6,
        column: 22,
        kind: 'syntax',
        name: null,
        value: null,
        message: `syntax error in file "${conf}" line 6, near token "%"`,
      },
    ]);
    // a syntax error stops the server before postgresql.auto.conf is read
    assert.equal(j.files.includes(path.join(dir, 'postgresql.auto.conf')), false);
    assert.ok(
      j.settings.every((s: { applied: boolean }) => !s.applied),
      'a server that refuses to start applies nothing',
    );
  });

  it('lets postgresql.auto.conf win and names unknown parameters', () => {
    const conf = path.join(dir, 'p2.conf');
    fs.writeFileSync(conf, 'work_mem = 4MB\nwal_keep_segments = 32\n');
    let r = run(['settings', conf, '--data-dir', dir, '--pg-version', '13', '--format', 'json']);
    let j = JSON.parse(r.stdout);
    assert.equal(r.code, 1);
    assert.deepEqual(
      j.errors.map((e: { kind: string; name: string; line: number; column: number }) => [
        e.kind,
        e.name,
        e.line,
        e.column,
      ]),
      [['unknown-parameter', 'wal_keep_segments', 2, 1]],
    );
    fs.writeFileSync(conf, 'work_mem = 4MB\n');
    r = run(['settings', conf, '--data-dir', dir, '--format', 'json']);
    j = JSON.parse(r.stdout);
    assert.equal(r.code, 0);
    assert.deepEqual(
      j.settings.map((s: { name: string; value: string; applied: boolean }) => [s.name, s.value, s.applied]),
      [
        ['work_mem', '4MB', false],
        ['work_mem', '16MB', true],
      ],
    );
  });

  it('reports invalid values with name and value, and prints text like a compiler', () => {
    const conf = path.join(dir, 'p3.conf');
    fs.writeFileSync(conf, "wal_level = 'hot'\n");
    const r = run(['settings', conf, '--pg-version', '18']);
    assert.equal(r.code, 1);
    assert.match(
      r.stdout,
      new RegExp(
        `^${conf.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:1:13: error invalid-value: invalid value for parameter "wal_level": "hot"$`,
        'm',
      ),
    );
    assert.match(r.stdout, /HINT: Available values: minimal, replica, logical\./);
  });

  it('exits 2 on usage errors', () => {
    assert.equal(run(['settings']).code, 2);
    assert.equal(run(['settings', 'x.conf', '--pg-version', '9']).code, 2);
    assert.equal(run(['settings', 'x.conf', '--format', 'xml']).code, 2);
    assert.equal(run(['nonsense']).code, 2);
  });

  it('reports a missing file as a clear error, not a crash', () => {
    const missing = path.join(dir, 'nope.conf');
    const r = run(['settings', missing, '--format', 'json']);
    assert.equal(r.code, 1);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(
      j.errors.map((e: { kind: string; message: string }) => [e.kind, e.message]),
      [['include', `could not open configuration file "${missing}": No such file or directory`]],
    );
  });
});
