// One read-only connection with timeouts on everything: the connect (TCP, TLS, authentication,
// startup) is bounded by our own timer that destroys the socket, every statement by the server's
// statement_timeout and by a client-side timer, so a server that accepts and then says nothing
// costs at most the timeout and never delays the others.
//
// node-postgres is loaded on first use (require inside the function), so that merely activating
// the extension never loads it.

import * as fs from 'node:fs';

import type { Client, ClientConfig } from 'pg';

import { guardAuthentication } from './authGuard';
import { DEFAULT_AUTH_POLICY } from './authPolicy';
import { ConnectionError, type ConnectionErrorKind, QueryError } from './connectionErrors';
import type { SessionOptions } from './connectionOptions';
import type { ResolvedConnection, ServerConnection, SslSettings, TimeoutOptions } from './types';

export interface OpenOptions extends TimeoutOptions {
  /** default true: `default_transaction_read_only=on` for the session */
  readOnly?: boolean;
  /** default 'pg-pitr' */
  applicationName?: string;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 5000;
/** how long after the statement timeout the client gives up on a server that has not answered at all */
const CLIENT_GRACE_MS = 1000;
/** close() waits this long for a polite goodbye before destroying the socket */
const CLOSE_TIMEOUT_MS = 1000;

type PgModule = typeof import('pg');
let pgModule: PgModule | undefined;
function loadPg(): PgModule {
  pgModule ??= require('pg') as PgModule;
  return pgModule;
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/** host:port as a DBA reads it (a socket directory shows the socket file). */
export function endpointOf(conn: Pick<ResolvedConnection, 'host' | 'port'>): string {
  if (conn.host.startsWith('/')) return `socket ${conn.host.replace(/\/$/, '')}/.s.PGSQL.${conn.port}`;
  return conn.host.includes(':') ? `[${conn.host}]:${conn.port}` : `${conn.host}:${conn.port}`;
}

const DEFAULT_SESSION: SessionOptions = { keepalives: true, targetSessionAttrs: 'any' };

/** Raised by the password callback when the server asks for a password and none was resolved. */
class NoPasswordError extends Error {}

const TLS_ERROR_CODES =
  /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH|ERR_OSSL_)/;

/** The DBA's words for a connect failure. The message is built from codes, never from the config. */
function connectFailure(e: unknown, conn: ResolvedConnection): ConnectionError {
  const where = endpointOf(conn);
  const err = e as { code?: unknown; message?: unknown; severity?: unknown };
  const code = typeof err?.code === 'string' ? err.code : '';
  const text = typeof err?.message === 'string' ? err.message : String(e);
  const fail = (kind: ConnectionErrorKind, message: string) => new ConnectionError(kind, message);
  if (e instanceof NoPasswordError) {
    return fail(
      'auth',
      `${where}: the server asks for a password for user "${conn.user}" and none was given (no stored password, PGPASSWORD or password file line)`,
    );
  }
  // an ErrorResponse from the server: its SQLSTATE says what happened, its message says it well
  if (typeof err?.severity === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    if (code === '28P01' || code === '28000') return fail('auth', `${where}: ${text}`);
    return fail('other', `${where}: ${text}`);
  }
  if (text.startsWith('SASL:'))
    return fail('auth', `${where}: SCRAM authentication of user "${conn.user}" failed (${text})`);
  if (text === 'The server does not support SSL connections')
    return fail(
      'ssl',
      `${where}: the server does not support SSL connections (sslmode=${conn.ssl ? conn.ssl.mode : 'disable'})`,
    );
  if (TLS_ERROR_CODES.test(code) || /\b(SSL|TLS|certificate)\b/i.test(text))
    return fail('ssl', `${where}: ${tlsCause(code, text, e, conn)}`);
  switch (code) {
    case 'ECONNREFUSED':
      return fail(
        'refused',
        `${where}: connection refused (is the server running on that host and accepting TCP/IP connections on port ${conn.port}?)`,
      );
    case 'ENOENT':
      return fail(
        'refused',
        `${where}: no such socket file (is the server running locally and accepting connections on that socket?)`,
      );
    case 'EACCES':
      return fail('refused', `${where}: permission denied on the socket file`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NONAME':
      return fail('unreachable', `${where}: could not translate host name "${conn.host}" to address`);
    case 'EHOSTUNREACH':
    case 'EHOSTDOWN':
      return fail('unreachable', `${where}: no route to host`);
    case 'ENETUNREACH':
    case 'ENETDOWN':
      return fail('unreachable', `${where}: network is unreachable`);
    case 'ETIMEDOUT':
      return fail('timeout', `timed out connecting to ${where} (no answer to the TCP connection)`);
    case 'ECONNRESET':
    case 'EPIPE':
      return fail('other', `${where}: the server closed the connection unexpectedly (connection reset)`);
  }
  if (text === 'Connection terminated unexpectedly')
    return fail('other', `${where}: the server closed the connection unexpectedly`);
  return fail('other', `${where}: ${text}`);
}

/** A TLS failure in libpq's words where there is one, with Node's code for the search engine. */
function tlsCause(code: string, text: string, e: unknown, conn: ResolvedConnection): string {
  const cert = (e as { cert?: { subject?: { CN?: unknown }; subjectaltname?: unknown } }).cert;
  switch (code) {
    case 'ERR_TLS_CERT_ALTNAME_INVALID': {
      const names =
        typeof cert?.subjectaltname === 'string'
          ? cert.subjectaltname
          : typeof cert?.subject?.CN === 'string'
            ? `CN=${cert.subject.CN}`
            : 'unknown names';
      return `server certificate (${names}) does not match host name "${conn.host}" (sslmode=verify-full)`;
    }
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY': {
      const root =
        conn.ssl && conn.ssl.rootCert ? `the root certificate "${conn.ssl.rootCert}"` : 'the trusted root certificates';
      return `SSL error: certificate verify failed: the server's certificate is not signed by ${root} (${code})`;
    }
    case 'CERT_HAS_EXPIRED':
      return `SSL error: certificate verify failed: the server's certificate has expired (${code})`;
  }
  return `SSL error: ${text}${code ? ` (${code})` : ''}`;
}

/** pg's `ssl` option for a libpq sslmode (null: connect without SSL). */
function tlsOptions(ssl: SslSettings, conn: ResolvedConnection): Record<string, unknown> {
  const read = (what: string, file: string) => {
    try {
      return fs.readFileSync(file);
    } catch (e) {
      const reason = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      throw new ConnectionError('ssl', `${endpointOf(conn)}: could not read ${what} file "${file}": ${reason}`);
    }
  };
  const o: Record<string, unknown> = {};
  const extra = ssl.options;
  // sslcertmode=disable: the client certificate is never sent
  if (extra?.sendClientCert !== false) {
    if (ssl.cert !== undefined) o.cert = read('certificate', ssl.cert);
    if (ssl.key !== undefined) o.key = read('private key', ssl.key);
    if (extra?.keyPassword !== undefined) o.passphrase = extra.keyPassword;
  }
  // libpq's ssl_min_protocol_version defaults to TLSv1.2, as Node's minimum does
  o.minVersion = extra?.minVersion ?? 'TLSv1.2';
  if (extra?.maxVersion !== undefined) o.maxVersion = extra.maxVersion;
  if (extra?.crlFile !== undefined) o.crl = read('certificate revocation list', extra.crlFile);
  const system = ssl.rootCert === 'system';
  if (system && ssl.mode !== 'verify-full') {
    throw new ConnectionError(
      'ssl',
      `${endpointOf(conn)}: weak sslmode "${ssl.mode}" may not be used with sslrootcert=system (use "verify-full")`,
    );
  }
  // libpq: with a root certificate present, require verifies the chain like verify-ca
  const verify =
    ssl.mode === 'verify-full' || ssl.mode === 'verify-ca' || (ssl.mode === 'require' && ssl.rootCert !== undefined);
  if (!verify) {
    o.rejectUnauthorized = false;
    return o;
  }
  if (ssl.rootCert === undefined) {
    throw new ConnectionError(
      'ssl',
      `${endpointOf(conn)}: sslmode=${ssl.mode} needs a root certificate and none is configured (sslrootcert, or ~/.postgresql/root.crt); ` +
        `provide one, use sslrootcert=system for the system's trusted roots, or choose a weaker sslmode`,
    );
  }
  if (!system) o.ca = read('root certificate', ssl.rootCert);
  o.rejectUnauthorized = true;
  // verify-ca checks the chain only, not the host name
  if (ssl.mode !== 'verify-full') o.checkServerIdentity = () => undefined;
  return o;
}

function destroyClient(client: Client): void {
  const stream = (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream;
  try {
    stream?.destroy();
  } catch {
    /* already gone */
  }
}

/** One connect attempt with a fixed SSL choice, bounded by `deadline` (ms since epoch). */
async function attempt(
  conn: ResolvedConnection,
  ssl: Record<string, unknown> | false,
  deadline: number,
  totalMs: number,
  opts: OpenOptions,
): Promise<Client> {
  const pg = loadPg();
  const statementTimeoutMs = positive(opts.statementTimeoutMs, DEFAULT_STATEMENT_TIMEOUT_MS);
  const auth = conn.auth ?? DEFAULT_AUTH_POLICY;
  const session = conn.session ?? DEFAULT_SESSION;
  const config: ClientConfig & { enableChannelBinding?: boolean } = {
    host: conn.host,
    port: conn.port,
    user: conn.user,
    database: conn.database,
    // asked only when the server wants a password; never read from pg's own PGPASSWORD/.pgpass
    password: () => {
      // the guard refused this server's request: nothing derived from the password is sent
      if (guard.refusal() !== null) throw new Error('refused');
      if (conn.password === undefined) throw new NoPasswordError();
      return conn.password;
    },
    ssl,
    application_name: session.applicationName ?? opts.applicationName ?? 'pg-pitr',
    statement_timeout: statementTimeoutMs,
    client_encoding: 'UTF8',
    keepAlive: session.keepalives,
    // libpq's default channel_binding=prefer: SCRAM-SHA-256-PLUS whenever TLS is in use
    enableChannelBinding: auth.channelBinding !== 'disable' && ssl !== false,
  };
  if (session.keepalivesIdleMs !== undefined) config.keepAliveInitialDelayMillis = session.keepalivesIdleMs;
  // the user's server options first: pg-pitr's read-only default comes last and wins
  const serverOptions = [session.options, opts.readOnly !== false ? '-c default_transaction_read_only=on' : undefined];
  if (serverOptions.some((o) => o !== undefined))
    config.options = serverOptions.filter((o) => o !== undefined).join(' ');
  // fixed values, so that pg does not pick PGSSLNEGOTIATION & co. from the environment
  (config as Record<string, unknown>).sslnegotiation =
    ssl !== false && conn.ssl !== false ? (conn.ssl.options?.negotiation ?? 'postgres') : 'postgres';
  (config as Record<string, unknown>).fallback_application_name = session.fallbackApplicationName ?? 'pg-pitr';
  const client = new pg.Client(config);
  // an error after we gave up (or on an idle connection) must not crash the process
  client.on('error', () => undefined);
  // require_auth and channel_binding: a refused request ends the attempt before anything is sent
  const guard = guardAuthentication(client, auth, ssl !== false, (message) => {
    (client as unknown as { connection: NodeJS.EventEmitter }).connection.emit(
      'error',
      new ConnectionError('auth', `${endpointOf(conn)}: ${message}`),
    );
  });
  // the socket connected: a timeout then means the server said nothing
  let tcpConnected = false;
  (client as unknown as { connection: NodeJS.EventEmitter }).connection.once('connect', () => (tcpConnected = true));

  const remaining = Math.max(deadline - Date.now(), 1);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      destroyClient(client);
      const phase = tcpConnected ? ' (the server accepted the TCP connection but did not complete the startup)' : '';
      reject(
        new ConnectionError('timeout', `timed out after ${seconds(totalMs)} connecting to ${endpointOf(conn)}${phase}`),
      );
    }, remaining);
  });
  try {
    await Promise.race([client.connect(), timeout]);
    return client;
  } catch (e) {
    destroyClient(client);
    if (e instanceof ConnectionError) throw e;
    throw connectFailure(e, conn);
  } finally {
    clearTimeout(timer);
  }
}

function positive(v: number | undefined, fallback: number): number {
  return v !== undefined && Number.isFinite(v) && v > 0 ? v : fallback;
}

/** Defence in depth: whatever a message holds, the password is not in it. */
function scrub<E extends Error>(e: E, password: string | undefined): E {
  if (password && password.length > 0) {
    if (e.message.includes(password)) e.message = e.message.split(password).join('****');
    if (e.stack?.includes(password)) e.stack = e.stack.split(password).join('****');
  }
  return e;
}

/**
 * Connects to `conn`, read-only unless `readOnly === false`. Rejects with ConnectionError whose
 * message names the endpoint and the cause and never holds the password.
 */
export async function openConnection(conn: ResolvedConnection, opts: OpenOptions = {}): Promise<ServerConnection> {
  // an explicit override (a command-line flag) > the connection's connect_timeout > the caller's default
  const connectTimeoutMs = positive(
    opts.connectTimeoutMs ?? conn.connectTimeoutMs ?? opts.defaultConnectTimeoutMs,
    DEFAULT_CONNECT_TIMEOUT_MS,
  );
  const statementTimeoutMs = positive(opts.statementTimeoutMs, DEFAULT_STATEMENT_TIMEOUT_MS);
  const deadline = Date.now() + connectTimeoutMs;
  let client: Client;
  try {
    client = await connectWithSslMode(conn, deadline, connectTimeoutMs, opts);
  } catch (e) {
    throw scrub(e instanceof ConnectionError ? e : connectFailure(e, conn), conn.password);
  }
  const live = liveConnection(client, conn, statementTimeoutMs);
  await checkTargetSession(live, conn);
  return live;
}

/**
 * target_session_attrs, as libpq checks it after connecting (one host: there is no next one to
 * try): primary refuses a server in recovery, standby one that is not, with libpq's message.
 */
async function checkTargetSession(live: ServerConnection, conn: ResolvedConnection): Promise<void> {
  const wanted = conn.session?.targetSessionAttrs ?? 'any';
  if (wanted === 'any') return;
  let inRecovery: boolean;
  try {
    [{ in_recovery: inRecovery }] = await live.query<{ in_recovery: boolean }>(
      'SELECT pg_catalog.pg_is_in_recovery() AS in_recovery',
    );
  } catch (e) {
    await live.close();
    throw e;
  }
  if (inRecovery === (wanted === 'standby')) return;
  await live.close();
  throw new ConnectionError(
    'other',
    `${endpointOf(conn)}: server is ${inRecovery ? '' : 'not '}in hot standby mode (target_session_attrs=${wanted})`,
  );
}

/** libpq's sslmode semantics: prefer tries SSL then plain, allow plain then SSL; no SSL over a Unix socket. */
async function connectWithSslMode(
  conn: ResolvedConnection,
  deadline: number,
  totalMs: number,
  opts: OpenOptions,
): Promise<Client> {
  const ssl = conn.ssl;
  if (ssl === false || conn.host.startsWith('/')) return attempt(conn, false, deadline, totalMs, opts);
  const tls = tlsOptions(ssl, conn);
  if (ssl.mode === 'prefer') {
    try {
      return await attempt(conn, tls, deadline, totalMs, opts);
    } catch (e) {
      if (!(e instanceof ConnectionError && e.kind === 'ssl')) throw e;
      return attempt(conn, false, deadline, totalMs, opts);
    }
  }
  if (ssl.mode === 'allow') {
    try {
      return await attempt(conn, false, deadline, totalMs, opts);
    } catch (e) {
      // the server's pg_hba.conf wants SSL (hostssl): "no pg_hba.conf entry ... no encryption"
      if (!(e instanceof ConnectionError && e.kind === 'auth' && /no encryption/.test(e.message))) throw e;
      return attempt(conn, tls, deadline, totalMs, opts);
    }
  }
  return attempt(conn, tls, deadline, totalMs, opts);
}

function liveConnection(client: Client, conn: ResolvedConnection, statementTimeoutMs: number): ServerConnection {
  const where = endpointOf(conn);
  let broken: ConnectionError | null = null;
  let closing: Promise<void> | null = null;
  client.on('error', (e) => {
    broken ??= connectFailure(e, conn);
  });

  const query = <R>(sql: string, params?: unknown[]): Promise<R[]> => {
    if (closing) return Promise.reject(new ConnectionError('other', `connection to ${where} is closed`));
    if (broken)
      return Promise.reject(new ConnectionError(broken.kind, `connection to ${where} is broken: ${broken.message}`));
    return new Promise<R[]>((resolve, reject) => {
      let settled = false;
      // the server's statement_timeout answers first; this covers a server that does not answer at all
      const timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        broken = new ConnectionError(
          'timeout',
          `the server did not answer a statement within ${seconds(statementTimeoutMs + CLIENT_GRACE_MS)}`,
        );
        destroyClient(client);
        reject(
          new QueryError(
            'timeout',
            `no answer from ${where} within ${seconds(statementTimeoutMs + CLIENT_GRACE_MS)} (statement timeout ${seconds(statementTimeoutMs)}); ` +
              `the connection was closed`,
            null,
          ),
        );
      }, statementTimeoutMs + CLIENT_GRACE_MS);
      client.query(sql, params).then(
        (res) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve(res.rows as R[]);
        },
        (e: unknown) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          reject(scrub(queryFailure(e, where, statementTimeoutMs), conn.password));
        },
      );
    });
  };

  const close = (): Promise<void> => {
    closing ??= (async () => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          destroyClient(client);
          resolve();
        }, CLOSE_TIMEOUT_MS);
      });
      try {
        await Promise.race([client.end().catch(() => undefined), late]);
      } finally {
        clearTimeout(timer);
      }
    })();
    return closing;
  };

  return { query, close };
}

function queryFailure(e: unknown, where: string, statementTimeoutMs: number): QueryError {
  const err = e as { code?: unknown; message?: unknown; severity?: unknown };
  const code =
    typeof err?.code === 'string' && /^[0-9A-Z]{5}$/.test(err.code) && typeof err.severity === 'string'
      ? err.code
      : null;
  const text = typeof err?.message === 'string' ? err.message : String(e);
  if (code === '57014' && /statement timeout/.test(text)) {
    return new QueryError(
      'timeout',
      `statement timed out after ${seconds(statementTimeoutMs)} on ${where} (${text})`,
      code,
    );
  }
  if (code !== null) return new QueryError('other', text, code);
  if (/Connection terminated/.test(text))
    return new QueryError('other', `${where}: the server closed the connection unexpectedly`, null);
  return new QueryError('other', `${where}: ${text}`, null);
}
