// The standalone outputs of `pg-pitr archive check --format svg|html`: one file each, with its own
// style (light, or dark when the viewer prefers it), nothing loaded from anywhere, so that it can be
// attached to a ticket or a report as it is.
import { fitAll, renderTimelineSvg, xml } from './renderSvg';
import { summary } from './renderSvg';
import { formatMoment } from './timeAxis';
import { STANDALONE_PALETTE, TIMELINE_RULES } from './timelineStyle';
import { renderTimelineTables } from './timelineTable';
import type { TimelineModel } from './timelineTypes';

export interface DocumentOptions {
  /** pixels, default 1200 */
  width?: number;
  /** IANA zone, default UTC */
  zone?: string;
}

/** An SVG file: XML declaration, the picture with its heading, legend, native tooltips and style. */
export function timelineSvgDocument(model: TimelineModel, opts: DocumentOptions = {}): string {
  const range = fitAll(model);
  const { svg } = renderTimelineSvg(model, {
    width: opts.width ?? 1200,
    ...range,
    zone: opts.zone ?? 'UTC',
    titles: true,
    heading: true,
  });
  const style = `<style>${STANDALONE_PALETTE}${TIMELINE_RULES}</style>`;
  // the style goes first inside the root element
  const at = svg.indexOf('>') + 1;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${svg.slice(0, at)}${style}${svg.slice(at)}\n`;
}

const PAGE_RULES = `
body { margin: 0; padding: 16px 20px 32px; background: var(--tl-bg); color: var(--tl-fg); font-family: var(--tl-font); font-size: 13px; }
h1 { font-size: 18px; margin: 0 0 4px; }
.tl-meta { color: var(--tl-muted); margin: 0 0 12px; }
.tl-problems { margin: 8px 0 12px; padding-left: 20px; }
.tl-problems li { color: var(--tl-bad); }
.tl-chart { overflow-x: auto; }
.tl-table { border-collapse: collapse; margin: 18px 0 6px; min-width: 60%; }
.tl-table caption { text-align: left; font-weight: 600; padding: 4px 0; }
.tl-table th, .tl-table td { border-bottom: 1px solid var(--tl-grid); padding: 4px 10px 4px 0; text-align: left; vertical-align: top; font-variant-numeric: tabular-nums; }
.tl-table thead th { color: var(--tl-muted); font-weight: 600; }
.tl-quality { color: var(--tl-muted); }
`;

/** A self-contained HTML page: heading, problems, the picture and the tables of its figures. */
export function timelineHtmlDocument(model: TimelineModel, opts: DocumentOptions = {}): string {
  const zone = opts.zone ?? 'UTC';
  const range = fitAll(model);
  const { svg } = renderTimelineSvg(model, { width: opts.width ?? 1200, ...range, zone, titles: true });
  const problems = model.problems.length
    ? `<ul class="tl-problems">${model.problems.map((p) => `<li>${xml(p)}</li>`).join('')}</ul>`
    : '';
  const notes = model.notes.map((n) => `<p class="tl-meta">${xml(n)}</p>`).join('');
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>Recoverability timeline · ${xml(model.location)}</title>`,
    `<style>${STANDALONE_PALETTE}${TIMELINE_RULES}${PAGE_RULES}</style></head><body>`,
    `<h1>Recoverability timeline</h1><p class="tl-meta">${xml(model.location)} · made ${xml(formatMoment(model.now, zone))} · ${xml(zone)}</p>`,
    `<p>${xml(summary(model, zone))}</p>`,
    problems,
    notes,
    `<div class="tl-chart">${svg}</div>`,
    renderTimelineTables(model, zone),
    '</body></html>',
    '',
  ].join('\n');
}
