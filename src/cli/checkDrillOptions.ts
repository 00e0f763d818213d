// `pg-pitr check`'s drill options (--drill-history FILE, --drill-max-age-days N) and its text line
// about the last restore drill and the recovery-time estimate.
import type { DrillCheckOptions } from '../core/drill/drillSummary';
import { formatSeconds } from '../core/drill/duration';
import type { CheckResult } from '../core/server/types';
import { UsageError } from './usageError';

export function checkDrillOptions(history: string | undefined, maxAgeDays: string | undefined): DrillCheckOptions {
  const opts: DrillCheckOptions = {};
  if (history !== undefined) opts.drillHistoryFile = history;
  if (maxAgeDays !== undefined) {
    const n = Number(maxAgeDays);
    if (!Number.isFinite(n) || n <= 0)
      throw new UsageError(`--drill-max-age-days takes a number of days above 0 (got "${maxAgeDays}")`);
    opts.drillMaxAgeDays = n;
  }
  return opts;
}

/** "last drill: ok at 2026-12-01T10:00:00Z, 42 s to recover · RTO estimate 55 s (replay-rate)" */
export function drillLine(r: CheckResult): string {
  const d = r.drill;
  const last = d
    ? `last drill: ${d.lastOk ? 'ok' : 'FAILED'} at ${d.lastAt}, ${formatSeconds(d.lastTimeToRecoverSeconds)} to recover`
    : 'last drill: none recorded for this cluster';
  const rto =
    r.rto && r.rto.estimateSeconds !== null
      ? ` · RTO estimate ${formatSeconds(r.rto.estimateSeconds)} (${r.rto.basis})`
      : '';
  return last + rto;
}
