import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { localSource } from '../../../src/core/archive/localSource';

// localSource.readText reads a file's content only from inside the archive and only from a regular
// file (issue 15, security 7): a link out is refused, a FIFO (swapped in after the listing) never blocks.

describe('local archive source: reading content', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-readtext-'));
    fs.mkdirSync(path.join(dir, 'archive', 'sub'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'outside'), 'secret\n', { mode: 0o600 });
    fs.writeFileSync(path.join(dir, 'archive', 'sub', 'inside'), '1\t0/3000000\treason\n');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads a file, and a link to a file inside the archive', async () => {
    fs.symlinkSync(path.join(dir, 'archive', 'sub', 'inside'), path.join(dir, 'archive', '00000002.history'));
    const src = localSource(path.join(dir, 'archive'));
    assert.equal(await src.readText('00000002.history'), '1\t0/3000000\treason\n');
    assert.equal(await src.readText('missing.history'), undefined);
  });

  it('refuses a link (or a link through a linked folder) to a file outside the archive', async () => {
    fs.symlinkSync(path.join(dir, 'outside'), path.join(dir, 'archive', '00000002.history'));
    fs.symlinkSync(dir, path.join(dir, 'archive', 'up'));
    const src = localSource(path.join(dir, 'archive'));
    await assert.rejects(src.readText('00000002.history'), {
      message: 'not read: a link to a file outside the archive',
    });
    await assert.rejects(src.readText('up/outside'), { message: 'not read: a link to a file outside the archive' });
  });

  it('refuses a FIFO at once instead of waiting for a writer', async function () {
    const fifo = path.join(dir, 'archive', '00000003.history');
    if (spawnSync('mkfifo', [fifo]).status !== 0) {
      if (process.env.CI === 'true') assert.fail('mkfifo is missing');
      console.warn('SKIPPED: mkfifo is not available');
      this.skip();
    }
    await assert.rejects(localSource(path.join(dir, 'archive')).readText('00000003.history'), {
      message: 'not read: not a regular file',
    });
  });
});
