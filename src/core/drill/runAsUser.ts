// The OS user the scratch server runs as. PostgreSQL refuses to run as root, so a drill started as
// root needs --os-user (the folder and every file it writes are given to that user); otherwise the
// server runs as the current user. Programs are always started from argument lists, never a shell.
import { spawn, type SpawnOptions, spawnSync } from 'node:child_process';
import * as os from 'node:os';

import { DrillError } from './types';

export interface RunUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
  /** true when this process must switch to the user (it is root) */
  switchTo: boolean;
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function lookupUser(name: string): { uid: number; gid: number; home: string } | null {
  const r = spawnSync('getent', ['passwd', name], { encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0) return null;
  const f = r.stdout.trim().split(':');
  if (f.length < 7) return null;
  return { uid: Number(f[2]), gid: Number(f[3]), home: f[5] || '/' };
}

/** The user to run the server as, or a refusal saying why there is none. */
export function resolveRunUser(osUser: string | undefined): RunUser {
  const me = os.userInfo();
  if (!isRoot()) {
    if (osUser !== undefined && osUser !== me.username) {
      throw new DrillError(
        'refused',
        `--os-user ${osUser}: only root can run the server as another user (this is ${me.username}); leave --os-user out to run it as ${me.username}`,
      );
    }
    return { name: me.username, uid: me.uid, gid: me.gid, home: me.homedir, switchTo: false };
  }
  if (osUser === undefined || osUser.trim() === '') {
    throw new DrillError(
      'refused',
      'PostgreSQL refuses to run as root: give --os-user NAME, the unprivileged user to run the scratch ' +
        'server as (the scratch folder is given to that user), e.g. --os-user postgres',
    );
  }
  const u = lookupUser(osUser);
  if (u === null) throw new DrillError('refused', `--os-user ${osUser}: no such user on this machine`);
  if (u.uid === 0)
    throw new DrillError(
      'refused',
      `--os-user ${osUser} is root (uid 0): PostgreSQL refuses to run as root; name an unprivileged user`,
    );
  return { name: osUser, ...u, switchTo: true };
}

/** The environment of programs run for the drill: ours without PG* and LC_* (PGDATA, PGPORT... would change what they do), HOME/USER of the run user. */
export function childEnv(user: RunUser, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('PG') && !k.startsWith('LC_')) env[k] = v;
  return { ...env, HOME: user.home, USER: user.name, LOGNAME: user.name, ...extra };
}

export function spawnOptionsFor(user: RunUser, opts: SpawnOptions = {}): SpawnOptions {
  return { ...opts, env: opts.env ?? childEnv(user), ...(user.switchTo ? { uid: user.uid, gid: user.gid } : {}) };
}

/** The shell script is fixed text; the flags and paths are its arguments, never parsed as shell. */
const ACCESS_SCRIPT =
  'i=0; while [ "$#" -gt 0 ]; do test "$1" "$2" || { echo "$i"; exit 1; }; i=$((i+1)); shift 2; done';

/**
 * The index of the first check the user fails (`test -r|-w|-x file` run as that user, one
 * process for all), or null when every one passes.
 */
export function firstInaccessible(user: RunUser, checks: { flag: '-r' | '-w' | '-x'; file: string }[]): number | null {
  if (checks.length === 0) return null;
  const r = spawnSync('/bin/sh', ['-c', ACCESS_SCRIPT, 'pg-pitr-access', ...checks.flatMap((c) => [c.flag, c.file])], {
    ...spawnOptionsFor(user, { stdio: ['ignore', 'pipe', 'ignore'] }),
    encoding: 'utf8',
    timeout: 10_000,
  });
  if (r.status === 0) return null;
  const i = Number(String(r.stdout).trim());
  return Number.isInteger(i) && i >= 0 && i < checks.length ? i : 0;
}

export interface ProgramResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a program as the user, with a timeout and an abort signal (both kill it); output capped at 1 MB each. */
export function runProgram(
  file: string,
  args: string[],
  user: RunUser | null,
  opts: { timeoutMs: number; signal?: AbortSignal; cwd?: string; env?: NodeJS.ProcessEnv },
): Promise<ProgramResult> {
  return new Promise((resolve, reject) => {
    const base: SpawnOptions = { cwd: opts.cwd ?? os.tmpdir(), stdio: ['ignore', 'pipe', 'pipe'], env: opts.env };
    const child = spawn(file, args, user ? spawnOptionsFor(user, base) : { ...base, env: opts.env ?? process.env });
    let stdout = '';
    let stderr = '';
    const cap = (s: string, d: string) => (s.length < 1_000_000 ? s + d : s);
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout = cap(stdout, d)));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr = cap(stderr, d)));
    const kill = () => child.kill('SIGKILL');
    const timer = setTimeout(kill, opts.timeoutMs);
    opts.signal?.addEventListener('abort', kill, { once: true });
    child.on('error', (e) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', kill);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', kill);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
