// Which password a connection sends, with libpq's precedence: the caller's (SecretStorage, a
// prompt) > the connection string's or service entry's > PGPASSWORD > the password file.
// Never logs or returns the password anywhere but in the result.

import { lookupPassword, passwordFilePath } from './passwordFile';
import type { ResolvedConnection } from './types';

export interface PasswordSources {
  /** typed or stored by the user */
  given?: string;
  /** from the connection string or the service entry */
  fromString?: string;
  env: NodeJS.ProcessEnv;
  /** the passfile keyword (connection string, service entry or PGPASSFILE) */
  passfile?: string;
  homeDir: string;
  platform: NodeJS.Platform;
}

export interface ResolvedPassword {
  password?: string;
  source: ResolvedConnection['passwordSource'];
  /** e.g. the password file is ignored because others can read it */
  warning?: string;
}

/** The password for the resolved endpoint, and where it came from. */
export function resolvePassword(
  endpoint: { host: string; port: number; database: string; user: string },
  sources: PasswordSources,
): ResolvedPassword {
  if (sources.given !== undefined && sources.given !== '') return { password: sources.given, source: 'given' };
  if (sources.fromString !== undefined && sources.fromString !== '')
    return { password: sources.fromString, source: 'connection string' };
  if (sources.env.PGPASSWORD) return { password: sources.env.PGPASSWORD, source: 'environment' };
  const file = passwordFilePath({
    passfile: sources.passfile,
    env: { APPDATA: sources.env.APPDATA },
    homeDir: sources.homeDir,
    platform: sources.platform,
  });
  const found = lookupPassword(file, endpoint, sources.platform);
  const result: ResolvedPassword = { source: 'none' };
  if (found.warning) result.warning = found.warning;
  if (found.password !== null) {
    result.password = found.password;
    result.source = 'pgpass';
  }
  return result;
}
