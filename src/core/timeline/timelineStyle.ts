// The timeline's look, as CSS over the classes renderSvg.ts writes. Colours are custom properties
// (--tl-*): the standalone files set them to fixed light and dark palettes (prefers-color-scheme),
// the webview maps them to the VS Code theme's variables. Shapes never depend on colour alone:
// lost gaps are tall, in-flight is short, acknowledged is hatched, failed drills carry a cross.

/** Rules for the classes of the picture and of the table (no colour values: only --tl-* properties). */
export const TIMELINE_RULES = `
.tl-svg { font-family: var(--tl-font); font-size: 11px; user-select: none; }
.tl-bg { fill: var(--tl-bg); }
.tl-heading { fill: var(--tl-fg); font-size: 15px; font-weight: 600; }
.tl-status { fill: var(--tl-fg); font-size: 12px; }
.tl-status-word { font-weight: 700; }
.tl-status-ok .tl-status-word { fill: var(--tl-ok-text); }
.tl-status-bad .tl-status-word { fill: var(--tl-bad); }
.tl-zone { fill: var(--tl-muted); font-size: 10.5px; }
.tl-major { fill: var(--tl-fg); font-weight: 600; }
.tl-tick { fill: var(--tl-muted); font-variant-numeric: tabular-nums; }
.tl-grid { stroke: var(--tl-grid); stroke-width: 1; shape-rendering: crispEdges; }
.tl-grid-major { stroke: var(--tl-grid-major); }
.tl-lane-bg { fill: var(--tl-lane); }
.tl-lane-odd { fill: var(--tl-lane-odd); }
.tl-lane-name { fill: var(--tl-fg); font-weight: 600; font-size: 12px; }
.tl-lane-sub { fill: var(--tl-muted); font-size: 10.5px; }
.tl-band { fill: var(--tl-ok); fill-opacity: 0.2; stroke: var(--tl-ok); stroke-opacity: 0.55; stroke-width: 1; }
.tl-run { fill: var(--tl-wal); }
.tl-gap-lost { fill: var(--tl-bad); }
.tl-gap-wrong-size { fill: var(--tl-warn); }
.tl-gap-in-flight { fill: var(--tl-pending); fill-opacity: 0.55; stroke: var(--tl-pending); stroke-dasharray: 2 2; }
.tl-gap-acknowledged { fill: url(#tl-hatch); stroke: var(--tl-bad); stroke-width: 1; }
.tl-hatch-bg { fill: var(--tl-bg); }
.tl-hatch-line { stroke: var(--tl-bad); stroke-width: 2.5; }
.tl-gap-label { fill: var(--tl-bad); font-size: 10px; font-weight: 600; }
.tl-wrong-size { fill: var(--tl-warn); stroke: var(--tl-bg); stroke-width: 1; }
.tl-backup-box { fill: var(--tl-fg); fill-opacity: 0.75; }
.tl-backup-end { stroke: var(--tl-fg); stroke-width: 1.5; }
.tl-approx .tl-backup-end { stroke-dasharray: 3 2; }
.tl-backup-unusable .tl-backup-box { fill: var(--tl-bad); }
.tl-backup-unusable .tl-backup-end { stroke: var(--tl-bad); }
.tl-backup-label, .tl-count { fill: var(--tl-fg); font-size: 10.5px; }
.tl-rp-mark { fill: var(--tl-rp); }
.tl-rp-label { fill: var(--tl-rp-text); font-size: 10.5px; }
.tl-drill-ok .tl-drill-mark { fill: var(--tl-ok); }
.tl-drill-failed .tl-drill-mark { fill: var(--tl-bad); }
.tl-drill-glyph { stroke: var(--tl-bg); stroke-width: 1.6; fill: none; }
.tl-fork { stroke: var(--tl-muted); stroke-width: 1.5; fill: none; }
.tl-fork-dot { fill: var(--tl-muted); }
.tl-now-line { stroke: var(--tl-now); stroke-width: 1.5; stroke-dasharray: 4 3; }
.tl-now-label { fill: var(--tl-now); font-weight: 600; font-size: 10.5px; }
.tl-empty { fill: var(--tl-muted); }
.tl-legend-text, .tl-legend-note { fill: var(--tl-muted); font-size: 11px; }
.tl-legend-strong { fill: var(--tl-fg); font-weight: 600; }
`;

/** Fixed palettes for the standalone SVG and HTML (GitHub-like light and dark). */
export const STANDALONE_PALETTE = `
:root, svg.tl-svg { --tl-font: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", sans-serif;
  --tl-bg: #ffffff; --tl-fg: #1f2328; --tl-muted: #59636e; --tl-grid: #e1e6eb; --tl-grid-major: #b7c0c9;
  --tl-lane: #ffffff; --tl-lane-odd: #f6f8fa; --tl-ok: #1a7f37; --tl-ok-text: #1a7f37; --tl-wal: #4f7cac; --tl-bad: #cf222e;
  --tl-pending: #8c959f; --tl-warn: #bc4c00; --tl-rp: #8250df; --tl-rp-text: #6639ba; --tl-now: #0969da; }
@media (prefers-color-scheme: dark) {
  :root, svg.tl-svg { --tl-bg: #0d1117; --tl-fg: #e6edf3; --tl-muted: #9198a1; --tl-grid: #21262d; --tl-grid-major: #3d444d;
    --tl-lane: #0d1117; --tl-lane-odd: #151b23; --tl-ok: #3fb950; --tl-ok-text: #3fb950; --tl-wal: #6e9fd6; --tl-bad: #f85149;
    --tl-pending: #768390; --tl-warn: #db6d28; --tl-rp: #ab7df8; --tl-rp-text: #bc8cff; --tl-now: #4493f8; }
}
`;

/** The webview's mapping onto the VS Code theme (light, dark and high contrast alike). */
export const VSCODE_PALETTE = `
:root { --tl-font: var(--vscode-font-family); --tl-bg: var(--vscode-editor-background); --tl-fg: var(--vscode-editor-foreground);
  --tl-muted: var(--vscode-descriptionForeground); --tl-grid: var(--vscode-editorIndentGuide-background1, var(--vscode-panel-border));
  --tl-grid-major: var(--vscode-editorIndentGuide-activeBackground1, var(--vscode-descriptionForeground));
  --tl-lane: var(--vscode-editor-background); --tl-lane-odd: var(--vscode-editorWidget-background, var(--vscode-editor-background));
  --tl-ok: var(--vscode-charts-green); --tl-ok-text: var(--vscode-testing-iconPassed, var(--vscode-charts-green)); --tl-wal: var(--vscode-charts-blue);
  --tl-bad: var(--vscode-charts-red); --tl-pending: var(--vscode-disabledForeground); --tl-warn: var(--vscode-charts-orange);
  --tl-rp: var(--vscode-charts-purple); --tl-rp-text: var(--vscode-charts-purple); --tl-now: var(--vscode-focusBorder); }
body.vscode-high-contrast .tl-run, body.vscode-high-contrast-light .tl-run { stroke: var(--vscode-contrastBorder); stroke-width: 1; }
body.vscode-high-contrast .tl-band, body.vscode-high-contrast-light .tl-band { fill-opacity: 0.35; stroke-opacity: 1; stroke-width: 2; }
body.vscode-high-contrast .tl-gap-lost, body.vscode-high-contrast-light .tl-gap-lost { stroke: var(--vscode-contrastBorder); stroke-width: 1; }
`;
