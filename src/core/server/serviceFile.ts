// pg_service.conf lookup, as libpq 18 does it (parseServiceInfo / parseServiceFile in
// fe-connect.c): the per-user file (PGSERVICEFILE, else ~/.pg_service.conf) first, then
// PGSYSCONFDIR/pg_service.conf; the first file holding [service] wins and the other is not read.
// Checked against libpq 18 (PQconnectStart + PQconninfo): a PGSERVICEFILE that does not exist is
// an error, a missing ~/.pg_service.conf is not; keys and values are not trimmed inside a line.

import * as fs from 'node:fs';
import * as path from 'node:path';

import { ConnectionConfigError } from './connectionErrors';
import { LIBPQ_KEYWORDS } from './conninfo';

/**
 * libpq's compiled-in SYSCONFDIR, used when PGSYSCONFDIR is unset. It differs per build; we take
 * the first that exists of Debian/Ubuntu's (/etc/postgresql-common), the PGDG RPMs'
 * (/etc/sysconfig/pgsql) and a source build's default (/usr/local/pgsql/etc).
 */
export function defaultSysconfDir(): string {
  const candidates = ['/etc/postgresql-common', '/etc/sysconfig/pgsql', '/usr/local/pgsql/etc'];
  return candidates.find((d) => fs.existsSync(d)) ?? candidates[candidates.length - 1]!;
}

export interface ServiceLookupOptions {
  env: NodeJS.ProcessEnv;
  homeDir: string;
  /** the connection string's `servicefile` (libpq 18), wins over PGSERVICEFILE */
  serviceFile?: string;
  /** replaces defaultSysconfDir() when PGSYSCONFDIR is unset (tests) */
  sysconfDir?: string;
  /** default process.platform; on Windows the user file is %APPDATA%\postgresql\.pg_service.conf */
  platform?: NodeJS.Platform;
}

export interface ServiceEntry {
  /** keyword → value, first occurrence in the section wins (libpq never overrides a value already set) */
  values: Map<string, string>;
  /** the file the service was found in */
  file: string;
}

/** The files libpq reads for a service, in order. */
export function serviceFileCandidates(opts: ServiceLookupOptions): string[] {
  const home =
    (opts.platform ?? process.platform) === 'win32'
      ? path.win32.join(opts.env.APPDATA ?? opts.homeDir, 'postgresql')
      : opts.homeDir;
  const user = opts.serviceFile ?? opts.env.PGSERVICEFILE ?? path.join(home, '.pg_service.conf');
  const sysconf = opts.env.PGSYSCONFDIR ?? opts.sysconfDir ?? defaultSysconfDir();
  return [user, path.join(sysconf, 'pg_service.conf')];
}

/**
 * Finds [service] in the service files. Throws ConnectionConfigError with libpq's message when
 * the service is defined nowhere or its section has a syntax error.
 */
export function lookupService(service: string, opts: ServiceLookupOptions): ServiceEntry {
  const [userFile, systemFile] = serviceFileCandidates(opts) as [string, string];
  // a file named by PGSERVICEFILE (or servicefile) must exist; ~/.pg_service.conf and the system file may not
  const named = opts.serviceFile !== undefined || opts.env.PGSERVICEFILE !== undefined;
  for (const file of [userFile, systemFile]) {
    if (!(file === userFile && named) && !fs.existsSync(file)) continue;
    const values = readServiceSection(file, service);
    if (values) return { values, file };
  }
  throw new ConnectionConfigError(`definition of service "${service}" not found`);
}

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';
}

/** The keyword/value pairs of [service] in one file, or null when the file has no such section. */
export function readServiceSection(file: string, service: string): Map<string, string> | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'latin1');
  } catch (e) {
    // fopen() of a directory succeeds and reads nothing in libpq
    if ((e as NodeJS.ErrnoException).code === 'EISDIR') return null;
    throw new ConnectionConfigError(`service file "${file}" not found`);
  }
  // latin1 keeps bytes 1:1 so that lengths are libpq's; values are turned back into UTF-8 below
  const utf8 = (s: string) => Buffer.from(s, 'latin1').toString('utf8');
  const name = Buffer.from(service, 'utf8').toString('latin1');
  let found = false;
  let values: Map<string, string> | null = null;
  const lines = text.split(/(?<=\n)/);
  for (let n = 0; n < lines.length; n++) {
    let line = lines[n]!;
    const linenr = n + 1;
    // libpq reads with fgets() into a 1024-byte buffer
    if (line.length >= 1023) throw new ConnectionConfigError(`line ${linenr} too long in service file "${file}"`);
    let end = line.length;
    while (end > 0 && isSpace(line[end - 1])) end--;
    let start = 0;
    while (start < end && isSpace(line[start])) start++;
    line = line.slice(start, end);
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('[')) {
      // the end of the wanted section ends the search
      if (found) break;
      // libpq compares a prefix and the ']' after it: anything after the ']' is ignored
      found = line.slice(1, 1 + name.length) === name && line[name.length + 1] === ']';
      if (found) values ??= new Map();
      continue;
    }
    if (!found) continue;
    const eq = line.indexOf('=');
    if (eq === -1) throw new ConnectionConfigError(`syntax error in service file "${file}", line ${linenr}`);
    // neither side is trimmed: "host = x" is the unknown keyword "host "
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (key === 'service') {
      throw new ConnectionConfigError(
        `nested service specifications not supported in service file "${file}", line ${linenr}`,
      );
    }
    if (!LIBPQ_KEYWORDS.has(key))
      throw new ConnectionConfigError(`syntax error in service file "${file}", line ${linenr}`);
    if (!values!.has(key)) values!.set(key, utf8(value));
  }
  return values;
}
