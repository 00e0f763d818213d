// The read-only SQL behind collectStatus, per PostgreSQL major (10..18). Every statement only
// reads catalogs, statistics views and functions without side effects.
//
// Times are formatted by the server, in UTC, so the result does not depend on the session's
// DateStyle / TimeZone nor on node-postgres' type parsers (which return Date objects for
// timestamptz). Counters, LSN differences and bigints are cast to text and converted in JS,
// because node-postgres returns int8 and numeric as strings anyway.

import { RECOVERY_PARAMETERS } from '../lint/rules/recoverySettingsOnOldVersion';

/** `to_char` of a timestamptz expression as ISO 8601 with an explicit offset, e.g. 2026-11-24T19:04:47.606123+00:00. */
export function isoTimeSql(expr: string): string {
  return `to_char((${expr}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')`;
}

/**
 * The settings collected (names absent on a major are simply not returned by pg_settings).
 * Everything the lint rules in src/core/lint/rules read, plus what the health and the sidebar show.
 */
export const STATUS_SETTING_NAMES: readonly string[] = [
  'wal_level',
  'archive_mode',
  'archive_command',
  'archive_library', // 15+
  'archive_timeout',
  'max_wal_senders',
  'max_replication_slots',
  'wal_segment_size',
  'data_directory',
  'hot_standby',
  // the recovery settings (12+; recovery.conf before); primary_conninfo is superuser-only and its
  // password is redacted by collectStatus
  ...RECOVERY_PARAMETERS,
  'wal_keep_segments', // 10..12
  'wal_keep_size', // 13+
  'max_slot_wal_keep_size', // 13+
  'full_page_writes',
  'fsync',
  'wal_log_hints',
  'summarize_wal', // 17+
  'basic_archive.archive_directory', // only when the module is loaded
];

/** Version, recovery state and the server's clock. */
export const VERSION_SQL =
  `SELECT current_setting('server_version_num')::int AS num, current_setting('server_version') AS text, ` +
  `pg_is_in_recovery() AS in_recovery, ${isoTimeSql('now()')} AS collected_at, ` +
  // the cluster's identity, to match restore drills of its backups (pg_control_system() is public on 10-18)
  '(SELECT system_identifier::text FROM pg_control_system()) AS system_id';

/**
 * $1: text[] of setting names. sourcefile/sourceline are null unless superuser or pg_read_all_settings.
 * reset_val: with archive_mode = off, `setting` of archive_command is the show hook's
 * "(disabled)" on every major 10..18, while reset_val keeps the configured command.
 * Custom (dotted) names of modules not loaded in this backend, like basic_archive.archive_directory
 * (loaded by the archiver only), are placeholders that pg_settings does not list but
 * current_setting(name, true) reads; they come back with source 'placeholder'.
 */
export const SETTINGS_SQL =
  'SELECT name, setting, reset_val, unit, source, sourcefile, sourceline FROM pg_settings WHERE name = ANY($1::text[]) ' +
  "UNION ALL SELECT n, current_setting(n, true), NULL, NULL, 'placeholder', NULL, NULL FROM unnest($1::text[]) AS n " +
  "WHERE n LIKE '%.%' AND current_setting(n, true) IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pg_settings WHERE name = n) " +
  'ORDER BY 1';

export const ARCHIVER_SQL =
  `SELECT archived_count::text AS archived_count, last_archived_wal, ${isoTimeSql('last_archived_time')} AS last_archived_time, ` +
  `failed_count::text AS failed_count, last_failed_wal, ${isoTimeSql('last_failed_time')} AS last_failed_time, ` +
  `${isoTimeSql('stats_reset')} AS stats_reset FROM pg_stat_archiver`;

/**
 * Primary: the write position and the server's own file name for it. The timeline is taken from
 * that name (the insert timeline, right at once after a promotion), not from
 * pg_control_checkpoint(), which keeps the previous timeline until the next checkpoint.
 */
export const PRIMARY_WAL_SQL = 'SELECT l::text AS lsn, pg_walfile_name(l) AS file FROM pg_current_wal_lsn() AS l';

/**
 * Standby: pg_walfile_name() refuses to run during recovery, so only positions and a timeline.
 * pg_stat_wal_receiver.received_tli is the timeline being streamed (null for roles without
 * pg_read_all_stats, and no row without a WAL receiver); pg_control_checkpoint() gives the
 * timeline of the last restartpoint as a fallback.
 */
export const STANDBY_WAL_SQL =
  'SELECT pg_last_wal_receive_lsn()::text AS receive_lsn, pg_last_wal_replay_lsn()::text AS replay_lsn, ' +
  '(SELECT received_tli FROM pg_stat_wal_receiver LIMIT 1) AS receiver_tli, ' +
  '(SELECT timeline_id FROM pg_control_checkpoint()) AS checkpoint_tli';

/**
 * `.ready` files waiting for the archiver (12+; pg_monitor or superuser). Oldest: the lowest
 * segment name (the order the archiver works in after history files), else any other name.
 */
export function backlogSql(major: number): string | null {
  if (major < 12) return null;
  return (
    "SELECT count(*)::int AS n, coalesce(min(substr(name, 1, 24)) FILTER (WHERE name ~ '^[0-9A-F]{24}\\.ready$'), " +
    "min(substr(name, 1, length(name) - 6))) AS oldest FROM pg_ls_archive_statusdir() WHERE name LIKE '%.ready'"
  );
}

/** Replication slots and how much WAL each holds back from the server's position (pg_current_wal_lsn(); in recovery the received, else replayed, position). */
export function slotsSql(major: number, inRecovery: boolean): string {
  const position = inRecovery
    ? 'coalesce(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())'
    : 'pg_current_wal_lsn()';
  const walStatus = major >= 13 ? 'wal_status' : 'NULL::text';
  return (
    `SELECT slot_name::text AS name, slot_type AS type, active, restart_lsn::text AS restart_lsn, ${walStatus} AS wal_status, ` +
    `CASE WHEN restart_lsn IS NULL THEN NULL ELSE greatest(pg_wal_lsn_diff(${position}, restart_lsn), 0)::text END AS retained_bytes ` +
    'FROM pg_replication_slots ORDER BY slot_name'
  );
}

/** Base backups being taken (13+). The byte counts are null for roles without pg_read_all_stats. */
export function baseBackupsSql(major: number): string | null {
  if (major < 13) return null;
  return 'SELECT pid, phase, backup_total::text AS backup_total, backup_streamed::text AS backup_streamed FROM pg_stat_progress_basebackup ORDER BY pid';
}
