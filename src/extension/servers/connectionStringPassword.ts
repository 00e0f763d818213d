// A password typed into a connection string must not end up in settings.json: take it out (it
// goes to SecretStorage) and keep the rest. Handles URIs (postgresql://user:secret@host/db,
// ?password=...) and libpq key=value strings (password=secret or password='se cret').
// No vscode here (unit-tested).

export interface SplitConnectionString {
  connectionString: string;
  password?: string;
}

export function splitPassword(conn: string): SplitConnectionString {
  const s = conn.trim();
  return /^postgres(ql)?:\/\//i.test(s) ? splitUri(s) : splitKeywordValue(s);
}

function splitUri(uri: string): SplitConnectionString {
  const scheme = uri.indexOf('://') + 3;
  // the authority ends at the first / ? or # after the scheme
  const rest = uri.slice(scheme);
  const end = rest.search(/[/?#]/);
  const authority = end === -1 ? rest : rest.slice(0, end);
  let tail = end === -1 ? '' : rest.slice(end);
  let password: string | undefined;
  let auth = authority;
  const at = authority.lastIndexOf('@');
  if (at !== -1) {
    const userinfo = authority.slice(0, at);
    const colon = userinfo.indexOf(':');
    if (colon !== -1) {
      password = safeDecode(userinfo.slice(colon + 1));
      auth = userinfo.slice(0, colon) + authority.slice(at);
    }
  }
  const q = tail.indexOf('?');
  if (q !== -1) {
    const hash = tail.indexOf('#', q);
    const query = tail.slice(q + 1, hash === -1 ? undefined : hash);
    const kept: string[] = [];
    for (const part of query.split('&')) {
      const [k, ...v] = part.split('=');
      if (safeDecode(k ?? '') === 'password') password = safeDecode(v.join('='));
      else if (part !== '') kept.push(part);
    }
    tail = tail.slice(0, q) + (kept.length ? `?${kept.join('&')}` : '') + (hash === -1 ? '' : tail.slice(hash));
  }
  return password === undefined
    ? { connectionString: uri }
    : { connectionString: uri.slice(0, scheme) + auth + tail, password };
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
