// The recovery wizard's vocabulary: what the user asks for, and the file changes that answer it.
export type RecoveryTarget =
  | { kind: 'time'; time: string }
  | { kind: 'xid'; xid: string }
  | { kind: 'lsn'; lsn: string }
  | { kind: 'name'; name: string }
  | { kind: 'immediate' }
  | { kind: 'latest' };

export interface RecoveryWindowPoint {
  lsn: string | null;
  time: string | null;
}

export interface RecoveryRequest {
  /** 10..18 */
  major: number;
  /** the restored copy's data directory */
  dataDir: string;
  target: RecoveryTarget;
  /** only written where it applies (time, xid, lsn) */
  inclusive?: boolean;
  action?: 'pause' | 'promote' | 'shutdown';
  timeline?: 'latest' | 'current' | number;
  /** given by the user, or derived from archiveCommand (inferArchive) */
  restoreCommand?: string;
  archiveCommand?: string;
  /** for a time without an explicit offset: an IANA zone or ±HH:MM the user confirmed */
  timeZone?: string;
  /** standby.signal instead of recovery.signal (12+) / standby_mode (10-11) */
  standby?: boolean;
  /** default off: a recovered copy must not archive into the production archive */
  recoveredArchiving?: { mode: 'off' } | { mode: 'elsewhere'; archiveCommand: string };
  /** the recoverable range, when the archive inspector knows it */
  window?: { from: RecoveryWindowPoint; to: RecoveryWindowPoint } | null;
  /** for the dated marker (tests pass a fixed date) */
  now?: Date;
}

export interface PlannedChange {
  path: string;
  action: 'create' | 'update';
  content: string;
  /** the file's content before the change (null when it is created) */
  previous: string | null;
}

export interface RecoveryPlan {
  changes: PlannedChange[];
  warnings: string[];
  /** the settings written, name -> value (unquoted) */
  settings: Record<string, string>;
  /** the data directory the plan is for (applyRecoveryPlan checks its postmaster.pid) */
  dataDir?: string;
}

/** The request cannot be turned into a safe configuration; the message is for the user. */
export class RecoveryRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecoveryRefusedError';
  }
}
