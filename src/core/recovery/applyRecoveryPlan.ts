// Writes a planned recovery configuration: refuses while a postmaster runs on the data directory,
// refuses a file that changed since it was planned, keeps every replaced file as a dated backup
// beside it (a symbolic link is kept as a link: its target is never written), and replaces files
// atomically (write to a temporary name, then rename).
import * as fs from 'node:fs';
import * as path from 'node:path';

import { type RecoveryPlan, RecoveryRefusedError } from './types';

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

function isLink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
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
  let text: string;
  try {
    text = fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8');
  } catch {
    return null;
  }
  const pid = Number(text.split('\n')[0].trim());
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return null;
  // a copied postmaster.pid can name a live process that has nothing to do with this copy;
  // the postmaster's working directory is its data directory
  try {
    const cwd = fs.realpathSync(`/proc/${pid}/cwd`);
    if (cwd !== fs.realpathSync(dataDir)) return null;
  } catch {
    // cannot tell: assume it is this directory's postmaster
  }
  return pid;
}

export function applyRecoveryPlan(plan: RecoveryPlan, opts?: { now?: Date }): { written: string[]; backups: string[] } {
  const dataDir = planDataDir(plan);
  if (dataDir !== null) {
    const pid = runningPostmaster(dataDir);
    if (pid !== null)
      throw new RecoveryRefusedError(
        `a postmaster (PID ${pid}) is running on ${dataDir}: stop it before changing its recovery configuration`,
      );
  }
  // check everything before writing anything
  for (const c of plan.changes) {
    let current: string | null;
    try {
      current = fs.readFileSync(c.path, 'utf8');
    } catch {
      current = null;
    }
    if (c.action === 'create' && current !== null && current !== c.content)
      throw new RecoveryRefusedError(`${c.path} appeared since the plan was made: plan again`);
    if (c.action === 'update' && current !== c.previous)
      throw new RecoveryRefusedError(`${c.path} changed since the plan was made: plan again`);
  }
  const stamp = backupStamp(opts?.now ?? new Date());
  const owner = dataDir !== null && process.getuid?.() === 0 ? fs.statSync(dataDir) : null;
  const written: string[] = [];
  const backups: string[] = [];
  for (const c of plan.changes) {
    let mode = 0o600;
    let uid = owner?.uid;
    let gid = owner?.gid;
    if (c.action === 'update' && fs.existsSync(c.path)) {
      const st = fs.statSync(c.path);
      const link = fs.lstatSync(c.path).isSymbolicLink() ? fs.readlinkSync(c.path) : null;
      mode = st.mode & 0o7777;
      // a link's target may belong to root (/etc): the copy's own file belongs to the copy's owner
      if (link === null) {
        uid = st.uid;
        gid = st.gid;
      }
      let backup = `${c.path}.pg-pitr-${stamp}.bak`;
      for (let i = 1; fs.existsSync(backup) || isLink(backup); i++) backup = `${c.path}.pg-pitr-${stamp}-${i}.bak`;
      if (link !== null) {
        // the replaced thing is the link (the rename below replaces it, not its target): keep the link
        fs.symlinkSync(link, backup);
        if (process.getuid?.() === 0) {
          const lst = fs.lstatSync(c.path);
          fs.lchownSync(backup, lst.uid, lst.gid);
        }
      } else {
        fs.copyFileSync(c.path, backup, fs.constants.COPYFILE_EXCL);
        if (process.getuid?.() === 0) fs.chownSync(backup, st.uid, st.gid);
      }
      backups.push(backup);
    }
    const tmp = `${c.path}.pg-pitr-tmp-${process.pid}`;
    fs.writeFileSync(tmp, c.content, { mode });
    fs.chmodSync(tmp, mode);
    if (process.getuid?.() === 0 && uid !== undefined && gid !== undefined) fs.chownSync(tmp, uid, gid);
    const fd = fs.openSync(tmp, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, c.path);
    written.push(c.path);
  }
  // the renames themselves must survive a crash
  for (const dir of new Set(written.map((p) => path.dirname(p)))) {
    try {
      const fd = fs.openSync(dir, 'r');
      try {
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      // some file systems cannot fsync a directory; the files themselves are synced
    }
  }
  return { written, backups };
}
