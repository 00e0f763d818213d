// The messages between the timeline panel (extension host) and its webview script.
import type { TimelineModel } from '../../core/timeline/timelineTypes';

export type ToWebview =
  | { type: 'model'; model: TimelineModel; keepView?: boolean }
  /** the extension's answer to a pick: shown under the chart */
  | { type: 'explain'; text: string; ok: boolean }
  /** tests and the benchmark: show this range */
  | { type: 'zoom'; from: number; to: number };

export type FromWebview =
  | { type: 'ready' }
  /** the user picked a moment on a lane (click, or the form); `zone` is the webview's, for the wizard's time text */
  | { type: 'pick'; timeline: number; ms: number; zone: string };

/** A webview message as the extension accepts it (anything else is ignored): never trusted as it is. */
export function readFromWebview(m: unknown): FromWebview | null {
  if (typeof m !== 'object' || m === null) return null;
  const r = m as Record<string, unknown>;
  if (r.type === 'ready') return { type: 'ready' };
  if (
    r.type === 'pick' &&
    Number.isInteger(r.timeline) &&
    (r.timeline as number) > 0 &&
    Number.isFinite(r.ms) &&
    typeof r.zone === 'string' &&
    r.zone.length < 100
  ) {
    return { type: 'pick', timeline: r.timeline as number, ms: r.ms as number, zone: r.zone };
  }
  return null;
}
