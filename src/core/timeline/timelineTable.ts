// The figures of the timeline as HTML tables (below the picture in the webview and the HTML file):
// what a screen reader reads and what a ticket can quote. Every value is escaped.
import { renderedQuality } from './momentText';
import { laneOrder, xml } from './renderSvg';
import { formatDuration, formatMoment } from './timeAxis';
import type { Stamp, TimelineModel } from './timelineTypes';

const GAP_WORDS: Record<string, string> = {
  lost: 'lost',
  'in-flight': 'in flight (not archived yet)',
  acknowledged: 'acknowledged',
  'wrong-size': 'wrong size',
};

function stamp(s: Stamp | null, zone: string): string {
  return s
    ? `${xml(formatMoment(s.ms, zone))} <span class="tl-quality">(${xml(renderedQuality(s.quality))})</span>`
    : '—';
}

function table(caption: string, head: string[], rows: string[][], id: string): string {
  if (rows.length === 0) return '';
  return [
    `<table class="tl-table" id="${id}"><caption>${xml(caption)}</caption>`,
    `<thead><tr>${head.map((h) => `<th scope="col">${xml(h)}</th>`).join('')}</tr></thead><tbody>`,
    ...rows.map(
      (r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${c}</th>` : `<td>${c}</td>`)).join('')}</tr>`,
    ),
    '</tbody></table>',
  ].join('');
}

/** Tables: recoverable ranges, timelines, gaps, base backups, restore points, drills (empty ones left out). */
export function renderTimelineTables(model: TimelineModel, zone: string): string {
  const lanes = laneOrder(model.lanes);
  const ranges: string[][] = [];
  for (const l of lanes) {
    for (const b of l.bands) {
      const who = l.reach.filter((r) => r.from < b.to + 1 && r.to > b.from - 1);
      const labels = [...new Set(who.map((r) => model.backups[r.backup]?.label ?? '?'))];
      const end = who.reduce((a, r) => (r.to >= a.to ? r : a), who[0]!);
      ranges.push([
        `Timeline ${l.timeline}`,
        xml(formatMoment(b.from, zone)),
        `~${xml(formatMoment(b.to, zone))}`,
        xml(formatDuration(b.to - b.from)),
        xml(labels.length > 4 ? `${labels.slice(-4).join(', ')} and ${labels.length - 4} earlier` : labels.join(', ')),
        end ? `${xml(end.lastSegment)} (${end.endsAt === 'gap' ? 'next segment missing' : 'last archived'})` : '',
      ]);
    }
  }
  const timelines = lanes.map((l) => [
    `Timeline ${l.timeline}`,
    l.parent === null
      ? '—'
      : `${l.parent} at ${xml(l.switchLsn ?? '?')}${l.fork ? `, ~${xml(formatMoment(l.fork.ms, zone))}` : ''}`,
    `${xml(l.first)} … ${xml(l.last)}`,
    l.segments.toLocaleString('en-US'),
    l.runs.length
      ? `${xml(formatMoment(l.runs[0]!.from, zone))} … ${xml(formatMoment(l.runs[l.runs.length - 1]!.to, zone))}`
      : '—',
  ]);
  const gaps = lanes.flatMap((l) =>
    l.gaps.map((g) => [
      `Timeline ${l.timeline}`,
      xml(GAP_WORDS[g.kind] ?? g.kind),
      g.first === g.last ? xml(g.first) : `${xml(g.first)} … ${xml(g.last)}`,
      String(g.missing),
      `~${xml(formatMoment(g.from, zone))} … ~${xml(formatMoment(g.to, zone))}${g.note ? ` (${xml(g.note)})` : ''}`,
    ]),
  );
  const backups = model.backups.map((b, i) => {
    const reach = lanes.flatMap((l) =>
      l.reach.filter((r) => r.backup === i).map((r) => `timeline ${l.timeline} to ~${formatMoment(r.to, zone)}`),
    );
    return [
      xml(b.label),
      b.timeline === null ? '?' : String(b.timeline),
      stamp(b.start, zone),
      stamp(b.stop, zone),
      `${xml(b.startLsn ?? '?')} … ${xml(b.stopLsn ?? '?')}`,
      b.usable ? xml(reach.join('; ') || '—') : '<strong>not usable</strong>: WAL between its start and end is missing',
    ];
  });
  const points = model.restorePoints.map((p) => [
    xml(p.name),
    String(p.timeline),
    stamp(p.at, zone),
    xml(p.lsn),
    xml(p.wal),
    xml(p.reason ?? ''),
  ]);
  const drills = model.drills.map((d) => [
    stamp(d.at, zone),
    d.ok ? 'ok' : '<strong>failed</strong>',
    d.reached ? xml(formatMoment(d.reached.ms, zone)) : '—',
    d.reached?.timeline ? String(d.reached.timeline) : '—',
    d.totalSeconds !== null ? xml(formatDuration(d.totalSeconds * 1000)) : '—',
  ]);
  return [
    table(
      'Recoverable ranges (pick a target time inside one)',
      ['Timeline', 'From (backup end)', 'To (last replayable WAL)', 'Length', 'Base backups', 'Ends at'],
      ranges,
      'tl-table-ranges',
    ),
    table(
      'Timelines',
      ['Timeline', 'Branched from', 'Segments', 'Count', 'Archived (approximate)'],
      timelines,
      'tl-table-timelines',
    ),
    table('Gaps', ['Timeline', 'Kind', 'Missing segments', 'Count', 'Between'], gaps, 'tl-table-gaps'),
    table('Base backups', ['Label', 'Timeline', 'Started', 'Ended', 'LSN', 'Recovers to'], backups, 'tl-table-backups'),
    table(
      'Restore points recorded by pg-pitr',
      ['Name', 'Timeline', 'Time', 'LSN', 'WAL', 'Reason'],
      points,
      'tl-table-restore-points',
    ),
    table('Restore drills', ['Run', 'Result', 'Recovered to', 'Timeline', 'Took'], drills, 'tl-table-drills'),
  ].join('\n');
}
