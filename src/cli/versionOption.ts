import * as path from 'node:path';

import { NEWEST_MAJOR, SUPPORTED_MAJORS } from '../core/catalog/catalogs';
import { readPgVersion } from '../core/catalog/pgVersionFile';
import { UsageError } from './usageError';

/** --pg-version N; else PG_VERSION in the data directory or beside the file; else the newest major. */
export function resolveMajor(
  option: string | undefined,
  dataDir: string | undefined,
  file: string | undefined,
): number {
  if (option !== undefined) {
    const n = Number(option);
    if (!Number.isInteger(n) || !(SUPPORTED_MAJORS as readonly number[]).includes(n)) {
      throw new UsageError(`--pg-version must be one of ${SUPPORTED_MAJORS.join(', ')} (got "${option}")`);
    }
    return n;
  }
  for (const dir of [dataDir, file ? path.dirname(file) : undefined]) {
    const v = dir ? readPgVersion(dir) : null;
    if (v !== null) return v;
  }
  return NEWEST_MAJOR;
}
