// Whether a moment on a lane can be recovered, and if not, why, in words a DBA can act on. The
// webview asks it on hover and click, the extension again before opening the recovery wizard (a
// message from the webview is never trusted as it is).
import { formatDuration, formatMoment } from './timeAxis';
import type { TimelineModel, TimeQuality } from './timelineTypes';

export type Moment =
  | {
      kind: 'recoverable';
      timeline: number;
      ms: number;
      /** index into model.backups: the newest backup ending before the moment that reaches it */
      backup: number;
      /** how much WAL replays, from the backup's end */
      replay: number;
      message: string;
    }
  | { kind: 'unreachable'; timeline: number; ms: number; reason: UnreachableReason; message: string };

export type UnreachableReason =
  | 'future'
  | 'no-lane'
  | 'before-timeline'
  | 'before-archive'
  | 'gap'
  | 'in-flight'
  | 'after-archive'
  | 'no-backup-before'
  | 'backup-stops-earlier';

/** "approximate (arrival in the archive)" etc. */
export function renderedQuality(q: TimeQuality): string {
  return q === 'exact' ? 'exact' : q === 'approximate' ? 'approximate: arrival in the archive' : 'estimated';
}

/** Judges `ms` on the lane of `timeline`. */
export function judgeMoment(model: TimelineModel, timeline: number, ms: number, zone: string): Moment {
  const when = formatMoment(ms, zone);
  const no = (reason: UnreachableReason, message: string): Moment => ({
    kind: 'unreachable',
    timeline,
    ms,
    reason,
    message,
  });
  const lane = model.lanes.find((l) => l.timeline === timeline);
  if (!lane) return no('no-lane', `The archive holds no WAL of timeline ${timeline}.`);
  if (ms > model.now) return no('future', `${when} is in the future.`);

  // the newest backup (by its end) whose reach on this lane contains the moment
  let best = -1;
  for (const r of lane.reach) {
    if (ms < r.from || ms > r.to) continue;
    const b = model.backups[r.backup];
    if (best < 0 || (b?.stop?.ms ?? 0) > (model.backups[best]?.stop?.ms ?? 0)) best = r.backup;
  }
  if (best >= 0) {
    const b = model.backups[best]!;
    const replay = ms - (b.stop?.ms ?? ms);
    return {
      kind: 'recoverable',
      timeline,
      ms,
      backup: best,
      replay,
      message:
        `${when} on timeline ${timeline} can be recovered: restore base backup ${b.label} (ended ${b.stop ? formatMoment(b.stop.ms, zone) : '?'}) and replay ${formatDuration(replay)} ` +
        `of WAL with recovery_target_time = '${when}' and recovery_target_timeline = ${timeline}.`,
    };
  }

  const tl = `timeline ${timeline}`;
  if (lane.fork && ms < lane.fork.ms) {
    return no(
      'before-timeline',
      `Timeline ${timeline} begins ~${formatMoment(lane.fork.ms, zone)}, when it branched from timeline ${lane.parent} at ${lane.switchLsn ?? '?'}: for ${when} ` +
        `pick the lane of timeline ${lane.parent}.`,
    );
  }
  for (const g of lane.gaps) {
    if (ms < g.from || ms > g.to) continue;
    const range = g.first === g.last ? g.first : `${g.first} … ${g.last}`;
    if (g.kind === 'in-flight')
      return no(
        'in-flight',
        `WAL after ~${formatMoment(g.from, zone)} on ${tl} is not archived yet (${range}, in flight): ` +
          `a recovery can replay only up to the last archived segment. Wait for archiving to catch up (Check Archiving ` +
          `shows how far it is).`,
      );
    const lost =
      g.kind === 'acknowledged'
        ? 'missing (an acknowledged gap)'
        : g.kind === 'wrong-size'
          ? 'of the wrong size (recovery refuses it)'
          : 'missing from the archive';
    const later = laterStart(model, timeline, g.to, zone);
    return no(
      'gap',
      `${when} falls in a gap on ${tl}: ${g.missing} segment${g.missing === 1 ? '' : 's'} (${range}) ${g.missing === 1 ? 'is' : 'are'} ${lost}. ` +
        `Recovery replays WAL in order and stops at the first missing segment, so nothing after ~${formatMoment(g.from, zone)} ` +
        `can be reached from an earlier base backup.${later}`,
    );
  }
  const first = lane.runs[0];
  const last = lane.runs[lane.runs.length - 1];
  if (first && ms < first.from)
    return no(
      'before-archive',
      `The archive’s WAL on ${tl} begins ~${formatMoment(first.from, zone)} (${first.first}): nothing earlier can be replayed.`,
    );
  if (last && ms > last.to)
    return no(
      'after-archive',
      `The archive’s WAL on ${tl} ends ~${formatMoment(last.to, zone)} (${last.last}): ${when} is later ` +
        `than anything archived. A target after the last archived commit makes PostgreSQL 13+ stop with “recovery ` +
        `ended before configured recovery target was reached”.`,
    );

  // WAL is there, but no backup reaches this moment
  const before = lane.reach.filter((r) => r.from <= ms).sort((a, b) => b.to - a.to)[0];
  if (before) {
    const b = model.backups[before.backup]!;
    return no(
      'backup-stops-earlier',
      `Base backup ${b.label} recovers on ${tl} only to ~${formatMoment(before.to, zone)} (${before.lastSegment}, ` +
        `the next segment is missing).${laterStart(model, timeline, ms, zone)}`,
    );
  }
  const next = lane.reach.filter((r) => r.from > ms).sort((a, b) => a.from - b.from)[0];
  const nextText = next
    ? ` The earliest recoverable moment after it is ${formatMoment(next.from, zone)}, when base backup ${model.backups[next.backup]?.label ?? '?'} ended.`
    : ' No base backup in this archive reaches this timeline.';
  return no(
    'no-backup-before',
    `No base backup ends before ${when} on ${tl} (or reaches it without a gap): a recovery must start ` +
      `from a backup that ended earlier, because a copy is consistent only from its backup’s end.${nextText}`,
  );
}

/** " The next recoverable moment is ..., from base backup X." for an explanation, or ''. */
function laterStart(model: TimelineModel, timeline: number, after: number, zone: string): string {
  const lane = model.lanes.find((l) => l.timeline === timeline);
  const next = lane?.reach.filter((r) => r.from >= after).sort((a, b) => a.from - b.from)[0];
  if (!next) return '';
  return ` The next recoverable moment on timeline ${timeline} is ${formatMoment(next.from, zone)}, when base backup ${model.backups[next.backup]?.label ?? '?'} ended.`;
}
