// The drill report for people (`pg-pitr drill`'s text output, the editor's report document) and
// the history as a table. JSON output is the DrillReport itself.
import { formatSeconds } from './duration';
import type { DrillReport } from './types';

function targetText(r: DrillReport): string {
  const t = r.target;
  const v = t.value === null ? '' : t.kind === 'name' ? ` "${t.value}"` : ` ${t.value}`;
  const incl = t.inclusive === null ? '' : t.inclusive ? ' (inclusive)' : ' (exclusive)';
  return `${t.kind}${v}${incl}${t.timeline ? `, timeline ${t.timeline}` : ''}`;
}

/** restore + replay: what the Servers view calls "time to recover" */
export function timeToRecover(r: Pick<DrillReport, 'durations'>): number {
  return Math.round((r.durations.restoreSeconds + r.durations.replaySeconds) * 10) / 10;
}

export function renderDrillReport(r: DrillReport): string[] {
  const out: string[] = [];
  const b = r.backup;
  if (r.ok)
    out.push(`pg-pitr drill: OK: recovered to ${targetText(r)}; time to recover ${formatSeconds(timeToRecover(r))}`);
  else out.push(`pg-pitr drill: FAILED (${r.failure?.kind ?? 'unknown'}): ${r.failure?.message ?? ''}`);
  const facts = [
    b.format,
    b.major !== null ? `PostgreSQL ${b.major}` : null,
    b.label ? `label "${b.label}"` : null,
    b.systemIdentifier ? `system ${b.systemIdentifier}` : null,
  ]
    .filter(Boolean)
    .join(', ');
  out.push(`  backup     ${b.path} (${facts})`);
  if (b.startLsn)
    out.push(
      `             starts at ${b.startLsn}${b.timeline !== null ? ` on timeline ${b.timeline}` : ''}${b.stopLsn ? `, consistent at ${b.stopLsn}` : ''}`,
    );
  out.push(`  target     ${targetText(r)}`);
  if (r.reached) {
    out.push(
      `  reached    ${r.reached.lsn ?? '?'}${r.reached.time ? ` at ${r.reached.time}` : ''}${r.reached.timeline !== null ? `, promoted to timeline ${r.reached.timeline}` : ''}`,
    );
    if (r.reached.stoppedBy) out.push(`             ${r.reached.stoppedBy}`);
  }
  if (r.failure?.segment) out.push(`  segment    ${r.failure.segment}`);
  if (r.walReplayedBytes !== null)
    out.push(
      `  WAL        ${(r.walReplayedBytes / 1048576).toFixed(1)} MB replayed${r.replayMBps !== null ? ` at ${r.replayMBps.toFixed(1)} MB/s` : ''}`,
    );
  const d = r.durations;
  out.push(
    `  time       restore ${formatSeconds(d.restoreSeconds)} · replay ${formatSeconds(d.replaySeconds)} · checks ${formatSeconds(d.checksSeconds)} · total ${formatSeconds(d.totalSeconds)}`,
  );
  r.checks.forEach((c, i) =>
    out.push(
      `  ${i === 0 ? 'checks' : '      '}     ${c.ok === true ? '✓' : c.ok === false ? '✗' : '–'} ${c.name}: ${c.detail}`,
    ),
  );
  for (const l of r.serverLog.slice(0, 12)) out.push(`  server     ${l}`);
  if (r.scratch) out.push(`  scratch    ${r.scratch} ${r.kept ? '(kept)' : '(removed)'}`);
  for (const k of r.keepInstructions ?? []) out.push(`             ${k}`);
  for (const w of r.warnings) out.push(`  note       ${w}`);
  return out;
}

/** One line per drill, newest first. */
export function renderHistory(records: DrillReport[]): string[] {
  if (records.length === 0) return ['no drill recorded yet'];
  return records.map((r) => {
    const verdict = r.ok ? 'ok    ' : `FAILED ${r.failure?.kind ?? ''}`;
    const b = r.backup;
    return `${r.startedAt}  ${verdict.padEnd(32)}  ${formatSeconds(timeToRecover(r)).padStart(8)} to recover  ${targetText(r)}  ${b.path}${b.major !== null ? ` (PostgreSQL ${b.major})` : ''}`;
  });
}
