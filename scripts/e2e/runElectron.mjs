// npm run test:electron — the same suites in a desktop VS Code downloaded by @vscode/test-electron.
// Needs internet and a display; the default `npm test` uses the server + Chromium runner instead.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { runTests } from '@vscode/test-electron';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-electron-'));
const testBundle = path.join(runDir, 'tests', 'index.js');
await build({
  entryPoints: [path.join(ROOT, 'test', 'e2e', 'index.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  outfile: testBundle,
  external: ['vscode', 'mocha'],
  nodePaths: [path.join(ROOT, 'node_modules')],
});
fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(runDir, 'tests', 'node_modules'));
const workspace = path.join(runDir, 'workspace');
fs.cpSync(path.join(ROOT, 'test', 'e2e', 'workspace'), workspace, { recursive: true });
fs.mkdirSync(path.join(runDir, 'control'));
const results = path.join(runDir, 'results.json');
process.env.PG_PITR_E2E_RESULTS = results;
process.env.PG_PITR_E2E_CONTROL = path.join(runDir, 'control');
process.env.PG_PITR_E2E_WORKSPACE = workspace;
process.env.PG_PITR_E2E_MODE = 'dev';
// suites that read the page need the browser runner
process.env.PG_PITR_E2E_GREP = process.env.PG_PITR_E2E_GREP ?? '^(?!.*(Problems panel|status bar)).*$';
try {
  await runTests({
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: testBundle,
    launchArgs: [workspace, '--disable-extensions'],
  });
  const r = JSON.parse(fs.readFileSync(results, 'utf8'));
  const failed = r.tests.filter((t) => t.state === 'failed');
  for (const t of r.tests)
    console.log(`${t.state === 'passed' ? '✔' : '✖'} ${t.title}${t.error ? '\n  ' + t.error : ''}`);
  console.log(`${r.tests.length - failed.length} passed, ${failed.length} failed`);
  process.exitCode = failed.length ? 1 : 0;
} finally {
  fs.rmSync(runDir, { recursive: true, force: true });
}
