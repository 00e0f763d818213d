// The password file (~/.pgpass, PGPASSFILE), read as libpq 18 reads it (passwordFromFile /
// pwdfMatchesString in fe-connect.c): lines host:port:database:user:password, `*` matches
// anything, `\` escapes the next character, the first matching line wins, and a file with any
// group or other permission bit is ignored with a warning.

import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * libpq's compiled-in DEFAULT_PGSOCKET_DIR, which the host `localhost` of a password file line
 * also matches. It is /var/run/postgresql in Debian/Ubuntu and RPM builds and /tmp in a source
 * build; pg-pitr is no particular build, so both count.
 */
export const DEFAULT_SOCKET_DIRS: readonly string[] = ['/var/run/postgresql', '/tmp'];

export interface PasswordQuery {
  /** host name, IP address or Unix socket directory; '' = the default socket */
  host: string;
  port: number | string;
  database: string;
  user: string;
}

export interface PasswordFileResult {
  /** null when no line matches (or the file is missing or ignored) */
  password: string | null;
  /** why the file was ignored, in libpq's words; null when it was read (or does not exist) */
  warning: string | null;
}

/** Where libpq looks: the `passfile` option, else PGPASSFILE, else ~/.pgpass (%APPDATA%\postgresql\pgpass.conf on Windows). */
export function passwordFilePath(opts: {
  passfile?: string;
  env: NodeJS.ProcessEnv;
  homeDir: string;
  platform?: NodeJS.Platform;
}): string {
  if (opts.passfile) return opts.passfile;
  if (opts.env.PGPASSFILE) return opts.env.PGPASSFILE;
  if ((opts.platform ?? process.platform) === 'win32')
    return path.win32.join(opts.env.APPDATA ?? opts.homeDir, 'postgresql', 'pgpass.conf');
  return path.join(opts.homeDir, '.pgpass');
}

// the file is compared byte by byte: keep bytes 1:1 in a latin1 string
const asBytes = (s: string) => Buffer.from(s, 'utf8').toString('latin1');

/** pwdfMatchesString: the rest of the line after `token:` when the field matches, else null. */
function matchField(line: string, pos: number, token: string): number | null {
  if (line[pos] === '*' && line[pos + 1] === ':') return pos + 2;
  let t = 0;
  let i = pos;
  while (i < line.length) {
    let escaped = false;
    if (line[i] === '\\') {
      i++;
      escaped = true;
    }
    if (line[i] === ':' && t === token.length && !escaped) return i + 1;
    if (t === token.length) return null;
    if (line[i] === token[t]) {
      i++;
      t++;
    } else {
      return null;
    }
  }
  return null;
}

/**
 * The password for (host, port, database, user) from `file`. A missing file gives no password and
 * no warning; a file that is not a plain file, or that group or others may access, is ignored with
 * libpq's warning (on Windows libpq does not check permissions, nor do we).
 */
export function lookupPassword(
  file: string,
  q: PasswordQuery,
  platform: NodeJS.Platform = process.platform,
): PasswordFileResult {
  if (q.database === '' || q.user === '') return { password: null, warning: null };
  let host = q.host;
  if (host === '' || DEFAULT_SOCKET_DIRS.includes(host)) host = 'localhost';
  const port = String(q.port) || '5432';

  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return { password: null, warning: null };
  }
  if (platform !== 'win32') {
    if (!st.isFile()) return { password: null, warning: `password file "${file}" is not a plain file` };
    if ((st.mode & 0o077) !== 0) {
      return {
        password: null,
        warning: `password file "${file}" has group or world access; permissions should be u=rw (0600) or less`,
      };
    }
  }
  let text: string;
  try {
    text = fs.readFileSync(file, 'latin1');
  } catch {
    return { password: null, warning: null };
  }
  const tokens = [host, port, q.database, q.user].map(asBytes);
  for (const rawLine of text.split('\n')) {
    if (rawLine.startsWith('#')) continue;
    // pg_strip_crlf
    const line = rawLine.replace(/[\r\n]+$/, '');
    if (line === '') continue;
    let pos: number | null = 0;
    for (const token of tokens) {
      pos = matchField(line, pos, token);
      if (pos === null) break;
    }
    if (pos === null) continue;
    // de-escape the password up to the first unescaped ':'
    let password = '';
    for (let i = pos; i < line.length && line[i] !== ':'; i++) {
      if (line[i] === '\\' && i + 1 < line.length) i++;
      password += line[i];
    }
    return { password: Buffer.from(password, 'latin1').toString('utf8'), warning: null };
  }
  return { password: null, warning: null };
}
