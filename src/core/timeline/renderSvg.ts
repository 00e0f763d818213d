// Draws a TimelineModel as SVG markup for a time range and a width: the CLI's --format svg/html and
// the editor's webview (which calls it again on every zoom and pan) share it. Colours are CSS
// classes (timelineStyle.ts), never style attributes, so the webview's Content-Security-Policy
// holds. What is drawn is bounded by the width, not the archive: runs, bands and markers closer than
// a pixel or two merge, and a lost gap is never narrower than GAP_MIN_PX, however short.
import {
  backupsText,
  bandText,
  drawnGapKind,
  drillsText,
  forkText,
  gapsText,
  restorePointsText,
  wrongSizeText,
} from './markText';
import { axisTicks, formatDuration, formatMoment } from './timeAxis';
import type { GapMark, Lane, TimelineModel } from './timelineTypes';

export interface RenderOptions {
  /** pixels */
  width: number;
  /** the visible range, ms */
  from: number;
  to: number;
  /** IANA zone for the axis and the texts */
  zone: string;
  /** native <title> tooltips on every mark (the standalone files; the webview shows its own) */
  titles?: boolean;
  /** a heading inside the picture (the standalone files) */
  heading?: boolean;
  /** the legend below the lanes (default true) */
  legend?: boolean;
}

/** Where things are, so that a pointer position can be turned back into a lane and a moment. */
export interface ChartGeometry {
  width: number;
  height: number;
  plotLeft: number;
  plotRight: number;
  from: number;
  to: number;
  lanesTop: number;
  laneHeight: number;
  /** timeline of each lane, top to bottom */
  lanes: number[];
}

export const LANE_HEIGHT = 66;
const GUTTER = 132;
const RIGHT = 24;
const AXIS_HEIGHT = 44;
const HEADING_HEIGHT = 54;
const GAP_MIN_PX = 4;
const MARK_MERGE_PX = 9;

/** Escapes text for XML content and attribute values. */
export function xml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const r1 = (v: number) => Math.round(v * 10) / 10;

/** Lanes in drawing order: each timeline right below its parent (depth first), so branches stay short. */
export function laneOrder(lanes: readonly Lane[]): Lane[] {
  const byParent = new Map<number | null, Lane[]>();
  const known = new Set(lanes.map((l) => l.timeline));
  for (const l of lanes) {
    const p = l.parent !== null && known.has(l.parent) ? l.parent : null;
    byParent.set(p, [...(byParent.get(p) ?? []), l]);
  }
  const out: Lane[] = [];
  const visit = (p: number | null) => {
    for (const l of (byParent.get(p) ?? []).sort((a, b) => a.timeline - b.timeline)) {
      if (out.includes(l)) continue;
      out.push(l);
      visit(l.timeline);
    }
  };
  visit(null);
  for (const l of lanes) if (!out.includes(l)) out.push(l);
  return out;
}

/** The range the picture opens on: everything, with a margin; "now" included unless it is far beyond the data. */
export function fitAll(model: TimelineModel): { from: number; to: number } {
  let { from, to } = model.extent;
  const span = Math.max(to - from, 10_000);
  if (model.now >= to && model.now - to <= span * 0.35) to = model.now;
  const margin = Math.max((to - from) * 0.03, 1_000);
  return { from: from - margin, to: Math.max(to, from + 10_000) + margin };
}

interface Px {
  x0: number;
  x1: number;
}

/** Intervals in pixels, clipped to the plot, merged when they touch (within `slack` px). */
function pixelRuns(
  items: Iterable<{ from: number; to: number }>,
  x: (ms: number) => number,
  left: number,
  right: number,
  minWidth: number,
  slack: number,
): Px[] {
  const out: Px[] = [];
  for (const it of items) {
    let x0 = x(it.from);
    let x1 = x(it.to);
    if (x1 < left || x0 > right) continue;
    if (x1 - x0 < minWidth) {
      const c = (x0 + x1) / 2;
      x0 = c - minWidth / 2;
      x1 = c + minWidth / 2;
    }
    x0 = Math.max(x0, left);
    x1 = Math.min(x1, right);
    const last = out[out.length - 1];
    if (last && x0 <= last.x1 + slack) last.x1 = Math.max(last.x1, x1);
    else out.push({ x0, x1 });
  }
  return out;
}

/** Markers closer than MARK_MERGE_PX become one, carrying every index it stands for. */
function clusters(points: Array<{ x: number; i: number }>): Array<{ x: number; ids: number[] }> {
  const sorted = points.sort((a, b) => a.x - b.x);
  const out: Array<{ x: number; ids: number[] }> = [];
  for (const p of sorted) {
    const last = out[out.length - 1];
    if (last && p.x - last.x < MARK_MERGE_PX) last.ids.push(p.i);
    else out.push({ x: p.x, ids: [p.i] });
  }
  return out;
}

/** The picture as an <svg> element (no XML declaration), and its geometry. */
export function renderTimelineSvg(model: TimelineModel, opts: RenderOptions): { svg: string; geometry: ChartGeometry } {
  const width = Math.max(480, Math.round(opts.width));
  const zone = opts.zone;
  const from = opts.from;
  const to = Math.max(opts.to, opts.from + 1000);
  const top = opts.heading ? HEADING_HEIGHT : 0;
  const lanesTop = top + AXIS_HEIGHT;
  const lanes = laneOrder(model.lanes);
  const plotLeft = GUTTER;
  const plotRight = width - RIGHT;
  const scale = (plotRight - plotLeft) / (to - from);
  const x = (ms: number) => plotLeft + (ms - from) * scale;
  const laneY = (i: number) => lanesTop + i * LANE_HEIGHT;
  const lanesBottom = laneY(Math.max(lanes.length, 1));
  const key = opts.legend === false ? null : legend(model, lanesBottom + 8, width);
  const height = lanesBottom + 8 + (key ? key.height : 0);
  const title = (text: () => string) => (opts.titles ? `<title>${xml(text())}</title>` : '');
  const out: string[] = [];

  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="tl-svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
      `role="img" aria-labelledby="tl-title tl-desc">`,
    `<title id="tl-title">Recoverability timeline of ${xml(model.location)}</title>`,
    `<desc id="tl-desc">${xml(summary(model, zone))}</desc>`,
    '<defs><pattern id="tl-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect ' +
      'width="6" height="6" class="tl-hatch-bg"/><line x1="0" y1="0" x2="0" y2="6" class="tl-hatch-line"/></pattern>',
    `<clipPath id="tl-plot"><rect x="${plotLeft}" y="0" width="${plotRight - plotLeft}" height="${height}"/></clipPath></defs>`,
    `<rect class="tl-bg" x="0" y="0" width="${width}" height="${height}"/>`,
  );
  if (opts.heading) {
    const verdict = !model.listingComplete ? 'Listing incomplete' : model.complete ? 'OK' : 'Problem';
    const line =
      model.problems[0] ?? (model.complete ? 'The newest base backup recovers to the newest archived segment.' : '');
    out.push(
      `<text class="tl-heading" x="16" y="24">Recoverability timeline · ${xml(model.location)}</text>`,
      `<text class="tl-status tl-status-${model.complete ? 'ok' : 'bad'}" x="16" y="44">` +
        `<tspan class="tl-status-word">${verdict}</tspan> ${xml(shorten(line, Math.floor((width - 110) / 7.2)))}` +
        `${line.length > (width - 110) / 7.2 ? `<title>${xml(line)}</title>` : ''}</text>`,
    );
  }

  // axis: grid lines through the lanes, labels above
  const axis = axisTicks(from, to, plotRight - plotLeft, zone);
  out.push(`<g class="tl-axis">`);
  out.push(`<text class="tl-zone" x="${plotLeft - 10}" y="${top + 16}" text-anchor="end">${xml(zone)}</text>`);
  out.push(
    `<text class="tl-zone" x="${plotLeft - 10}" y="${top + 32}" text-anchor="end">${xml(axis.zoneLabel.split(' · ')[1] ?? '')}</text>`,
  );
  out.push(`<text class="tl-major" x="${plotLeft}" y="${top + 16}">${xml(axis.firstMajor)}</text>`);
  const nowX = x(model.now);
  for (const t of axis.ticks) {
    const tx = r1(x(t.ms));
    const nearNow =
      nowX >= plotLeft && nowX <= plotRight && tx + 3 + t.label.length * 6.2 > nowX - 16 && tx < nowX + 16;
    out.push(
      `<line class="${t.major ? 'tl-grid tl-grid-major' : 'tl-grid'}" x1="${tx}" y1="${top + (t.major ? 4 : 22)}" x2="${tx}" y2="${lanesBottom}"/>`,
    );
    if (!nearNow) out.push(`<text class="tl-tick" x="${tx + 3}" y="${top + 34}">${xml(t.label)}</text>`);
    if (t.major) out.push(`<text class="tl-major" x="${tx + 3}" y="${top + 16}">${xml(t.major)}</text>`);
  }
  out.push('</g>');

  // lanes
  lanes.forEach((lane, i) => {
    const y = laneY(i);
    const mid = y + 30;
    out.push(`<g class="tl-lane" data-lane="${lane.timeline}">`);
    out.push(
      `<rect class="tl-lane-bg${i % 2 ? ' tl-lane-odd' : ''}" x="0" y="${y}" width="${width}" height="${LANE_HEIGHT}" data-lane="${lane.timeline}"/>`,
    );
    out.push(`<text class="tl-lane-name" x="14" y="${mid - 2}">Timeline ${lane.timeline}</text>`);
    const sub =
      lane.parent !== null
        ? `from ${lane.parent} at ${lane.switchLsn ?? '?'}`
        : `${lane.segments.toLocaleString('en-US')} segments`;
    out.push(`<text class="tl-lane-sub" x="14" y="${mid + 13}">${xml(sub)}</text>`);
    out.push('<g clip-path="url(#tl-plot)">');
    // recoverable bands (behind the WAL)
    lane.bands.forEach((b) => {
      const [p] = pixelRuns([b], x, plotLeft, plotRight, 2, 0);
      if (!p) return;
      out.push(
        `<rect class="tl-band" x="${r1(p.x0)}" y="${y + 15}" width="${r1(p.x1 - p.x0)}" height="30" rx="3" ` +
          `data-kind="band" data-lane="${lane.timeline}" data-from="${b.from}" data-to="${b.to}">${title(() => bandText(model, lane, b, zone))}</rect>`,
      );
    });
    // archived WAL
    for (const p of pixelRuns(lane.runs, x, plotLeft, plotRight, 1.5, 0.6)) {
      out.push(
        `<rect class="tl-run" x="${r1(p.x0)}" y="${mid - 5}" width="${r1(p.x1 - p.x0)}" height="10" rx="2" data-kind="run" data-lane="${lane.timeline}"/>`,
      );
    }
    // gaps, over everything else; each kind merged on its own
    for (const kind of ['acknowledged', 'in-flight', 'lost', 'wrong-size']) {
      const gaps = lane.gaps.map((g, i) => ({ g, i })).filter(({ g }) => drawnGapKind(g.kind) === kind);
      const merged = mergeGaps(gaps, x, plotLeft, plotRight);
      for (const m of merged) {
        const tall = kind === 'lost' || kind === 'wrong-size';
        const h = tall ? 40 : 18;
        out.push(
          `<rect class="tl-gap tl-gap-${kind}" x="${r1(m.x0)}" y="${mid - h / 2}" width="${r1(m.x1 - m.x0)}" height="${h}" ` +
            `rx="1.5" data-kind="gap" data-class="${kind}" data-lane="${lane.timeline}" data-gap="${m.ids.join(',')}">${title(() => gapsText(m.gaps, zone))}</rect>`,
        );
        if (kind === 'lost')
          out.push(
            `<text class="tl-gap-label" x="${r1((m.x0 + m.x1) / 2)}" y="${mid + 31}" text-anchor="middle">${m.gaps.reduce((a, g) => a + g.missing, 0)} missing</text>`,
          );
      }
    }
    for (const c of clusters(
      lane.wrongSize.map((w, k) => ({ x: x(w.ms), i: k })).filter((p) => p.x >= plotLeft && p.x <= plotRight),
    )) {
      const cx = r1(c.x);
      out.push(
        `<path class="tl-wrong-size" d="M${cx} ${mid + 6} l5 9 h-10 z" data-kind="wrong-size" data-lane="${lane.timeline}" data-ids="${c.ids.join(',')}">${title(() => wrongSizeText(lane, c.ids))}</path>`,
      );
    }
    out.push('</g>');
    out.push('</g>');
  });

  // branches: a curve from the parent's WAL at the switch down (or up) to the child's
  lanes.forEach((lane, i) => {
    if (lane.parent === null || !lane.fork) return;
    const pi = lanes.findIndex((l) => l.timeline === lane.parent);
    if (pi < 0) return;
    const fx = x(lane.fork.ms);
    if (fx < plotLeft - 1 || fx > plotRight + 1) return;
    const y0 = laneY(pi) + 30;
    const y1 = laneY(i) + 30;
    out.push(
      `<path class="tl-fork" d="M${r1(fx)} ${y0 + (y1 > y0 ? 5 : -5)} V${y1 + (y1 > y0 ? -10 : 10)} Q${r1(fx)} ${y1} ${r1(fx + 10)} ${y1}" ` +
        `data-kind="fork" data-lane="${lane.timeline}">${title(() => forkText(lane, zone))}</path>`,
      `<circle class="tl-fork-dot" cx="${r1(fx)}" cy="${y0}" r="3"/>`,
    );
  });

  // base backups: a box from start to end above the WAL, a tick at the end through the band
  const order = new Map(lanes.map((l, i) => [l.timeline, i]));
  const byLane = new Map<number, Array<{ x: number; i: number }>>();
  model.backups.forEach((b, i) => {
    if (!b.stop || b.timeline === null || !order.has(b.timeline)) return;
    const bx = x(b.stop.ms);
    if (bx < plotLeft - 1 || bx > plotRight + 1) return;
    byLane.set(b.timeline, [...(byLane.get(b.timeline) ?? []), { x: bx, i }]);
  });
  for (const [tli, points] of byLane) {
    const y = laneY(order.get(tli)!);
    const cs = clusters(points);
    const labelled = cs.length <= Math.max(2, Math.floor((plotRight - plotLeft) / 150));
    for (const c of cs) {
      const bs = c.ids.map((k) => model.backups[k]!);
      const b = bs[bs.length - 1]!;
      const sx = Math.max(plotLeft, Math.min(c.x, x(b.start?.ms ?? b.stop!.ms)));
      const ex = r1(c.x);
      const usable = bs.some((k) => k.usable);
      const cls = `tl-backup${usable ? '' : ' tl-backup-unusable'}${b.stop!.quality === 'exact' ? '' : ' tl-approx'}`;
      out.push(
        `<g class="${cls}" data-kind="backup" data-lane="${tli}" data-ids="${c.ids.join(',')}">${title(() => backupsText(model, c.ids, zone))}`,
      );
      out.push(
        `<rect class="tl-backup-box" x="${r1(Math.min(sx, ex - 3))}" y="${y + 5}" width="${r1(Math.max(3, ex - sx))}" height="7" rx="1.5"/>`,
      );
      out.push(`<line class="tl-backup-end" x1="${ex}" y1="${y + 4}" x2="${ex}" y2="${y + 46}"/>`);
      if (c.ids.length > 1) out.push(`<text class="tl-count" x="${r1(ex + 4)}" y="${y + 12}">×${c.ids.length}</text>`);
      else if (labelled)
        out.push(
          ex + 4 + Math.min(22, b.label.length) * 6.2 <= plotRight
            ? `<text class="tl-backup-label" x="${r1(ex + 4)}" y="${y + 12}">${xml(shorten(b.label, 22))}</text>`
            : `<text class="tl-backup-label" x="${r1(ex - 4)}" y="${y + 12}" text-anchor="end">${xml(shorten(b.label, 22))}</text>`,
        );
      out.push('</g>');
    }
  }

  // restore points and drills, under the WAL
  const rpByLane = new Map<number, Array<{ x: number; i: number }>>();
  model.restorePoints.forEach((p, i) => {
    const px = x(p.at.ms);
    if (!order.has(p.timeline) || px < plotLeft || px > plotRight) return;
    rpByLane.set(p.timeline, [...(rpByLane.get(p.timeline) ?? []), { x: px, i }]);
  });
  for (const [tli, points] of rpByLane) {
    const y = laneY(order.get(tli)!);
    const cs = clusters(points);
    let labelEnd = -Infinity;
    for (const c of cs) {
      const ps = c.ids.map((k) => model.restorePoints[k]!);
      const cx = r1(c.x);
      out.push(
        `<g class="tl-rp" data-kind="restore-point" data-lane="${tli}" data-ids="${c.ids.join(',')}">${title(() => restorePointsText(model, c.ids, zone))}<path ` +
          `class="tl-rp-mark" d="M${cx} ${y + 46} l5 5 l-5 5 l-5 -5 z"/>`,
      );
      const text = ps.length === 1 ? ps[0]!.name : `${ps.length} restore points`;
      if (c.x - 6 > labelEnd) {
        // to the right of the mark, or to its left where the plot ends
        const label = shorten(text, 28);
        const right = c.x + 8 + label.length * 6.2 <= plotRight;
        out.push(
          `<text class="tl-rp-label" x="${r1(right ? c.x + 8 : c.x - 8)}" y="${y + 55}"${right ? '' : ' text-anchor="end"'}>${xml(label)}</text>`,
        );
        labelEnd = c.x + 8 + Math.min(28, text.length) * 6;
      }
      out.push('</g>');
    }
  }
  const drillPoints = new Map<number, Array<{ x: number; i: number }>>();
  model.drills.forEach((d, i) => {
    if (!d.reached) return;
    const tli = d.reached.timeline ?? d.backupTimeline;
    const px = x(d.reached.ms);
    if (tli === null || !order.has(tli) || px < plotLeft || px > plotRight) return;
    drillPoints.set(tli, [...(drillPoints.get(tli) ?? []), { x: px, i }]);
  });
  for (const [tli, points] of drillPoints) {
    const y = laneY(order.get(tli)!);
    for (const c of clusters(points)) {
      const ds = c.ids.map((k) => model.drills[k]!);
      const ok = ds.every((d) => d.ok);
      const cx = r1(c.x);
      out.push(
        `<g class="tl-drill tl-drill-${ok ? 'ok' : 'failed'}" data-kind="drill" data-lane="${tli}" data-ids="${c.ids.join(',')}">${title(() => drillsText(model, c.ids, zone))}<circle ` +
          `class="tl-drill-mark" cx="${cx}" cy="${y + 51}" r="5"/>`,
        ok
          ? `<path class="tl-drill-glyph" d="M${cx - 2.5} ${y + 51} l1.8 1.8 l3.2 -3.4"/>`
          : `<path class="tl-drill-glyph" d="M${cx - 2.2} ${y + 48.8} l4.4 4.4 M${cx + 2.2} ${y + 48.8} l-4.4 4.4"/>`,
        '</g>',
      );
    }
  }

  // now
  const nx = x(model.now);
  if (nx >= plotLeft && nx <= plotRight) {
    out.push(
      `<g class="tl-now" data-kind="now"><line class="tl-now-line" x1="${r1(nx)}" y1="${lanesTop - 6}" x2="${r1(nx)}" y2="${lanesBottom}"/><text ` +
        `class="tl-now-label" x="${r1(nx)}" y="${top + 34}" text-anchor="middle">now</text>${title(() => `now: ${formatMoment(model.now, zone)}`)}</g>`,
    );
  } else if (nx > plotRight) {
    out.push(
      `<text class="tl-now-label" x="${plotRight}" y="${top + 16}" text-anchor="end">now: ${xml(formatDuration(model.now - to))} later →</text>`,
    );
  }
  if (lanes.length === 0)
    out.push(`<text class="tl-empty" x="${plotLeft}" y="${lanesTop + 36}">The archive holds no WAL segment.</text>`);
  if (key) out.push(key.markup);
  out.push('</svg>');
  return {
    svg: out.join(''),
    geometry: {
      width,
      height,
      plotLeft,
      plotRight,
      from,
      to,
      lanesTop,
      laneHeight: LANE_HEIGHT,
      lanes: lanes.map((l) => l.timeline),
    },
  };
}

function mergeGaps(
  gaps: Array<{ g: GapMark; i: number }>,
  x: (ms: number) => number,
  left: number,
  right: number,
): Array<{ x0: number; x1: number; gaps: GapMark[]; ids: number[] }> {
  const out: Array<{ x0: number; x1: number; gaps: GapMark[]; ids: number[] }> = [];
  const sorted = [...gaps].sort((a, b) => a.g.from - b.g.from);
  for (const { g, i } of sorted) {
    let x0 = x(g.from);
    let x1 = x(g.to);
    if (x1 < left - GAP_MIN_PX || x0 > right + GAP_MIN_PX) continue;
    if (x1 - x0 < GAP_MIN_PX) {
      const c = (x0 + x1) / 2;
      x0 = c - GAP_MIN_PX / 2;
      x1 = c + GAP_MIN_PX / 2;
    }
    x0 = Math.max(x0, left - GAP_MIN_PX / 2);
    x1 = Math.min(x1, right + GAP_MIN_PX / 2);
    const last = out[out.length - 1];
    if (last && x0 <= last.x1 + 2) {
      last.x1 = Math.max(last.x1, x1);
      last.gaps.push(g);
      last.ids.push(i);
    } else out.push({ x0, x1, gaps: [g], ids: [i] });
  }
  return out;
}

function shorten(s: string, n: number): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}

/** One sentence for screen readers: what can be recovered. */
export function summary(model: TimelineModel, zone: string): string {
  const lanes = model.lanes.length;
  const lost = model.lanes.reduce((a, l) => a + l.gaps.filter((g) => g.kind === 'lost').length, 0);
  const all = model.lanes.flatMap((l) => l.bands.map((b) => ({ l, b })));
  const bands = all
    .slice(0, 6)
    .map(({ l, b }) => `timeline ${l.timeline} from ${formatMoment(b.from, zone)} to ${formatMoment(b.to, zone)}`);
  return [
    `${lanes} timeline${lanes === 1 ? '' : 's'}, ${model.backups.length} base backup${model.backups.length === 1 ? '' : 's'}, ${lost} lost gap${lost === 1 ? '' : 's'}.`,
    bands.length
      ? `Recoverable: ${bands.join('; ')}${all.length > 6 ? `; and ${all.length - 6} more ranges` : ''}.`
      : 'No moment is recoverable.',
  ].join(' ');
}

function legend(model: TimelineModel, y: number, width: number): { markup: string; height: number } {
  const has = (k: string) => model.lanes.some((l) => l.gaps.some((g) => g.kind === k));
  const items: Array<[string, string]> = [
    ['<rect class="tl-run" x="0" y="-5" width="22" height="10" rx="2"/>', 'Archived WAL'],
    [
      '<rect class="tl-band" x="0" y="-8" width="22" height="16" rx="3"/>',
      'Recoverable: from a base backup’s end to the first missing segment (click to recover)',
    ],
    ['<rect class="tl-gap tl-gap-lost" x="8" y="-9" width="6" height="18" rx="1.5"/>', 'Lost WAL (gap)'],
  ];
  if (has('in-flight'))
    items.push([
      '<rect class="tl-gap tl-gap-in-flight" x="0" y="-5" width="22" height="10" rx="1.5"/>',
      'Not archived yet (in flight)',
    ]);
  if (has('acknowledged'))
    items.push([
      '<rect class="tl-gap tl-gap-acknowledged" x="0" y="-8" width="22" height="16" rx="1.5"/>',
      'Acknowledged gap',
    ]);
  if (model.lanes.some((l) => l.wrongSize.length) || has('wrong-size'))
    items.push(['<path class="tl-wrong-size" d="M11 -6 l6 11 h-12 z"/>', 'Segment of the wrong size']);
  items.push([
    '<g class="tl-backup"><rect class="tl-backup-box" x="2" y="-8" width="12" height="6" rx="1.5"/><line ' +
      'class="tl-backup-end" x1="14" y1="-9" x2="14" y2="9"/></g>',
    'Base backup (start–end)',
  ]);
  if (model.restorePoints.length)
    items.push(['<g class="tl-rp"><path class="tl-rp-mark" d="M11 -6 l5 5 l-5 5 l-5 -5 z"/></g>', 'Restore point']);
  if (model.drills.length)
    items.push([
      '<g class="tl-drill tl-drill-ok"><circle class="tl-drill-mark" cx="11" cy="0" r="5"/></g>',
      'Restore drill (✓ ok, ✗ failed)',
    ]);
  items.push(['<line class="tl-now-line" x1="11" y1="-9" x2="11" y2="9"/>', 'Now']);
  const out: string[] = [`<g class="tl-legend" transform="translate(0 ${y})">`];
  let lx = 16;
  let ly = 14;
  for (const [glyph, text] of items) {
    const w = 30 + text.length * 6.1 + 18;
    if (lx + w > width - 16) {
      lx = 16;
      ly += 22;
    }
    out.push(
      `<g transform="translate(${r1(lx)} ${ly})">${glyph}<text class="tl-legend-text" x="28" y="4">${xml(text)}</text></g>`,
    );
    lx += w;
  }
  out.push(
    `<text class="tl-legend-note" x="16" y="${ly + 28}"><tspan class="tl-legend-strong">Exact times</tspan> ` +
      `(recorded by PostgreSQL or pg-pitr): base backups’ start and end, restore points, drills.</text>`,
    `<text class="tl-legend-note" x="16" y="${ly + 44}"><tspan class="tl-legend-strong">Approximate times</tspan>: ` +
      `segments and timeline switches, placed when the file reached the archive, not when its transactions committed.</text>`,
  );
  out.push('</g>');
  return { markup: out.join(''), height: ly + 56 };
}
