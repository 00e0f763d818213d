// primary_conninfo may hold a password (pg_basebackup -R writes one when it was given one), and
// since PostgreSQL 13 an sslpassword too: every secret is redacted before the value leaves
// collectStatus, so it never reaches the sidebar, JSON or logs.

const MASK = '********';

/** libpq keywords whose values are secrets (conninfo.ts keeps the same list for its messages). */
const SECRETS = ['password', 'sslpassword', 'oauth_client_secret', 'scram_client_key', 'scram_server_key'];

function decodedKey(raw: string): string {
  try {
    return decodeURIComponent(raw).toLowerCase();
  } catch {
    return raw.toLowerCase();
  }
}

/**
 * The conninfo with every secret replaced by ********: key=value (quoted or not), URI userinfo
 * (user:secret@, ending where libpq ends it: at the first "@" before any "/", so "?" and "#" are
 * part of it) and URI parameters (libpq decodes %XX in their names too).
 */
export function redactConninfo(conninfo: string): string {
  const scheme = /^\s*postgres(?:ql)?:\/\//i.exec(conninfo);
  if (scheme) {
    const start = scheme[0].length;
    let p = start;
    while (p < conninfo.length && conninfo[p] !== '@' && conninfo[p] !== '/') p++;
    const colon = conninfo.indexOf(':', start);
    // user:pa/ss@host is no password for libpq, but its text is one: masked up to the last "@"
    const at = conninfo[p] === '@' ? p : colon !== -1 && colon < p ? conninfo.lastIndexOf('@') : -1;
    let shown = conninfo;
    let queryFrom = start;
    if (at !== -1) {
      if (colon !== -1 && colon < at) shown = `${conninfo.slice(0, colon + 1)}${MASK}${conninfo.slice(at)}`;
      queryFrom = shown.indexOf('@', colon !== -1 && colon < at ? colon + 1 + MASK.length : start) + 1;
    }
    const q = shown.indexOf('?', queryFrom);
    if (q === -1) return shown;
    let afterSecret = false;
    const params = shown
      .slice(q + 1)
      .split('&')
      .map((part) => {
        const eq = part.indexOf('=');
        // an unencoded "&" in a secret: what follows, up to the next key=value, is its tail
        if (eq === -1) return afterSecret ? MASK : part;
        afterSecret = SECRETS.includes(decodedKey(part.slice(0, eq)));
        return afterSecret ? `${part.slice(0, eq)}=${MASK}` : part;
      });
    return `${shown.slice(0, q + 1)}${params.join('&')}`;
  }
  // libpq key/value syntax: password = 'it\'s' | password=it\'s | password=plain (and the other secrets)
  const keys = SECRETS.join('|');
  return conninfo.replace(
    new RegExp(`(^|[\\s])((?:${keys})\\s*=\\s*)('(?:[^'\\\\]|\\\\.)*'|(?:[^\\s\\\\]|\\\\.)+)`, 'gi'),
    `$1$2'${MASK}'`,
  );
}
