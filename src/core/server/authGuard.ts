// Enforces an AuthPolicy (require_auth, channel_binding) on a node-postgres client, as libpq does:
// each authentication request of the server is judged (authPolicy.ts) before the client answers,
// and a refused one closes the connection before a password, its MD5 hash or a SCRAM proof is
// sent. Also turns a request node-postgres cannot parse (GSSAPI, SSPI), which would otherwise throw
// out of its socket handler and crash the process, into a connection error.
import type { EventEmitter } from 'node:events';

import type { Client } from 'pg';

import {
  type AuthPolicy,
  authRequestOfCode,
  type AuthState,
  chooseSaslMechanism,
  refuseAuthRequest,
  unsupportedAuthMessage,
} from './authPolicy';

/** What a guarded client can be asked. */
export interface AuthGuard {
  /** why the connection was refused (libpq's words), or null */
  refusal(): string | null;
}

interface PgConnection extends EventEmitter {
  stream?: EventEmitter & { destroy(): void };
  attachListeners(stream: EventEmitter): void;
}

/**
 * Installs the guard on `client` before client.connect(). `refuse` is called once, with libpq's
 * message, when the server's request must not be answered; the socket is already closed then.
 */
export function guardAuthentication(
  client: Client,
  policy: AuthPolicy,
  ssl: boolean,
  refuse: (message: string) => void,
): AuthGuard {
  const con = (client as unknown as { connection: PgConnection }).connection;
  const state: AuthState = { ssl, finished: false, mechanism: null };
  let refusal: string | null = null;
  const stop = (message: string) => {
    if (refusal !== null) return;
    refusal = message;
    refuse(message);
    try {
      con.stream?.destroy();
    } catch {
      /* already gone */
    }
  };
  const allowed = (request: Parameters<typeof refuseAuthRequest>[1]): boolean => {
    if (refusal !== null) return false;
    const why = refuseAuthRequest(policy, request, state);
    if (why !== null) stop(why);
    return why === null;
  };

  // prepended: these run before node-postgres's own handlers, which would answer at once
  con.prependListener('authenticationCleartextPassword', () => {
    if (allowed('password')) state.finished = true;
  });
  con.prependListener('authenticationMD5Password', () => {
    if (allowed('md5')) state.finished = true;
  });
  con.prependListener('authenticationSASL', (msg: { mechanisms?: string[] }) => {
    if (!allowed('sasl')) return;
    const choice = chooseSaslMechanism(policy, msg.mechanisms ?? [], ssl);
    if ('refusal' in choice) stop(choice.refusal);
    else state.mechanism = choice.mechanism;
  });
  con.prependListener('authenticationSASLContinue', () => void allowed('sasl'));
  let saslFinal = false;
  con.prependListener('authenticationSASLFinal', () => {
    if (allowed('sasl')) saslFinal = true;
  });
  con.prependListener('authenticationOk', () => {
    // node-postgres verified the server's SCRAM signature: it clears its session only then (its
    // own listeners are attached at connect(), after these, so this is checked here, not on SASLFinal)
    if (saslFinal && (client as unknown as { saslSession?: unknown }).saslSession === null) state.finished = true;
    allowed('ok');
  });

  // a request pg-protocol cannot parse throws inside the socket's 'data' handler: catch it there
  const attach = con.attachListeners.bind(con);
  con.attachListeners = (stream: EventEmitter) => {
    const emit = stream.emit.bind(stream);
    stream.emit = (event: string | symbol, ...args: unknown[]): boolean => {
      if (event !== 'data') return emit(event, ...args);
      try {
        return emit(event, ...args);
      } catch (e) {
        const code = /Unknown authenticationOk message type (\d+)/.exec((e as Error)?.message ?? '')?.[1];
        if (code === undefined) stop(`the server sent a message pg-pitr cannot read (${(e as Error)?.message})`);
        else {
          const request = authRequestOfCode(Number(code));
          const why = request === null ? null : refuseAuthRequest(policy, request, state);
          stop(
            why ??
              (policy.channelBinding === 'require'
                ? "channel binding required but not supported by server's authentication request"
                : unsupportedAuthMessage(Number(code))),
          );
        }
        return false;
      }
    };
    attach(stream);
  };
  return { refusal: () => refusal };
}
