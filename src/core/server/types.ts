// Shapes shared by the connection, collection, health and check modules (core, CLI and sidebar).
import type { DrillSummary, RtoEstimate } from '../drill/drillSummary';
import type { ObjectiveResult, Objectives } from '../monitoring/objectives';
import type { Rpo } from '../monitoring/rpo';
import type { AuthPolicy } from './authPolicy';
import type { SessionOptions, TlsOptions } from './connectionOptions';

/** A server as the user configures it (setting `pgPitr.servers`, or the CLI's arguments). Never holds a password. */
export interface ServerProfile {
  /** display name, unique among profiles */
  name: string;
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  sslmode?: 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
  sslrootcert?: string;
  sslcert?: string;
  sslkey?: string;
  /** a libpq URI (postgresql://...) or key=value connection string; explicit fields above win over it */
  connectionString?: string;
  /** a pg_service.conf service name */
  service?: string;
  /** archive location (folder or s3://bucket/prefix) when it cannot be inferred from archive_command */
  archive?: string;
  /** S3-compatible endpoint for an s3:// archive */
  archiveEndpoint?: string;
  /** recoverability objectives judged by every check of this server */
  objectives?: Objectives;
}

/** Where the connection's values came from, for messages (never the password itself). */
export interface ResolvedConnection {
  host: string;
  port: number;
  database: string;
  user: string;
  /** resolved password (from the caller, PGPASSWORD or the password file); never logged */
  password?: string;
  /** 'connection string' also covers a password in the pg_service.conf entry (libpq treats both alike) */
  passwordSource: 'given' | 'environment' | 'pgpass' | 'connection string' | 'none';
  /** connect_timeout / PGCONNECT_TIMEOUT in ms, when set (openConnection's connectTimeoutMs wins) */
  connectTimeoutMs?: number;
  ssl: SslSettings | false;
  /** "user@host:port/database", safe to show */
  display: string;
  /** e.g. the password file is ignored because its permissions are looser than 0600 */
  warnings: string[];
  /** require_auth and channel_binding; absent: libpq's defaults (any method, channel binding preferred) */
  auth?: AuthPolicy;
  /** application name, server options, keepalives, target_session_attrs; absent: the defaults */
  session?: SessionOptions;
}

export interface SslSettings {
  mode: 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
  rootCert?: string;
  cert?: string;
  key?: string;
  /** ssl_min_protocol_version and the rest (connectionOptions.ts); absent: libpq's defaults */
  options?: TlsOptions;
}

export interface TimeoutOptions {
  /** TCP connect + authentication, ms; wins over the connection's own connect_timeout (a command-line flag) */
  connectTimeoutMs?: number;
  /** the same, used only when the connection names none (connect_timeout, PGCONNECT_TIMEOUT); default 5000 */
  defaultConnectTimeoutMs?: number;
  /** per statement, ms (default 5000) */
  statementTimeoutMs?: number;
}

/** A live, read-only connection. `query` rejects after the statement timeout even if the server is silent. */
export interface ServerConnection {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  close(): Promise<void>;
}

export interface ArchiverStats {
  archivedCount: number;
  lastArchivedWal: string | null;
  /** ISO 8601 with offset */
  lastArchivedTime: string | null;
  failedCount: number;
  lastFailedWal: string | null;
  lastFailedTime: string | null;
  statsReset: string | null;
}

export interface WalPosition {
  /** primary: pg_current_wal_lsn(); standby: the replay position */
  currentLsn: string | null;
  /** segment file holding currentLsn on the server's timeline */
  currentWal: string | null;
  timeline: number | null;
  /** standby only */
  receiveLsn: string | null;
  replayLsn: string | null;
  segmentSize: number;
}

export interface SlotInfo {
  name: string;
  type: 'physical' | 'logical';
  active: boolean;
  restartLsn: string | null;
  /** 13+: reserved, extended, unreserved, lost */
  walStatus: string | null;
  /** bytes of WAL the slot holds back (current position minus restart_lsn), null when unknown */
  retainedBytes: number | null;
}

export interface BaseBackupProgress {
  pid: number;
  phase: string;
  backupTotal: number | null;
  backupStreamed: number | null;
}

export interface ServerSetting {
  name: string;
  setting: string;
  unit: string | null;
  source: string;
  /** null when the role may not see it */
  sourcefile: string | null;
  sourceline: number | null;
}

/** Everything read from one server in one refresh. */
export interface ServerStatus {
  /** server's clock at collection, ISO 8601 */
  collectedAt: string;
  version: { major: number; num: number; text: string };
  /** pg_control_system().system_identifier, as text (it exceeds 2^53) */
  systemIdentifier?: string | null;
  inRecovery: boolean;
  /** the settings the rules and the health need, by lower-case name (wal_level, archive_mode, archive_command, ...) */
  settings: Record<string, ServerSetting>;
  dataDirectory: string | null;
  archiver: ArchiverStats;
  wal: WalPosition;
  /** `.ready` files waiting in pg_wal/archive_status; null when not permitted or before 12 */
  backlog: number | null;
  /** oldest `.ready` segment, when backlog is known */
  oldestReady: string | null;
  slots: SlotInfo[];
  /** null before 13 */
  baseBackups: BaseBackupProgress[] | null;
  /** what could not be read and why ("pg_ls_archive_statusdir needs pg_monitor or superuser") */
  limitations: string[];
}

export type Health = 'ok' | 'warning' | 'failing' | 'unknown';

export interface HealthReason {
  /** stable id, e.g. archiving-failing, backlog-growing, archive-stale, archiving-off, wal-level-too-low, archive-gap, no-base-backup, inactive-slot, archive-newer-timeline, connection-failed */
  id: string;
  severity: 'info' | 'warning' | 'failing' | 'unknown';
  message: string;
}

/** The archive as seen from one check (a summary of core/archive's ArchiveReport, or why it could not be read). */
export interface ArchiveSummary {
  location: string;
  /** how the location was found: configured for the server, or inferred from archive_command */
  source: 'configured' | 'inferred';
  layout: string | null;
  complete: boolean;
  latest: string | null;
  timelines: {
    timeline: number;
    first: string;
    last: string;
    segments: number;
    gaps: { from: string; to: string; missing: number; class: string }[];
  }[];
  backups: {
    label: string;
    timeline: number;
    startWal: string;
    stopWal: string | null;
    stopTime: string | null;
    stopLsn: string | null;
  }[];
  windows: { backup: string; from: { lsn: string | null; time: string | null }; to: { wal: string } }[];
  problems: string[];
  /** the archive could not be read (permissions, S3 error, unknown destination) */
  error: string | null;
}

/** One server's check: what `pg-pitr check --format json` prints and what the sidebar shows. */
export interface CheckResult {
  server: string;
  /** user@host:port/db, no password */
  connection: string | null;
  version: string | null;
  major: number | null;
  inRecovery: boolean | null;
  health: Health;
  reasons: HealthReason[];
  archiver: ArchiverStats | null;
  wal: WalPosition | null;
  backlog: number | null;
  slots: SlotInfo[];
  archive: ArchiveSummary | null;
  /** the full collection, null when the server could not be read */
  status: ServerStatus | null;
  /** lint findings on the live settings (the same rules as for the file) */
  findings: { id: string; severity: string; message: string }[];
  /** the recovery point as it stands (null when the server could not be read) */
  rpo: Rpo | null;
  /** the configured recoverability objectives, judged */
  objectives: ObjectiveResult[];
  /** since when WAL has waited for an archiver that does not move (for the next check's "archiving stalled") */
  waitingSince: string | null;
  checkedAt: string;
  durationMs: number;
  /** the last restore drill of this cluster (pg-pitr drill's history); null when none is recorded */
  drill?: DrillSummary | null;
  /** time to recover, estimated from the drills */
  rto?: RtoEstimate | null;
}
