// Finds a PostgreSQL client program (pg_basebackup, pg_verifybackup) on this machine: the folder
// of the setting pgPitr.pgBinDir when set (and only there, so the user's choice is never
// overridden), else the PATH, else the per-major folders distributions install (Debian's
// /usr/lib/postgresql/N/bin keeps pg_verifybackup off the PATH; RHEL's /usr/pgsql-N/bin).
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { log } from '../log';
import { settings } from '../settings';

export interface FoundProgram {
  file: string;
  /** first line of `<program> --version`, e.g. "pg_basebackup (PostgreSQL) 17.2" */
  versionText: string;
}

export type ProgramLookup = { found: FoundProgram } | { error: string };

const VERSION_TIMEOUT_MS = 5000;

/** pgPitr.pgBinDir from the user's settings (a workspace's value is ignored: see settings.ts). */
export function configuredBinDir(): string {
  if (settings.pgBinDirSetByWorkspace() && !warnedWorkspaceBinDir) {
    warnedWorkspaceBinDir = true;
    log().warn(
      'pgPitr.pgBinDir in the workspace settings is ignored: only your user settings choose the programs pg-pitr runs',
    );
  }
  return settings.pgBinDir();
}
let warnedWorkspaceBinDir = false;

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Distribution folders holding one major each, newest major first. */
function versionedBinDirs(): string[] {
  const dirs: { major: number; dir: string }[] = [];
  const scan = (parent: string, pattern: RegExp, toDir: (entry: string) => string): void => {
    try {
      for (const entry of fs.readdirSync(parent)) {
        const m = pattern.exec(entry);
        if (m) dirs.push({ major: Number(m[1]), dir: toDir(entry) });
      }
    } catch {
      /* not this distribution */
    }
  };
  scan('/usr/lib/postgresql', /^(\d+)$/, (e) => path.join('/usr/lib/postgresql', e, 'bin'));
  scan('/usr', /^pgsql-(\d+)$/, (e) => path.join('/usr', e, 'bin'));
  return dirs.sort((a, b) => b.major - a.major).map((d) => d.dir);
}

/** Candidate paths for `program`, in the order they are tried. */
export function programCandidates(program: string, binDir: string, envPath = process.env.PATH ?? ''): string[] {
  if (binDir) return [path.join(binDir, program)];
  const fromPath = envPath
    .split(path.delimiter)
    .filter((d) => d !== '')
    .map((d) => path.join(d, program));
  const versioned = versionedBinDirs().map((d) => path.join(d, program));
  // Debian's /usr/bin/pg_basebackup is pg_wrapper, which runs the client of the local cluster's
  // version (possibly older than the server to back up): the newest versioned folder goes first
  const wrapped = fromPath.filter(isPgWrapper);
  return [...fromPath.filter((f) => !wrapped.includes(f)), ...versioned, ...wrapped];
}

function isPgWrapper(file: string): boolean {
  try {
    return path.basename(fs.realpathSync(file)) === 'pg_wrapper';
  } catch {
    return false;
  }
}

function versionOf(file: string): Promise<string | { error: string }> {
  return new Promise((resolve) => {
    execFile(file, ['--version'], { timeout: VERSION_TIMEOUT_MS, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) resolve({ error: `${file} --version failed: ${(stderr || err.message).trim()}` });
      else resolve(stdout.split('\n')[0]?.trim() ?? '');
    });
  });
}

export async function findPgProgram(program: 'pg_basebackup' | 'pg_verifybackup'): Promise<ProgramLookup> {
  const binDir = configuredBinDir();
  const file = programCandidates(program, binDir).find(isExecutable);
  if (!file) {
    return {
      error: binDir
        ? `${program} is not in ${binDir} (setting pgPitr.pgBinDir).`
        : `${program} was not found on the PATH or in the usual PostgreSQL folders. Install the PostgreSQL ` +
          `client programs, or set pgPitr.pgBinDir to the folder holding ${program}.`,
    };
  }
  const v = await versionOf(file);
  if (typeof v !== 'string') return { error: v.error };
  return { found: { file, versionText: v } };
}
