import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { buildVerifyBackupCommand } from '../../../src/core/basebackup/verifyBackupArgs';

describe('pg_verifybackup command', () => {
  let root: string;
  const folder = (name: string, files: string[]): string => {
    const dir = path.join(root, name);
    for (const f of files) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      if (!f.endsWith('/')) fs.writeFileSync(path.join(dir, f), '');
    }
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  };
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-verify-'));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('a plain backup with its WAL: just the folder', () => {
    const dir = folder('plain', ['backup_manifest', 'PG_VERSION', 'pg_wal/000000010000000000000003']);
    assert.deepEqual(buildVerifyBackupCommand(dir, { clientMajor: 13, pgBinDir: '/opt/pg/bin' }), {
      file: path.join('/opt/pg/bin', 'pg_verifybackup'),
      args: [dir],
      warnings: [],
    });
  });

  it("a plain backup of another major: --no-parse-wal (pg_waldump reads only its own major's WAL)", () => {
    const dir = folder('other-major', ['backup_manifest', 'pg_wal/000000010000000000000003']);
    fs.writeFileSync(path.join(dir, 'PG_VERSION'), '13\n');
    assert.deepEqual(buildVerifyBackupCommand(dir, { clientMajor: 15 }), {
      file: 'pg_verifybackup',
      args: ['--no-parse-wal', dir],
      warnings: [
        'the backup is of PostgreSQL 13 and pg_verifybackup is 15: its pg_waldump reads only PostgreSQL ' +
          '15 WAL, so the WAL is not checked (--no-parse-wal); use pg_verifybackup 13 to check it too',
      ],
    });
    fs.writeFileSync(path.join(dir, 'PG_VERSION'), '15\n');
    assert.deepEqual(buildVerifyBackupCommand(dir, { clientMajor: 15 }), {
      file: 'pg_verifybackup',
      args: [dir],
      warnings: [],
    });
  });

  it('a folder path with " $ ` or \\: --no-parse-wal (pg_verifybackup hands the WAL path to pg_waldump through a shell)', () => {
    // seen with the real pg_verifybackup 15: the path reached pg_waldump as "...it's here /root; rm -rf x uid=0(root)..."
    const dir = folder('my backups/it\'s "here" $HOME `id`', [
      'backup_manifest',
      'PG_VERSION',
      'pg_wal/000000010000000000000003',
    ]);
    fs.writeFileSync(path.join(dir, 'PG_VERSION'), '15\n');
    assert.deepEqual(buildVerifyBackupCommand(dir, { clientMajor: 15 }), {
      file: 'pg_verifybackup',
      args: ['--no-parse-wal', dir],
      warnings: [
        'the folder\'s path contains " $ ` or \\, which pg_verifybackup passes to pg_waldump inside a ' +
          'shell command (the shell would expand or run them): the WAL is not checked (--no-parse-wal); move the ' +
          'backup to a plain path to check its WAL too',
      ],
    });
    // a space and a single quote are safe inside the shell's double quotes
    const plain = folder("my backups/it's fine", ['backup_manifest', 'PG_VERSION', 'pg_wal/000000010000000000000003']);
    fs.writeFileSync(path.join(plain, 'PG_VERSION'), '15\n');
    assert.deepEqual(buildVerifyBackupCommand(plain, { clientMajor: 15 }), {
      file: 'pg_verifybackup',
      args: [plain],
      warnings: [],
    });
  });

  it('a plain backup without WAL (-X none): --no-parse-wal', () => {
    const dir = folder('nowal', ['backup_manifest', 'PG_VERSION', 'pg_wal/archive_status/']);
    assert.deepEqual(buildVerifyBackupCommand(dir, { clientMajor: 16 }), {
      file: 'pg_verifybackup',
      args: ['--no-parse-wal', dir],
      warnings: [
        'the backup holds no WAL (taken with -X none): WAL is not checked (--no-parse-wal); restoring it needs the WAL archive',
      ],
    });
  });

  it('a tar backup: 18+ only, without WAL parsing', () => {
    const dir = folder('tar', ['backup_manifest', 'base.tar.gz', 'pg_wal.tar.gz']);
    assert.deepEqual(buildVerifyBackupCommand(dir, { clientMajor: 18 }), {
      file: 'pg_verifybackup',
      args: ['--no-parse-wal', dir],
      warnings: [
        'tar format: pg_verifybackup checks the files against the manifest but cannot parse the WAL of a tar-format backup (--no-parse-wal)',
      ],
    });
    assert.deepEqual(buildVerifyBackupCommand(dir, { clientMajor: 17 }), {
      error:
        `${dir} is a tar-format backup: pg_verifybackup 17 checks plain-format backups only (tar ` +
        `format from 18 on); extract base.tar (and pg_wal.tar into pg_wal) into an empty folder and verify that`,
    });
  });

  it('refuses what pg_verifybackup cannot do', () => {
    const noManifest = folder('old', ['PG_VERSION', 'backup_label']);
    assert.deepEqual(buildVerifyBackupCommand(noManifest, { clientMajor: 16 }), {
      error:
        `no backup_manifest in ${noManifest}: pg_verifybackup checks a backup against the manifest ` +
        `pg_basebackup writes for PostgreSQL 13+ servers (a backup of an older server, or taken with --no-manifest, cannot be verified)`,
    });
    assert.deepEqual(buildVerifyBackupCommand(noManifest, { clientMajor: 12 }), {
      error:
        'pg_verifybackup exists from PostgreSQL 13 on (the local client programs are 12): install the client programs of 13 or newer',
    });
    assert.deepEqual(buildVerifyBackupCommand(noManifest, { clientMajor: null }), {
      error:
        'pg_verifybackup was not found: install the PostgreSQL client programs (13 or newer), or set the folder that holds them',
    });
    const missing = path.join(root, 'nope');
    assert.deepEqual(buildVerifyBackupCommand(missing, { clientMajor: 16 }), {
      error: `cannot read the backup folder ${missing}`,
    });
    assert.deepEqual(buildVerifyBackupCommand('  ', { clientMajor: 16 }), { error: 'no backup folder given' });
  });
});
