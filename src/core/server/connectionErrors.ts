// Errors of the connection layer. Their messages are shown to users and written to logs, so they
// are built from facts (host, port, user, what failed) and never from the password.

/** `server "NAME": message`, or the message alone for a server without a name (the CLI without --name). */
export function aboutServer(name: string, message: string): string {
  return name === '' ? message : `server "${name}": ${message}`;
}

/** A profile, connection string, service file entry or environment variable that cannot be used. */
export class ConnectionConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectionConfigError';
  }
}

export type ConnectionErrorKind = 'auth' | 'unreachable' | 'timeout' | 'refused' | 'ssl' | 'other';

/** Connecting failed, or a live connection broke. `message` names host:port and the cause. */
export class ConnectionError extends Error {
  constructor(
    readonly kind: ConnectionErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'ConnectionError';
  }
}

/** A statement failed on a live connection: an SQL error (sqlState set) or a timeout (kind 'timeout'). */
export class QueryError extends ConnectionError {
  constructor(
    kind: ConnectionErrorKind,
    message: string,
    /** SQLSTATE from the server, e.g. '42501' (insufficient privilege), '57014' (statement timeout); null for client-side failures */
    readonly sqlState: string | null,
  ) {
    super(kind, message);
    this.name = 'QueryError';
  }
}
