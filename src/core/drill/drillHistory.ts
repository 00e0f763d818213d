// The drill history: one JSON line per drill appended to a file (default drills.jsonl in the
// user's state folder, $XDG_STATE_HOME/pg-pitr, else ~/.local/state/pg-pitr), read back newest
// first. A line that is not a drill report is skipped, never fatal.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import type { DrillReport } from './types';

/** Reading stops at this size: a history is small, a runaway file must not stall the editor. */
const MAX_HISTORY_BYTES = 32 * 1024 * 1024;

export function defaultHistoryFile(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  const state =
    env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : path.join(home, '.local', 'state');
  return path.join(state, 'pg-pitr', 'drills.jsonl');
}

/** Appends one report as one line (folder 0700, file 0600 when created). */
export function appendDrillRecord(file: string, report: DrillReport): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.appendFileSync(file, JSON.stringify(report) + '\n', { mode: 0o600 });
}

export interface DrillHistory {
  records: DrillReport[];
  /** lines that were not drill reports */
  skipped: number;
  /** the file could not be read (it not existing is not a problem: no drill yet) */
  error: string | null;
}

function isReport(x: unknown): x is DrillReport {
  const r = x as DrillReport;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.startedAt === 'string' &&
    typeof r.ok === 'boolean' &&
    typeof r.backup === 'object' &&
    r.backup !== null &&
    typeof r.durations === 'object' &&
    r.durations !== null
  );
}

/** The history, newest first. Never throws. */
export function parseDrillHistory(text: string): Omit<DrillHistory, 'error'> {
  const records: DrillReport[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const x = JSON.parse(line) as unknown;
      if (isReport(x)) records.push(x);
      else skipped++;
    } catch {
      skipped++;
    }
  }
  records.sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt));
  return { records, skipped };
}

export function readDrillHistory(file: string): DrillHistory {
  let text: string;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const start = Math.max(0, size - MAX_HISTORY_BYTES);
      const buf = Buffer.alloc(size - start);
      fs.readSync(fd, buf, 0, buf.length, start);
      text = buf.toString('utf8');
      // a cut first line is not a record
      if (start > 0) text = text.slice(text.indexOf('\n') + 1);
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], skipped: 0, error: null };
    return { records: [], skipped: 0, error: `${file} cannot be read: ${(e as Error).message}` };
  }
  return { ...parseDrillHistory(text), error: null };
}
