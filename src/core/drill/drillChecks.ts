// The checks after a successful recovery: each --check-sql must return a row whose first column is
// true (or a non-zero number, or a non-empty string); --amcheck runs bt_index_check on every btree
// index of every database that accepts connections, when the amcheck extension can be created
// there (the copy is thrown away, so creating it changes nothing that matters); when it cannot,
// that is reported, not failed.
import type { Client } from 'pg';

import type { DrillCheck } from './types';

/** Is a first column "true" for a check? */
export function truthy(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  if (typeof v === 'bigint') return v !== 0n;
  // int8 and numeric arrive as strings: "0" is zero, not a non-empty string
  if (typeof v === 'string') return v !== '' && !/^\s*-?0+(\.0+)?\s*$/.test(v);
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

function shown(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  const s = typeof v === 'string' ? v : v instanceof Date ? v.toISOString() : JSON.stringify(v);
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}

function checkName(sql: string): string {
  const one = sql.replace(/\s+/g, ' ').trim();
  return one.length > 80 ? `${one.slice(0, 80)}…` : one;
}

export async function runCheckSql(client: Client, sql: string): Promise<DrillCheck> {
  const name = checkName(sql);
  try {
    // strings come back as the server prints them (pg's parsers would turn int8 into a string anyway)
    const r = await client.query({ text: sql, rowMode: 'array' });
    if (r.rows.length === 0) return { name, ok: false, detail: 'no row returned' };
    const v = (r.rows[0] as unknown[])[0];
    return { name, ok: truthy(v), detail: shown(v) };
  } catch (e) {
    return { name, ok: false, detail: `error: ${(e as Error).message}` };
  }
}

const BTREE_INDEXES_SQL =
  'SELECT c.oid::regclass::text AS name, c.oid::int8::text AS oid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam ' +
  "WHERE a.amname = 'btree' AND c.relpersistence <> 't' AND i.indisvalid AND i.indisready ORDER BY 1";

/** amcheck in one database: the number of indexes checked and the ones that failed. */
export async function runAmcheck(client: Client, database: string): Promise<DrillCheck> {
  const name = `amcheck ${database}`;
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS amcheck');
  } catch (e) {
    return {
      name,
      ok: null,
      detail: `not run: the amcheck extension cannot be created here (${(e as Error).message})`,
    };
  }
  const idx = await client.query<{ name: string; oid: string }>(BTREE_INDEXES_SQL);
  const failed: string[] = [];
  for (const row of idx.rows) {
    try {
      await client.query('SELECT bt_index_check($1::oid::regclass)', [row.oid]);
    } catch (e) {
      failed.push(`${row.name}: ${(e as Error).message}`);
    }
  }
  if (failed.length > 0)
    return {
      name,
      ok: false,
      detail: `${failed.length} of ${idx.rows.length} btree indexes failed bt_index_check: ${failed.slice(0, 5).join('; ')}${failed.length > 5 ? '; …' : ''}`,
    };
  return { name, ok: true, detail: `${idx.rows.length} btree indexes checked with bt_index_check` };
}

export const CONNECTABLE_DATABASES_SQL =
  'SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate ORDER BY datname';
