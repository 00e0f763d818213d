// The PG_VERSION file of a data directory names its major version: the CLI and the editor both
// use it to pick the catalog when the user did not say. Read like any file a workspace controls:
// regular files only, a few bytes (a FIFO named PG_VERSION must not hang the editor).
import * as path from 'node:path';

import { readRegularFile } from '../files/regularFile';
import { isSupportedMajor } from './catalogs';

/** PG_VERSION holds "16\n"; anything longer is not one. */
const MAX_BYTES = 64;

/** The supported major in `<dir>/PG_VERSION`, or null when there is none (or an unsupported one). */
export function readPgVersion(dir: string): number | null {
  const r = readRegularFile(path.join(dir, 'PG_VERSION'), MAX_BYTES);
  if (!r.ok) return null;
  const v = parseInt(r.bytes.toString('latin1').trim(), 10);
  return isSupportedMajor(v) ? v : null;
}
