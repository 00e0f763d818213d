// Every libpq keyword beyond the endpoint, the user and TLS files: implemented where node-postgres
// allows (require_auth, channel_binding, TLS versions, a CRL file, the key's password, the session's
// application name and options, keepalives, target_session_attrs), and an error naming the keyword
// where it does not. A keyword that would protect the connection is never accepted and ignored.
import { type AuthPolicy, parseAuthPolicy } from './authPolicy';
import { aboutServer, ConnectionConfigError } from './connectionErrors';

/** TLS settings beyond sslmode and the certificate files. */
export interface TlsOptions {
  /** ssl_min_protocol_version, as Node names it ('TLSv1.2'); libpq's default TLSv1.2 */
  minVersion: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  maxVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  /** sslcrl: a file of certificate revocation lists (PEM) */
  crlFile?: string;
  /** sslpassword: the passphrase of the client key */
  keyPassword?: string;
  /** sslcertmode=disable: never send the client certificate */
  sendClientCert: boolean;
  /** sslnegotiation */
  negotiation: 'postgres' | 'direct';
}

/** The session: what the server is told at startup, and which server is acceptable. */
export interface SessionOptions {
  applicationName?: string;
  fallbackApplicationName?: string;
  /** libpq's options keyword: command-line options for the server process (-c name=value) */
  options?: string;
  keepalives: boolean;
  keepalivesIdleMs?: number;
  /** target_session_attrs, checked after connecting (one host: prefer-standby is any) */
  targetSessionAttrs: 'any' | 'primary' | 'standby';
}

export interface ConnectionOptions {
  auth: AuthPolicy;
  tls: TlsOptions;
  session: SessionOptions;
}

/** Keywords pg-pitr cannot honour, and why: an error naming the keyword, never silence. */
const UNSUPPORTED: Record<string, string> = {
  sslcrldir: 'pg-pitr cannot read a hashed CRL directory: give the revocation lists in one file with sslcrl',
  requirepeer: "pg-pitr cannot check the peer's user name on a Unix socket",
  keepalives_interval: 'Node.js does not set the TCP keepalive interval',
  keepalives_count: 'Node.js does not set the TCP keepalive count',
  tcp_user_timeout: 'Node.js does not set TCP_USER_TIMEOUT',
  krbsrvname: 'pg-pitr has no GSSAPI (Kerberos) authentication',
  gsslib: 'pg-pitr has no GSSAPI authentication',
  scram_client_key: 'pg-pitr does not use SCRAM keys passed through by another server',
  scram_server_key: 'pg-pitr does not use SCRAM keys passed through by another server',
  oauth_issuer: 'pg-pitr has no OAuth authentication',
  oauth_client_id: 'pg-pitr has no OAuth authentication',
  oauth_client_secret: 'pg-pitr has no OAuth authentication',
  oauth_scope: 'pg-pitr has no OAuth authentication',
  sslkeylogfile: 'pg-pitr never writes TLS session keys to a file',
};

const TLS_VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;

/** libpq's sslVerifyProtocolVersion: TLSv1, TLSv1.1, TLSv1.2, TLSv1.3, case-insensitive. */
function tlsVersion(value: string, keyword: string): (typeof TLS_VERSIONS)[number] {
  const v = TLS_VERSIONS.find((x) => x.toLowerCase() === value.toLowerCase());
  if (v === undefined) throw new ConnectionConfigError(`invalid "${keyword}" value: "${value}"`);
  return v;
}

/** libpq's boolean-ish keywords (keepalives, gssdelegation, sslsni...): 0 or 1. */
function zeroOrOne(value: string, keyword: string): boolean {
  const n = /^\s*([+-]?\d+)\s*$/.exec(value);
  if (!n) throw new ConnectionConfigError(`invalid integer value "${value}" for connection option "${keyword}"`);
  return Number(n[1]) !== 0;
}

/**
 * The options of a connection from its gathered keywords (connectionKeywords.ts). Throws
 * ConnectionConfigError naming the keyword for one pg-pitr cannot honour or a value libpq refuses.
 */
export function resolveConnectionOptions(values: Map<string, string>, serverName: string): ConnectionOptions {
  const fail = (message: string): never => {
    throw new ConnectionConfigError(aboutServer(serverName, message));
  };
  const get = (k: string) => values.get(k);
  try {
    for (const [keyword, why] of Object.entries(UNSUPPORTED))
      if (get(keyword) !== undefined && get(keyword) !== '') fail(`${keyword} is not supported: ${why}`);

    const auth = parseAuthPolicy(get('require_auth'), get('channel_binding'));

    // TLS
    const min = get('ssl_min_protocol_version');
    const max = get('ssl_max_protocol_version');
    const tls: TlsOptions = {
      minVersion: min === undefined || min === '' ? 'TLSv1.2' : tlsVersion(min, 'ssl_min_protocol_version'),
      sendClientCert: true,
      negotiation: 'postgres',
    };
    if (max !== undefined && max !== '') tls.maxVersion = tlsVersion(max, 'ssl_max_protocol_version');
    if (tls.maxVersion && TLS_VERSIONS.indexOf(tls.maxVersion) < TLS_VERSIONS.indexOf(tls.minVersion))
      fail('invalid SSL protocol version range');
    const crl = get('sslcrl');
    if (crl !== undefined && crl !== '') tls.crlFile = crl;
    const keyPassword = get('sslpassword');
    if (keyPassword !== undefined && keyPassword !== '') tls.keyPassword = keyPassword;
    const certMode = get('sslcertmode') ?? 'allow';
    if (!['disable', 'allow', 'require'].includes(certMode)) fail(`invalid sslcertmode value: "${certMode}"`);
    if (certMode === 'require')
      fail('sslcertmode=require is not supported: pg-pitr cannot tell whether the server asked for the certificate');
    tls.sendClientCert = certMode !== 'disable';
    const negotiation = get('sslnegotiation') ?? 'postgres';
    if (negotiation !== 'postgres' && negotiation !== 'direct') fail(`invalid sslnegotiation value: "${negotiation}"`);
    tls.negotiation = negotiation as TlsOptions['negotiation'];
    const sni = get('sslsni');
    if (sni !== undefined && sni !== '' && !zeroOrOne(sni, 'sslsni'))
      fail('sslsni=0 is not supported: pg-pitr always sends the host name (SNI) for a named host');
    const compression = get('sslcompression');
    if (compression !== undefined && compression !== '' && zeroOrOne(compression, 'sslcompression'))
      fail('sslcompression=1 is not supported: pg-pitr never compresses TLS');

    // GSSAPI: pg-pitr is a libpq built without it
    const gssencmode = get('gssencmode') ?? 'disable';
    if (!['disable', 'prefer', 'require'].includes(gssencmode)) fail(`invalid gssencmode value: "${gssencmode}"`);
    if (gssencmode === 'require') fail('gssencmode value "require" invalid when GSSAPI support is not compiled in');
    const delegation = get('gssdelegation');
    if (delegation !== undefined && delegation !== '' && zeroOrOne(delegation, 'gssdelegation'))
      fail('gssdelegation=1 is not supported: pg-pitr has no GSSAPI authentication');

    // protocol
    for (const k of ['min_protocol_version', 'max_protocol_version']) {
      const v = get(k);
      if (v !== undefined && v !== '' && !['3.0', '3.2', 'latest'].includes(v)) fail(`invalid ${k} value: "${v}"`);
    }
    const minProtocol = get('min_protocol_version');
    if (minProtocol === '3.2' || minProtocol === 'latest')
      fail(`min_protocol_version=${minProtocol} is not supported: pg-pitr speaks protocol 3.0`);
    const replication = get('replication');
    if (
      replication !== undefined &&
      replication !== '' &&
      !['0', 'false', 'off', 'no'].includes(replication.toLowerCase())
    )
      fail('replication is not supported: pg-pitr needs an ordinary (SQL) session');

    // the session
    const session: SessionOptions = { keepalives: true, targetSessionAttrs: 'any' };
    const encoding = get('client_encoding');
    if (encoding !== undefined && encoding !== '' && !/^(utf-?8|unicode|auto)$/i.test(encoding))
      fail(`client_encoding=${encoding} is not supported: pg-pitr reads every answer as UTF8`);
    const app = get('application_name');
    if (app !== undefined && app !== '') session.applicationName = app;
    const fallback = get('fallback_application_name');
    if (fallback !== undefined && fallback !== '') session.fallbackApplicationName = fallback;
    const options = get('options');
    if (options !== undefined && options.trim() !== '') session.options = options;
    const keepalives = get('keepalives');
    if (keepalives !== undefined && keepalives !== '') session.keepalives = zeroOrOne(keepalives, 'keepalives');
    const idle = get('keepalives_idle');
    if (idle !== undefined && idle !== '') {
      const n = /^\s*(\d+)\s*$/.exec(idle);
      if (!n) fail(`invalid integer value "${idle}" for connection option "keepalives_idle"`);
      session.keepalivesIdleMs = Number(n![1]) * 1000;
    }
    const balance = get('load_balance_hosts') ?? 'disable';
    if (balance !== 'disable' && balance !== 'random') fail(`invalid load_balance_hosts value: "${balance}"`);
    const target = get('target_session_attrs') ?? 'any';
    if (!['any', 'read-write', 'read-only', 'primary', 'standby', 'prefer-standby'].includes(target))
      fail(`invalid target_session_attrs value: "${target}"`);
    if (target === 'read-write' || target === 'read-only')
      fail(
        `target_session_attrs=${target} is not supported: pg-pitr's own session is read-only by design; use primary or standby`,
      );
    // one host: preferring a standby is accepting any server
    session.targetSessionAttrs = target === 'prefer-standby' ? 'any' : (target as SessionOptions['targetSessionAttrs']);
    return { auth, tls, session };
  } catch (e) {
    if (e instanceof ConnectionConfigError && !e.message.startsWith(aboutServer(serverName, '')))
      throw new ConnectionConfigError(aboutServer(serverName, e.message));
    throw e;
  }
}
