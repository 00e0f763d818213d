// The restore points created with pg-pitr, kept in a small JSON file so that the recovery wizard
// can offer a named point with its LSN and time (which lets it choose the base backup, as it does
// for LSN and time targets). PostgreSQL keeps no list of restore points: their names exist only in
// WAL records.
//
// The file is written whole, to a temporary file renamed over it (a crash leaves the old or the
// new file, never half of one). A file that cannot be read as a log is set aside as <file>.corrupt
// and a fresh log starts: reading never throws. Entries this version does not understand are kept
// when the file is rewritten.

import * as fs from 'node:fs';
import * as path from 'node:path';

export interface RestorePointRecord {
  /** pg_control_system().system_identifier of the cluster (as text: it exceeds 2^53) */
  systemId: string;
  name: string;
  lsn: string;
  wal: string;
  timeline: number;
  /** server clock when it was created, ISO 8601 with offset */
  time: string;
  /** why it was created (the statement a CodeLens passed, or what the user typed) */
  reason?: string;
  /** the server's display name in pg-pitr when it was created */
  server?: string;
}

interface LogFile {
  version: 1;
  restorePoints: unknown[];
}

const LSN = /^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/i;

function isRecord(v: unknown): v is RestorePointRecord {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return (
    typeof r.systemId === 'string' &&
    typeof r.name === 'string' &&
    typeof r.lsn === 'string' &&
    LSN.test(r.lsn) &&
    typeof r.wal === 'string' &&
    typeof r.timeline === 'number' &&
    Number.isInteger(r.timeline) &&
    typeof r.time === 'string' &&
    (r.reason === undefined || typeof r.reason === 'string') &&
    (r.server === undefined || typeof r.server === 'string')
  );
}

/** Only the known fields, so that nothing else a caller passed along ends up in the file. */
function clean(r: RestorePointRecord): RestorePointRecord {
  const out: RestorePointRecord = {
    systemId: r.systemId,
    name: r.name,
    lsn: r.lsn,
    wal: r.wal,
    timeline: r.timeline,
    time: r.time,
  };
  if (r.reason !== undefined) out.reason = r.reason;
  if (r.server !== undefined) out.server = r.server;
  return out;
}

export class RestorePointLog {
  constructor(private readonly file: string) {}

  /** Restore points in the order they were recorded; only those of `systemId` when given. */
  list(systemId?: string): RestorePointRecord[] {
    const all = this.read().restorePoints.filter(isRecord).map(clean);
    return systemId === undefined ? all : all.filter((r) => r.systemId === systemId);
  }

  /** Appends one record. Throws (with the path) when the file cannot be written, or when `r` is not a record. */
  add(r: RestorePointRecord): void {
    if (!isRecord(r))
      throw new Error('not a restore point record (systemId, name, lsn, wal, timeline and time are required)');
    const log = this.read();
    log.restorePoints.push(clean(r));
    this.write(log);
  }

  private read(): LogFile {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      // absent (the usual first time) or unreadable: nothing recorded that we can see
      return { version: 1, restorePoints: [] };
    }
    try {
      const parsed = JSON.parse(text) as unknown;
      if (typeof parsed === 'object' && parsed !== null && Array.isArray((parsed as LogFile).restorePoints)) {
        return { version: 1, restorePoints: (parsed as LogFile).restorePoints };
      }
    } catch {
      /* set aside below */
    }
    this.setAside();
    return { version: 1, restorePoints: [] };
  }

  /** Keeps an unreadable log as <file>.corrupt (replacing an older one) for a human to look at. */
  private setAside(): void {
    try {
      fs.renameSync(this.file, `${this.file}.corrupt`);
    } catch {
      /* reading never throws; the next add() overwrites the file */
    }
  }

  private write(log: LogFile): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.${Date.now()}.tmp`;
    try {
      // 'wx' (O_EXCL): never write through an entry that is already there, such as a planted link
      fs.writeFileSync(tmp, `${JSON.stringify(log, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
      fs.renameSync(tmp, this.file);
    } catch (e) {
      try {
        fs.rmSync(tmp, { force: true });
      } catch {
        /* the error below matters more */
      }
      throw new Error(
        `cannot write the restore point log ${this.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
  }
}
