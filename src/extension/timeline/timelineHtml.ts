// The timeline webview's page: a Content-Security-Policy that allows only the extension's own
// script and style (by nonce; nothing remote, no inline handlers), the theme mapping, the toolbar,
// the chart, the pick form and the tables. Plain strings, no vscode: unit-tested.
import { randomBytes } from 'node:crypto';

import { xml } from '../../core/timeline/renderSvg';
import { TIMELINE_RULES, VSCODE_PALETTE } from '../../core/timeline/timelineStyle';

export function makeNonce(): string {
  return randomBytes(18)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '');
}

const PAGE_RULES = `
body {
  padding: 10px 18px 28px;
  color: var(--vscode-foreground);
  background: var(--vscode-editor-background);
  font-family: var(--vscode-font-family);
  font-size: var(--vscode-font-size);
}
h1 { font-size: 1.25em; font-weight: 600; margin: 4px 0 2px; }
.tl-meta { color: var(--vscode-descriptionForeground); margin: 0 0 6px; }
.tl-problems { margin: 6px 0; padding-left: 18px; color: var(--vscode-errorForeground); }
.tl-toolbar { display: flex; gap: 6px; align-items: center; margin: 8px 0; flex-wrap: wrap; }
.tl-toolbar button, .tl-pick button {
  background: var(--vscode-button-secondaryBackground);
  color: var(--vscode-button-secondaryForeground);
  border: 1px solid var(--vscode-button-border, transparent);
  padding: 3px 10px;
  border-radius: 2px;
  cursor: pointer;
  font: inherit;
}
.tl-toolbar button:hover, .tl-pick button:hover { background: var(--vscode-button-secondaryHoverBackground); }
.tl-pick button { background: var(--vscode-button-background); color: var(--vscode-button-foreground); }
.tl-hint { color: var(--vscode-descriptionForeground); margin-left: 8px; }
#tl-chart { position: relative; overflow: hidden; border: 1px solid var(--vscode-panel-border, transparent); cursor: crosshair; outline: none; }
#tl-chart:focus-visible { outline: 1px solid var(--vscode-focusBorder); }
.tl-tip {
  position: fixed;
  z-index: 10;
  max-width: 460px;
  white-space: pre-wrap;
  pointer-events: none;
  padding: 6px 9px;
  background: var(--vscode-editorHoverWidget-background);
  color: var(--vscode-editorHoverWidget-foreground);
  border: 1px solid var(--vscode-editorHoverWidget-border);
  border-left-width: 3px;
  font-size: 12px;
  line-height: 1.45;
  box-shadow: 0 2px 8px var(--vscode-widget-shadow);
}
.tl-tip-ok { border-left-color: var(--vscode-charts-green); }
.tl-tip-bad { border-left-color: var(--vscode-charts-red); }
.tl-explain {
  margin: 10px 0;
  padding: 8px 12px;
  border-left: 3px solid var(--vscode-textBlockQuote-border);
  background: var(--vscode-textBlockQuote-background);
  min-height: 1.4em;
}
.tl-explain:empty { display: none; }
.tl-explain-ok { border-left-color: var(--vscode-charts-green); }
.tl-explain-bad { border-left-color: var(--vscode-charts-red); }
.tl-pick { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin: 8px 0 4px; }
.tl-pick input, .tl-pick select {
  background: var(--vscode-input-background);
  color: var(--vscode-input-foreground);
  border: 1px solid var(--vscode-input-border, transparent);
  padding: 2px 6px;
  font: inherit;
}
.tl-table { border-collapse: collapse; margin: 16px 0 4px; }
.tl-table caption { text-align: left; font-weight: 600; padding: 4px 0; }
.tl-table th, .tl-table td {
  border-bottom: 1px solid var(--vscode-panel-border, var(--vscode-editorWidget-border));
  padding: 3px 12px 3px 0;
  text-align: left;
  vertical-align: top;
  font-variant-numeric: tabular-nums;
}
.tl-table thead th { color: var(--vscode-descriptionForeground); }
.tl-quality { color: var(--vscode-descriptionForeground); }
`;

export interface TimelinePageOptions {
  nonce: string;
  /** webview.cspSource */
  cspSource: string;
  /** webview URI of dist/webview/timeline.js */
  scriptUri: string;
  title: string;
  subtitle: string;
  problems: string[];
  notes: string[];
}

/** The Content-Security-Policy of the page: the nonce'd script and style only. */
export function contentSecurityPolicy(nonce: string, cspSource: string): string {
  return [
    `default-src 'none'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    `style-src 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function timelinePage(o: TimelinePageOptions): string {
  const problems = o.problems.length
    ? `<ul class="tl-problems">${o.problems.map((p) => `<li>${xml(p)}</li>`).join('')}</ul>`
    : '';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(o.nonce, o.cspSource)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${xml(o.title)}</title>
<style nonce="${o.nonce}">${VSCODE_PALETTE}${TIMELINE_RULES}${PAGE_RULES}</style>
</head><body>
<h1>${xml(o.title)}</h1>
<p class="tl-meta">${xml(o.subtitle)} · <span id="tl-zone"></span></p>
${problems}${o.notes.map((n) => `<p class="tl-meta">${xml(n)}</p>`).join('')}
<div class="tl-toolbar" role="toolbar" aria-label="Zoom">
<button id="tl-fit" type="button" title="Show everything (0)">Fit all</button>
<button id="tl-zoom-in" type="button" title="Zoom in (+, wheel)">Zoom in</button>
<button id="tl-zoom-out" type="button" title="Zoom out (-, wheel)">Zoom out</button>
<button id="tl-last-day" type="button">Last 24 hours</button>
<span class="tl-hint">Click inside a green band to recover to that moment · drag or ←/→ to pan · wheel or +/− to zoom</span>
</div>
<div id="tl-chart" tabindex="0" aria-label="Recoverability timeline chart; the same figures are in the tables below"></div>
<div id="tl-tip" class="tl-tip" role="tooltip" hidden></div>
<div id="tl-explain" class="tl-explain" role="status" aria-live="polite"></div>
<form id="tl-pick" class="tl-pick" aria-label="Recover to a moment">
<label for="tl-pick-time">Recover to</label><input id="tl-pick-time" type="datetime-local" step="1" required>
<label for="tl-pick-lane">on</label><select id="tl-pick-lane"></select>
<button type="submit">Check and recover…</button>
</form>
<div id="tl-tables"></div>
<script nonce="${o.nonce}" src="${o.scriptUri}"></script>
</body></html>`;
}
