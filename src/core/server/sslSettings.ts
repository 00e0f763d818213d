// The TLS side of a connection from its libpq keywords: sslmode (with libpq 16's sslrootcert=system
// rule) and the certificate files, with libpq's defaults under ~/.postgresql when they exist.

import * as fs from 'node:fs';
import * as path from 'node:path';

import { aboutServer, ConnectionConfigError } from './connectionErrors';
import type { SslSettings } from './types';

export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
type SslMode = (typeof SSL_MODES)[number];

export interface SslFileOptions {
  env: NodeJS.ProcessEnv;
  homeDir: string;
  platform: NodeJS.Platform;
}

/**
 * The SSL settings for `values` (false: no TLS). Throws ConnectionConfigError for an unknown
 * sslmode and for a weak sslmode with sslrootcert=system. Messages name the server (aboutServer).
 */
export function resolveSslSettings(
  values: Map<string, string>,
  serverName: string,
  opts: SslFileOptions,
): SslSettings | false {
  // libpq 16+: sslrootcert=system makes verify-full the default, and forbids weaker modes
  const systemRoots = values.get('sslrootcert') === 'system';
  const mode = values.get('sslmode') ?? (systemRoots ? 'verify-full' : 'prefer');
  if (!(SSL_MODES as readonly string[]).includes(mode))
    throw new ConnectionConfigError(aboutServer(serverName, `invalid sslmode value: "${mode}"`));
  if (systemRoots && mode !== 'verify-full') {
    throw new ConnectionConfigError(
      aboutServer(serverName, `weak sslmode "${mode}" may not be used with sslrootcert=system (use "verify-full")`),
    );
  }
  if (mode === 'disable') return false;
  // libpq's defaults under ~/.postgresql, used when the files exist
  const fallback = (name: string) => {
    const p =
      opts.platform === 'win32'
        ? path.win32.join(opts.env.APPDATA ?? opts.homeDir, 'postgresql', name)
        : path.join(opts.homeDir, '.postgresql', name);
    return fs.existsSync(p) ? p : undefined;
  };
  const ssl: SslSettings = { mode: mode as Exclude<SslMode, 'disable'> };
  const rootCert = values.get('sslrootcert') ?? fallback('root.crt');
  const cert = values.get('sslcert') ?? fallback('postgresql.crt');
  const key = values.get('sslkey') ?? fallback('postgresql.key');
  if (rootCert !== undefined) ssl.rootCert = rootCert;
  if (cert !== undefined) ssl.cert = cert;
  if (key !== undefined) ssl.key = key;
  return ssl;
}
