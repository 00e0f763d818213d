// Named restore points: a name recovery can stop at (recovery_target_name), created with
// pg_create_restore_point().
//
// Checked on real servers (10, 13, 18):
// - the name limit is in bytes: a name of 64 bytes (64 ASCII characters, or 32 "é") is refused with
//   ERROR 22023 "value too long for restore point (maximum 63 characters)"; 63 bytes are accepted;
//   an empty name is accepted (and useless as a target);
// - on a standby: ERROR 55000 "recovery is in progress", HINT "WAL control functions cannot be
//   executed during recovery." (checked before the length);
// - with wal_level = minimal: ERROR 55000 "WAL level not sufficient for creating a restore point";
// - pg_create_restore_point() and pg_switch_wal() work in a read-only transaction
//   (default_transaction_read_only = on): they are not refused like writes.

import { isoTimeSql } from './statusQueries';
import type { ServerConnection } from './types';

/** MAXFNAMELEN - 1: the server's limit, in bytes of the server encoding. */
export const MAX_RESTORE_POINT_NAME_BYTES = 63;

/** The server's own message for a name over the limit (xlogfuncs.c), byte-for-byte. */
export const RESTORE_POINT_NAME_TOO_LONG = 'value too long for restore point (maximum 63 characters)';

/** The server's error on a standby (SQLSTATE 55000), and what its HINT means for a restore point. */
export const RECOVERY_IN_PROGRESS = 'recovery is in progress';
const STANDBY_HINT =
  ' (WAL control functions cannot be executed during recovery): the server is a standby; create the restore point on the primary';

const PREFIX = 'pg-pitr';

/** 2026-11-24T19-30-00Z: a UTC time without ':' (names end up in file names and shell commands). */
function stamp(now: Date): string | null {
  const t = now instanceof Date ? now.getTime() : NaN;
  if (!Number.isFinite(t)) return null;
  return new Date(t).toISOString().slice(0, 19).replace(/:/g, '-') + 'Z';
}

/** "Drop table Orders!" → "drop-table-orders": ASCII letters, digits and dashes only. */
function slug(reason: string): string {
  return String(reason ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * A name for a restore point: "pg-pitr-2026-11-24T19-30-00Z-drop-orders". ASCII only, so its bytes
 * are its characters in every server encoding; at most 63 bytes (the reason is cut, never the time).
 */
export function suggestRestorePointName(reason: string, now: Date): string {
  const parts = [PREFIX];
  const s = stamp(now);
  if (s) parts.push(s);
  const base = parts.join('-');
  const r = slug(reason);
  if (r === '') return base;
  return `${base}-${r}`.slice(0, MAX_RESTORE_POINT_NAME_BYTES).replace(/-+$/, '');
}

/**
 * Why `name` cannot be used, or null. The limit is counted in UTF-8 bytes (the server counts bytes of
 * its encoding; UTF-8 is the common one and never shorter than a single-byte encoding for ASCII).
 */
export function validateRestorePointName(name: string): string | null {
  if (typeof name !== 'string' || name === '') return 'the restore point name is empty';
  if (name.trim() === '') return 'the restore point name is only blanks';
  if (name.includes('\0')) return 'the restore point name contains a NUL character';
  // recovery_target_name is a quoted string in postgresql.conf / postgresql.auto.conf: one line.
  if (/[\x00-\x1f\x7f]/.test(name))
    return 'the restore point name contains a line break or control character: recovery_target_name could not be written in a configuration file';
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_RESTORE_POINT_NAME_BYTES) {
    return `${RESTORE_POINT_NAME_TOO_LONG}: this name is ${bytes} bytes in UTF-8${bytes !== name.length ? ` (${[...name].length} characters)` : ''}`;
  }
  return null;
}

export interface CreatedRestorePoint {
  name: string;
  /** the LSN pg_create_restore_point() returned: the end of the restore point record */
  lsn: string;
  /** WAL file holding the record, on the server's timeline */
  wal: string;
  timeline: number;
  /** server clock right after the record was written, ISO 8601 with offset */
  time: string;
  /** pg_control_system().system_identifier: which cluster the point belongs to */
  systemId: string;
}

interface CreateRow {
  lsn: string | null;
  wal: string | null;
  time: string;
  system_id: string;
}

/**
 * Creates a restore point. Rejects with the server's own error (on a standby "recovery is in
 * progress", followed by what the server's hint says), and with validateRestorePointName's message
 * before asking the server.
 */
export async function createRestorePoint(conn: ServerConnection, name: string): Promise<CreatedRestorePoint> {
  const invalid = validateRestorePointName(name);
  if (invalid !== null) throw new Error(invalid);
  // The FROM subquery runs first, so clock_timestamp() is read after the record is inserted.
  let rows: CreateRow[];
  try {
    rows = await conn.query<CreateRow>(
      'SELECT r.lsn::text AS lsn, pg_walfile_name(r.lsn) AS wal, ' +
        `${isoTimeSql('clock_timestamp()')} AS time, ` +
        '(SELECT system_identifier::text FROM pg_control_system()) AS system_id ' +
        'FROM (SELECT pg_create_restore_point($1) AS lsn) AS r',
      [name],
    );
  } catch (e) {
    // the connection layer keeps the message, not the HINT: add what the hint says
    if (e instanceof Error && e.message === RECOVERY_IN_PROGRESS) e.message = `${RECOVERY_IN_PROGRESS}${STANDBY_HINT}`;
    throw e;
  }
  const row = rows[0];
  if (!row || row.lsn === null || row.wal === null) throw new Error('pg_create_restore_point() returned no LSN');
  return {
    name,
    lsn: row.lsn,
    wal: row.wal,
    timeline: parseInt(row.wal.slice(0, 8), 16),
    time: row.time,
    systemId: row.system_id,
  };
}
