// Loads dist/backend.js (pg, the AWS SDK, the SQL parser, the checks and planners) on first use, never
// at activation: every command, view and CodeLens that needs the heavy core goes through here.
import * as path from 'node:path';

/** The heavy half of the extension, as `src/extension/backend.ts` re-exports it. */
export type Backend = typeof import('./backend');

let backend: Backend | undefined;

/** The backend bundle, loaded on the first call. */
export function loadBackend(): Backend {
  // a computed path: the bundler leaves this require to run time (dist/extension.js sits beside dist/backend.js)
  backend ??= require(path.join(__dirname, 'backend.js')) as Backend;
  return backend;
}

/** The same, for callers that take an async loader (commands, the CodeLens). */
export function loadBackendAsync(): Promise<Backend> {
  return Promise.resolve().then(loadBackend);
}
