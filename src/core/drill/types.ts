// The restore drill's vocabulary: what the user asks for, what the drill found, and how it failed.
// Shared by the core steps, the CLI (`pg-pitr drill`) and the editor command.
import type { RecoveryTarget } from '../recovery/types';

/** Why a drill did not succeed. Exit 1 for everything but `refused` (2) and `cancelled` (130). */
export type DrillFailureKind =
  | 'missing-wal'
  | 'target-not-reached'
  | 'target-before-backup-end'
  | 'restore-failed'
  | 'startup-failed'
  | 'check-failed'
  | 'timeout'
  | 'refused'
  | 'cancelled';

export interface DrillFailure {
  kind: DrillFailureKind;
  message: string;
  /** missing-wal: the first missing segment */
  segment: string | null;
}

/** A drill that cannot go on; the runner turns it into the report's failure. */
export class DrillError extends Error {
  constructor(
    readonly kind: DrillFailureKind,
    message: string,
    readonly segment: string | null = null,
  ) {
    super(message);
    this.name = 'DrillError';
  }
}

/** Where the base backup comes from. */
export type DrillBackupSource =
  { kind: 'folder'; path: string } | { kind: 'pgbackrest'; stanza: string; config?: string; set?: string };

/** Where WAL comes from (the mirror of archive_command, as in `pg-pitr recovery-config`). */
export interface DrillWalSource {
  restoreCommand?: string;
  archiveCommand?: string;
  /** a folder or s3://bucket/prefix: listed to explain the outcome; alone it also gives the restore_command */
  archive?: string;
  endpoint?: string;
}

export interface DrillRequest {
  backup: DrillBackupSource;
  target: RecoveryTarget;
  inclusive?: boolean;
  timeline?: 'latest' | 'current' | number;
  timeZone?: string;
  wal: DrillWalSource;
  /** default: a new private folder in the temporary directory */
  scratch?: string;
  keep?: boolean;
  /** only this folder is searched for postgres (--pg-bin-dir, pgPitr.pgBinDir) */
  pgBinDir?: string;
  /** the unprivileged user to run the server as; required when running as root */
  osUser?: string;
  /** --set NAME=VALUE: settings of the copy only */
  settings?: [string, string][];
  checkSql?: string[];
  /** the database --check-sql runs in (default postgres) */
  database?: string;
  amcheck?: boolean;
  /** bounds the whole drill */
  timeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (p: DrillProgress) => void;
}

export type DrillPhase = 'validate' | 'restore' | 'configure' | 'start' | 'replay' | 'checks' | 'cleanup';

export interface DrillProgress {
  phase: DrillPhase;
  message: string;
  replay?: ReplayProgress;
}

export interface ReplayProgress {
  /** the end of the last WAL segment restored so far */
  lsn: string;
  /** the target LSN or the end of the archive, when known */
  goalLsn: string | null;
  bytesReplayed: number;
  /** from the backup's start to the goal, when the goal is known */
  bytesToGoal: number | null;
  mbPerSecond: number | null;
  etaSeconds: number | null;
  lastSegment: string | null;
}

export interface DrillCheck {
  name: string;
  /** null: not run (amcheck that cannot be created is reported, not failed) */
  ok: boolean | null;
  detail: string;
}

/** The JSON report (`--format json`) and one line of the history file. */
export interface DrillReport {
  backup: {
    path: string;
    format: 'plain' | 'tar' | 'pgbackrest';
    label: string | null;
    startLsn: string | null;
    stopLsn: string | null;
    timeline: number | null;
    systemIdentifier: string | null;
    major: number | null;
  };
  target: { kind: RecoveryTarget['kind']; value: string | null; inclusive: boolean | null; timeline: string | null };
  reached: { lsn: string | null; time: string | null; timeline: number | null; stoppedBy: string | null } | null;
  ok: boolean;
  failure: DrillFailure | null;
  durations: { restoreSeconds: number; replaySeconds: number; checksSeconds: number; totalSeconds: number };
  walReplayedBytes: number | null;
  replayMBps: number | null;
  checks: DrillCheck[];
  scratch: string | null;
  kept: boolean;
  startedAt: string;
  /** what the drill changed in the copy and other things the user should read */
  warnings: string[];
  /** the server's FATAL/PANIC lines, when it stopped on its own */
  serverLog: string[];
  /** how to start the kept copy by hand (--keep) */
  keepInstructions: string[] | null;
}

export const EXIT_CODES: Record<'ok' | DrillFailureKind, number> = {
  ok: 0,
  'missing-wal': 1,
  'target-not-reached': 1,
  'target-before-backup-end': 1,
  'restore-failed': 1,
  'startup-failed': 1,
  'check-failed': 1,
  timeout: 1,
  refused: 2,
  cancelled: 130,
};
