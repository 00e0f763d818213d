// Loads dist/backend.js (pg, the AWS SDK, the checks) on the first refresh, never at activation.
import * as path from 'node:path';

export type Backend = typeof import('../backend');

let backend: Backend | undefined;

export function loadBackend(): Backend {
  // a computed path: the bundler leaves this require to run time (dist/extension.js sits beside dist/backend.js)
  backend ??= require(path.join(__dirname, 'backend.js')) as Backend;
  return backend;
}
