// A ServerConnection over pg.Client for tests: read-only sessions with a statement timeout, like
// the product's connections. (The product opens its connections with src/core/server/openConnection.ts.)
import { Client } from 'pg';
import type { ServerConnection } from '../../src/core/server/types';

export async function testConnection(opts: { port: number; user?: string; database?: string; statementTimeoutMs?: number }): Promise<ServerConnection> {
  const timeout = opts.statementTimeoutMs ?? 5000;
  const client = new Client({
    host: '127.0.0.1',
    port: opts.port,
    user: opts.user ?? 'postgres',
    database: opts.database ?? 'postgres',
    connectionTimeoutMillis: 5000,
    query_timeout: timeout + 2000,
    options: `-c default_transaction_read_only=on -c statement_timeout=${timeout}`,
  });
  client.on('error', () => undefined);
  await client.connect();
  return {
    async query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]> {
      const res = await client.query(sql, params);
      return res.rows as R[];
    },
    async close(): Promise<void> {
      await client.end().catch(() => undefined);
    },
  };
}
