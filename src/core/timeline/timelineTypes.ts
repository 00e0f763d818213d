// The recoverability timeline as plain data (JSON-safe: times are milliseconds since the epoch,
// LSNs and segment names are strings): what the SVG renderer draws, the webview zooms, the table
// lists and a click is judged against. Built by timelineModel.ts; drawn by renderSvg.ts.

/** How a moment is known. */
export type TimeQuality =
  /** written by PostgreSQL or pg-pitr from a server's clock: backup history START/STOP TIME, backup tool metadata, restore points, drills */
  | 'exact'
  /** when a file arrived in the archive (modification time, S3 LastModified): the end of the WAL it holds, not a commit time */
  | 'approximate'
  /** interpolated between other moments: no time was known for it */
  | 'estimated';

export interface Stamp {
  ms: number;
  quality: TimeQuality;
  /** where the time comes from, for hover details ("STOP TIME in the backup history file") */
  from: string;
}

/** Archived WAL without a hole, on one timeline. */
export interface CoverageRun {
  from: number;
  to: number;
  first: string;
  last: string;
  segments: number;
}

export type GapKind = 'lost' | 'in-flight' | 'acknowledged' | 'wrong-size' | string;

export interface GapMark {
  /** the time the last segment before it arrived (the end of what can be replayed) */
  from: number;
  /** the time the first segment after it arrived (or now, for WAL still in flight) */
  to: number;
  kind: GapKind;
  /** first and last missing segment */
  first: string;
  last: string;
  missing: number;
  note?: string;
}

/** A segment with the wrong size: recovery refuses it ("archive file has wrong size"). */
export interface SegmentMark {
  ms: number;
  segment: string;
  message: string;
}

/** The part of one base backup's recoverable range that lies on one lane. */
export interface ReachPiece {
  /** index into TimelineModel.backups */
  backup: number;
  from: number;
  to: number;
  /** the last segment replayable on this lane */
  lastSegment: string;
  /** why it stops: the next segment is missing (gap), the archive ends, or no time is known */
  endsAt: 'gap' | 'end';
}

export interface Lane {
  timeline: number;
  parent: number | null;
  /** where the parent timeline was left (the history file's switch point) */
  switchLsn: string | null;
  /** when this timeline began (its .history file's arrival, bounded by the segments around the switch) */
  fork: Stamp | null;
  first: string;
  last: string;
  segments: number;
  runs: CoverageRun[];
  gaps: GapMark[];
  wrongSize: SegmentMark[];
  /** recoverable pieces on this lane (recovery_target_timeline = this timeline), per base backup */
  reach: ReachPiece[];
  /** the union of `reach`, ascending and disjoint */
  bands: Array<{ from: number; to: number }>;
}

export interface BackupMark {
  label: string;
  timeline: number | null;
  start: Stamp | null;
  stop: Stamp | null;
  startWal: string | null;
  stopWal: string | null;
  startLsn: string | null;
  stopLsn: string | null;
  /** backup-history, pgbackrest, wal-g, barman */
  source: string;
  /** false when the WAL from its start to its end is not all archived */
  usable: boolean;
}

export interface RestorePointMark {
  name: string;
  at: Stamp;
  lsn: string;
  wal: string;
  timeline: number;
  reason?: string;
}

export interface DrillMark {
  at: Stamp;
  ok: boolean;
  /** the moment the drill recovered to, when it says */
  reached: { ms: number; timeline: number | null; lsn: string | null } | null;
  totalSeconds: number | null;
  backupTimeline: number | null;
  backupStopLsn: string | null;
}

export interface TimelineModel {
  version: 1;
  location: string;
  segmentSize: number;
  /** the moment the picture was made */
  now: number;
  /** everything known, from the earliest to the latest moment (now excluded) */
  extent: { from: number; to: number };
  lanes: Lane[];
  backups: BackupMark[];
  restorePoints: RestorePointMark[];
  drills: DrillMark[];
  /** the archive's problems, in plain words (the analysis' own) */
  problems: string[];
  /** what the picture cannot show or shows approximately */
  notes: string[];
  listingComplete: boolean;
  /** the analysis' verdict: the newest backup recovers to the newest segment */
  complete: boolean;
}
