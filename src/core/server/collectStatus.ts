// Reads everything pg-pitr shows about one server, in one pass of read-only queries.
// The version, settings, archiver counters and WAL position are required (a failure rejects);
// everything else degrades: the field becomes null (or empty) and `limitations` says why in a
// sentence a DBA can act on.
import { getCatalog, isSupportedMajor } from '../catalog/catalogs';
import { parseLsn } from '../wal/lsn';
import { DEFAULT_SEGMENT_SIZE, formatSegmentName, isValidSegmentSize, segmentOfLsn } from '../wal/segmentNames';
import { redactConninfo } from './redactConninfo';
import { settingBytes } from './settingUnits';
import {
  ARCHIVER_SQL,
  backlogSql,
  baseBackupsSql,
  PRIMARY_WAL_SQL,
  SETTINGS_SQL,
  slotsSql,
  STANDBY_WAL_SQL,
  STATUS_SETTING_NAMES,
  VERSION_SQL,
} from './statusQueries';
import type {
  ArchiverStats,
  BaseBackupProgress,
  ServerConnection,
  ServerSetting,
  ServerStatus,
  SlotInfo,
  WalPosition,
} from './types';

type Row = Record<string, unknown>;

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: unknown): number | null => {
  if (v === null || v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};

/** 42501 insufficient_privilege (pg's DatabaseError.code, the connection layer's QueryError.sqlState). */
function isPermissionError(e: unknown): boolean {
  const o = e as { code?: unknown; sqlState?: unknown; message?: unknown };
  return (
    o?.code === '42501' ||
    o?.sqlState === '42501' ||
    /permission denied|must be superuser/i.test(String(o?.message ?? ''))
  );
}

function reason(e: unknown): string {
  return String((e as { message?: unknown })?.message ?? e).split('\n')[0];
}

export async function collectStatus(conn: ServerConnection): Promise<ServerStatus> {
  const limitations: string[] = [];
  const optional = async <T>(
    sql: string,
    params: unknown[] | undefined,
    onError: (e: unknown) => void,
  ): Promise<T[] | null> => {
    try {
      return await conn.query<T>(sql, params);
    } catch (e) {
      onError(e);
      return null;
    }
  };

  const [v] = await conn.query<Row>(VERSION_SQL);
  const versionNum = Number(v.num);
  const major = versionNum >= 100000 ? Math.floor(versionNum / 10000) : Math.floor(versionNum / 100);
  const inRecovery = v.in_recovery === true;

  const settings = readSettings(await conn.query<Row>(SETTINGS_SQL, [STATUS_SETTING_NAMES]));
  limitations.push(...hiddenSettings(major, settings));
  const dataDirectory = settings.data_directory?.setting ?? null;

  const [a] = await conn.query<Row>(ARCHIVER_SQL);
  const archiver: ArchiverStats = {
    archivedCount: num(a.archived_count) ?? 0,
    lastArchivedWal: str(a.last_archived_wal),
    lastArchivedTime: str(a.last_archived_time),
    failedCount: num(a.failed_count) ?? 0,
    lastFailedWal: str(a.last_failed_wal),
    lastFailedTime: str(a.last_failed_time),
    statsReset: str(a.stats_reset),
  };

  const segSetting = settings.wal_segment_size;
  const segBytes = segSetting ? settingBytes(segSetting.setting, segSetting.unit) : null;
  const segmentSize = segBytes !== null && isValidSegmentSize(segBytes) ? segBytes : DEFAULT_SEGMENT_SIZE;
  const wal = inRecovery ? await standbyWal(conn, segmentSize, limitations) : await primaryWal(conn, segmentSize);

  let backlog: number | null = null;
  let oldestReady: string | null = null;
  const bSql = backlogSql(major);
  if (bSql === null) {
    limitations.push(
      `backlog unknown: PostgreSQL ${major} has no pg_ls_archive_statusdir() (added in 12), so the .ready ` +
        `files in pg_wal/archive_status cannot be counted through SQL`,
    );
  } else {
    const rows = await optional<Row>(bSql, undefined, (e) =>
      limitations.push(
        isPermissionError(e)
          ? 'backlog unknown: pg_ls_archive_statusdir() needs the pg_monitor role or superuser'
          : `backlog unknown: pg_ls_archive_statusdir() failed: ${reason(e)}`,
      ),
    );
    if (rows && rows[0]) {
      backlog = num(rows[0].n) ?? 0;
      oldestReady = str(rows[0].oldest);
    }
  }

  const slotRows = await optional<Row>(slotsSql(major, inRecovery), undefined, (e) =>
    limitations.push(`replication slots unknown: ${reason(e)}`),
  );
  const slots: SlotInfo[] = (slotRows ?? []).map((r) => ({
    name: String(r.name),
    type: r.type === 'logical' ? 'logical' : 'physical',
    active: r.active === true,
    restartLsn: str(r.restart_lsn),
    walStatus: str(r.wal_status),
    retainedBytes: num(r.retained_bytes),
  }));

  let baseBackups: BaseBackupProgress[] | null = null;
  const bbSql = baseBackupsSql(major);
  if (bbSql === null) {
    limitations.push(
      `base backups in progress unknown: pg_stat_progress_basebackup exists from PostgreSQL 13 (this is ${major})`,
    );
  } else {
    const rows = await optional<Row>(bbSql, undefined, (e) =>
      limitations.push(`base backups in progress unknown: ${reason(e)}`),
    );
    if (rows) {
      baseBackups = rows.map((r) => ({
        pid: Number(r.pid),
        phase: String(r.phase),
        backupTotal: num(r.backup_total),
        backupStreamed: num(r.backup_streamed),
      }));
      if (rows.some((r) => r.phase !== null && r.backup_streamed === null)) {
        limitations.push(
          "base backup progress hidden: the byte counts of other roles' backups need pg_read_all_stats or superuser",
        );
      }
    }
  }

  return {
    collectedAt: String(v.collected_at),
    systemIdentifier: str(v.system_id),
    version: { major, num: versionNum, text: String(v.text) },
    inRecovery,
    settings,
    dataDirectory,
    archiver,
    wal,
    backlog,
    oldestReady,
    slots,
    baseBackups,
    limitations,
  };
}

function readSettings(rows: Row[]): Record<string, ServerSetting> {
  const out: Record<string, ServerSetting> = {};
  for (const r of rows) {
    const name = String(r.name).toLowerCase();
    let setting = String(r.setting ?? '');
    // archive_mode = off shows archive_command as "(disabled)"; the command itself is in reset_val
    if (name === 'archive_command' && setting === '(disabled)' && typeof r.reset_val === 'string')
      setting = r.reset_val;
    if (name === 'primary_conninfo') setting = redactConninfo(setting);
    out[name] = {
      name,
      setting,
      unit: str(r.unit),
      source: String(r.source),
      sourcefile: str(r.sourcefile),
      sourceline: num(r.sourceline),
    };
  }
  return out;
}

// pg_settings leaves out superuser-only parameters for other roles (no row at all), and blanks
// sourcefile/sourceline. The catalog of the major says which rows should have been there.
function hiddenSettings(major: number, settings: Record<string, ServerSetting>): string[] {
  if (!isSupportedMajor(major)) return [];
  const catalog = getCatalog(major);
  const missing = STATUS_SETTING_NAMES.filter(
    (n) => !n.includes('.') && catalog.parameters[n] !== undefined && settings[n] === undefined,
  );
  const out: string[] = [];
  if (missing.length > 0) {
    out.push(
      `${missing.join(', ')} unknown: ${missing.length === 1 ? 'this setting is' : 'these settings are'} ` +
        `visible only to superusers and members of pg_read_all_settings`,
    );
  }
  if (Object.values(settings).some((s) => s.source === 'configuration file' && s.sourcefile === null)) {
    out.push(
      'which file sets each setting is unknown: sourcefile and sourceline are visible only to superusers and members of pg_read_all_settings',
    );
  }
  return out;
}

async function primaryWal(conn: ServerConnection, segmentSize: number): Promise<WalPosition> {
  const [r] = await conn.query<Row>(PRIMARY_WAL_SQL);
  const lsn = str(r.lsn);
  const file = str(r.file);
  const timeline = file && /^[0-9A-F]{24}$/.test(file) ? parseInt(file.slice(0, 8), 16) : null;
  return {
    currentLsn: lsn,
    currentWal: walFileOf(lsn, timeline, segmentSize) ?? file,
    timeline,
    receiveLsn: null,
    replayLsn: null,
    segmentSize,
  };
}

async function standbyWal(conn: ServerConnection, segmentSize: number, limitations: string[]): Promise<WalPosition> {
  let r: Row;
  try {
    [r] = await conn.query<Row>(STANDBY_WAL_SQL);
  } catch (e) {
    // pg_control_checkpoint() may be revoked: the positions alone still tell a lot
    if (!isPermissionError(e)) throw e;
    [r] = await conn.query<Row>(
      'SELECT pg_last_wal_receive_lsn()::text AS receive_lsn, pg_last_wal_replay_lsn()::text AS replay_lsn, ' +
        '(SELECT received_tli FROM pg_stat_wal_receiver LIMIT 1) AS receiver_tli, NULL::int AS checkpoint_tli',
    );
  }
  const replayLsn = str(r.replay_lsn);
  let timeline = num(r.receiver_tli);
  if (timeline === null) {
    timeline = num(r.checkpoint_tli);
    limitations.push(
      timeline === null
        ? 'timeline unknown: no WAL receiver details (not streaming, or pg_read_all_stats is needed) and pg_control_checkpoint() is not permitted'
        : 'timeline taken from the last restartpoint (pg_control_checkpoint()): no WAL receiver details (not streaming, or pg_read_all_stats is needed)',
    );
  }
  return {
    currentLsn: replayLsn,
    currentWal: walFileOf(replayLsn, timeline, segmentSize),
    timeline,
    receiveLsn: str(r.receive_lsn),
    replayLsn,
    segmentSize,
  };
}

/** The segment holding the byte at `lsn` (the same on every major; pg_walfile_name() names the previous segment at a boundary on 10-16). */
function walFileOf(lsn: string | null, timeline: number | null, segmentSize: number): string | null {
  const l = lsn === null ? null : parseLsn(lsn);
  if (l === null || timeline === null || timeline < 1) return null;
  try {
    return formatSegmentName(timeline, segmentOfLsn(l, segmentSize), segmentSize);
  } catch {
    return null;
  }
}
