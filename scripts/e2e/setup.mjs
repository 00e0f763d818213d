// npm run test:e2e:setup — install the VS Code server for the real-editor tests (idempotent).
import { installServer, isInstalled, missingPrerequisites, serverRoot } from './vscodeServer.mjs';

const missing = missingPrerequisites();
if (missing.length > 0) {
  console.error('The real-editor tests need what this machine lacks:\n  - ' + missing.join('\n  - '));
  process.exit(1);
}
if (isInstalled()) {
  console.log(`VS Code server already installed in ${serverRoot()}`);
} else {
  installServer();
}
