// Real-editor figures: keystroke-to-diagnostics latency (1,000 / 10,000 lines) and activation time,
// measured in VS Code (server) + Chromium by scripts/e2e/run.mjs --bench. The 10-line file is the
// baseline measured in the same run (it is mostly the 200 ms typing debounce).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { Bench } from './index';

const ROOT = path.resolve(__dirname, '..', '..');

export const editorBench: Bench = {
  name: 'editor',
  title: 'Real editor: keystroke-to-diagnostics latency and activation time',
  async run(ctx) {
    const out = path.join(ROOT, '.test-output', 'e2e', 'bench.json');
    fs.rmSync(out, { force: true });
    const r = spawnSync(process.execPath, ['scripts/e2e/run.mjs', '--bench'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 600000,
    });
    if (/REAL-EDITOR TESTS NOT RUN/.test(r.stderr) && !ctx.ci) {
      ctx.log('SKIPPED: ' + r.stderr.trim());
      return;
    }
    if (r.status !== 0 || !fs.existsSync(out)) throw new Error(`editor benchmark failed:\n${r.stdout}${r.stderr}`);
    const m = JSON.parse(fs.readFileSync(out, 'utf8')) as Record<string, number>;
    const f = (x: number) => `${x.toFixed(1)} ms`;
    ctx.log(`activation (time in activate()):               ${f(m.activationMs)}`);
    ctx.log(
      `keystroke -> diagnostics, 10 lines (baseline):   ${f(m.latency10Ms)}   (includes the 200 ms typing debounce)`,
    );
    ctx.log(
      `keystroke -> diagnostics, 1,000 lines:           ${f(m.latency1000Ms)}   ${(m.latency1000Ms / m.latency10Ms).toFixed(2)}x baseline`,
    );
    ctx.log(
      `keystroke -> diagnostics, 10,000 lines:          ${f(m.latency10000Ms)}   ${(m.latency10000Ms / m.latency10Ms).toFixed(2)}x baseline`,
    );
  },
};
