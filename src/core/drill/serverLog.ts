// Reads what a recovering server writes to its log: the WAL it restored, where it became
// consistent, where and why recovery stopped, the new timeline, and its FATAL/PANIC lines. The
// messages are PostgreSQL 10-18's own (lc_messages = 'C' in the drill's settings), matched on
// their text after any log_line_prefix.
import { parseLsn } from '../wal/lsn';

/** The messages with which replay finds the end of the WAL it has (xlogreader's complaints about the next record). */
const WAL_END_MESSAGE = new RegExp(
  '^(' +
    [
      'invalid record length',
      'invalid magic number',
      'incorrect resource manager data checksum',
      'record with incorrect prev-link',
      'invalid resource manager ID',
      'unexpected pageaddr',
      'contrecord is requested',
      'missing contrecord',
      'invalid contrecord',
      'record length \\d+ at .* too long',
      'out-of-sequence timeline ID',
    ].join('|') +
    ')',
);

export interface RecoveryStop {
  /** the server's sentence, from "recovery stopping" */
  text: string;
  kind: 'before' | 'after' | 'restore point' | 'consistency';
  xid: string | null;
  /** the commit/abort/restore point time as printed */
  time: string | null;
  lsn: string | null;
}

export interface ServerLogFacts {
  restored: string[];
  lastRestoredSegment: string | null;
  consistentAt: string | null;
  stop: RecoveryStop | null;
  redoDoneAt: string | null;
  lastCompletedTime: string | null;
  newTimeline: number | null;
  readOnlyReady: boolean;
  /** "database system is ready to accept connections" after recovery */
  promotedReady: boolean;
  /** FATAL and PANIC lines of the server itself (client connection noise left out), with their DETAIL/HINT */
  fatal: string[];
  /** LOG lines that explain why WAL reading stopped (invalid record, checksum...) */
  walReadProblems: string[];
  /** the last lines written by commands the server ran (restore_command's errors), normal misses of .history files left out */
  commandOutput: string[];
}

export function emptyLogFacts(): ServerLogFacts {
  return {
    restored: [],
    lastRestoredSegment: null,
    consistentAt: null,
    stop: null,
    redoDoneAt: null,
    lastCompletedTime: null,
    newTimeline: null,
    readOnlyReady: false,
    promotedReady: false,
    fatal: [],
    walReadProblems: [],
    commandOutput: [],
  };
}

const CLIENT_NOISE =
  /the database system is (starting up|not yet accepting connections|shutting down|in recovery mode)|terminating connection due to administrator command|role ".*" does not exist|database ".*" does not exist/;
const LSN = '([0-9A-F]+/[0-9A-F]+)';

/** The message part of a log line: after "LOG:  ", "FATAL:  " ... (null when none). */
function message(line: string): { level: string; text: string } | null {
  const m = /(?:^|\s)(LOG|FATAL|PANIC|WARNING|DETAIL|HINT|ERROR):\s+(.*)$/.exec(line);
  return m ? { level: m[1], text: m[2] } : null;
}

function stopOf(text: string): RecoveryStop | null {
  if (!text.startsWith('recovery stopping')) return null;
  if (text.startsWith('recovery stopping after reaching consistency'))
    return { text, kind: 'consistency', xid: null, time: null, lsn: null };
  let m = /^recovery stopping (before|after) (?:commit|abort) of transaction (\d+), time (.+)$/.exec(text);
  if (m) return { text, kind: m[1] as 'before' | 'after', xid: m[2], time: m[3], lsn: null };
  m = new RegExp(`^recovery stopping (before|after) WAL location \\(LSN\\) "${LSN}"`).exec(text);
  if (m) return { text, kind: m[1] as 'before' | 'after', xid: null, time: null, lsn: m[2] };
  m = /^recovery stopping at restore point "(.*)", time (.+)$/.exec(text);
  if (m) return { text, kind: 'restore point', xid: null, time: m[2], lsn: null };
  return { text, kind: 'before', xid: null, time: null, lsn: null };
}

/** Folds more log text into the facts (the log is read in chunks as it grows). */
export function readLogLines(facts: ServerLogFacts, lines: string[]): void {
  let lastLevel = '';
  for (const line of lines) {
    const msg = message(line);
    if (!msg) {
      // not a server line: the output of restore_command and other commands the server ran
      if (line.trim() !== '' && !/^\s/.test(line) && !/[0-9A-F]{8}\.history|RECOVERYHISTORY/.test(line)) {
        facts.commandOutput.push(line.trim().slice(0, 500));
        if (facts.commandOutput.length > 10) facts.commandOutput.shift();
      }
      continue;
    }
    const { level, text } = msg;
    if (
      (level === 'DETAIL' || level === 'HINT') &&
      (lastLevel === 'FATAL' || lastLevel === 'PANIC') &&
      facts.fatal.length > 0
    ) {
      facts.fatal.push(`${level}:  ${text}`);
      continue;
    }
    lastLevel = level;
    if (level === 'FATAL' || level === 'PANIC') {
      if (CLIENT_NOISE.test(text)) {
        lastLevel = 'noise';
        continue;
      }
      facts.fatal.push(`${level}:  ${text}`);
      continue;
    }
    if (level !== 'LOG') continue;
    let m = /^restored log file "([0-9A-F]{24}(?:\.partial)?)" from archive/.exec(text);
    if (m) {
      facts.restored.push(m[1]);
      if (/^[0-9A-F]{24}$/.test(m[1]) && facts.redoDoneAt === null) facts.lastRestoredSegment = m[1];
      continue;
    }
    if ((m = new RegExp(`^consistent recovery state reached at ${LSN}`).exec(text))) facts.consistentAt = m[1];
    else if (text.startsWith('recovery stopping')) facts.stop = stopOf(text);
    else if ((m = new RegExp(`^redo done at ${LSN}`).exec(text))) facts.redoDoneAt = m[1];
    else if ((m = /^last completed transaction was at log time (.+)$/.exec(text))) facts.lastCompletedTime = m[1];
    else if ((m = /^selected new timeline ID: (\d+)/.exec(text))) facts.newTimeline = Number(m[1]);
    else if (/^database system is ready to accept read[- ]only connections/.test(text)) facts.readOnlyReady = true;
    else if (/^database system is ready to accept connections/.test(text)) facts.promotedReady = true;
    else if (WAL_END_MESSAGE.test(text)) {
      facts.walReadProblems.push(text);
    }
  }
}

/** Incremental reader: remembers the offset and an unfinished last line. */
export class LogFollower {
  readonly facts = emptyLogFacts();
  private partial = '';
  private offset = 0;

  constructor(private readonly read: (offset: number) => Buffer) {}

  poll(): void {
    const buf = this.read(this.offset);
    if (buf.length === 0) return;
    this.offset += buf.length;
    const text = this.partial + buf.toString('utf8');
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    readLogLines(this.facts, lines);
  }

  /** The rest, including an unterminated last line (after the server exited). */
  flush(): void {
    this.poll();
    if (this.partial !== '') readLogLines(this.facts, [this.partial]);
    this.partial = '';
  }
}

/** For progress: bytes between two LSNs (0 when unknown or backwards). */
export function lsnBytes(from: string | null, to: string | null): number {
  const a = from ? parseLsn(from) : null;
  const b = to ? parseLsn(to) : null;
  return a !== null && b !== null && b > a ? Number(b - a) : 0;
}
