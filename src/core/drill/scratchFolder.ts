// The scratch folder a drill restores into: new or empty, never inside a data directory (a
// PG_VERSION in it or any parent), never inside the backup or the archive; checked for free space
// before anything is copied; owned by the run user; removed afterwards unless kept.
//
// Layout: data/ (the copy), tablespaces/<oid>/, socket/, server.log, the drill's pg_hba.conf.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import type { RunUser } from './runAsUser';
import { DrillError } from './types';

export interface Scratch {
  root: string;
  /** true when the drill created root (then it is removed as a whole; else only emptied) */
  created: boolean;
  dataDir: string;
  tablespaceDir: string;
  socketDir: string;
  /** a socket folder outside root when root's path is too long for a Unix socket */
  socketDirOutside: boolean;
  logFile: string;
}

/** sun_path holds 108 bytes including the terminator; PostgreSQL appends "/.s.PGSQL.NNNNN.lock". */
const MAX_SOCKET_DIR_BYTES = 107 - '/.s.PGSQL.65535.lock'.length;

function realOrResolved(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/** The nearest folder that holds PG_VERSION at or above `dir` (after resolving links), or null. */
export function enclosingDataDir(dir: string): string | null {
  let d = realOrResolved(dir);
  for (;;) {
    if (fs.existsSync(path.join(d, 'PG_VERSION'))) return d;
    const parent = path.dirname(d);
    if (parent === d) return null;
    d = parent;
  }
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Refuses a scratch folder that is not new or empty, sits in a data directory, or in a folder the drill reads. */
export function validateScratch(scratch: string, readOnlyPlaces: { what: string; path: string }[]): void {
  const abs = path.resolve(scratch);
  const data = enclosingDataDir(abs);
  if (data !== null) {
    throw new DrillError(
      'refused',
      `the scratch folder ${abs} is inside the data directory ${data} (it holds PG_VERSION): a drill ` +
        `never writes into a data directory; choose a folder outside it`,
    );
  }
  const real = realOrResolved(abs);
  for (const p of readOnlyPlaces) {
    if (isInside(real, realOrResolved(p.path)))
      throw new DrillError(
        'refused',
        `the scratch folder ${abs} is inside ${p.what} ${p.path}: a drill only reads it; choose a folder outside it`,
      );
  }
  let entries: string[];
  try {
    const st = fs.statSync(abs);
    if (!st.isDirectory()) throw new DrillError('refused', `the scratch folder ${abs} exists and is not a folder`);
    entries = fs.readdirSync(abs);
  } catch (e) {
    if (e instanceof DrillError) throw e;
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new DrillError('refused', `the scratch folder ${abs} cannot be read: ${(e as Error).message}`);
  }
  if (entries.length > 0) {
    throw new DrillError(
      'refused',
      `the scratch folder ${abs} is not empty (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', ...' : ''}): ` +
        `give a new or empty folder, the drill removes what it puts there`,
    );
  }
}

/** Free bytes where `dir` would be created (its nearest existing ancestor). */
export function freeBytes(dir: string): number {
  let d = path.resolve(dir);
  while (!fs.existsSync(d) && path.dirname(d) !== d) d = path.dirname(d);
  const st = fs.statfsSync(d);
  return st.bavail * st.bsize;
}

/** WAL a replaying server keeps in pg_wal: restored segments stay until the next restartpoint, up to about max_wal_size (1 GB by default). */
export const REPLAY_WAL_ROOM = 1024 ** 3;

/** What a restored copy needs: the backup, 10 % (at least 64 MB) of margin, and the WAL the server keeps while it replays. */
export function requiredBytes(backupBytes: number): number {
  return backupBytes + Math.max(Math.ceil(backupBytes * 0.1), 64 * 1024 * 1024) + REPLAY_WAL_ROOM;
}

export function mb(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GB` : `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}

export function checkFreeSpace(scratch: string, backupBytes: number, free = freeBytes(scratch)): void {
  const need = requiredBytes(backupBytes);
  if (free < need) {
    throw new DrillError(
      'refused',
      `not enough free space for the scratch copy in ${path.resolve(scratch)}: ${mb(free)} free, about ${mb(need)} ` +
        `needed (the backup's ${mb(backupBytes)}, a margin, and up to 1 GB of restored WAL the server keeps in ` +
        `pg_wal while it replays); free some space or give --scratch on a larger file system`,
    );
  }
}

function chownIfRoot(p: string, user: RunUser): void {
  if (user.switchTo) fs.chownSync(p, user.uid, user.gid);
}

/** Creates (or takes the empty) scratch folder, mode 0700, owned by the run user. */
export function createScratch(scratch: string | undefined, user: RunUser): Scratch {
  let root: string;
  let created: boolean;
  if (scratch === undefined) {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-drill-'));
    created = true;
  } else {
    root = path.resolve(scratch);
    created = !fs.existsSync(root);
    fs.mkdirSync(root, { recursive: true, mode: 0o700 });
  }
  fs.chmodSync(root, 0o700);
  chownIfRoot(root, user);
  const dataDir = path.join(root, 'data');
  const tablespaceDir = path.join(root, 'tablespaces');
  for (const d of [dataDir, tablespaceDir]) {
    fs.mkdirSync(d, { mode: 0o700 });
    chownIfRoot(d, user);
  }
  let socketDir = path.join(root, 'socket');
  let socketDirOutside = false;
  if (Buffer.byteLength(socketDir) > MAX_SOCKET_DIR_BYTES) {
    socketDir = fs.mkdtempSync(path.join('/tmp', 'pg-pitr-sock-'));
    socketDirOutside = true;
  } else fs.mkdirSync(socketDir, { mode: 0o700 });
  fs.chmodSync(socketDir, 0o700);
  chownIfRoot(socketDir, user);
  const logFile = path.join(root, 'server.log');
  fs.writeFileSync(logFile, '', { mode: 0o600 });
  chownIfRoot(logFile, user);
  return { root, created, dataDir, tablespaceDir, socketDir, socketDirOutside, logFile };
}

/** Removes what the drill made: the whole folder when it created it, else its contents. Never throws. */
export function removeScratch(s: Scratch): string | null {
  try {
    if (s.socketDirOutside) fs.rmSync(s.socketDir, { recursive: true, force: true });
    if (s.created) fs.rmSync(s.root, { recursive: true, force: true, maxRetries: 3 });
    else
      for (const e of fs.readdirSync(s.root))
        fs.rmSync(path.join(s.root, e), { recursive: true, force: true, maxRetries: 3 });
    return null;
  } catch (e) {
    return `the scratch folder ${s.root} could not be removed completely: ${(e as Error).message}`;
  }
}
