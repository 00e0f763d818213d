// Restore drills recorded by `pg-pitr drill` (issue 11): one JSON object per line in
// $XDG_STATE_HOME/pg-pitr/drills.jsonl. Read defensively (the file belongs to another command and
// may be absent, partly written, huge or from a newer version): a bad line is skipped, never thrown.
import * as fs from 'node:fs';

import { defaultHistoryFile } from '../drill/drillHistory';

/** What the timeline uses of one drill. */
export interface DrillRecord {
  startedAt: string;
  ok: boolean;
  backup: { systemIdentifier: string | null; timeline: number | null; stopLsn: string | null };
  reached: { time: string | null; timeline: number | null; lsn: string | null } | null;
  totalSeconds: number | null;
}

/** The drill history `pg-pitr drill` appends to (one place decides where: core/drill/drillHistory.ts). */
export const defaultDrillLogFile = defaultHistoryFile;

const MAX_BYTES = 16 * 1024 * 1024;
const LSN = /^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/i;

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const int = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : null);
const obj = (v: unknown): Record<string, unknown> | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;

/** One line as a drill, or null when it is not one. */
export function parseDrillLine(line: string): DrillRecord | null {
  let j: unknown;
  try {
    j = JSON.parse(line);
  } catch {
    return null;
  }
  const r = obj(j);
  if (!r || typeof r.ok !== 'boolean' || !str(r.startedAt) || Number.isNaN(Date.parse(r.startedAt as string)))
    return null;
  const b = obj(r.backup) ?? {};
  const reached = obj(r.reached);
  const lsn = (v: unknown) => (typeof v === 'string' && LSN.test(v) ? v.toUpperCase() : null);
  const sysid = typeof b.systemIdentifier === 'number' ? String(b.systemIdentifier) : str(b.systemIdentifier);
  const total = obj(r.durations)?.totalSeconds;
  return {
    startedAt: r.startedAt as string,
    ok: r.ok,
    backup: { systemIdentifier: sysid, timeline: int(b.timeline), stopLsn: lsn(b.stopLsn) },
    reached: reached
      ? {
          time:
            str(reached.time) && !Number.isNaN(Date.parse(reached.time as string)) ? (reached.time as string) : null,
          timeline: int(reached.timeline),
          lsn: lsn(reached.lsn),
        }
      : null,
    totalSeconds: typeof total === 'number' && Number.isFinite(total) && total >= 0 ? total : null,
  };
}

/** Every readable drill in the file, oldest first; [] when the file is absent or unreadable. */
export function readDrillLog(file: string): DrillRecord[] {
  let text: string;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const st = fs.fstatSync(fd);
      if (!st.isFile()) return [];
      // the newest drills are at the end: read at most the last 16 MB
      const len = Math.min(st.size, MAX_BYTES);
      const buf = Buffer.alloc(len);
      fs.readSync(fd, buf, 0, len, st.size - len);
      text = buf.toString('utf8');
      if (st.size > len) text = text.slice(text.indexOf('\n') + 1);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return [];
  }
  const out: DrillRecord[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const d = parseDrillLine(line);
    if (d) out.push(d);
  }
  return out;
}
