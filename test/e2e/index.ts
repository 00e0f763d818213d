// The test module VS Code's extension host loads (extensionTestsPath): runs the mocha suites
// inside the real editor and writes their results where the runner (scripts/e2e/run.mjs) reads them.
import * as fs from 'node:fs';

import * as vscode from 'vscode';

interface TestResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  duration?: number;
  error?: string;
}

export async function run(): Promise<void> {
  const resultsFile = process.env.PG_PITR_E2E_RESULTS;
  const tests: TestResult[] = [];
  try {
    const { Mocha } = require('mocha') as { Mocha: typeof import('mocha') };
    const mocha = new Mocha({
      ui: 'bdd',
      timeout: 60000,
      grep: process.env.PG_PITR_E2E_GREP || undefined,
      // under CI=true a skipped test is a failure, as in the other lanes (.mocharc.cjs)
      forbidPending: process.env.CI === 'true',
    });
    mocha.suite.emit('pre-require', globalThis, 'pg-pitr-e2e', mocha);
    // suites register with the globals just installed
    if (process.env.PG_PITR_E2E_BENCH === '1') require('./bench/editorLatency.bench');
    else if (process.env.PG_PITR_E2E_TRUSTED === '1') require('./suites/trusted');
    else require('./suites');
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      runner.on('pass', (t) => tests.push({ title: t.fullTitle(), state: 'passed', duration: t.duration }));
      runner.on('fail', (t, err: Error) =>
        tests.push({ title: t.fullTitle(), state: 'failed', error: String(err.stack ?? err) }),
      );
      runner.on('pending', (t) => tests.push({ title: t.fullTitle(), state: 'pending' }));
    });
  } catch (e) {
    tests.push({ title: 'loading the suites', state: 'failed', error: String((e as Error).stack ?? e) });
  }
  if (resultsFile) fs.writeFileSync(resultsFile, JSON.stringify({ vscodeVersion: vscode.version, tests }, null, 2));
}
