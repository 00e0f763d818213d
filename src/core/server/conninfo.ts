// libpq connection strings, read as libpq 18 reads them (fe-connect.c): the URI form
// (conninfo_uri_parse_options / conninfo_uri_parse_params / conninfo_uri_decode) and the
// keyword=value form (conninfo_parse). Error texts are libpq's, except that nothing from a
// password is ever echoed (libpq quotes the whole URI, password included).

import { ConnectionConfigError } from './connectionErrors';

/** Connection options libpq 18 knows (PQconninfoOptions); any other keyword is an error, as in libpq. */
export const LIBPQ_KEYWORDS: ReadonlySet<string> = new Set([
  'service',
  'user',
  'password',
  'passfile',
  'channel_binding',
  'connect_timeout',
  'dbname',
  'host',
  'hostaddr',
  'port',
  'client_encoding',
  'options',
  'application_name',
  'fallback_application_name',
  'keepalives',
  'keepalives_idle',
  'keepalives_interval',
  'keepalives_count',
  'tcp_user_timeout',
  'sslmode',
  'sslnegotiation',
  'sslcompression',
  'sslcert',
  'sslkey',
  'sslcertmode',
  'sslpassword',
  'sslrootcert',
  'sslcrl',
  'sslcrldir',
  'sslsni',
  'requirepeer',
  'ssl_min_protocol_version',
  'ssl_max_protocol_version',
  'gssencmode',
  'krbsrvname',
  'gsslib',
  'gssdelegation',
  'replication',
  'target_session_attrs',
  'load_balance_hosts',
  'scram_client_key',
  'scram_server_key',
  'oauth_issuer',
  'oauth_client_id',
  'oauth_client_secret',
  'oauth_scope',
  'min_protocol_version',
  'max_protocol_version',
  'require_auth',
  'servicefile',
  'sslkeylogfile',
]);

/** Keywords whose values are secrets: never quoted in a message. */
const SECRET_KEYWORDS = new Set([
  'password',
  'sslpassword',
  'oauth_client_secret',
  'scram_client_key',
  'scram_server_key',
]);

/** Length of the URI designator ("postgresql://" or "postgres://", case-sensitive as in libpq), 0 when none. */
export function uriPrefixLength(s: string): number {
  if (s.startsWith('postgresql://')) return 'postgresql://'.length;
  if (s.startsWith('postgres://')) return 'postgres://'.length;
  return 0;
}

/** What libpq's recognized_connection_string() accepts as a connection string rather than a database name. */
export function isConnectionString(s: string): boolean {
  return uriPrefixLength(s) > 0 || s.includes('=');
}

/**
 * Parses a libpq connection string (URI or keyword=value) into keyword → value. Later
 * occurrences of a keyword win, as in libpq. Throws ConnectionConfigError (libpq's message) for
 * malformed input; never anything else.
 */
export function parseConnectionString(s: string): Map<string, string> {
  return uriPrefixLength(s) > 0 ? parseUri(s) : parseKeywordValue(s);
}

// C isspace() in the C locale
function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';
}

function store(out: Map<string, string>, keyword: string, value: string): void {
  // the pre-7.2 spelling, still translated by libpq 18
  if (keyword === 'requiressl') {
    keyword = 'sslmode';
    value = value.startsWith('1') ? 'require' : 'prefer';
  }
  if (!LIBPQ_KEYWORDS.has(keyword)) throw new ConnectionConfigError(`invalid connection option "${keyword}"`);
  out.set(keyword, value);
}

/** conninfo_parse: `key = value` pairs separated by blanks; values may be 'single quoted'; `\` escapes the next character. */
export function parseKeywordValue(s: string): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  let lastKeyword = '';
  // The word a message may quote: never a fragment of a secret (an unquoted password with a blank in it).
  const quotable = (word: string) => (SECRET_KEYWORDS.has(lastKeyword) ? `the value of "${lastKeyword}"` : `"${word}"`);
  while (i < s.length) {
    if (isSpace(s[i])) {
      i++;
      continue;
    }
    // the name runs to '=' or a blank
    const nameStart = i;
    while (i < s.length && s[i] !== '=' && !isSpace(s[i])) i++;
    const name = s.slice(nameStart, i);
    while (i < s.length && isSpace(s[i])) i++;
    if (s[i] !== '=') throw new ConnectionConfigError(`missing "=" after ${quotable(name)} in connection info string`);
    i++;
    while (i < s.length && isSpace(s[i])) i++;
    let value = '';
    if (s[i] !== "'") {
      while (i < s.length && !isSpace(s[i])) {
        if (s[i] === '\\') {
          i++;
          if (i < s.length) value += s[i++];
        } else {
          value += s[i++];
        }
      }
    } else {
      i++;
      for (;;) {
        if (i >= s.length) throw new ConnectionConfigError('unterminated quoted string in connection info string');
        if (s[i] === '\\') {
          i++;
          if (i < s.length) value += s[i++];
          continue;
        }
        if (s[i] === "'") {
          i++;
          break;
        }
        value += s[i++];
      }
    }
    if (!LIBPQ_KEYWORDS.has(name) && name !== 'requiressl')
      throw new ConnectionConfigError(
        `invalid connection option ${SECRET_KEYWORDS.has(lastKeyword) ? `after the value of "${lastKeyword}"` : `"${name}"`}`,
      );
    store(out, name, value);
    lastKeyword = name;
  }
  return out;
}

/** The URI with its secrets masked, for messages: the password part (user:PASSWORD@) and the
 * query parameters (?password=..., ?sslpassword=...); whatever follows a secret parameter is
 * masked too, since an unencoded '&' in a password would otherwise show its tail. */
function redactUri(uri: string): string {
  const start = uriPrefixLength(uri);
  let shown = uri;
  let p = start;
  while (p < uri.length && uri[p] !== '@' && uri[p] !== '/') p++;
  const colon = uri.indexOf(':', start);
  if (uri[p] === '@' && colon !== -1 && colon < p) shown = `${uri.slice(0, colon + 1)}****${uri.slice(p)}`;
  const q = shown.indexOf('?');
  if (q === -1) return shown;
  const params = shown.slice(q + 1).split('&');
  const firstSecret = params.findIndex((part) =>
    SECRET_KEYWORDS.has(safeDecode(part.slice(0, part.includes('=') ? part.indexOf('=') : part.length))),
  );
  if (firstSecret === -1) return shown;
  const kept = params.slice(0, firstSecret);
  const key = params[firstSecret]!.split('=')[0];
  return `${shown.slice(0, q + 1)}${[...kept, `${key}=****`].join('&')}`;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function hexValue(byte: number | undefined): number {
  if (byte === undefined) return -1;
  const c = String.fromCharCode(byte);
  return /^[0-9a-fA-F]$/.test(c) ? parseInt(c, 16) : -1;
}

/**
 * conninfo_uri_decode: %XX escapes (no '+' for space); %00 is forbidden. libpq 18 also drops
 * leading and trailing spaces and rejects a space inside a value. `shown` is what a message may quote.
 */
function uriDecode(str: string, shown: string): string {
  const bytes: number[] = [];
  const raw = Buffer.from(str, 'utf8');
  let i = 0;
  while (raw[i] === 0x20) i++;
  while (i < raw.length) {
    const c = raw[i++]!;
    if (c !== 0x25 /* % */) {
      if (c === 0x20) {
        if (raw.subarray(i).every((b) => b === 0x20)) break;
        throw new ConnectionConfigError(
          `unexpected spaces found in "${shown}", use percent-encoded spaces (%20) instead`,
        );
      }
      bytes.push(c);
      continue;
    }
    const hi = hexValue(raw[i]);
    const lo = hexValue(raw[i + 1]);
    if (hi < 0 || lo < 0) throw new ConnectionConfigError(`invalid percent-encoded token: "${shown}"`);
    i += 2;
    const b = (hi << 4) | lo;
    if (b === 0) throw new ConnectionConfigError(`forbidden value %00 in percent-encoded value: "${shown}"`);
    bytes.push(b);
  }
  return Buffer.from(bytes).toString('utf8');
}

/** conninfo_uri_parse_options: postgresql://[user[:password]@][netloc][:port][,...][/dbname][?param1=value1&...] */
export function parseUri(uri: string): Map<string, string> {
  const out = new Map<string, string>();
  const shownUri = redactUri(uri);
  const prefix = uriPrefixLength(uri);
  if (prefix === 0)
    throw new ConnectionConfigError(`invalid URI: "${shownUri}" does not start with postgresql:// or postgres://`);
  const put = (keyword: string, raw: string) =>
    store(out, keyword, uriDecode(raw, SECRET_KEYWORDS.has(keyword) ? '****' : raw));

  let p = prefix;
  // look ahead for the user credentials designator
  let q = p;
  while (q < uri.length && uri[q] !== '@' && uri[q] !== '/') q++;
  if (uri[q] === '@') {
    const credentials = uri.slice(p, q);
    const colon = credentials.indexOf(':');
    const user = colon === -1 ? credentials : credentials.slice(0, colon);
    if (user !== '') put('user', user);
    if (colon !== -1) {
      const password = credentials.slice(colon + 1);
      if (password !== '') put('password', password);
    }
    p = q + 1;
  } else if (uri[p] !== '[' && uri.slice(prefix, q).includes(':') && uri.slice(q).includes('@')) {
    // user:pa/ss@host: libpq reads "user" as the host and "pa" as the port ("invalid port number:
    // "pa"") and the rest as the database; each is a piece of the password, so none is quoted
    throw new ConnectionConfigError(
      'invalid URI: a "/" comes before the "@" that ends the user name and password, so they would be ' +
        'read as a host and port; percent-encode "/" as %2F and "@" as %40 (the URI is not shown: it may hold a password)',
    );
  }

  // netloc[:port] pairs separated by commas
  const hosts: string[] = [];
  const ports: string[] = [];
  let terminator = '';
  for (;;) {
    let host: string;
    if (uri[p] === '[') {
      const start = ++p;
      while (p < uri.length && uri[p] !== ']') p++;
      if (p >= uri.length) {
        throw new ConnectionConfigError(
          `end of string reached when looking for matching "]" in IPv6 host address in URI: "${shownUri}"`,
        );
      }
      if (p === start) throw new ConnectionConfigError(`IPv6 host address may not be empty in URI: "${shownUri}"`);
      host = uri.slice(start, p);
      p++;
      const c = uri[p];
      if (c !== undefined && c !== ':' && c !== '/' && c !== '?' && c !== ',') {
        throw new ConnectionConfigError(
          `unexpected character "${c}" at position ${p + 1} in URI (expected ":" or "/"): "${shownUri}"`,
        );
      }
    } else {
      const start = p;
      while (p < uri.length && !':/?,'.includes(uri[p]!)) p++;
      host = uri.slice(start, p);
    }
    terminator = uri[p] ?? '';
    hosts.push(host);
    let port = '';
    if (terminator === ':') {
      const start = ++p;
      while (p < uri.length && !'/?,'.includes(uri[p]!)) p++;
      port = uri.slice(start, p);
      terminator = uri[p] ?? '';
    }
    ports.push(port);
    if (terminator !== ',') break;
    p++;
  }
  const hostList = hosts.join(',');
  const portList = ports.join(',');
  if (hostList !== '') put('host', hostList);
  if (portList !== '') put('port', portList);

  if (terminator !== '' && terminator !== '?') {
    // "/dbname"
    const start = ++p;
    while (p < uri.length && uri[p] !== '?') p++;
    const dbname = uri.slice(start, p);
    // an empty dbname is not set at all, so that PGDATABASE still applies
    if (dbname !== '') put('dbname', dbname);
    terminator = uri[p] ?? '';
  }
  if (terminator !== '') parseUriParams(uri.slice(p + 1), out);
  return out;
}

/** conninfo_uri_parse_params: key=value pairs separated by '&'; both sides percent-decoded; ssl=true means sslmode=require. */
function parseUriParams(params: string, out: Map<string, string>): void {
  let p = 0;
  // an unencoded '&' inside a password splits it: what follows a secret is never quoted
  let afterSecret = false;
  const quotable = (word: string) => (afterSecret ? 'the one after a secret parameter (not shown)' : `"${word}"`);
  while (p < params.length) {
    const keyStart = p;
    let eq = -1;
    for (;;) {
      const c = params[p];
      if (c === '=') {
        if (eq !== -1) {
          throw new ConnectionConfigError(
            `extra key/value separator "=" in URI query parameter: ${quotable(params.slice(keyStart, eq))}`,
          );
        }
        eq = p++;
      } else if (c === '&' || c === undefined) {
        if (eq === -1)
          throw new ConnectionConfigError(
            `missing key/value separator "=" in URI query parameter: ${quotable(params.slice(keyStart, p))}`,
          );
        break;
      } else {
        p++;
      }
    }
    const rawKey = params.slice(keyStart, eq);
    const rawValue = params.slice(eq + 1, p);
    if (p < params.length) p++; // past '&'
    let keyword = uriDecode(rawKey, afterSecret ? '****' : rawKey);
    let value = uriDecode(rawValue, SECRET_KEYWORDS.has(keyword) ? '****' : rawValue);
    // JDBC compatibility, as in libpq
    if (keyword === 'ssl' && value === 'true') {
      keyword = 'sslmode';
      value = 'require';
    }
    if (!LIBPQ_KEYWORDS.has(keyword) && keyword !== 'requiressl')
      throw new ConnectionConfigError(`invalid URI query parameter: ${quotable(keyword)}`);
    store(out, keyword, value);
    afterSecret = SECRET_KEYWORDS.has(keyword);
  }
}
