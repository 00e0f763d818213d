import * as fs from 'node:fs';
import * as path from 'node:path';
import { NEWEST_MAJOR, SUPPORTED_MAJORS } from '../core/catalog/catalogs';
import { UsageError } from './usageError';

/** --pg-version N; else PG_VERSION in the data directory or beside the file; else the newest major. */
export function resolveMajor(option: string | undefined, dataDir: string | undefined, file: string | undefined): number {
  if (option !== undefined) {
    const n = Number(option);
    if (!Number.isInteger(n) || !(SUPPORTED_MAJORS as readonly number[]).includes(n)) {
      throw new UsageError(`--pg-version must be one of ${SUPPORTED_MAJORS.join(', ')} (got "${option}")`);
    }
    return n;
  }
  for (const dir of [dataDir, file ? path.dirname(file) : undefined]) {
    if (!dir) continue;
    try {
      const v = parseInt(fs.readFileSync(path.join(dir, 'PG_VERSION'), 'utf8').trim(), 10);
      if ((SUPPORTED_MAJORS as readonly number[]).includes(v)) return v;
    } catch {
      /* no PG_VERSION here */
    }
  }
  return NEWEST_MAJOR;
}
