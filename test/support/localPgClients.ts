// The PostgreSQL client programs installed on this machine (pg_basebackup, pg_verifybackup), for
// tests that run the real ones. The server packages (node_modules/pgNN) ship none; Debian's
// postgresql-client-N puts them in /usr/lib/postgresql/N/bin (.ci/run installs postgresql-client),
// and a PATH may hold others. The major of each is read from its `--version`, with the product's
// own parser.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { parsePgBasebackupVersion } from '../../src/core/basebackup/baseBackupArgs';

export interface LocalPgClient {
  /** major of pg_basebackup --version (9.6 style numbers for pre-10 clients) */
  major: number;
  /** folder holding pg_basebackup (and, 13+, pg_verifybackup) */
  dir: string;
}

const DEBIAN_ROOT = '/usr/lib/postgresql';

function versionOf(file: string): number | null {
  if (!fs.existsSync(file)) return null;
  const r = spawnSync(file, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0) return null;
  return parsePgBasebackupVersion(r.stdout);
}

let cached: { clients: LocalPgClient[]; debianMajors: number[] } | undefined;

function scan(): { clients: LocalPgClient[]; debianMajors: number[] } {
  if (cached) return cached;
  const clients: LocalPgClient[] = [];
  const debianMajors: number[] = [];
  let entries: string[] = [];
  try {
    entries = fs.readdirSync(DEBIAN_ROOT);
  } catch {
    /* no Debian layout */
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    debianMajors.push(Number(e));
    const dir = path.join(DEBIAN_ROOT, e, 'bin');
    const major = versionOf(path.join(dir, 'pg_basebackup'));
    if (major !== null) clients.push({ major, dir });
  }
  // PATH after the Debian folders: Debian's /usr/bin/pg_basebackup is a wrapper around one of them.
  for (const d of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!d || clients.some((c) => c.dir === d)) continue;
    const major = versionOf(path.join(d, 'pg_basebackup'));
    if (major !== null && !clients.some((c) => c.major === major)) clients.push({ major, dir: d });
  }
  cached = { clients, debianMajors };
  return cached;
}

export function localPgClients(): LocalPgClient[] {
  return scan().clients;
}

/**
 * The client that backs up a PostgreSQL `serverMajor` server: the oldest local pg_basebackup of
 * that major or newer (the same major when there is one), since an older one refuses the server
 * (it stops with "incompatible server version"). Else null and why,
 * with `expected` true when this machine should have had one: no client programs at all (CI
 * installs them), or a Debian client folder of that major or newer without pg_basebackup.
 */
export function baseBackupClientFor(
  serverMajor: number,
): { client: LocalPgClient } | { client: null; why: string; expected: boolean } {
  const { clients, debianMajors } = scan();
  const fit = clients.filter((c) => c.major >= serverMajor).sort((a, b) => a.major - b.major)[0];
  if (fit) return { client: fit };
  if (clients.length === 0) {
    return {
      client: null,
      why: `no pg_basebackup in ${DEBIAN_ROOT}/N/bin or on the PATH (install Debian's postgresql-client)`,
      expected: true,
    };
  }
  const broken = debianMajors.filter((m) => m >= serverMajor);
  if (broken.length > 0) {
    return { client: null, why: `${DEBIAN_ROOT}/${broken[0]}/bin has no working pg_basebackup`, expected: true };
  }
  const newest = Math.max(...clients.map((c) => c.major));
  return { client: null, why: `the newest local pg_basebackup is ${newest}, older than the server`, expected: false };
}

/** Major of the pg_verifybackup next to a client's pg_basebackup; null when there is none (before 13). */
export function verifyBackupMajor(client: LocalPgClient): number | null {
  return versionOf(path.join(client.dir, 'pg_verifybackup'));
}
