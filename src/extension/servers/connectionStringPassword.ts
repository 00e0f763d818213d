// A password typed into a connection string must not end up in settings.json: take it out (it
// goes to SecretStorage) and keep the rest. Handles URIs (postgresql://user:secret@host/db,
// ?password=...) and libpq key=value strings (password=secret or password='se cret'), split where
// libpq splits them: in a URI the user name and password end at the first "@" before any "/", so
// "?" and "#" belong to the password. A string that would still carry a password is never saved.
// No vscode here (unit-tested).
import { ConnectionConfigError } from '../../core/server/connectionErrors';
import { parseConnectionString } from '../../core/server/conninfo';

export interface SplitConnectionString {
  connectionString: string;
  password?: string;
}

export function splitPassword(conn: string): SplitConnectionString {
  const s = conn.trim();
  return /^postgres(ql)?:\/\//i.test(s) ? splitUri(s) : splitKeywordValue(s);
}

/**
 * What Add/Edit Server may save from a typed connection string: the string without its password,
 * and the password for secret storage; or why it cannot be saved (a string libpq refuses, with a
 * message that quotes no password, or one that would still hold a password once saved).
 */
export function connectionStringForSettings(input: string): SplitConnectionString | { error: string } {
  const parse = (s: string): Map<string, string> | { error: string } => {
    try {
      return parseConnectionString(s);
    } catch (e) {
      if (e instanceof ConnectionConfigError) return { error: e.message };
      throw e;
    }
  };
  // the string as typed first: its messages never quote a password (the split one's might, as a
  // tail of a password cut at an unencoded '&' would no longer follow its keyword)
  const typed = parse(input.trim());
  if ('error' in typed) return typed;
  const split = splitPassword(input);
  const kept = parse(split.connectionString);
  if ('error' in kept)
    return { error: 'the connection string cannot be saved without its password: remove the password' };
  if (kept.has('password'))
    return {
      error:
        'the password cannot be taken out of this connection string: remove it (pg-pitr asks for it and keeps it in secret storage)',
    };
  const password = typed.get('password');
  // libpq's own decoding of the password (percent-escapes, quotes), as the server will receive it
  return password === undefined ? { connectionString: split.connectionString } : { ...split, password };
}

function splitUri(uri: string): SplitConnectionString {
  const start = uri.indexOf('://') + 3;
  // libpq looks ahead for the "@" ending the credentials, up to the first "/"
  let p = start;
  while (p < uri.length && uri[p] !== '@' && uri[p] !== '/') p++;
  let out = uri;
  let password: string | undefined;
  let queryFrom = start;
  if (uri[p] === '@') {
    const colon = uri.indexOf(':', start);
    if (colon !== -1 && colon < p) {
      password = safeDecode(uri.slice(colon + 1, p));
      out = uri.slice(0, colon) + uri.slice(p);
      queryFrom = colon + 1;
    } else queryFrom = p + 1;
  }
  // the parameters start at the first "?" after the credentials; "#" is no fragment for libpq
  const q = out.indexOf('?', queryFrom);
  if (q !== -1) {
    const kept: string[] = [];
    for (const part of out.slice(q + 1).split('&')) {
      const eq = part.indexOf('=');
      if (eq !== -1 && safeDecode(part.slice(0, eq)) === 'password') password = safeDecode(part.slice(eq + 1));
      else kept.push(part);
    }
    out = out.slice(0, q) + (kept.length > 0 ? `?${kept.join('&')}` : '');
  }
  return password === undefined ? { connectionString: uri } : { connectionString: out, password };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** libpq keyword/value: `key = value` pairs separated by whitespace; values may be single-quoted with \' and \\ escapes. */
function splitKeywordValue(s: string): SplitConnectionString {
  const kept: string[] = [];
  let password: string | undefined;
  let i = 0;
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i]!)) i++;
    if (i >= s.length) break;
    const start = i;
    while (i < s.length && s[i] !== '=' && !/\s/.test(s[i]!)) i++;
    const key = s.slice(start, i);
    while (i < s.length && /\s/.test(s[i]!)) i++;
    if (s[i] !== '=') {
      // not key=value: keep it untouched, libpq will report it
      kept.push(key);
      continue;
    }
    i++;
    while (i < s.length && /\s/.test(s[i]!)) i++;
    let value = '';
    const valueStart = i;
    if (s[i] === "'") {
      i++;
      while (i < s.length && s[i] !== "'") {
        if (s[i] === '\\' && i + 1 < s.length) i++;
        value += s[i];
        i++;
      }
      i++;
    } else {
      while (i < s.length && !/\s/.test(s[i]!)) {
        if (s[i] === '\\' && i + 1 < s.length) i++;
        value += s[i];
        i++;
      }
    }
    if (key === 'password') password = value;
    else kept.push(`${key}=${s.slice(valueStart, i)}`);
  }
  return password === undefined ? { connectionString: s } : { connectionString: kept.join(' '), password };
}
