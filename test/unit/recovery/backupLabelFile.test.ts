import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import type { ArchiveReport } from '../../../src/core/archive/archiveAnalysis';
import { readBackupLabel } from '../../../src/core/recovery/backupLabelFile';
import { copyWindow } from '../../../src/core/recovery/copyWindow';

// Issue 15, wrong answers 7: a backup_label that exists but cannot be read is said to be unreadable,
// with the reason, never "missing"; a FIFO in its place does not block.

describe("the copy's backup_label", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-label-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('missing, readable, a directory, a FIFO', function () {
    assert.equal(readBackupLabel(dir), null);
    fs.writeFileSync(path.join(dir, 'backup_label'), 'START WAL LOCATION: 0/2000028 (file 000000010000000000000002)\n');
    assert.equal(readBackupLabel(dir), 'START WAL LOCATION: 0/2000028 (file 000000010000000000000002)\n');
    fs.rmSync(path.join(dir, 'backup_label'));
    fs.mkdirSync(path.join(dir, 'backup_label'));
    assert.deepEqual(readBackupLabel(dir), { unreadable: 'it is a directory' });
    fs.rmdirSync(path.join(dir, 'backup_label'));
    if (spawnSync('mkfifo', [path.join(dir, 'backup_label')]).status !== 0) {
      if (process.env.CI === 'true') assert.fail('mkfifo is missing');
      console.warn('SKIPPED: the FIFO case (no mkfifo)');
      return;
    }
    assert.deepEqual(readBackupLabel(dir), { unreadable: 'it is not a regular file' });
  });

  it('an unreadable backup_label is reported as such, not as missing', () => {
    const report = { listingComplete: true, windows: [], location: '/a', problems: [] } as unknown as ArchiveReport;
    assert.deepEqual(copyWindow(report, { unreadable: 'permission denied' }, '/d'), {
      window: null,
      note:
        'the backup_label in /d cannot be read (permission denied): pg-pitr cannot tell which base ' +
        'backup the copy is, so the reachable range is not checked',
    });
  });
});
