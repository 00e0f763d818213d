// Suites that need a trusted workspace (run with `node scripts/e2e/run.mjs --trusted`).
import './workspaceTrust.test';
import './servers.test';
import './recoveryCommands.test';
import './drill.test';
import './timeline.test';
