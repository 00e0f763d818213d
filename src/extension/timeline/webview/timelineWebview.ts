// The timeline webview's script (bundled for the browser into dist/webview/timeline.js): draws the
// model with the shared SVG renderer, zooms (wheel, buttons, keys) and pans (drag, keys), shows
// details on hover, and turns a click into a moment on a lane that the extension judges and
// answers (the recovery wizard, or why that moment cannot be reached). No network, no eval.

import { describeMark } from '../../../core/timeline/markText';
import { judgeMoment } from '../../../core/timeline/momentText';
import { type ChartGeometry, fitAll, renderTimelineSvg } from '../../../core/timeline/renderSvg';
import { checkedZone, formatMoment, instantOf, wallTime } from '../../../core/timeline/timeAxis';
import { renderTimelineTables } from '../../../core/timeline/timelineTable';
import type { TimelineModel } from '../../../core/timeline/timelineTypes';
import type { FromWebview, ToWebview } from '../timelineMessages';

declare function acquireVsCodeApi(): {
  postMessage(m: FromWebview): void;
  getState(): unknown;
  setState(s: unknown): void;
};

const api = acquireVsCodeApi();
const zone = checkedZone(Intl.DateTimeFormat().resolvedOptions().timeZone);
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const chart = $<HTMLDivElement>('tl-chart');
const tip = $<HTMLDivElement>('tl-tip');
const explain = $<HTMLDivElement>('tl-explain');
const tables = $<HTMLDivElement>('tl-tables');
const pickTime = $<HTMLInputElement>('tl-pick-time');
const pickLane = $<HTMLSelectElement>('tl-pick-lane');

let model: TimelineModel | null = null;
let view = { from: 0, to: 1 };
let geometry: ChartGeometry | null = null;
let frame = 0;
const MIN_SPAN = 2_000;

function draw(): void {
  frame = 0;
  if (!model) return;
  const t0 = performance.now();
  const { svg, geometry: g } = renderTimelineSvg(model, {
    width: chart.clientWidth || 900,
    from: view.from,
    to: view.to,
    zone,
  });
  chart.innerHTML = svg;
  geometry = g;
  chart.dataset.drawMs = (performance.now() - t0).toFixed(1);
  api.setState({ view });
}

function redraw(): void {
  if (!frame) frame = requestAnimationFrame(draw);
}

function zoom(factor: number, atMs?: number): void {
  const span = view.to - view.from;
  const at = atMs ?? view.from + span / 2;
  const next = Math.max(MIN_SPAN, span * factor);
  const k = (at - view.from) / span;
  view = { from: at - k * next, to: at - k * next + next };
  redraw();
}

function pan(fraction: number): void {
  const d = (view.to - view.from) * fraction;
  view = { from: view.from + d, to: view.to + d };
  redraw();
}

function fit(): void {
  if (model) view = fitAll(model);
  redraw();
}

/** The lane and moment under a point of the chart, or null outside the lanes. */
function momentAt(clientX: number, clientY: number): { timeline: number; ms: number } | null {
  const svg = chart.querySelector('svg');
  if (!svg || !geometry) return null;
  const r = svg.getBoundingClientRect();
  const x = clientX - r.left;
  const y = clientY - r.top;
  const i = Math.floor((y - geometry.lanesTop) / geometry.laneHeight);
  if (x < geometry.plotLeft || x > geometry.plotRight || i < 0 || i >= geometry.lanes.length) return null;
  return {
    timeline: geometry.lanes[i]!,
    ms: Math.round(
      geometry.from +
        ((x - geometry.plotLeft) / (geometry.plotRight - geometry.plotLeft)) * (geometry.to - geometry.from),
    ),
  };
}

function showTip(e: MouseEvent): void {
  if (!model) return;
  const m = momentAt(e.clientX, e.clientY);
  const mark = (e.target as Element).closest?.('[data-kind]');
  const attr = (n: string) => mark?.getAttribute(n) ?? undefined;
  const details = mark
    ? describeMark(
        model,
        { kind: attr('data-kind'), lane: attr('data-lane'), ids: attr('data-ids'), gap: attr('data-gap') },
        zone,
      )
    : '';
  if (!m) {
    tip.hidden = true;
    return;
  }
  const verdict = judgeMoment(model, m.timeline, m.ms, zone);
  const lines = [
    `Timeline ${m.timeline} · ${formatMoment(m.ms, zone)}`,
    verdict.kind === 'recoverable' ? `✔ ${verdict.message}` : `✖ ${verdict.message}`,
  ];
  if (details) lines.push('', details);
  tip.textContent = lines.join('\n');
  tip.className = verdict.kind === 'recoverable' ? 'tl-tip tl-tip-ok' : 'tl-tip tl-tip-bad';
  tip.hidden = false;
  const pad = 14;
  const w = tip.offsetWidth;
  const left = e.clientX + pad + w > window.innerWidth ? e.clientX - pad - w : e.clientX + pad;
  tip.style.left = `${Math.max(4, left)}px`;
  tip.style.top = `${e.clientY + pad}px`;
}

/** Asks the extension to recover to a moment (it judges it again and opens the wizard, or explains). */
function pick(timeline: number, ms: number): void {
  if (!model) return;
  const verdict = judgeMoment(model, timeline, ms, zone);
  explain.textContent = verdict.message;
  explain.className = verdict.kind === 'recoverable' ? 'tl-explain tl-explain-ok' : 'tl-explain tl-explain-bad';
  explain.dataset.kind = verdict.kind;
  explain.dataset.reason = verdict.kind === 'unreachable' ? verdict.reason : '';
  // the form shows the moment, to the second, for adjusting and trying again from the keyboard
  const w = wallTime(ms, zone);
  const p2 = (n: number) => String(n).padStart(2, '0');
  pickTime.value = `${w.year}-${p2(w.month)}-${p2(w.day)}T${p2(w.hour)}:${p2(w.minute)}:${p2(w.second)}`;
  pickLane.value = String(timeline);
  api.postMessage({ type: 'pick', timeline, ms, zone });
}

let drag: { x: number; from: number; to: number; moved: boolean } | null = null;
chart.addEventListener('mousedown', (e) => {
  if (e.button !== 0) return;
  drag = { x: e.clientX, from: view.from, to: view.to, moved: false };
});
window.addEventListener('mousemove', (e) => {
  if (drag && geometry) {
    const dx = e.clientX - drag.x;
    if (Math.abs(dx) > 4) drag.moved = true;
    if (drag.moved) {
      const d = (dx / (geometry.plotRight - geometry.plotLeft)) * (drag.to - drag.from);
      view = { from: drag.from - d, to: drag.to - d };
      tip.hidden = true;
      redraw();
      return;
    }
  }
  if (chart.contains(e.target as Node)) showTip(e);
  else tip.hidden = true;
});
window.addEventListener('mouseup', (e) => {
  const d = drag;
  drag = null;
  if (!d || d.moved || !chart.contains(e.target as Node)) return;
  const m = momentAt(e.clientX, e.clientY);
  if (m) pick(m.timeline, m.ms);
});
chart.addEventListener('mouseleave', () => (tip.hidden = true));
chart.addEventListener(
  'wheel',
  (e) => {
    e.preventDefault();
    if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
      pan(((e.shiftKey ? e.deltaY : e.deltaX) / (chart.clientWidth || 900)) * 1.5);
      return;
    }
    const m = momentAt(e.clientX, e.clientY);
    zoom(e.deltaY > 0 ? 1.25 : 0.8, m?.ms);
  },
  { passive: false },
);
chart.addEventListener('keydown', (e) => {
  const keys: Record<string, () => void> = {
    '+': () => zoom(0.8),
    '=': () => zoom(0.8),
    '-': () => zoom(1.25),
    '0': fit,
    ArrowLeft: () => pan(-0.1),
    ArrowRight: () => pan(0.1),
  };
  const f = keys[e.key];
  if (f) {
    e.preventDefault();
    f();
  }
});
$('tl-fit').addEventListener('click', fit);
$('tl-zoom-in').addEventListener('click', () => zoom(0.67));
$('tl-zoom-out').addEventListener('click', () => zoom(1.5));
$('tl-last-day').addEventListener('click', () => {
  if (!model) return;
  const end = Math.max(model.extent.to, Math.min(model.now, model.extent.to + 3_600_000));
  view = { from: end - 86_400_000, to: end + 1_800_000 };
  redraw();
});
$<HTMLFormElement>('tl-pick').addEventListener('submit', (e) => {
  e.preventDefault();
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(pickTime.value);
  if (!m) {
    explain.textContent = 'Give a date and time.';
    return;
  }
  const [y, mo, d, h, mi, s] = m.slice(1).map((v) => Number(v ?? 0));
  pick(Number(pickLane.value), instantOf(zone, y!, mo!, d!, h!, mi!, s!));
});
new ResizeObserver(() => redraw()).observe(chart);

window.addEventListener('message', (e: MessageEvent<ToWebview>) => {
  const msg = e.data;
  if (msg.type === 'model') {
    model = msg.model;
    const saved = api.getState() as { view?: { from: number; to: number } } | undefined;
    view = saved?.view && msg.keepView ? saved.view : fitAll(model);
    tables.innerHTML = renderTimelineTables(model, zone);
    pickLane.innerHTML = model.lanes
      .map((l) => `<option value="${l.timeline}">Timeline ${l.timeline}</option>`)
      .join('');
    pickLane.value = String(model.lanes[model.lanes.length - 1]?.timeline ?? 1);
    $('tl-zone').textContent = `Times in ${zone}`;
    draw();
  } else if (msg.type === 'explain') {
    explain.textContent = msg.text;
    explain.className = msg.ok ? 'tl-explain tl-explain-ok' : 'tl-explain tl-explain-bad';
  } else if (msg.type === 'zoom') {
    view = { from: msg.from, to: msg.to };
    draw();
  }
});
api.postMessage({ type: 'ready' });
