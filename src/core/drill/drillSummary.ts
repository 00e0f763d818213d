// What the drill history says about one server, for `pg-pitr check` and the Servers view: its last
// drill (matched by system identifier), a recovery-time estimate from the replay rate the drills
// measured and the WAL written since the newest base backup, and the `no-recent-drill` warning
// when the last successful drill is older than the configured age. Never throws.
import type { ArchiveReport } from '../archive/archiveAnalysis';
import type { HealthReason } from '../server/types';
import { parseLsn } from '../wal/lsn';
import { defaultHistoryFile, readDrillHistory } from './drillHistory';
import { timeToRecover } from './drillReportText';
import type { DrillReport } from './types';

export interface DrillSummary {
  lastOk: boolean;
  lastAt: string;
  lastTotalSeconds: number;
  /** restore + replay of the last drill */
  lastTimeToRecoverSeconds: number;
  /** the last successful drill's start, or null */
  lastOkAt: string | null;
}

export interface RtoEstimate {
  estimateSeconds: number | null;
  /** none: no successful drill; last-drill: the last drill's own time (the WAL to replay is not known); replay-rate: restore + WAL since the newest backup at the drills' replay rate */
  basis: 'none' | 'last-drill' | 'replay-rate';
  walBytes: number | null;
  replayMBps: number | null;
}

export interface DrillCheckOptions {
  /** the history file (default: the user's drills.jsonl); null: do not read one */
  drillHistoryFile?: string | null;
  /** warn (no-recent-drill) when the last successful drill is older; unset: no warning */
  drillMaxAgeDays?: number;
  now?: Date;
}

/** This server's drills, newest first. */
export function drillsOf(records: DrillReport[], systemIdentifier: string | null | undefined): DrillReport[] {
  if (!systemIdentifier) return [];
  return records.filter((r) => r.backup?.systemIdentifier === systemIdentifier);
}

export function summariseDrills(drills: DrillReport[]): DrillSummary | null {
  const last = drills[0];
  if (!last) return null;
  return {
    lastOk: last.ok,
    lastAt: last.startedAt,
    lastTotalSeconds: last.durations.totalSeconds,
    lastTimeToRecoverSeconds: timeToRecover(last),
    lastOkAt: drills.find((d) => d.ok)?.startedAt ?? null,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/** Restore time of the last successful drill plus `walBytes` at the median replay rate of the last five. */
export function estimateRto(drills: DrillReport[], walBytes: number | null): RtoEstimate {
  const ok = drills.filter((d) => d.ok);
  if (ok.length === 0) return { estimateSeconds: null, basis: 'none', walBytes, replayMBps: null };
  const rates = ok
    .slice(0, 5)
    .map((d) => d.replayMBps)
    .filter((x): x is number => typeof x === 'number' && x > 0);
  const rate = rates.length ? median(rates) : null;
  if (walBytes === null || rate === null)
    return { estimateSeconds: timeToRecover(ok[0]), basis: 'last-drill', walBytes, replayMBps: rate };
  const seconds = ok[0].durations.restoreSeconds + walBytes / 1048576 / rate;
  return { estimateSeconds: Math.round(seconds * 10) / 10, basis: 'replay-rate', walBytes, replayMBps: rate };
}

/** Bytes of WAL from the newest base backup's end (in the archive) to the server's current position. */
export function walSinceNewestBackup(
  currentLsn: string | null | undefined,
  archive: ArchiveReport | null,
): number | null {
  const cur = currentLsn ? parseLsn(currentLsn) : null;
  const ends = (archive?.backups ?? [])
    .map((b) => (b.stopLsn ? parseLsn(b.stopLsn) : null))
    .filter((x): x is bigint => x !== null);
  if (cur === null || ends.length === 0) return null;
  const newest = ends.reduce((a, b) => (b > a ? b : a));
  return cur > newest ? Number(cur - newest) : 0;
}

export function noRecentDrillReason(
  summary: DrillSummary | null,
  maxAgeDays: number | undefined,
  now: Date,
): HealthReason | null {
  if (maxAgeDays === undefined || !(maxAgeDays > 0)) return null;
  const at = summary?.lastOkAt ? Date.parse(summary.lastOkAt) : NaN;
  if (!Number.isNaN(at) && now.getTime() - at <= maxAgeDays * 86_400_000) return null;
  const age = Number.isNaN(at) ? null : Math.floor((now.getTime() - at) / 86_400_000);
  const what =
    age === null
      ? 'no successful restore drill is recorded for this server'
      : `the last successful restore drill is ${age} days old`;
  return {
    id: 'no-recent-drill',
    severity: 'warning',
    message: `${what} (pgPitr.drillMaxAgeDays is ${maxAgeDays}): run pg-pitr drill to prove the backups still recover`,
  };
}

/** The `drill` and `rto` fields of a check and its reason; reads the history file itself. */
export function drillCheck(
  systemIdentifier: string | null | undefined,
  currentLsn: string | null | undefined,
  archive: ArchiveReport | null,
  opts: DrillCheckOptions = {},
): { drill: DrillSummary | null; rto: RtoEstimate; reasons: HealthReason[] } {
  const file = opts.drillHistoryFile === undefined ? defaultHistoryFile() : opts.drillHistoryFile;
  const records = file === null ? [] : readDrillHistory(file).records;
  const mine = drillsOf(records, systemIdentifier);
  const drill = summariseDrills(mine);
  const reason = noRecentDrillReason(drill, opts.drillMaxAgeDays, opts.now ?? new Date());
  return { drill, rto: estimateRto(mine, walSinceNewestBackup(currentLsn, archive)), reasons: reason ? [reason] : [] };
}
