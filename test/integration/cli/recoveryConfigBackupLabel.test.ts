// Issue 15, wrong answers 7: `recovery-config --archive` says a backup_label it cannot read is
// unreadable (with the reason), not missing; a FIFO in its place does not block the command.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { main } from '../../../src/cli/main';

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    ['recovery-config', ...args],
    (s) => out.push(s),
    (s) => err.push(s),
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('recovery-config --archive: an unreadable backup_label', () => {
  let dir: string;
  let data: string;
  let archive: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-label-cli-'));
    data = path.join(dir, 'data');
    archive = path.join(dir, 'archive');
    fs.mkdirSync(data);
    fs.mkdirSync(archive);
    fs.writeFileSync(path.join(data, 'PG_VERSION'), '17\n');
    fs.writeFileSync(path.join(archive, '000000010000000000000001'), Buffer.alloc(16 * 1024 * 1024));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const args = () => ['--data-dir', data, '--target-latest', '--restore-command', 'cp /a/%f %p', '--archive', archive];

  it('a directory named backup_label is "cannot be read", not "no backup_label"', async () => {
    fs.mkdirSync(path.join(data, 'backup_label'));
    const r = await cli(args());
    assert.equal(r.code, 0, r.err);
    assert.match(
      r.out,
      new RegExp(
        `^warning: the backup_label in ${data.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} cannot be read ` +
          `\\(it is a directory\\): pg-pitr cannot tell which base backup the copy is, so the reachable range is not checked$`,
        'm',
      ),
    );
    assert.doesNotMatch(r.out, /no backup_label/);
  });

  it('a FIFO named backup_label does not block', async function () {
    if (spawnSync('mkfifo', [path.join(data, 'backup_label')]).status !== 0) {
      if (process.env.CI === 'true') assert.fail('mkfifo is missing');
      console.warn('SKIPPED: mkfifo is not available');
      this.skip();
    }
    const r = await cli(args());
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^warning: the backup_label in .* cannot be read \(it is not a regular file\)/m);
  });
});
