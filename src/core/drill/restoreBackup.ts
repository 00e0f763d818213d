// Restores a base backup into the scratch folder: a plain backup is copied (links dereferenced, so
// nothing in the copy points back at the backup or at production), a tar backup is extracted by the
// system's tar (fed by gzip / lz4 / zstd, or by this process for an uncompressed tar) running as
// the run user, and tablespaces land in scratch/tablespaces/<oid> with the copy's links and
// tablespace_map pointing there. pgBackRest restores are in pgbackrestRestore.ts.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { Compression, FolderBackup, TarFile } from './backupSource';
import { childEnv, type RunUser, spawnOptionsFor } from './runAsUser';
import type { Scratch } from './scratchFolder';
import { DrillError } from './types';

/** Files a copy must not carry: a postmaster.pid naming a live process would stop the server from starting. */
const SKIPPED_TOP_FILES = new Set(['postmaster.pid', 'postmaster.opts']);
const COPY_CONCURRENCY = 8;

function chown(p: string, user: RunUser, link = false): void {
  if (!user.switchTo) return;
  if (link) fs.lchownSync(p, user.uid, user.gid);
  else fs.chownSync(p, user.uid, user.gid);
}

/** A small pool: at most `n` copies in flight. */
async function pool(tasks: (() => Promise<void>)[], n: number, signal?: AbortSignal): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      if (signal?.aborted) throw new DrillError('cancelled', 'cancelled while restoring the backup');
      await tasks[next++]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, tasks.length) }, worker));
}

/**
 * Copies `src` into `dest` (which exists): directories with their modes, files (cloned where the
 * file system can), symbolic links followed. Returns the tablespace links found in pg_tblspc
 * (oid → target) when `tablespaceLinks` is set, without copying them.
 */
async function copyTree(
  src: string,
  dest: string,
  user: RunUser,
  signal: AbortSignal | undefined,
  top: boolean,
): Promise<Map<string, string>> {
  const tablespaces = new Map<string, string>();
  const tasks: (() => Promise<void>)[] = [];
  const walk = (from: string, to: string, rel: string) => {
    for (const e of fs.readdirSync(from, { withFileTypes: true })) {
      const f = path.join(from, e.name);
      const t = path.join(to, e.name);
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      if (top && rel === '' && SKIPPED_TOP_FILES.has(e.name)) continue;
      if (top && rel === 'pg_tblspc' && e.isSymbolicLink()) {
        tablespaces.set(e.name, fs.readlinkSync(f));
        continue;
      }
      let st: fs.Stats;
      try {
        st = fs.statSync(f); // follows links
      } catch (err) {
        throw new DrillError(
          'restore-failed',
          `${f} cannot be read${e.isSymbolicLink() ? ' (a link whose target is missing)' : ''}: ${(err as Error).message}`,
        );
      }
      if (st.isDirectory()) {
        fs.mkdirSync(t, { mode: st.mode & 0o7777 });
        chown(t, user);
        walk(f, t, childRel);
      } else if (st.isFile()) {
        tasks.push(async () => {
          await fs.promises.copyFile(f, t, fs.constants.COPYFILE_FICLONE);
          await fs.promises.chmod(t, st.mode & 0o7777);
          if (user.switchTo) await fs.promises.chown(t, user.uid, user.gid);
        });
      }
    }
  };
  walk(src, dest, '');
  await pool(tasks, COPY_CONCURRENCY, signal);
  return tablespaces;
}

/** Copies a plain backup into scratch/data and its tablespaces into scratch/tablespaces/<oid>. */
export async function restorePlainBackup(
  backup: FolderBackup,
  scratch: Scratch,
  user: RunUser,
  signal?: AbortSignal,
): Promise<string[]> {
  const notes: string[] = [];
  let links: Map<string, string>;
  try {
    links = await copyTree(backup.dir, scratch.dataDir, user, signal, true);
  } catch (e) {
    if (e instanceof DrillError) throw e;
    throw new DrillError(
      'restore-failed',
      `copying the backup ${backup.dir} into ${scratch.dataDir} failed: ${(e as Error).message}`,
    );
  }
  for (const [oid, target] of links) {
    const abs = path.resolve(backup.dir, 'pg_tblspc', target);
    if (!fs.existsSync(abs)) {
      throw new DrillError(
        'refused',
        `tablespace ${oid} of the backup links to ${target}, which does not exist here: a drill copies ` +
          `every tablespace into the scratch folder and never starts a copy pointing at another folder`,
      );
    }
    const dest = path.join(scratch.tablespaceDir, oid);
    fs.mkdirSync(dest, { mode: 0o700 });
    chown(dest, user);
    await copyTree(abs, dest, user, signal, false);
    relinkTablespace(scratch, oid, user);
    notes.push(`tablespace ${oid} (${target} in the backup) copied to ${dest}`);
  }
  notes.push(...rewriteTablespaceMap(scratch, user));
  return notes;
}

function relinkTablespace(scratch: Scratch, oid: string, user: RunUser): void {
  const link = path.join(scratch.dataDir, 'pg_tblspc', oid);
  fs.mkdirSync(path.dirname(link), { recursive: true, mode: 0o700 });
  fs.rmSync(link, { force: true });
  fs.symlinkSync(path.join(scratch.tablespaceDir, oid), link);
  chown(link, user, true);
}

/**
 * tablespace_map (written by the low-level API and by pg_basebackup's tar format) makes the
 * starting server create pg_tblspc links to the paths it lists, which are production's: every line
 * is rewritten to the scratch copy of that tablespace, and a tablespace that was not restored is a
 * refusal.
 */
export function rewriteTablespaceMap(scratch: Scratch, user: RunUser): string[] {
  const file = path.join(scratch.dataDir, 'tablespace_map');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  if (text.trim() === '') return [];
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const m = /^(\d+) (.*)$/.exec(line.replace(/\r$/, ''));
    if (!m)
      throw new DrillError(
        'refused',
        `tablespace_map line "${line}" is not "<oid> <path>": the drill cannot tell where the tablespace would go`,
      );
    const dest = path.join(scratch.tablespaceDir, m[1]);
    if (!fs.existsSync(dest))
      throw new DrillError(
        'refused',
        `tablespace ${m[1]} (${m[2]}) is listed in tablespace_map but was not in the backup: the copy would use ${m[2]} itself`,
      );
    // the server reads backslash escapes in the path (PG 15+ writes them for \ and newline)
    out.push(`${m[1]} ${dest.replace(/\\/g, '\\\\')}`);
  }
  fs.writeFileSync(file, out.join('\n') + '\n', { mode: 0o600 });
  chown(file, user);
  return [`tablespace_map rewritten to point into ${scratch.tablespaceDir}`];
}

const DECOMPRESSORS: Record<Exclude<Compression, 'none'>, { program: string; args: string[]; install: string }> = {
  gzip: { program: 'gzip', args: ['-dc'], install: 'gzip' },
  lz4: { program: 'lz4', args: ['-dc'], install: 'lz4' },
  zstd: { program: 'zstd', args: ['-dc'], install: 'zstd' },
};

/** The absolute path of a program on the PATH, or null. */
export function whichProgram(program: string, envPath = process.env.PATH ?? ''): string | null {
  for (const d of envPath.split(path.delimiter)) {
    if (!d) continue;
    const f = path.join(d, program);
    try {
      fs.accessSync(f, fs.constants.X_OK);
      if (fs.statSync(f).isFile()) return f;
    } catch {
      /* next */
    }
  }
  return null;
}

/** Refuses before anything is extracted when a program a tar backup needs is missing. */
export function tarProgramsMissing(backup: Extract<FolderBackup, { format: 'tar' }>): string | null {
  const needed = new Set<string>(['tar']);
  for (const t of [backup.base, ...(backup.wal ? [backup.wal] : []), ...backup.tablespaces.map((x) => x.tar)]) {
    if (t.compression !== 'none') needed.add(DECOMPRESSORS[t.compression].program);
  }
  const missing = [...needed].filter((p) => whichProgram(p) === null);
  if (missing.length === 0) return null;
  return (
    `the tar backup needs ${missing.join(' and ')}, not found on the PATH (${process.env.PATH ?? ''}): install ${missing.map((p) => (p === 'tar' ? 'tar' : DECOMPRESSORS[p as 'lz4'].install)).join(' and ')} ` +
    `(Debian/Ubuntu: apt-get install ${missing.join(' ')}; macOS: brew install ${missing.join(' ')})`
  );
}

/** Extracts one tar file into `dest`: the decompressor (as this process, which can read the backup) feeds tar (as the run user). */
function extractTar(dir: string, t: TarFile, dest: string, user: RunUser, signal?: AbortSignal): Promise<void> {
  const file = path.join(dir, t.file);
  return new Promise((resolve, reject) => {
    const tar = spawn(
      'tar',
      ['-xf', '-', '-C', dest],
      spawnOptionsFor(user, { stdio: ['pipe', 'ignore', 'pipe'], env: childEnv(user), cwd: dest }),
    );
    let feeder: ReturnType<typeof spawn> | null = null;
    let feederErr = '';
    let tarErr = '';
    tar.stderr?.setEncoding('utf8').on('data', (d: string) => (tarErr = (tarErr + d).slice(-4000)));
    if (t.compression === 'none') {
      const rs = fs.createReadStream(file);
      rs.on('error', (e) => reject(new DrillError('restore-failed', `reading ${file} failed: ${e.message}`)));
      rs.pipe(tar.stdin!);
    } else {
      const d = DECOMPRESSORS[t.compression];
      feeder = spawn(d.program, [...d.args, file], { stdio: ['ignore', 'pipe', 'pipe'] });
      feeder.stderr?.setEncoding('utf8').on('data', (x: string) => (feederErr = (feederErr + x).slice(-4000)));
      feeder.stdout!.pipe(tar.stdin!);
      feeder.on('error', (e) => reject(new DrillError('refused', `${d.program} cannot be run: ${e.message}`)));
    }
    tar.stdin?.on('error', () => undefined); // tar died early: its exit status says why
    const kill = () => {
      feeder?.kill('SIGKILL');
      tar.kill('SIGKILL');
    };
    signal?.addEventListener('abort', kill, { once: true });
    let feederDone: Promise<number | null> = Promise.resolve(0);
    if (feeder) feederDone = new Promise((res) => feeder!.on('close', (code) => res(code)));
    tar.on('error', (e) => reject(new DrillError('refused', `tar cannot be run: ${e.message}`)));
    tar.on('close', async (code) => {
      const fcode = await feederDone;
      signal?.removeEventListener('abort', kill);
      if (signal?.aborted) return reject(new DrillError('cancelled', 'cancelled while extracting the backup'));
      if (fcode !== 0)
        return reject(
          new DrillError(
            'restore-failed',
            `${t.file} could not be decompressed (${DECOMPRESSORS[t.compression as 'lz4'].program} exit ${String(fcode)}): ${feederErr.trim()}`,
          ),
        );
      if (code !== 0)
        return reject(
          new DrillError(
            'restore-failed',
            `${t.file} could not be extracted (tar exit ${String(code)}): ${tarErr.trim()}`,
          ),
        );
      resolve();
    });
  });
}

/** Extracts base.tar into scratch/data, pg_wal.tar into its pg_wal, <oid>.tar into scratch/tablespaces/<oid>. */
export async function restoreTarBackup(
  backup: Extract<FolderBackup, { format: 'tar' }>,
  scratch: Scratch,
  user: RunUser,
  signal?: AbortSignal,
): Promise<string[]> {
  const missing = tarProgramsMissing(backup);
  if (missing) throw new DrillError('refused', missing);
  const notes: string[] = [];
  await extractTar(backup.dir, backup.base, scratch.dataDir, user, signal);
  if (backup.wal) {
    const walDir = path.join(scratch.dataDir, 'pg_wal');
    fs.mkdirSync(walDir, { recursive: true, mode: 0o700 });
    chown(walDir, user);
    await extractTar(backup.dir, backup.wal, walDir, user, signal);
  }
  for (const ts of backup.tablespaces) {
    const dest = path.join(scratch.tablespaceDir, ts.oid);
    fs.mkdirSync(dest, { mode: 0o700 });
    chown(dest, user);
    await extractTar(backup.dir, ts.tar, dest, user, signal);
    relinkTablespace(scratch, ts.oid, user);
    notes.push(`tablespace ${ts.oid} extracted to ${dest}`);
  }
  // a tar member linking pg_tblspc/<oid> elsewhere, without a tar of its own: refuse
  const tblspc = path.join(scratch.dataDir, 'pg_tblspc');
  for (const e of fs.existsSync(tblspc) ? fs.readdirSync(tblspc) : []) {
    const dest = path.join(scratch.tablespaceDir, e);
    if (!fs.existsSync(dest))
      throw new DrillError(
        'refused',
        `pg_tblspc/${e} in ${backup.base.file} has no ${e}.tar beside it: the copy would use the original tablespace folder`,
      );
  }
  notes.push(...rewriteTablespaceMap(scratch, user));
  // the server insists on owner-only access to its data directory
  fs.chmodSync(scratch.dataDir, 0o700);
  return notes;
}
