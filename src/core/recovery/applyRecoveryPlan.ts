// Writes a planned recovery configuration, safely even as root in a directory its owner controls:
// refuses while a postmaster runs on the data directory, refuses a file that changed since it was
// planned or whose real path lies outside the data directory, keeps every replaced file as a dated
// backup beside it (a symbolic link is kept as a link), and replaces files atomically. Every write
// goes through src/core/files/dirHandle.ts: new files are created O_EXCL|O_NOFOLLOW under names
// nobody can guess, owned and moded through their descriptor, then renamed into place; no call
// here follows a link planted under a temporary, backup or target name. See src/core/files/README.md.
import * as fs from 'node:fs';
import * as path from 'node:path';

import { DirHandle, DirHandleError, isWithin, realPath, realPathOfFd, writeAll } from '../files/dirHandle';
import { fsPath } from '../files/pathBytes';
import { fileKind, readOpenRegularFile, readRegularFile } from '../files/regularFile';
import { type PlannedChange, type RecoveryPlan, RecoveryRefusedError } from './types';

/** Configuration files pg-pitr rewrites are small; a larger one is refused rather than read. */
const MAX_FILE_BYTES = 16 * 1024 * 1024;
/** Backup names tried for one file in one second before giving up. */
const MAX_BACKUP_NAMES = 1000;

const O_NONBLOCK = fs.constants.O_NONBLOCK ?? 0;
const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;

/** 20261124T193000Z */
function backupStamp(now: Date): string {
  return now
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

function planDataDir(plan: RecoveryPlan): string | null {
  if (plan.dataDir) return plan.dataDir;
  const signal = plan.changes.find((c) =>
    /\/(recovery\.signal|standby\.signal|recovery\.conf|postgresql\.auto\.conf)$/.test(c.path),
  );
  return signal ? path.dirname(signal.path) : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The postmaster.pid's process, when it is alive and (as far as /proc can tell) serves this directory. */
export function runningPostmaster(dataDir: string): number | null {
  // the data directory's owner writes this file: a FIFO or /dev/zero there must not hang the reader
  const r = readRegularFile(path.join(dataDir, 'postmaster.pid'), 64 * 1024);
  if (!r.ok) return null;
  const pid = Number(r.bytes.toString('latin1').split('\n')[0].trim());
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return null;
  // a copied postmaster.pid can name a live process that has nothing to do with this copy;
  // the postmaster's working directory is its data directory
  try {
    const cwd = fs.realpathSync(`/proc/${pid}/cwd`);
    if (cwd !== fs.realpathSync(fsPath(dataDir)).toString()) return null;
  } catch {
    // cannot tell: assume it is this directory's postmaster
  }
  return pid;
}

/** What is at a planned path now. */
interface Entry {
  /** the file's bytes (through a link: its target's), null when there is nothing (or a dangling link) */
  bytes: Buffer | null;
  /** fstat of what was read */
  stat: fs.Stats | null;
  /** where the entry points, when it is a symbolic link */
  link: string | null;
}

/** One planned change, located: the directory holding it (opened safely) and its name there. */
interface Target {
  change: PlannedChange;
  dir: DirHandle;
  name: string;
  entry: Entry;
}

function refuse(message: string): never {
  throw new RecoveryRefusedError(message);
}

/**
 * Reads the entry `name` of `dir` without letting it reach outside the data directory: a regular
 * file is opened O_NOFOLLOW; a link is followed only to a regular file whose real path (read from
 * the open descriptor, so a swapped link cannot fool it) lies inside `realDataDir`.
 */
function readEntry(dir: DirHandle, name: string, shown: string, realDataDir: string): Entry {
  const lst = dir.lstat(name);
  if (lst === null) return { bytes: null, stat: null, link: null };
  const link = lst.isSymbolicLink() ? fs.readlinkSync(dir.at(name)).toString() : null;
  if (link === null && !lst.isFile())
    refuse(`${shown} is ${fileKind(lst)}, not a regular file: pg-pitr will not replace it`);
  let fd: number;
  try {
    fd = fs.openSync(dir.at(name), fs.constants.O_RDONLY | O_NONBLOCK | (link === null ? O_NOFOLLOW : 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (link !== null && code === 'ENOENT') return { bytes: null, stat: null, link };
    if (code === 'ELOOP' && link === null) refuse(`${shown} changed since the plan was made: plan again`);
    throw e;
  }
  try {
    // without /proc, the path's real path (which a swap can race) is the best there is
    const where = realPathOfFd(fd) ?? (link !== null ? realPath(shown) : null);
    if (link !== null && where !== null && !isWithin(where, realDataDir)) {
      refuse(
        `${shown} is a symbolic link to ${link} (${where}), outside the data directory ${realDataDir}: ` +
          'pg-pitr does not copy what lies outside the data directory into it; replace the link with a copy of the file, or remove it, and plan again',
      );
    }
    const read = readOpenRegularFile(fd, MAX_FILE_BYTES);
    if (!read.ok) {
      if (read.code === 'ENOTREG')
        refuse(`${shown} leads to ${read.kind}, not a regular file: pg-pitr will not replace it`);
      if (read.code === 'EFBIG')
        refuse(`${shown} is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB: pg-pitr will not rewrite it`);
      throw new DirHandleError(`cannot read ${shown}: ${read.code}`, read.code);
    }
    return { bytes: read.bytes, stat: fs.fstatSync(fd), link };
  } finally {
    fs.closeSync(fd);
  }
}

/** Checks one change against what is there now (before anything is written). */
function checkUnchanged(t: Target): void {
  const current = t.entry.bytes === null ? null : t.entry.bytes.toString('utf8');
  const c = t.change;
  if (c.action === 'create' && current !== null && current !== c.content)
    refuse(`${c.path} appeared since the plan was made: plan again`);
  if (c.action === 'update' && current !== c.previous) refuse(`${c.path} changed since the plan was made: plan again`);
}

/**
 * Keeps the current entry as NAME.pg-pitr-STAMP[-N].bak: a link as a link (its target is not
 * copied), a file as a new file (O_EXCL, so a link planted under a backup name is never written
 * through) with the original's bytes, mode and owner.
 */
function keepBackup(t: Target, stamp: string, root: boolean): string {
  for (let i = 0; i < MAX_BACKUP_NAMES; i++) {
    const name = `${t.name}.pg-pitr-${stamp}${i === 0 ? '' : `-${i}`}.bak`;
    try {
      if (t.entry.link !== null) {
        // the link itself is what the rename replaces; its owner is left as created (root's
        // when run as root): changing a link's owner without following it needs lchown by
        // path, which a swapped entry could turn into a hard link's target
        fs.symlinkSync(t.entry.link, t.dir.at(name));
      } else {
        const st = t.entry.stat!;
        writeNewFile(t.dir, name, t.entry.bytes!, st.mode & 0o777, root ? st : null);
      }
      return path.join(path.dirname(t.change.path), name);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  refuse(`${t.change.path}: ${MAX_BACKUP_NAMES} backups were already made this second`);
}

/** Creates `name` (which must not exist) with `data`, owner and mode set on the descriptor, synced. */
function writeNewFile(dir: DirHandle, name: string, data: Uint8Array, mode: number, owner: fs.Stats | null): void {
  const fd = dir.createExclusive(name, 0o600);
  try {
    fillAndSync(fd, data, mode, owner);
  } catch (e) {
    fs.closeSync(fd);
    dir.unlink(name);
    throw e;
  }
  fs.closeSync(fd);
}

function fillAndSync(fd: number, data: Uint8Array, mode: number, owner: { uid: number; gid: number } | null): void {
  // owner first: chown clears set-id bits, and the mode is set last, on this descriptor only
  if (owner) fs.fchownSync(fd, owner.uid, owner.gid);
  fs.fchmodSync(fd, mode);
  writeAll(fd, data);
  fs.fsyncSync(fd);
}

/** Writes the new content under an unguessable temporary name, then renames it over the target. */
function replace(t: Target, mode: number, owner: { uid: number; gid: number } | null): void {
  const { name: tmp, fd } = t.dir.createTemporary(t.name, 0o600);
  try {
    fillAndSync(fd, Buffer.from(t.change.content, 'utf8'), mode, owner);
  } catch (e) {
    fs.closeSync(fd);
    t.dir.unlink(tmp);
    throw e;
  }
  fs.closeSync(fd);
  t.dir.rename(tmp, t.name);
}

/** Opens the directory of every change (refusing one whose real path is outside the data directory). */
function locate(plan: RecoveryPlan, realDataDir: string, dirs: Map<string, DirHandle>): Target[] {
  const targets: Target[] = [];
  for (const change of plan.changes) {
    const realDir = realPath(path.dirname(change.path));
    if (realDir === null) refuse(`${path.dirname(change.path)} no longer exists: plan again`);
    if (!isWithin(realDir, realDataDir)) {
      refuse(
        `${change.path} lies outside the data directory ${realDataDir} (its folder's real path is ${realDir}): ` +
          "pg-pitr edits only the restored copy's files",
      );
    }
    let dir = dirs.get(realDir);
    if (!dir) {
      dir = DirHandle.open(realDir);
      dirs.set(realDir, dir);
    }
    const name = path.basename(change.path);
    targets.push({ change, dir, name, entry: readEntry(dir, name, change.path, realDataDir) });
  }
  return targets;
}

export function applyRecoveryPlan(plan: RecoveryPlan, opts?: { now?: Date }): { written: string[]; backups: string[] } {
  const dataDir = planDataDir(plan);
  if (dataDir === null) refuse('the plan names no data directory');
  const pid = runningPostmaster(dataDir);
  if (pid !== null) {
    refuse(`a postmaster (PID ${pid}) is running on ${dataDir}: stop it before changing its recovery configuration`);
  }
  const realDataDir = realPath(dataDir);
  if (realDataDir === null) refuse(`${dataDir} does not exist`);
  const dirs = new Map<string, DirHandle>();
  try {
    const root = DirHandle.open(realDataDir);
    dirs.set(realDataDir, root);
    const owner = root.stat();
    const asRoot = process.getuid?.() === 0;
    // check everything before writing anything
    const targets = locate(plan, realDataDir, dirs);
    for (const t of targets) checkUnchanged(t);
    const stamp = backupStamp(opts?.now ?? new Date());
    const written: string[] = [];
    const backups: string[] = [];
    for (const t of targets) {
      const st = t.entry.stat;
      // a replaced file keeps its mode and owner; a new file (and one replacing a link, whose
      // target may be root's) belongs to the data directory's owner, private like the server's own
      const mode = st ? st.mode & 0o777 : 0o600;
      const fileOwner = st && t.entry.link === null ? st : owner;
      if (t.change.action === 'update' && (t.entry.bytes !== null || t.entry.link !== null))
        backups.push(keepBackup(t, stamp, asRoot));
      replace(t, mode, asRoot ? fileOwner : null);
      written.push(t.change.path);
    }
    // the renames themselves must survive a crash
    for (const dir of dirs.values()) dir.sync();
    return { written, backups };
  } catch (e) {
    if (e instanceof DirHandleError) refuse(`${e.message}: pg-pitr writes only through directories it can hold`);
    throw e;
  } finally {
    for (const dir of dirs.values()) dir.close();
  }
}
