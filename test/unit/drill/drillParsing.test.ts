// Small pure pieces of the drill: durations, what counts as a passing check, the restore_command
// for an archive folder, pgBackRest's info JSON (its system-id is above 2^53), the server's
// --version, the WAL segment size a backup_label implies, the CLI's usage errors.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { main } from '../../../src/cli/main';
import { parseBackupLabel } from '../../../src/core/drill/backupLabel';
import { truthy } from '../../../src/core/drill/drillChecks';
import { formatSeconds, parseDuration } from '../../../src/core/drill/duration';
import { pgBackRestRepoPath, pickPgBackRestBackup } from '../../../src/core/drill/pgbackrestRestore';
import { segmentSizeOf } from '../../../src/core/drill/runDrill';
import { parseServerVersion, serverBinDirCandidates } from '../../../src/core/drill/serverBinaries';
import { planWalSource, restoreCommandForFolder } from '../../../src/core/drill/walSource';

// pgbackrest 2.45 info --output=json on a PostgreSQL 15 stanza (real output, one backup)
const INFO =
  '[{"archive":[{"database":{"id":1,"repo-key":1},"id":"15-1","max":"000000010000000000000007","min":"000000010000000000000005"}],"backup":[{"archive":{"start":"000000010000000000000007","stop":"000000010000000000000007"},"backrest":{"format":5,"version":"2.45"},"database":{"id":1,"repo-key":1},"error":false,"info":{"delta":22926859,"repository":{"delta":3028172,"size":3028172},"size":22926859},"label":"20261201-115138F","lsn":{"start":"0/700028","stop":"0/700100"},"prior":null,"reference":null,"timestamp":{"start":1796125898,"stop":1796125904},"type":"full"}],"cipher":"none","db":[{"id":1,"repo-key":1,"system-id":7714301951337952442,"version":"15"}],"name":"drill","repo":[{"cipher":"none","key":1,"status":{"code":0,"message":"ok"}}],"status":{"code":0,"lock":{"backup":{"held":false}},"message":"ok"}}]';

describe('drill: parsing', () => {
  it('durations', () => {
    assert.deepEqual(['90s', '30m', '2h', '1h30m', '1d', '45', '0', 'x', '5 parsecs', '1.5s'].map(parseDuration), [
      90_000,
      1_800_000,
      7_200_000,
      5_400_000,
      86_400_000,
      45_000,
      null,
      null,
      null,
      1500,
    ]);
    assert.deepEqual([0.42, 42.4, 200, 7500].map(formatSeconds), ['0.4 s', '42 s', '3 min 20 s', '2 h 5 min']);
  });

  it('a check passes on true, a non-zero number, a non-empty string', () => {
    assert.deepEqual([true, false, 1, 0, '6', '0', '0.00', 'x', '', null, undefined, [], [1]].map(truthy), [
      true,
      false,
      true,
      false,
      true,
      false,
      false,
      true,
      false,
      false,
      false,
      false,
      true,
    ]);
  });

  it('restore_command for an archive folder: plain cp, or the decompressor of its files; a tool repository refused', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-wal-'));
    try {
      fs.writeFileSync(path.join(dir, '000000010000000000000002'), '');
      assert.equal(restoreCommandForFolder(dir), `cp ${dir}/%f %p`);
      fs.rmSync(path.join(dir, '000000010000000000000002'));
      fs.writeFileSync(path.join(dir, '000000010000000000000002.zst'), '');
      assert.equal(restoreCommandForFolder(dir), `zstd -dc ${dir}/%f.zst > %p`);
      fs.writeFileSync(path.join(dir, 'archive.info'), '');
      assert.throws(() => restoreCommandForFolder(dir), /looks like a tool's repository/);
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
    assert.deepEqual(planWalSource({ archive: 's3://b/wal/', endpoint: 'http://127.0.0.1:9000' }), {
      restoreCommand: 'aws s3 cp --endpoint-url http://127.0.0.1:9000 s3://b/wal/%f %p',
      listing: { location: 's3://b/wal', endpoint: 'http://127.0.0.1:9000' },
    });
    assert.deepEqual(planWalSource({ archiveCommand: 'cp %p /mnt/wal/%f' }), {
      archiveCommand: 'cp %p /mnt/wal/%f',
      listing: { location: '/mnt/wal' },
    });
    assert.throws(() => planWalSource({}), /where does WAL come from\?/);
  });

  it('pgBackRest: the newest backup, or --pgbackrest-set; the system id read exactly; repo1-path from the configuration', () => {
    assert.deepEqual(pickPgBackRestBackup(INFO, { stanza: 'drill' }), {
      label: '20261201-115138F',
      startLsn: '0/700028',
      stopLsn: '0/700100',
      startWal: '000000010000000000000007',
      bytes: 22926859,
      systemIdentifier: '7714301951337952442',
      major: 15,
      stopTime: '2026-12-01T11:51:44.000Z',
    });
    assert.throws(
      () => pickPgBackRestBackup(INFO, { stanza: 'drill', set: 'nope' }),
      /has no backup set "nope" \(it has 20261201-115138F\)/,
    );
    assert.throws(() => pickPgBackRestBackup(INFO, { stanza: 'other' }), /knows no stanza "other"/);
    assert.equal(
      pgBackRestRepoPath('[global]\nrepo1-path=/var/lib/pgbackrest\n[main]\nrepo1-path = /srv/repo\n', 'main'),
      '/srv/repo',
    );
    assert.equal(pgBackRestRepoPath('[global]\nrepo1-type=s3\n', 'main'), null);
  });

  it('server --version; candidate folders: only the named one, else PATH then the per-major folders', () => {
    assert.deepEqual(
      ['postgres (PostgreSQL) 16.4', 'postgres (PostgreSQL) 10.23', 'postgres (PostgreSQL) 18beta1', 'nonsense'].map(
        parseServerVersion,
      ),
      [16, 10, 18, null],
    );
    assert.deepEqual(serverBinDirCandidates(16, '/opt/pg16/bin', '/usr/bin'), ['/opt/pg16/bin']);
    assert.deepEqual(serverBinDirCandidates(16, undefined, '/usr/local/bin:/usr/bin'), [
      '/usr/local/bin',
      '/usr/bin',
      '/usr/lib/postgresql/16/bin',
      '/usr/pgsql-16/bin',
      '/opt/homebrew/opt/postgresql@16/bin',
      '/usr/local/opt/postgresql@16/bin',
      '/Applications/Postgres.app/Contents/Versions/16/bin',
    ]);
  });

  it('the WAL segment size from backup_label: 1 MB, 16 MB', () => {
    assert.equal(
      segmentSizeOf(parseBackupLabel('START WAL LOCATION: 0/700028 (file 000000010000000000000007)\n')),
      1024 * 1024,
    );
    assert.equal(
      segmentSizeOf(parseBackupLabel('START WAL LOCATION: 0/2000028 (file 000000010000000000000002)\n')),
      16 * 1024 * 1024,
    );
  });

  it('CLI usage errors exit 2 with the reason', async () => {
    const run = async (...args: string[]) => {
      const err: string[] = [];
      const code = await main(
        ['drill', ...args],
        () => undefined,
        (s) => err.push(s),
      );
      return { code, first: err[0] };
    };
    assert.deepEqual(await run('--archive', '/a'), {
      code: 2,
      first: 'pg-pitr: give --backup DIR (a pg_basebackup result) or --pgbackrest-stanza NAME',
    });
    assert.deepEqual(await run('--backup', '/b'), {
      code: 2,
      first:
        'pg-pitr: where does WAL come from? give --restore-command CMD, --archive-command CMD or --archive LOCATION',
    });
    assert.deepEqual(await run('--backup', '/b', '--archive', '/a', '--target-name', 'x', '--target-latest'), {
      code: 2,
      first: 'pg-pitr: only one target may be given (got --target-name, --target-latest)',
    });
    assert.deepEqual(await run('--backup', '/b', '--archive', '/a', '--timeout', 'soon'), {
      code: 2,
      first: 'pg-pitr: --timeout takes a duration such as 90s, 30m, 2h (got "soon")',
    });
    assert.deepEqual(await run('--backup', '/b', '--archive', '/a', '--set', 'port=5433'), {
      code: 2,
      first:
        'pg-pitr: --set port: the drill sets port itself (to keep the copy away from production, or from the target options)',
    });
    assert.deepEqual(await run('--history', '--backup', '/b'), {
      code: 2,
      first: 'pg-pitr: --history takes only --record and --format (got --backup)',
    });
  });
});
