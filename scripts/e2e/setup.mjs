// npm run test:e2e:setup — install the VS Code servers of every tested version (idempotent).
import { installServer, isInstalled, missingPrerequisites, serverRoot, VSCODE_VERSIONS } from './vscodeServer.mjs';

const missing = missingPrerequisites();
if (missing.length > 0) {
  console.error('The real-editor tests need what this machine lacks:\n  - ' + missing.join('\n  - '));
  process.exit(1);
}
for (const vscode of Object.keys(VSCODE_VERSIONS)) {
  if (isInstalled(vscode)) console.log(`VS Code ${vscode} server already installed in ${serverRoot(vscode)}`);
  else installServer(console.log, vscode);
}
