// Issue 15, security 7: `archive check` (run as root, as it often is) never quotes what a link in the
// archive points at outside it (a .history name linked to a root-only file), never blocks on a FIFO,
// and never prints more than a short, escaped excerpt of an invalid file.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');
const MB = 1024 * 1024;
const SECRET = 'root:$6$secret-hash-never-printed:20228:0:99999:7:::';

function run(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function backupHistory(): string {
  return [
    'START WAL LOCATION: 0/2000028 (file 000000010000000000000002)',
    'STOP WAL LOCATION: 0/2000100 (file 000000010000000000000002)',
    'CHECKPOINT LOCATION: 0/2000060',
    'BACKUP METHOD: streamed',
    'BACKUP FROM: primary',
    'START TIME: 2026-01-01 00:00:00 UTC',
    'LABEL: b',
    'START TIMELINE: 1',
    'STOP TIME: 2026-01-01 00:00:01 UTC',
    'STOP TIMELINE: 1',
    '',
  ].join('\n');
}

describe('archive check: links out of the archive and invalid files', () => {
  let dir: string;
  let archive: string;
  before(function () {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does)`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-links-'));
    archive = path.join(dir, 'archive');
    fs.mkdirSync(archive);
    for (let i = 1; i <= 3; i++)
      fs.writeFileSync(path.join(archive, `00000001000000000000000${i}`), Buffer.alloc(16 * MB));
    fs.writeFileSync(path.join(archive, '000000010000000000000002.00000028.backup'), backupHistory());
    // a root-only file outside the archive, as /etc/shadow is
    const secret = path.join(dir, 'shadow');
    fs.writeFileSync(secret, `${SECRET}\n`.repeat(30), { mode: 0o600 });
    fs.symlinkSync(secret, path.join(archive, '00000002.history'));
    fs.symlinkSync(secret, path.join(archive, '000000010000000000000003.00000028.backup'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a .history or .backup name linked to a file outside the archive is not read, and says so', () => {
    for (const format of ['text', 'json']) {
      const r = run(['archive', 'check', archive, '--format', format]);
      assert.ok(!r.stdout.includes('secret-hash') && !r.stdout.includes('root:'), r.stdout);
      assert.ok(!r.stderr.includes('secret-hash'), r.stderr);
    }
    const r = run(['archive', 'check', archive]);
    assert.match(
      r.stdout,
      /^ {2}history-unreadable: 00000002\.history: not read: a link to a file outside the archive$/m,
    );
    assert.match(
      r.stdout,
      /^ {2}backup-history-unreadable: 000000010000000000000003\.00000028\.backup: not read: a link to a file outside the archive$/m,
    );
  });

  it('a link to a file inside the archive is read', () => {
    const other = path.join(dir, 'archive2');
    fs.mkdirSync(other);
    for (let i = 1; i <= 3; i++)
      fs.writeFileSync(path.join(other, `00000001000000000000000${i}`), Buffer.alloc(16 * MB));
    fs.mkdirSync(path.join(other, 'meta'));
    fs.writeFileSync(path.join(other, 'meta', 'label'), backupHistory());
    fs.symlinkSync(path.join(other, 'meta', 'label'), path.join(other, '000000010000000000000002.00000028.backup'));
    const r = run(['archive', 'check', other]);
    assert.match(r.stdout, /^ {2}backup b: 000000010000000000000002 \.\. 000000010000000000000002/m);
    assert.equal(r.code, 0, r.stdout);
  });

  it('a FIFO under a .history name does not block the check', function () {
    const fifoArchive = path.join(dir, 'archive3');
    fs.mkdirSync(fifoArchive);
    fs.writeFileSync(path.join(fifoArchive, '000000010000000000000001'), Buffer.alloc(16 * MB));
    const r0 = spawnSync('mkfifo', [path.join(fifoArchive, '00000002.history')]);
    if (r0.status !== 0) {
      if (process.env.CI === 'true') assert.fail('mkfifo is missing');
      console.warn('SKIPPED: mkfifo is not available');
      this.skip();
    }
    const r = run(['archive', 'check', fifoArchive]);
    assert.notEqual(r.code, null, 'timed out: blocked on the FIFO');
    // not a file: not listed, so never opened (localSource.readText refuses one too, see its unit test)
    assert.ok(!r.stdout.includes('00000002.history'), r.stdout);
  });

  it('an invalid file is quoted in at most three short excerpts', () => {
    const junk = path.join(dir, 'archive4');
    fs.mkdirSync(junk);
    fs.writeFileSync(path.join(junk, '000000010000000000000001'), Buffer.alloc(16 * MB));
    fs.writeFileSync(path.join(junk, '00000002.history'), `${'S'.repeat(200)}\u001b[2J\n`.repeat(100));
    const r = run(['archive', 'check', junk]);
    const anomaly = r.stdout.split('\n').find((l) => l.startsWith('  history-invalid: 00000002.history: '));
    assert.ok(anomaly, r.stdout);
    assert.equal(
      anomaly,
      `  history-invalid: 00000002.history: line 1: syntax error: expected a numeric timeline ID: "${'S'.repeat(40)}"...; ` +
        `line 2: syntax error: expected a numeric timeline ID: "${'S'.repeat(40)}"...; ` +
        `line 3: syntax error: expected a numeric timeline ID: "${'S'.repeat(40)}"...; and 97 more problems`,
    );
  });
});
