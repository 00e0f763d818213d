// issue 15: the editor lints on a worker thread (dist/lintWorker.js) through LintWorkerClient: a
// FIFO include answers at once, a lint past its time or memory limit is stopped and reported,
// the next one runs on a fresh worker, and the Problems panel gets a bounded number of findings.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import type { LintResponse } from '../../src/extension/diagnostics/lintProtocol';
import { LintFailure, LintWorkerClient } from '../../src/extension/diagnostics/lintWorkerClient';

const SCRIPT = path.resolve(__dirname, '../../dist/lintWorker.js');

describe('lint worker (issue 15)', function () {
  this.timeout(120_000);
  let dir: string;
  const clients: LintWorkerClient[] = [];
  const client = (timeoutMs = 30_000, maxHeapMb = 512) => {
    const c = new LintWorkerClient({ script: SCRIPT, timeoutMs, maxHeapMb });
    clients.push(c);
    return c;
  };
  before(() => {
    assert.ok(fs.existsSync(SCRIPT), `${SCRIPT} is missing: npm run build`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-worker-'));
  });
  after(() => {
    for (const c of clients) c.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const request = (configFile: string, text?: string, maxFindings = 10_000) => ({
    configFile,
    dataDir: null,
    major: 17,
    overlay: text === undefined ? [] : ([[configFile, new TextEncoder().encode(text)]] as Array<[string, Uint8Array]>),
    maxFindings,
  });
  const findings = (r: LintResponse) => {
    assert.ok('findings' in r, JSON.stringify(r));
    return r.findings;
  };

  it('an included FIFO is an error at once; the unsaved text is what is linted', async () => {
    execFileSync('mkfifo', [path.join(dir, 'pipe.conf')]);
    const conf = path.join(dir, 'postgresql.conf');
    fs.writeFileSync(conf, 'fsync = off\n');
    const r = findings(await client().lint(request(conf, "include 'pipe.conf'\n")));
    assert.deepEqual(
      r.map((f) => [f.rule, f.severity, f.message]),
      [
        [
          'include-error',
          'error',
          `The server will not start: could not read configuration file "${dir}/pipe.conf": it is a FIFO, ` +
            `not a regular file (a starting server would wait on it or read it without end)`,
        ],
      ],
    );
  });

  it('a lint past its time limit is stopped and reported; the next lint runs on a fresh worker', async () => {
    const c = client();
    const big = path.join(dir, 'big.conf');
    fs.writeFileSync(big, "myapp.x = 'y'\nwork_mem = '4MB'\n".repeat(400_000));
    await assert.rejects(
      c.lint(request(big), 50),
      (e: Error) => e instanceof LintFailure && e.message === 'it took longer than 0.05 s, so pg-pitr stopped it',
    );
    const small = path.join(dir, 'small.conf');
    fs.writeFileSync(small, 'fsync = off\n');
    assert.deepEqual(
      findings(await c.lint(request(small))).map((f) => f.rule),
      ['fsync-off'],
    );
  });

  it('a lint past its memory limit is stopped and reported', async () => {
    const big = path.join(dir, 'huge.conf');
    fs.writeFileSync(big, "myapp.setting_x = 'value'\n".repeat(1_500_000));
    await assert.rejects(
      client(60_000, 16).lint(request(big)),
      (e: Error) =>
        e instanceof LintFailure && e.message === 'it needed more than 16 MB of memory, so pg-pitr stopped it',
    );
  });

  it('at most maxFindings findings come back, then one that says how many there were', async () => {
    const conf = path.join(dir, 'removed.conf');
    const r = findings(await client().lint(request(conf, 'checkpoint_segments = 3\n'.repeat(3000), 1000)));
    assert.equal(r.length, 1001);
    assert.deepEqual(r[1000], {
      rule: 'too-many-findings',
      severity: 'information',
      file: conf,
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      message: 'pg-pitr shows the first 1000 of 5999 findings; run pg-pitr lint for all of them',
      fix: null,
    });
  });
});
