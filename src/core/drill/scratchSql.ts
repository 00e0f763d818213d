// SQL on the scratch server, through the Unix socket in the scratch folder (trusted by the copy's
// own pg_hba.conf). The superuser's name is not known from the files: the usual ones are tried.
// node-postgres is loaded on first use.
import * as os from 'node:os';

import type { Client } from 'pg';

export interface ScratchEndpoint {
  socketDir: string;
  port: number;
  /** the run user's name: initdb's default superuser name */
  osUser: string;
}

function candidates(ep: ScratchEndpoint): string[] {
  return [
    ...new Set([process.env.PGUSER, 'postgres', ep.osUser, os.userInfo().username].filter((x): x is string => !!x)),
  ];
}

/** A connection to `database` as the first role that exists; throws the last error. */
export async function connectScratch(
  ep: ScratchEndpoint,
  database = 'postgres',
  statementTimeoutMs = 60_000,
): Promise<Client> {
  const pg = require('pg') as typeof import('pg');
  let last: Error = new Error('no role to connect as');
  for (const user of candidates(ep)) {
    const c = new pg.Client({
      host: ep.socketDir,
      port: ep.port,
      user,
      database,
      connectionTimeoutMillis: 10_000,
      statement_timeout: statementTimeoutMs,
      query_timeout: statementTimeoutMs + 5_000,
      application_name: 'pg-pitr drill',
    });
    c.on('error', () => undefined);
    try {
      await c.connect();
      return c;
    } catch (e) {
      last = e as Error;
      await c.end().catch(() => undefined);
      if (!/role ".*" does not exist/.test(last.message)) throw last;
    }
  }
  throw last;
}
