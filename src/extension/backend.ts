// The heavy half of the extension (node-postgres, the AWS SDK and what uses them), built as its own
// bundle dist/backend.js and loaded on first use (servers/backendLoader.ts), so activation stays
// small. Keep this a plain list of re-exports.
export { checkServer } from '../core/server/checkServer';
export { resolveConnection } from '../core/server/resolveConnection';
export { openConnection } from '../core/server/openConnection';
