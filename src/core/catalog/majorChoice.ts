// Which data directory a configuration file belongs to and which PostgreSQL major it is checked
// against: the one decision the CLI, the editor and the recovery commands share.
import * as fs from 'node:fs';
import * as path from 'node:path';

import { readRegularFile } from '../files/regularFile';
import { isSupportedMajor, NEWEST_MAJOR, SUPPORTED_MAJORS } from './catalogs';

/** The major chosen, and what chose it (shown to the user: "PostgreSQL 16 (PG_VERSION beside the file)"). */
export interface MajorChoice {
  major: number;
  source: 'option' | 'setting' | 'PG_VERSION' | 'newest';
  /** in words, e.g. `PG_VERSION in /srv/pg/data` */
  detail: string;
}

/** What `PG_VERSION` in `dir` says: a supported major, unsupported text, or nothing readable. */
export type PgVersionFile = { major: number } | { unsupported: string } | { missing: true };

export function readPgVersionFile(dir: string): PgVersionFile {
  // the data directory's owner controls this file: a regular file of a few bytes, else none
  const read = readRegularFile(path.join(dir, 'PG_VERSION'), 64);
  if (!read.ok) return { missing: true };
  const text = read.bytes.toString('utf8').trim();
  const n = Number(text);
  if (/^\d+$/.test(text) && isSupportedMajor(n)) return { major: n };
  // quoted only when it is a version number: never echo what a link may have led to
  return { unsupported: /^\d+(\.\d+)?$/.test(text) ? text : '(not a version number)' };
}

/** A major given by the user (`--pg-version`, a setting): the number, or null when it is not a supported one. */
export function parseMajor(text: string): number | null {
  const n = Number(text);
  return /^\d+$/.test(text.trim()) && isSupportedMajor(n) ? n : null;
}

/** The words for an invalid major given by the user. */
export function majorProblem(option: string, given: string): string {
  return `${option} must be one of ${SUPPORTED_MAJORS.join(', ')} (got "${given}")`;
}

/** The data directory of a configuration file: its folder when PG_VERSION is there, else null. */
export function dataDirOfFile(file: string): string | null {
  const dir = path.dirname(file);
  return fs.existsSync(path.join(dir, 'PG_VERSION')) ? dir : null;
}

/**
 * The major to check against: the explicit choice (an option or a setting) when given, else PG_VERSION
 * in the data directory, else beside the file, else the newest supported major.
 */
export function chooseMajor(opts: {
  explicit?: { major: number; source: 'option' | 'setting'; detail: string };
  dataDir?: string | null;
  file?: string;
}): MajorChoice {
  if (opts.explicit) return { ...opts.explicit };
  const dirs = [opts.dataDir ?? undefined, opts.file ? path.dirname(opts.file) : undefined];
  for (const dir of dirs) {
    if (!dir) continue;
    const v = readPgVersionFile(dir);
    if ('major' in v)
      return {
        major: v.major,
        source: 'PG_VERSION',
        detail: dir === dirs[1] ? 'PG_VERSION beside the file' : `PG_VERSION in ${dir}`,
      };
  }
  return { major: NEWEST_MAJOR, source: 'newest', detail: 'newest supported major (no PG_VERSION found)' };
}
