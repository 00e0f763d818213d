// A read-only connection to a test cluster, opened the way the product opens its connections
// (resolveConnection + openConnection: default_transaction_read_only = on, statement timeout).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { openConnection } from '../../../src/core/server/openConnection';
import { resolveConnection } from '../../../src/core/server/resolveConnection';
import type { ServerConnection } from '../../../src/core/server/types';

/** A read-only connection as the product opens it (default_transaction_read_only = on). */
export async function productConnection(port: number, user = 'postgres'): Promise<ServerConnection> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-home-'));
  try {
    const resolved = resolveConnection(
      { name: 'test', host: '127.0.0.1', port, user, database: 'postgres' },
      { env: {}, homeDir: home },
    );
    return await openConnection(resolved, { statementTimeoutMs: 10_000 });
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}
