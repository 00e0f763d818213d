// Finds the `postgres` server program of one major on this machine: only in the folder the user
// named (--pg-bin-dir, the pgPitr.pgBinDir setting) when there is one, else the PATH, then the
// per-major folders of Debian (/usr/lib/postgresql/N/bin), RHEL (/usr/pgsql-N/bin) and macOS
// (Homebrew, Postgres.app). The major of each candidate is read from its own `--version`.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { DrillError } from './types';

export interface ServerBinaries {
  dir: string;
  postgres: string;
  /** beside postgres (used only for the --keep instructions) */
  pgCtl: string;
  versionText: string;
}

/** Candidate folders for `major`, in the order they are tried. */
export function serverBinDirCandidates(
  major: number,
  explicitDir: string | undefined,
  envPath = process.env.PATH ?? '',
): string[] {
  if (explicitDir !== undefined && explicitDir.trim() !== '') return [path.resolve(explicitDir.trim())];
  const fromPath = envPath.split(path.delimiter).filter((d) => d !== '');
  const perMajor = [
    `/usr/lib/postgresql/${major}/bin`,
    `/usr/pgsql-${major}/bin`,
    `/opt/homebrew/opt/postgresql@${major}/bin`,
    `/usr/local/opt/postgresql@${major}/bin`,
    `/Applications/Postgres.app/Contents/Versions/${major}/bin`,
  ];
  return [...new Set([...fromPath, ...perMajor])];
}

/** "postgres (PostgreSQL) 16.4" → 16; "postgres (PostgreSQL) 9.6.24" → 9.6 stays unsupported (9) */
export function parseServerVersion(text: string): number | null {
  const m = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(text);
  if (!m) return null;
  return Number(m[1]);
}

function versionOf(file: string): string | null {
  try {
    return execFileSync(file, ['--version'], {
      encoding: 'utf8',
      timeout: 10_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return null;
  }
}

function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The server programs of `major`, or a refusal naming every place looked and what was there. */
export function findServerBinaries(major: number, explicitDir: string | undefined): ServerBinaries {
  const looked: string[] = [];
  for (const dir of serverBinDirCandidates(major, explicitDir)) {
    const postgres = path.join(dir, 'postgres');
    if (!isExecutableFile(postgres)) {
      // PATH folders without a server are the rule: only the named and the per-major folders are listed
      if (explicitDir || dir.includes(String(major)))
        looked.push(`${dir} (${fs.existsSync(dir) ? 'no postgres program' : 'absent'})`);
      continue;
    }
    const text = versionOf(postgres);
    const found = text === null ? null : parseServerVersion(text);
    if (found === major) return { dir, postgres, pgCtl: path.join(dir, 'pg_ctl'), versionText: text! };
    looked.push(
      `${postgres} (${text === null ? '--version failed' : found === null ? `"${text}"` : `PostgreSQL ${found}`})`,
    );
  }
  const where = explicitDir
    ? `in ${path.resolve(explicitDir)} (--pg-bin-dir / pgPitr.pgBinDir)`
    : 'on the PATH or in the usual folders';
  throw new DrillError(
    'refused',
    `no PostgreSQL ${major} server program (postgres) ${where}: the backup is PostgreSQL ${major} and ` +
      `only that major can recover it; looked at ${explicitDir ? '' : 'the PATH, '}${looked.join(', ')}; give ` +
      `--pg-bin-dir DIR, the folder holding postgres ${major}`,
  );
}
