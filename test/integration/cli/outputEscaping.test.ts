// Issue 15, security 8: text from files, archives, settings and arguments never reaches a terminal
// raw. The built CLI (dist/cli.js) runs on hostile names and values; every byte it prints is checked:
// no control character but newline, no bidi control, no forged line, and JSON that parses back to
// the original names.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');
const MB = 1024 * 1024;

function run(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every control character (newline excepted) and bidi control that reached the output. */
function unsafe(text: string): string[] {
  return [
    ...text.matchAll(
      /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    ),
  ].map((m) => `U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${m.index}`);
}

const FORGED = 'OK: the newest base backup can be recovered to the newest segment (000000010000000000000009)';
const NEWLINE_NAME = `notes\n${FORGED}`;
const TITLE_NAME = 'x\u001b]0;pwned\u0007\u001b[2J';
const BIDI_NAME = 'invoice\u202egnp.sh';

describe('CLI output escaping (hostile names and values)', () => {
  let dir: string;
  before(function () {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does)`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-escape-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('archive check, text: a file name cannot forge an OK line, retitle the terminal or reorder text', () => {
    const archive = path.join(dir, 'archive');
    fs.mkdirSync(archive);
    fs.writeFileSync(path.join(archive, '000000010000000000000001'), Buffer.alloc(16 * MB));
    for (const name of [NEWLINE_NAME, TITLE_NAME, BIDI_NAME]) fs.writeFileSync(path.join(archive, name), 'x');
    const r = run(['archive', 'check', archive]);
    assert.equal(r.code, 1);
    assert.deepEqual(unsafe(r.stdout), []);
    assert.deepEqual(
      r.stdout.split('\n').filter((l) => l.startsWith('OK')),
      [],
    );
    const lines = r.stdout.split('\n');
    assert.ok(
      lines.includes(
        `  unexpected-file: notes\\n${FORGED}: not a WAL segment, partial segment, timeline history or backup history file name`,
      ),
      r.stdout,
    );
    assert.ok(
      lines.includes(
        '  unexpected-file: x\\u001b]0;pwned\\u0007\\u001b[2J: not a WAL segment, partial segment, timeline history or backup history file name',
      ),
      r.stdout,
    );
    assert.ok(
      lines.includes(
        '  unexpected-file: invoice\\u202egnp.sh: not a WAL segment, partial segment, timeline history or backup history file name',
      ),
      r.stdout,
    );
  });

  it('archive check, JSON: no raw control or bidi character, and the names parse back exactly', () => {
    const r = run(['archive', 'check', path.join(dir, 'archive'), '--format', 'json']);
    assert.deepEqual(unsafe(r.stdout), []);
    const names = (JSON.parse(r.stdout) as { anomalies: { name: string }[] }).anomalies.map((a) => a.name).sort();
    assert.deepEqual(names, [BIDI_NAME, NEWLINE_NAME, TITLE_NAME].sort());
  });

  it('settings and lint, text: values and file names from a configuration are escaped', () => {
    const conf = path.join(dir, 'postgresql.conf');
    fs.writeFileSync(conf, `work_mem = '\u001b]0;pwned\u0007'\ninclude 'x\u001b[2J.conf'\ncluster_name = 'a\u202eb'\n`);
    for (const args of [
      ['settings', conf, '--pg-version', '17'],
      ['lint', conf, '--pg-version', '17'],
      ['lint', conf, '--pg-version', '17', '--format', 'sarif'],
    ]) {
      const r = run(args);
      assert.deepEqual(unsafe(r.stdout + r.stderr), [], `${args.join(' ')}:\n${r.stdout}${r.stderr}`);
    }
    const settings = run(['settings', conf, '--pg-version', '17']);
    assert.match(settings.stdout, /work_mem = '\\u001b\]0;pwned\\u0007'/);
  });

  it('check and usage errors: names and arguments are escaped on stdout and stderr', () => {
    const name = `db\n${'PGPITR OK - db: archiving healthy'}\u001b[2J`;
    for (const format of ['text', 'nagios', 'json']) {
      const r = run(['check', 'host=127.0.0.1 port=99999', '--name', name, '--format', format]);
      assert.equal(r.code, 3);
      assert.deepEqual(unsafe(r.stdout + r.stderr), [], r.stdout);
      assert.ok(!r.stdout.split('\n').some((l) => l.startsWith('PGPITR OK')), r.stdout);
    }
    const usage = run(['\u001b]0;pwned\u0007']);
    assert.equal(usage.code, 2);
    assert.deepEqual(unsafe(usage.stderr), []);
    assert.match(usage.stderr, /^pg-pitr: unknown command "\\u001b\]0;pwned\\u0007"$/m);
  });

  it('recovery-config: planned file contents and paths are escaped in the preview', () => {
    const data = path.join(dir, `data\n${FORGED}`);
    fs.mkdirSync(data);
    fs.writeFileSync(path.join(data, 'PG_VERSION'), '17\n');
    fs.writeFileSync(path.join(data, 'postgresql.auto.conf'), `cluster_name = '\u001b]0;pwned\u0007'\n`);
    const r = run(['recovery-config', '--data-dir', data, '--target-latest', '--restore-command', 'cp /a/%f %p']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(unsafe(r.stdout + r.stderr), []);
    assert.ok(!r.stdout.split('\n').some((l) => l.startsWith('OK')), r.stdout);
  });
});
