// What the client may answer while the server authenticates it, decided as libpq 18 decides:
// require_auth parsed as fe-connect.c's connectOptions2 parses it, each authentication request
// judged as fe-auth.c's check_expected_areq and pg_SASL_init judge it, with their messages.
// openConnection asks before any password-derived byte leaves the process. Pure, no I/O.
import { ConnectionConfigError } from './connectionErrors';

/** An authentication request of the server (libpq's AUTH_REQ_*), as far as pg-pitr tells them apart. */
export type AuthRequest = 'ok' | 'password' | 'md5' | 'gss' | 'sspi' | 'sasl';
type Method = Exclude<AuthRequest, 'ok'>;

export interface AuthPolicy {
  /** the require_auth text as given (for messages); null when unset */
  requireAuth: string | null;
  /** the methods the server may ask for */
  allowed: ReadonlySet<Method>;
  /** the server must complete an exchange: no "trust" without a challenge */
  authRequired: boolean;
  channelBinding: 'disable' | 'prefer' | 'require';
}

/** What happened so far in one connection's authentication. */
export interface AuthState {
  /** TLS is in use on this connection */
  ssl: boolean;
  /** the client finished an exchange (sent a password, or verified the server's SCRAM signature) */
  finished: boolean;
  /** the SASL mechanism chosen, once chosen */
  mechanism: string | null;
}

const METHODS: Record<string, Method> = {
  password: 'password',
  md5: 'md5',
  gss: 'gss',
  sspi: 'sspi',
  'scram-sha-256': 'sasl',
};
const ALL: Method[] = ['password', 'md5', 'gss', 'sspi', 'sasl'];

/** The policy when neither require_auth nor channel_binding is set: libpq's defaults. */
export const DEFAULT_AUTH_POLICY: AuthPolicy = {
  requireAuth: null,
  allowed: new Set(ALL),
  authRequired: false,
  channelBinding: 'prefer',
};

/**
 * connectOptions2: channel_binding is disable, prefer or require; require_auth a comma-separated
 * list of methods (password, md5, gss, sspi, scram-sha-256, none), all negated ("!md5") or none
 * negated, none twice. Throws ConnectionConfigError with libpq's message.
 */
export function parseAuthPolicy(requireAuth: string | undefined, channelBinding: string | undefined): AuthPolicy {
  const cb = channelBinding ?? 'prefer';
  if (cb !== 'disable' && cb !== 'prefer' && cb !== 'require')
    throw new ConnectionConfigError(`invalid channel_binding value: "${cb}"`);
  if (requireAuth === undefined || requireAuth === '') return { ...DEFAULT_AUTH_POLICY, channelBinding: cb };
  let allowed = new Set<Method>();
  let authRequired = true;
  let negated = false;
  requireAuth.split(',').forEach((part, i) => {
    let method = part;
    if (method.startsWith('!')) {
      if (i === 0) {
        // the complement of the methods listed
        negated = true;
        authRequired = false;
        allowed = new Set(ALL);
      } else if (!negated)
        throw new ConnectionConfigError(
          `negative require_auth method "${part}" cannot be mixed with non-negative methods`,
        );
      method = method.slice(1);
    } else if (negated) {
      throw new ConnectionConfigError(`require_auth method "${part}" cannot be mixed with negative methods`);
    }
    const duplicate = () => new ConnectionConfigError(`require_auth method "${part}" is specified more than once`);
    if (method === 'none') {
      // "none" allows, "!none" forbids, a connection the server accepts without any challenge
      if (negated ? authRequired : !authRequired) throw duplicate();
      authRequired = negated;
      return;
    }
    const m = METHODS[method];
    if (m === undefined) throw new ConnectionConfigError(`invalid require_auth value: "${method}"`);
    if (negated ? !allowed.has(m) : allowed.has(m)) throw duplicate();
    if (negated) allowed.delete(m);
    else allowed.add(m);
  });
  return { requireAuth, allowed, authRequired, channelBinding: cb };
}

const DESCRIPTION: Record<Method, string> = {
  password: 'server requested a cleartext password',
  md5: 'server requested a hashed password',
  gss: 'server requested GSSAPI authentication',
  sspi: 'server requested SSPI authentication',
  sasl: 'server requested SASL authentication',
};

/**
 * check_expected_areq: why the client must not answer `request` (libpq's message), or null when
 * it may. Called before anything is sent in answer, and on AuthenticationOk.
 */
export function refuseAuthRequest(policy: AuthPolicy, request: AuthRequest, state: AuthState): string | null {
  if (policy.requireAuth !== null) {
    let reason: string | null = null;
    if (request === 'ok') {
      if (policy.authRequired && !state.finished) reason = 'server did not complete authentication';
    } else if (!policy.allowed.has(request)) reason = DESCRIPTION[request];
    if (reason !== null) return `authentication method requirement "${policy.requireAuth}" failed: ${reason}`;
  }
  if (policy.channelBinding === 'require') {
    // never answer a request that could leak the password; and an OK must follow a bound exchange
    if (request === 'ok') {
      if (!(state.finished && state.mechanism === 'SCRAM-SHA-256-PLUS'))
        return 'channel binding required, but server authenticated client without channel binding';
    } else if (request !== 'sasl')
      return "channel binding required but not supported by server's authentication request";
  }
  return null;
}

/**
 * pg_SASL_init: the mechanism to use among those the server offers, or why none may be used.
 * SCRAM-SHA-256-PLUS over TLS unless channel_binding=disable, else SCRAM-SHA-256.
 */
export function chooseSaslMechanism(
  policy: AuthPolicy,
  offered: string[],
  ssl: boolean,
): { mechanism: string } | { refusal: string } {
  if (policy.channelBinding === 'require' && !ssl) return { refusal: 'channel binding required, but SSL not in use' };
  let chosen: string | null = null;
  for (const m of offered) {
    if (m === 'SCRAM-SHA-256-PLUS') {
      if (!ssl) return { refusal: 'server offered SCRAM-SHA-256-PLUS authentication over a non-SSL connection' };
      if (policy.channelBinding !== 'disable') chosen = m;
    } else if (m === 'SCRAM-SHA-256' && chosen === null) chosen = m;
  }
  if (chosen === null) return { refusal: "none of the server's SASL authentication mechanisms are supported" };
  if (policy.channelBinding === 'require' && chosen !== 'SCRAM-SHA-256-PLUS')
    return {
      refusal:
        'channel binding is required, but server did not offer an authentication method that supports channel binding',
    };
  return { mechanism: chosen };
}

/** pg_fe_sendauth's message for a request pg-pitr (node-postgres) cannot answer at all. */
export function unsupportedAuthMessage(code: number): string {
  if (code === 7 || code === 8) return 'GSSAPI authentication not supported';
  if (code === 9) return 'SSPI authentication not supported';
  if (code === 4) return 'Crypt authentication not supported';
  if (code === 1) return 'Kerberos 4 authentication not supported';
  if (code === 2) return 'Kerberos 5 authentication not supported';
  return `authentication method ${code} not supported`;
}

/** The request of an AuthenticationRequest code, for the policy ('gss' for GSS and its continuation). */
export function authRequestOfCode(code: number): AuthRequest | null {
  return code === 7 || code === 8 ? 'gss' : code === 9 ? 'sspi' : null;
}
