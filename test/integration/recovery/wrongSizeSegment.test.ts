// Issue 15, wrong answers 1: what PostgreSQL does with an archived segment of the wrong size, and
// that pg-pitr says the same. A real primary archives, a base backup is taken, later segments are
// archived and one of them is emptied in the archive (a full disk, a crashed copy). Recovery from
// the backup stops there with FATAL "archive file ... has wrong size" (the oracle); `archive check`
// ends the recoverable window before that segment (a wrong-size gap, exit 1), and
// `recovery-config --archive` refuses a target beyond it.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { main } from '../../../src/cli/main';
import { analyseArchive } from '../../../src/core/archive/archiveAnalysis';
import { localSource } from '../../../src/core/archive/localSource';
import { endLsnOfSegment } from '../../../src/core/recovery/copyWindow';
import {
  type BaseBackup,
  commitRow,
  DataDirServer,
  type DrillPrimary,
  removeDrillDir,
  restoreBaseBackup,
  startArchivingPrimary,
  switchWalAndWait,
  takeBaseBackup,
} from '../../support/pitrDrill';
import { requireServer } from '../../support/postgresServers';
import { waitFor } from '../../support/waitFor';
import { writeRecoveryConfig } from './writeRecoveryConfig';

const MAJOR = 17;
const MB = 1024 * 1024;

async function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    argv,
    (s) => out.push(s),
    (s) => err.push(s),
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('a segment of the wrong size in the archive (real server)', function () {
  this.timeout(240_000);
  let p: DrillPrimary;
  let backup: BaseBackup;
  let emptied: string;
  let beforeEmptied: string;
  let lastLsn: string;

  before(async function () {
    if (!requireServer(MAJOR, this)) return;
    p = await startArchivingPrimary(MAJOR);
    const c = p.cluster;
    await c.query('CREATE TABLE t (i int)');
    await commitRow(c, 1);
    backup = await takeBaseBackup(c, path.join(p.workRoot, 'backup'));
    await commitRow(c, 2);
    beforeEmptied = await switchWalAndWait(c, p.archive);
    await commitRow(c, 3);
    emptied = await switchWalAndWait(c, p.archive);
    await commitRow(c, 4);
    [{ lsn: lastLsn }] = await c.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
    await switchWalAndWait(c, p.archive);
    await c.stop();
    fs.truncateSync(path.join(p.archive, emptied), 0);
  });
  after(async () => {
    await p?.cluster.destroy();
    if (p) for (const d of [p.archive, p.workRoot]) removeDrillDir(d);
  });

  it('PostgreSQL stops recovery there: FATAL archive file has wrong size', async () => {
    const { workDir, dataDir } = restoreBaseBackup(p.workRoot, backup, 'wrong-size');
    writeRecoveryConfig({ major: MAJOR, dataDir, target: { kind: 'latest' }, restoreCommand: `cp ${p.archive}/%f %p` });
    const server = new DataDirServer(MAJOR, dataDir, workDir);
    try {
      await server.start().catch(() => undefined);
      const log = await waitFor(
        'the FATAL in the log',
        async () => (/has wrong size/.test(server.log()) ? server.log() : null),
        90_000,
      );
      assert.match(log, new RegExp(`FATAL: {2}archive file "${emptied}" has wrong size: 0 instead of ${16 * MB}`));
      assert.match(log, new RegExp(`restored log file "${beforeEmptied}" from archive`));
    } finally {
      await server.stop();
    }
  });

  it('archive check ends the window before it, with a wrong-size gap, and exits 1', async () => {
    const r = await analyseArchive(localSource(p.archive));
    const gap = r.timelines[0]!.gaps.find((g) => g.class === 'wrong-size');
    assert.deepEqual(gap, { from: emptied, to: emptied, missing: 1, class: 'wrong-size' });
    assert.equal(r.windows.at(-1)!.to.wal, beforeEmptied);
    const text = await cli(['archive', 'check', p.archive]);
    assert.equal(text.code, 1, text.out);
    assert.ok(
      text.out.split('\n').includes(`    WRONG SIZE: 1 segment(s) recovery refuses, ${emptied} .. ${emptied}`),
      text.out,
    );
    assert.ok(!text.out.split('\n').some((l) => l.startsWith('OK')), text.out);
  });

  it('recovery-config --archive refuses a target beyond it', async () => {
    const { dataDir } = restoreBaseBackup(p.workRoot, backup, 'config');
    const r = await cli([
      'recovery-config',
      '--data-dir',
      dataDir,
      '--target-lsn',
      lastLsn,
      '--restore-command',
      `cp ${p.archive}/%f %p`,
      '--archive',
      p.archive,
    ]);
    assert.equal(r.code, 1, r.out + r.err);
    // the reachable range ends where the emptied segment begins
    const end = endLsnOfSegment(beforeEmptied, 16 * MB)!;
    assert.match(
      r.err,
      new RegExp(`^pg-pitr: refused: recovery target ${lastLsn} is beyond the last archived WAL \\(${end}\\)`, 'm'),
    );
  });
});
