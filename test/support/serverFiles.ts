// Where the test servers' programs and files live, so that the server user can reach them. As
// root, servers run as the unprivileged `pgpitr`, which cannot read a clone inside a private
// folder (/root/pg-pitr, any `mktemp -d`): node_modules/pgNN/native is installed into a root-owned
// cache every user can read. Never writes into a folder another user could have planted.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The user server processes run as. */
export interface ServerUser {
  name: string;
  uid: number;
  gid: number;
}

function currentUid(): number {
  return typeof process.getuid === 'function' ? process.getuid() : -1;
}

/** Whether `user` can open files below `dir` (checked by the kernel: `test -x` run as that user). */
export function reachableBy(user: ServerUser, dir: string): boolean {
  if (user.uid === currentUid()) return fs.existsSync(dir);
  const r = spawnSync('test', ['-x', dir], { uid: user.uid, gid: user.gid, timeout: 10_000, stdio: 'ignore' });
  return r.status === 0;
}

const tmpRoots = new Map<number, string>();

/**
 * The temporary folder for the server's data directories, archives and sockets: os.tmpdir() when
 * the server user can reach it (TMPDIR may be a private folder), else /tmp.
 */
export function serverTmpDir(user: ServerUser): string {
  const known = tmpRoots.get(user.uid);
  if (known) return known;
  const choice = [os.tmpdir(), '/tmp'].find((d) => reachableBy(user, d));
  if (!choice) {
    throw new Error(
      `pg-pitr tests failed: the server user ${user.name} can reach neither ${os.tmpdir()} nor /tmp; ` +
        'set TMPDIR to a folder every user may traverse',
    );
  }
  tmpRoots.set(user.uid, choice);
  return choice;
}

/**
 * `dir`, created (mode 0755) when missing, after checking that only this process's user can change
 * it: a symbolic link, another user's folder or one writable by group or others (something
 * planted in a shared /tmp) is refused, since root would otherwise write where it points.
 */
export function ownedDir(dir: string): string {
  try {
    fs.mkdirSync(dir, { mode: 0o755 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const st = fs.lstatSync(dir);
  const uid = currentUid();
  let why: string | null = null;
  if (st.isSymbolicLink()) why = 'is a symbolic link';
  else if (!st.isDirectory()) why = 'is not a folder';
  else if (uid >= 0 && st.uid !== uid) why = `belongs to uid ${st.uid}, not to uid ${uid}`;
  else if ((st.mode & 0o022) !== 0) why = `is writable by group or others (mode ${(st.mode & 0o777).toString(8)})`;
  if (why !== null) {
    throw new Error(
      `pg-pitr tests failed: ${dir} ${why}; remove it, or set PG_PITR_SERVER_CACHE to a folder of your own`,
    );
  }
  return dir;
}

/**
 * The cache of installed server programs and initdb templates: PG_PITR_SERVER_CACHE, else
 * pg-pitr-<uid> in the server's temporary folder. Checked with ownedDir on every use.
 */
export function serverCacheDir(user: ServerUser): string {
  const dir = process.env.PG_PITR_SERVER_CACHE || path.join(serverTmpDir(user), `pg-pitr-${currentUid()}`);
  return ownedDir(path.resolve(dir));
}

// ---------------------------------------------------------------------------------------------
// Installing node_modules/pgNN/native

/** What a server needs of native/ (static libraries and pkg-config files stay behind). */
function installable(rel: string): boolean {
  return !rel.endsWith('.a') && rel !== 'lib/pkgconfig';
}

interface Entry {
  rel: string;
  kind: 'dir' | 'file' | 'link';
  /** 0755 for folders and programs, 0644 for the rest: only root may change the copy */
  mode: number;
  target?: string;
}

/** Every installed entry below native/ in a stable order; links stay links. */
function entries(nativeDir: string): Entry[] {
  const out: Entry[] = [];
  const walk = (rel: string): void => {
    const abs = path.join(nativeDir, rel);
    const st = fs.lstatSync(abs);
    if (st.isSymbolicLink()) out.push({ rel, kind: 'link', mode: 0o777, target: fs.readlinkSync(abs) });
    else if (st.isFile()) out.push({ rel, kind: 'file', mode: st.mode & 0o111 ? 0o755 : 0o644 });
    else if (st.isDirectory()) {
      out.push({ rel, kind: 'dir', mode: 0o755 });
      for (const name of fs.readdirSync(abs).sort()) if (installable(`${rel}/${name}`)) walk(`${rel}/${name}`);
    }
  };
  for (const part of ['bin', 'lib', 'share']) if (fs.existsSync(path.join(nativeDir, part))) walk(part);
  return out;
}

/** sha256 over the names, kinds, modes, link targets and file contents. */
function contentHash(nativeDir: string, list: Entry[]): string {
  const h = createHash('sha256');
  for (const e of list) {
    h.update(`${e.kind}\0${e.rel}\0${e.mode.toString(8)}\0${e.target ?? ''}\0`);
    if (e.kind === 'file') h.update(fs.readFileSync(path.join(nativeDir, e.rel)));
  }
  return h.digest('hex');
}

const MARKER = '.pg-pitr-installed';

function complete(dir: string): boolean {
  try {
    return fs.lstatSync(dir).isDirectory() && fs.existsSync(path.join(dir, MARKER));
  } catch {
    return false;
  }
}

/** Leftovers of an interrupted install (older than an hour, so never one in progress). */
function removeStaleTemps(root: string): void {
  for (const name of fs.readdirSync(root)) {
    if (!name.startsWith('.tmp-')) continue;
    const p = path.join(root, name);
    try {
      if (Date.now() - fs.lstatSync(p).mtimeMs > 3_600_000) fs.rmSync(p, { recursive: true, force: true });
    } catch {
      /* another process cleaned it */
    }
  }
}

const installs = new Map<string, string>();

/**
 * The native/ folder of a server package as the server user can run it: when that user is this
 * process's own, the package itself; else a copy in serverCacheDir()/postgres/<name>-<version>-<hash>,
 * installed atomically (copied into a private temporary folder, then renamed into place; a
 * concurrent install of the same content is as good as ours).
 */
export function installedNativeDir(nativeDir: string, name: string, version: string, user: ServerUser): string {
  if (user.uid === currentUid()) return nativeDir;
  const known = installs.get(nativeDir);
  if (known && complete(known)) return known;
  const list = entries(nativeDir);
  const key = `${name}-${version.replace(/[^\w.-]/g, '_')}-${contentHash(nativeDir, list).slice(0, 16)}`;
  const root = ownedDir(path.join(serverCacheDir(user), 'postgres'));
  const finalDir = path.join(root, key);
  if (!complete(finalDir)) {
    removeStaleTemps(root);
    const tmp = fs.mkdtempSync(path.join(root, `.tmp-${key}-`));
    try {
      for (const e of list) {
        const to = path.join(tmp, e.rel);
        if (e.kind === 'dir') fs.mkdirSync(to);
        else if (e.kind === 'link') fs.symlinkSync(e.target as string, to);
        else fs.copyFileSync(path.join(nativeDir, e.rel), to, fs.constants.COPYFILE_EXCL);
        if (e.kind !== 'link') fs.chmodSync(to, e.mode);
      }
      fs.writeFileSync(path.join(tmp, MARKER), `${JSON.stringify({ from: nativeDir, version })}\n`, { mode: 0o644 });
      fs.chmodSync(tmp, 0o755);
      try {
        fs.renameSync(tmp, finalDir);
      } catch (e) {
        if (!complete(finalDir)) throw e;
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  installs.set(nativeDir, finalDir);
  return finalDir;
}
