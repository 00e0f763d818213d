// The PG_VERSION file of a data directory names its major version: the CLI and the editor both
// use it to pick the catalog when the user did not say.
import * as fs from 'node:fs';
import * as path from 'node:path';

import { isSupportedMajor } from './catalogs';

/** The supported major in `<dir>/PG_VERSION`, or null when there is none (or an unsupported one). */
export function readPgVersion(dir: string): number | null {
  try {
    const v = parseInt(fs.readFileSync(path.join(dir, 'PG_VERSION'), 'utf8').trim(), 10);
    return isSupportedMajor(v) ? v : null;
  } catch {
    return null;
  }
}
