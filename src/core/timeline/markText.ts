// The details of each mark of the picture, in words: the standalone files carry them as native
// tooltips (<title>), the webview shows them on hover from the mark's data attributes. Computed
// only when asked: a redraw while zooming formats no time it does not show.
import { formatDuration, formatMoment } from './timeAxis';
import type { GapMark, Lane, TimelineModel } from './timelineTypes';

export const GAP_WORDS: Readonly<Record<string, string>> = {
  lost: 'missing (lost)',
  'in-flight': 'not archived yet (in flight)',
  acknowledged: 'missing (acknowledged)',
  'wrong-size': 'wrong size',
};

/** The gap kinds drawn, each on its own; a kind this version does not know is drawn as lost. */
export function drawnGapKind(kind: string): string {
  return GAP_WORDS[kind] ? kind : 'lost';
}

export function bandText(model: TimelineModel, lane: Lane, band: { from: number; to: number }, zone: string): string {
  const who = [
    ...new Set(
      lane.reach.filter((r) => r.from < band.to && r.to > band.from).map((r) => model.backups[r.backup]?.label ?? '?'),
    ),
  ];
  const backups = `${who.slice(-5).join(', ')}${who.length > 5 ? ` and ${who.length - 5} earlier` : ''}`;
  return [
    `Recoverable on timeline ${lane.timeline}`,
    `from ${formatMoment(band.from, zone)} to ~${formatMoment(band.to, zone)} (${formatDuration(band.to - band.from)})`,
    `from base backup${who.length === 1 ? '' : 's'} ${backups}`,
    'Click to recover to a moment in this band',
  ].join('\n');
}

export function gapsText(gaps: readonly GapMark[], zone: string): string {
  if (gaps.length === 1) {
    const g = gaps[0]!;
    const what = GAP_WORDS[g.kind] ?? `missing (${g.kind})`;
    const range = g.first === g.last ? g.first : `${g.first} … ${g.last}`;
    return `${g.missing} segment${g.missing === 1 ? '' : 's'} ${what}: ${range}\nfrom ~${formatMoment(g.from, zone)} to ~${formatMoment(g.to, zone)}${g.note ? `\n${g.note}` : ''}`;
  }
  const kind = drawnGapKind(gaps[0]?.kind ?? 'lost');
  return `${gaps.length} gaps (${gaps.reduce((a, g) => a + g.missing, 0)} segments ${GAP_WORDS[kind]})\nfrom ${gaps[0]!.first} to ${gaps[gaps.length - 1]!.last}: zoom in to see each`;
}

export function wrongSizeText(lane: Lane, ids: readonly number[]): string {
  const marks = ids.map((i) => lane.wrongSize[i]).filter((m) => m !== undefined);
  return marks.length === 1
    ? `${marks[0]!.segment}: ${marks[0]!.message}`
    : `${marks.length} segments with the wrong size: recovery refuses them`;
}

export function forkText(lane: Lane, zone: string): string {
  if (!lane.fork) return `Timeline ${lane.timeline}`;
  return `Timeline ${lane.timeline} branched from timeline ${lane.parent} at ${lane.switchLsn ?? '?'}\n~${formatMoment(lane.fork.ms, zone)} (${lane.fork.from})`;
}

export function backupsText(model: TimelineModel, ids: readonly number[], zone: string): string {
  const bs = ids.map((i) => model.backups[i]).filter((b) => b !== undefined);
  const b = bs[bs.length - 1];
  if (!b?.stop) return '';
  if (bs.length > 1)
    return `${bs.length} base backups, the last ${b.label} ended ${formatMoment(b.stop.ms, zone)}\nzoom in to see each`;
  return [
    `Base backup ${b.label}${b.usable ? '' : ' (NOT USABLE: WAL between its start and end is missing)'}`,
    `started ${b.start ? formatMoment(b.start.ms, zone) : '?'}`,
    `ended ${formatMoment(b.stop.ms, zone)} (${b.stop.quality}: ${b.stop.from})`,
    `WAL ${b.startWal ?? '?'} … ${b.stopWal ?? '?'}, LSN ${b.startLsn ?? '?'} … ${b.stopLsn ?? '?'}`,
  ].join('\n');
}

export function restorePointsText(model: TimelineModel, ids: readonly number[], zone: string): string {
  return ids
    .map((i) => model.restorePoints[i])
    .filter((p) => p !== undefined)
    .map(
      (p) =>
        `Restore point "${p.name}"\n${formatMoment(p.at.ms, zone)} (exact), LSN ${p.lsn}, WAL ${p.wal}${p.reason ? `\n${p.reason}` : ''}`,
    )
    .join('\n\n');
}

export function drillsText(model: TimelineModel, ids: readonly number[], zone: string): string {
  return ids
    .map((i) => model.drills[i])
    .filter((d) => d !== undefined)
    .map(
      (d) =>
        `Restore drill ${d.ok ? 'succeeded' : 'FAILED'} on ${formatMoment(d.at.ms, zone)}: recovered to ${d.reached ? formatMoment(d.reached.ms, zone) : '?'}${d.totalSeconds !== null ? ` in ${formatDuration(d.totalSeconds * 1000)}` : ''}`,
    )
    .join('\n');
}

/** The details of a mark from its data attributes (data-kind, data-lane, data-ids / data-gap), or '' for none. */
export function describeMark(
  model: TimelineModel,
  data: { kind?: string; lane?: string; ids?: string; gap?: string },
  zone: string,
): string {
  const lane = model.lanes.find((l) => String(l.timeline) === data.lane);
  const ids = (data.ids ?? data.gap ?? '')
    .split(',')
    .filter((x) => x !== '')
    .map(Number);
  switch (data.kind) {
    case 'gap':
      return lane
        ? gapsText(
            ids.map((i) => lane.gaps[i]!).filter((g) => g !== undefined),
            zone,
          )
        : '';
    case 'wrong-size':
      return lane ? wrongSizeText(lane, ids) : '';
    case 'fork':
      return lane ? forkText(lane, zone) : '';
    case 'backup':
      return backupsText(model, ids, zone);
    case 'restore-point':
      return restorePointsText(model, ids, zone);
    case 'drill':
      return drillsText(model, ids, zone);
    default:
      return '';
  }
}
