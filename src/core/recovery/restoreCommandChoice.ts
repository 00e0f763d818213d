// restore_command for a recovery: the user's, or the mirror of the server's archive_command
// (inferArchive), then linted by pg-pitr's own rules as it will be written: errors refuse,
// warnings are passed on.
import { inferArchive } from '../archive/archiveCommandInference';
import { getCatalog } from '../catalog/catalogs';
import { memoryFileSystem } from '../conf/fileSystem';
import { lintConfiguration } from '../lint/lintEngine';
import { settingLine } from './confValue';
import { RecoveryRefusedError } from './types';

export interface RestoreCommandChoice {
  command: string;
  warnings: string[];
}

// rules about the rest of a configuration that a lone restore_command line would trigger
const IRRELEVANT = /^(archive-|wal-|max-wal-senders|restore-command-missing|recovery-settings-on-old-version)/;

export function lintRestoreCommand(major: number, command: string): { errors: string[]; warnings: string[] } {
  // on 10-11 the command lives in recovery.conf, whose own checks the engine applies by file name
  const file = major <= 11 ? '/pg-pitr-lint/recovery.conf' : '/pg-pitr-lint/postgresql.conf';
  const findings = lintConfiguration({
    configFile: file,
    dataDir: null,
    catalog: getCatalog(major),
    fs: memoryFileSystem({ [file]: settingLine('restore_command', command) + '\n' }),
  });
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const f of findings) {
    if (IRRELEVANT.test(f.rule)) continue;
    if (f.severity === 'error') errors.push(`${f.rule}: ${f.message}`);
    else if (f.severity === 'warning') warnings.push(`restore_command (${f.rule}): ${f.message}`);
  }
  return { errors, warnings };
}

export function chooseRestoreCommand(
  major: number,
  restoreCommand: string | undefined,
  archiveCommand: string | undefined,
): RestoreCommandChoice {
  const warnings: string[] = [];
  let command: string;
  if (restoreCommand !== undefined && restoreCommand.trim() !== '') {
    command = restoreCommand;
  } else if (archiveCommand !== undefined && archiveCommand.trim() !== '') {
    const inferred = inferArchive(archiveCommand);
    if (inferred.restoreCommand === null)
      throw new RecoveryRefusedError(
        `no restore_command: pg-pitr cannot derive one from archive_command (${inferred.reason}); give the restore command yourself`,
      );
    command = inferred.restoreCommand;
    if (inferred.confidence !== 'certain')
      warnings.push(
        `restore_command "${command}" was derived from archive_command with ${inferred.confidence} confidence (${inferred.reason}): ` +
          `check that it reads the archived files back`,
      );
  } else {
    throw new RecoveryRefusedError(
      'no restore_command: give the restore command, or the archive_command of the server the backup came from to derive it',
    );
  }
  const lint = lintRestoreCommand(major, command);
  if (lint.errors.length > 0)
    throw new RecoveryRefusedError(`restore_command "${command}" would not work: ${lint.errors.join('; ')}`);
  warnings.push(...lint.warnings);
  return { command, warnings };
}
