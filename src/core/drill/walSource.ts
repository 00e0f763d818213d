// Where the copy's WAL comes from, in the recovery generator's terms (a restore_command, or the
// archive_command to mirror), and which archive to list to explain the outcome: the folder or
// bucket given with --archive, or the one the archive_command writes to.
import * as fs from 'node:fs';

import { inferArchive } from '../archive/archiveCommandInference';
import { isS3Location } from '../archive/s3Location';
import { shellQuote } from './shellQuote';
import { DrillError, type DrillWalSource } from './types';

export interface WalPlan {
  restoreCommand?: string;
  archiveCommand?: string;
  /** an archive to list, or null when none is known */
  listing: { location: string; endpoint?: string } | null;
}

const DECOMPRESS: Record<string, (q: string) => string> = {
  gz: (q) => `gunzip < ${q} > %p`,
  zst: (q) => `zstd -dc ${q} > %p`,
  lz4: (q) => `lz4 -dc ${q} > %p`,
  xz: (q) => `xz -dc ${q} > %p`,
  bz2: (q) => `bzip2 -dc ${q} > %p`,
};

/** The restore_command that reads a plain archive folder (compressed the way its segments are). */
export function restoreCommandForFolder(dir: string): string {
  let ext = '';
  try {
    const names = fs.readdirSync(dir);
    if (names.some((n) => /^[0-9A-F]{16}$/.test(n)) || names.includes('archive.info')) {
      throw new DrillError(
        'refused',
        `${dir} looks like a tool's repository, not a folder of WAL files: give --restore-command (or --pgbackrest-stanza for pgBackRest)`,
      );
    }
    const seg = names.find((n) => /^[0-9A-F]{24}(\.[a-z0-9]+)?$/.test(n));
    ext = seg ? (/\.([a-z0-9]+)$/.exec(seg)?.[1] ?? '') : '';
  } catch (e) {
    if (e instanceof DrillError) throw e;
    throw new DrillError('refused', `the archive ${dir} cannot be read: ${(e as Error).message}`);
  }
  if (ext === '' || ext === 'partial') return `cp ${shellQuote(`${dir}/%f`)} %p`;
  const make = DECOMPRESS[ext];
  if (!make)
    throw new DrillError(
      'refused',
      `the archive ${dir} holds .${ext} files: pg-pitr does not know how to read them back; give --restore-command`,
    );
  return make(shellQuote(`${dir}/%f.${ext}`));
}

export function planWalSource(wal: DrillWalSource): WalPlan {
  const listing = wal.archive ? { location: wal.archive.replace(/\/+$/, ''), endpoint: wal.endpoint } : null;
  if (wal.restoreCommand !== undefined && wal.restoreCommand.trim() !== '')
    return { restoreCommand: wal.restoreCommand, listing };
  if (wal.archiveCommand !== undefined && wal.archiveCommand.trim() !== '') {
    const inferred = inferArchive(wal.archiveCommand);
    const where =
      (inferred.kind === 'local' || inferred.kind === 's3') && inferred.location
        ? { location: inferred.location }
        : null;
    return { archiveCommand: wal.archiveCommand, listing: listing ?? where };
  }
  if (listing) {
    if (isS3Location(listing.location)) {
      const endpoint = listing.endpoint ? ` --endpoint-url ${shellQuote(listing.endpoint)}` : '';
      return { restoreCommand: `aws s3 cp${endpoint} ${shellQuote(`${listing.location}/%f`)} %p`, listing };
    }
    return { restoreCommand: restoreCommandForFolder(listing.location), listing };
  }
  throw new DrillError(
    'refused',
    "where does WAL come from? give --restore-command CMD, --archive-command CMD (the production server's, pg-pitr mirrors it) or --archive LOCATION",
  );
}
