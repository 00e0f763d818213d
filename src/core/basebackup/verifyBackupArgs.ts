// The pg_verifybackup command line for a backup folder, for the major of the local
// pg_verifybackup (https://www.postgresql.org/docs/<major>/app-pgverifybackup.html):
// - pg_verifybackup exists from 13 and checks a backup against the backup_manifest the server
//   wrote (13+ servers; pg_basebackup --no-manifest writes none).
// - 13-17: "The backup must be stored in the "plain" format; a "tar" format backup can be checked
//   after extracting it."
// - 18: "The backup may be stored either in the "plain" or the "tar" format ... However, at present,
//   WAL verification is supported only for plain-format backups. Therefore, if the backup is stored
//   in tar-format, the -n, --no-parse-wal option should be used."
// - WAL parsing (pg_waldump over the backup's pg_wal) fails on a plain backup taken with -X none,
//   whose pg_wal holds no segment: then -n too.
// The folder is looked at (synchronously, a few stat calls) to tell the two formats apart.

import * as fs from 'node:fs';
import * as path from 'node:path';

import { pgProgramPath } from './baseBackupArgs';

export type VerifyBackupCommand = { file: string; args: string[]; warnings: string[] } | { error: string };

const TAR_BASE = /^base\.tar(\.gz|\.lz4|\.zst)?$/;
const SEGMENT = /^[0-9A-F]{24}$/;
/** pg_verifybackup runs pg_waldump with system("... --path=\"<backup>/pg_wal\" ..."): inside those
 * double quotes the shell still reads these (seen with the real pg_verifybackup 15: $HOME expanded, `id` run) */
const SHELL_ACTIVE = /["$`\\]/;

function entries(dir: string): string[] | null {
  try {
    return fs.readdirSync(dir);
  } catch {
    return null;
  }
}

/** PG_VERSION of a plain backup ("15", or "9.6" before 10), as a major; null when unreadable. */
function readBackupMajor(backupDir: string): number | null {
  try {
    const m = /^(\d+)(?:\.(\d+))?\s*$/.exec(fs.readFileSync(path.join(backupDir, 'PG_VERSION'), 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

export function buildVerifyBackupCommand(
  backupDir: string,
  opts: { clientMajor: number | null; pgBinDir?: string },
): VerifyBackupCommand {
  if (typeof backupDir !== 'string' || backupDir.trim() === '') return { error: 'no backup folder given' };
  const client = opts.clientMajor;
  if (client === null) {
    return {
      error:
        'pg_verifybackup was not found: install the PostgreSQL client programs (13 or newer), or set the folder that holds them',
    };
  }
  if (client < 13) {
    return {
      error: `pg_verifybackup exists from PostgreSQL 13 on (the local client programs are ${client}): install the client programs of 13 or newer`,
    };
  }
  const names = entries(backupDir);
  if (names === null) return { error: `cannot read the backup folder ${backupDir}` };
  if (!names.includes('backup_manifest')) {
    return {
      error:
        `no backup_manifest in ${backupDir}: pg_verifybackup checks a backup against the manifest pg_basebackup writes for PostgreSQL 13+ servers ` +
        '(a backup of an older server, or taken with --no-manifest, cannot be verified)',
    };
  }
  const tar = names.some((n) => TAR_BASE.test(n));
  const warnings: string[] = [];
  const args: string[] = [];
  if (tar) {
    if (client < 18) {
      return {
        error:
          `${backupDir} is a tar-format backup: pg_verifybackup ${client} checks plain-format backups ` +
          `only (tar format from 18 on); extract base.tar (and pg_wal.tar into pg_wal) into an empty folder and verify that`,
      };
    }
    args.push('--no-parse-wal');
    warnings.push(
      'tar format: pg_verifybackup checks the files against the manifest but cannot parse the WAL of a tar-format backup (--no-parse-wal)',
    );
  } else {
    const wal = entries(path.join(backupDir, 'pg_wal'));
    const backupMajor = readBackupMajor(backupDir);
    if (SHELL_ACTIVE.test(backupDir)) {
      args.push('--no-parse-wal');
      warnings.push(
        'the folder\'s path contains " $ ` or \\, which pg_verifybackup passes to pg_waldump inside a ' +
          'shell command (the shell would expand or run them): the WAL is not checked (--no-parse-wal); move the ' +
          'backup to a plain path to check its WAL too',
      );
    } else if (wal !== null && !wal.some((n) => SEGMENT.test(n))) {
      args.push('--no-parse-wal');
      warnings.push(
        'the backup holds no WAL (taken with -X none): WAL is not checked (--no-parse-wal); restoring it needs the WAL archive',
      );
    } else if (backupMajor !== null && backupMajor !== client) {
      // pg_waldump reads only its own major's WAL page format: pg_verifybackup 15 on a 13 backup
      // fails with "could not find a valid record after ..." (seen with the real programs)
      args.push('--no-parse-wal');
      warnings.push(
        `the backup is of PostgreSQL ${backupMajor} and pg_verifybackup is ${client}: its pg_waldump ` +
          `reads only PostgreSQL ${client} WAL, so the WAL is not checked (--no-parse-wal); use pg_verifybackup ${backupMajor} to check it too`,
      );
    }
  }
  args.push(backupDir);
  return { file: pgProgramPath('pg_verifybackup', opts.pgBinDir), args, warnings };
}
