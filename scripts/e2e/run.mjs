// Runs the real-editor suites: VS Code's server on a free loopback port, the workbench in
// headless Chromium with the extension (development folder or an installed .vsix) and the test
// module, whose mocha results are read back from a file. Always cleans up its processes.
//   node scripts/e2e/run.mjs [--vsix FILE] [--grep TEXT] [--trusted] [--vscode 1.100|1.90]
// --trusted: Workspace Trust is off, so the workspace is trusted and the suites in
// test/e2e/suites/trusted/ run (servers, commands that run programs); without it, the
// workspace opens in Restricted Mode and test/e2e/suites/ runs. --vscode: the VS Code version
// (default the newest tested; 1.90 is the oldest engines.vscode allows).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { CHROMIUM, DEFAULT_VSCODE, installServer, missingPrerequisites, VSCODE_VERSIONS } from './vscodeServer.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = path.join(ROOT, '.test-output', 'e2e');
// a deadline that turns a hung editor into a failure; the run ends as soon as the tests do
const TIMEOUT_MS = Number(process.env.PG_PITR_E2E_TIMEOUT ?? 20 * 60 * 1000);
const args = process.argv.slice(2);
// `--vsix package`: the .vsix `npm run package` built for the version in package.json
const vsixArg = args.includes('--vsix') ? args[args.indexOf('--vsix') + 1] : null;
const packageVersion = () =>
  JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
const vsix =
  vsixArg === null ? null : path.resolve(vsixArg === 'package' ? `pg-pitr-${packageVersion()}.vsix` : vsixArg);
const grep = args.includes('--grep') ? args[args.indexOf('--grep') + 1] : '';
const bench = args.includes('--bench');
const trusted = args.includes('--trusted');
const vscodeVersion = args.includes('--vscode') ? args[args.indexOf('--vscode') + 1] : DEFAULT_VSCODE;
if (!VSCODE_VERSIONS[vscodeVersion]) {
  console.error(`--vscode ${vscodeVersion}: one of ${Object.keys(VSCODE_VERSIONS).join(', ')}`);
  process.exit(1);
}
const label = `${vsix ? 'installed .vsix' : 'development folder'}${trusted ? ', trusted workspace' : ', Restricted Mode'}`;
const shotPrefix = `${vsix ? 'vsix-' : ''}${vscodeVersion === DEFAULT_VSCODE ? '' : `vscode-${vscodeVersion}-`}`;
const tag = `${vsix ? 'vsix' : 'dev'}${trusted ? '-trusted' : ''}${vscodeVersion === DEFAULT_VSCODE ? '' : `-vscode-${vscodeVersion}`}`;
if (vsix && !fs.existsSync(vsix)) {
  console.error(`${vsix} does not exist: run "npm run package" first`);
  process.exit(1);
}

const missing = missingPrerequisites();
if (missing.length > 0) {
  const msg = `\n*** REAL-EDITOR TESTS NOT RUN: this machine lacks:\n  - ${missing.join('\n  - ')}\n`;
  if (process.env.CI === 'true') {
    console.error(msg + '*** In CI a missing dependency is a failure (.ci/run installs them).\n');
    process.exit(1);
  }
  console.error(msg + '*** SKIPPED (set CI=true to make this a failure).\n');
  process.exit(0);
}

const cleanups = [];
async function cleanup() {
  while (cleanups.length) {
    try {
      await cleanups.pop()();
    } catch {
      /* keep cleaning */
    }
  }
}
for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => cleanup().then(() => process.exit(130)));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** What the quick input shows, and whether keys typed now reach it (runs in the page). */
function quickInputState() {
  const shown = (el) => !!el && el.offsetParent !== null;
  const w = document.querySelector('.quick-input-widget');
  const input = w?.querySelector('.quick-input-box input');
  const list = w?.querySelector('.quick-input-list');
  const rows = shown(list) ? [...list.querySelectorAll('.monaco-list-row')] : [];
  return {
    visible: shown(w),
    title: w?.querySelector('.quick-input-title')?.textContent ?? '',
    message: shown(w?.querySelector('.quick-input-message')) ? w.querySelector('.quick-input-message').textContent : '',
    placeholder: input?.getAttribute('placeholder') ?? '',
    value: input?.value ?? '',
    rows: rows.length,
    activeRow: rows.find((r) => r.classList.contains('focused'))?.getAttribute('aria-label') ?? null,
    inputFocused: !!input && document.activeElement === input,
  };
}

/** A webview's content frame holding `req.within` (default: any element of `req.selector`), or null. */
async function webviewFrame(page, req) {
  for (const f of page.frames()) {
    if (f === page.mainFrame()) continue;
    try {
      if ((await f.locator(req.within ?? req.selector).count()) > 0) return f;
    } catch {
      /* a frame that went away */
    }
  }
  return null;
}

/** Reads or clicks inside a webview (VS Code puts each in nested iframes): count, text, attribute, click, hover. */
async function inWebview(page, req) {
  const frame = await webviewFrame(page, req);
  if (!frame) {
    if (req.action === 'count') return { ok: true, text: '0' };
    const charts = [];
    for (const f of page.frames())
      charts.push(
        `${f.url().slice(0, 60)}: ${await f
          .locator('#tl-chart')
          .count()
          .catch(() => '?')}`,
      );
    return { ok: false, error: `no webview shows ${req.within ?? req.selector} (frames: ${charts.join('; ')})` };
  }
  const loc = frame.locator(req.selector);
  if (req.action === 'count') return { ok: true, text: String(await loc.count()) };
  const el = loc.nth(req.index ?? 0);
  if (req.action === 'text') return { ok: true, text: (await el.textContent()) ?? '' };
  if (req.action === 'attr') return { ok: true, text: (await el.getAttribute(req.name)) ?? '' };
  if (req.action === 'click' || req.action === 'hover') {
    // a position inside the element: x as a fraction of its width, y in pixels from its top
    const box = await el.boundingBox();
    if (!box) return { ok: false, error: `${req.selector} is not visible` };
    const position = {
      x: Math.max(1, Math.min(box.width - 1, box.width * (req.fx ?? 0.5))),
      y: req.y ?? box.height / 2,
    };
    await el[req.action]({ position, force: true });
    return { ok: true, text: JSON.stringify(box) };
  }
  return { ok: false, error: `unknown webview action ${req.action}` };
}

async function main() {
  const vscodeDir = installServer(console.log, vscodeVersion);
  fs.mkdirSync(OUT, { recursive: true });
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-e2e-'));
  cleanups.push(() => fs.rmSync(runDir, { recursive: true, force: true }));
  const shotsDir = path.join(ROOT, '.test-output', 'screenshots');
  fs.mkdirSync(shotsDir, { recursive: true });

  // the test module, bundled; vscode and mocha come from the extension host and this repo
  const testBundle = path.join(runDir, 'tests', 'index.js');
  await build({
    entryPoints: [path.join(ROOT, 'test', 'e2e', 'index.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile: testBundle,
    external: ['vscode', 'mocha'],
    nodePaths: [path.join(ROOT, 'node_modules')],
    logLevel: 'warning',
  });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(runDir, 'tests', 'node_modules'));

  const workspace = path.join(runDir, 'workspace');
  fs.cpSync(path.join(ROOT, 'test', 'e2e', 'workspace'), workspace, { recursive: true });
  const control = path.join(runDir, 'control');
  fs.mkdirSync(control);
  const results = path.join(runDir, 'results.json');

  const dirs = {
    server: path.join(runDir, 'server-data'),
    user: path.join(runDir, 'user-data'),
    ext: path.join(runDir, 'extensions'),
  };
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  // machine settings: no telemetry, no update checks, no welcome page
  fs.mkdirSync(path.join(dirs.server, 'data', 'Machine'), { recursive: true });
  fs.writeFileSync(
    path.join(dirs.server, 'data', 'Machine', 'settings.json'),
    JSON.stringify({
      'telemetry.telemetryLevel': 'off',
      'update.mode': 'none',
      'workbench.startupEditor': 'none',
      'extensions.autoUpdate': false,
      'extensions.autoCheckUpdates': false,
      ...(trusted ? { 'security.workspace.trust.enabled': false } : {}),
    }),
  );

  // Workspace Trust is an application setting: it is read from the user's settings, not the machine's
  if (trusted) {
    for (const d of [path.join(dirs.server, 'data', 'User'), path.join(dirs.user, 'User')]) {
      fs.mkdirSync(d, { recursive: true });
      fs.writeFileSync(path.join(d, 'settings.json'), JSON.stringify({ 'security.workspace.trust.enabled': false }));
    }
  }
  const serverArgs = [
    'out/server-main.js',
    '--accept-server-license-terms',
    '--disable-telemetry',
    '--server-data-dir',
    dirs.server,
    '--user-data-dir',
    dirs.user,
    '--extensions-dir',
    dirs.ext,
  ];
  if (vsix) {
    const r = spawnSync(process.execPath, [...serverArgs, '--install-extension', vsix], {
      cwd: vscodeDir,
      encoding: 'utf8',
      timeout: 120000,
    });
    if (r.status !== 0 || !/successfully installed/i.test(r.stdout + r.stderr))
      throw new Error(`installing ${vsix} failed:\n${r.stdout}${r.stderr}`);
    console.log(`installed ${path.basename(vsix)} into the VS Code server`);
  }

  const port = await freePort();
  const env = {
    ...process.env,
    PG_PITR_E2E_RESULTS: results,
    PG_PITR_E2E_CONTROL: control,
    PG_PITR_E2E_WORKSPACE: workspace,
    PG_PITR_E2E_GREP: grep,
    PG_PITR_E2E_MODE: vsix ? 'vsix' : 'dev',
    PG_PITR_E2E_BENCH: bench ? '1' : '',
    PG_PITR_E2E_TRUSTED: trusted ? '1' : '',
    PG_PITR_E2E_BENCH_OUT: path.join(OUT, 'bench.json'),
  };
  const server = spawn(
    process.execPath,
    [...serverArgs, '--host', '127.0.0.1', '--port', String(port), '--without-connection-token'],
    { cwd: vscodeDir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const serverLog = fs.createWriteStream(path.join(OUT, `server-${tag}.log`));
  server.stdout.pipe(serverLog);
  server.stderr.pipe(serverLog);
  cleanups.push(async () => {
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      return;
    }
    for (let i = 0; i < 20; i++) {
      await sleep(100);
      try {
        process.kill(-server.pid, 0);
      } catch {
        return;
      }
    }
    try {
      process.kill(-server.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('VS Code server did not start within 120 s')), 120_000);
    const onData = (b) => {
      if (b.toString().includes('Extension host agent listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    server.stdout.on('data', onData);
    server.once('exit', (code) => reject(new Error(`VS Code server exited with ${code}`)));
  });

  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    timeout: 120_000,
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--disable-dev-shm-usage',
    ],
  });
  cleanups.push(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  // screenshots of a loaded machine's page can take long; a deadline, not a wait
  page.setDefaultTimeout(120_000);
  // VS Code runs a test module only in an extension-development window: with a .vsix, a tiny
  // empty driver extension is the "development" extension and pg-pitr loads as installed
  let devPath = ROOT;
  if (vsix) {
    devPath = path.join(runDir, 'driver');
    fs.mkdirSync(devPath);
    fs.writeFileSync(
      path.join(devPath, 'package.json'),
      JSON.stringify({
        name: 'pg-pitr-e2e-driver',
        publisher: 'pg-pitr',
        version: '0.0.0',
        engines: { vscode: '^1.90.0' },
      }),
    );
  }
  const payload = [
    ['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${devPath}`],
    ['extensionTestsPath', `vscode-remote://127.0.0.1:${port}${testBundle}`],
  ];
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  // the load itself is not waited for: the results file (below) says when the tests are done
  await page.goto(url, { waitUntil: 'commit', timeout: 120_000 });

  // the tests ask for screenshots and page reads through files in the control folder
  const deadline = Date.now() + TIMEOUT_MS;
  while (!fs.existsSync(results)) {
    if (Date.now() > deadline)
      throw new Error(`the tests did not finish within ${TIMEOUT_MS / 1000} s (see ${path.join(OUT, 'server-*.log')})`);
    for (const f of fs.readdirSync(control).filter((x) => x.endsWith('.request'))) {
      const req = JSON.parse(fs.readFileSync(path.join(control, f), 'utf8'));
      fs.rmSync(path.join(control, f));
      let answer = {};
      try {
        if (req.kind === 'screenshot') {
          const file = path.join(shotsDir, `${shotPrefix}${req.name}.png`);
          if (req.selector) await page.locator(req.selector).first().screenshot({ path: file });
          else await page.screenshot({ path: file });
          answer = { ok: true };
        } else if (req.kind === 'webview') {
          answer = await inWebview(page, req);
        } else if (req.kind === 'value') {
          answer = { ok: true, text: await page.locator(req.selector).first().inputValue() };
        } else if (req.kind === 'text') {
          // a short wait for the element: the test decides how long to keep looking
          const loc = page.locator(req.selector).first();
          const timeout = 5000;
          const text = req.attribute
            ? await loc.getAttribute(req.attribute, { timeout })
            : ((await loc.getAttribute('aria-label', { timeout })) ?? (await loc.textContent({ timeout })));
          answer = { ok: true, text: text ?? '' };
        } else if (req.kind === 'quickInput') {
          answer = { ok: true, state: await page.evaluate(quickInputState) };
        } else if (req.kind === 'keys') {
          for (const k of req.keys) await page.keyboard.press(k);
          answer = { ok: true };
        }
      } catch (e) {
        answer = { ok: false, error: String(e) };
      }
      // written whole, then renamed: the test never reads half an answer
      const answerFile = path.join(control, f.replace(/\.request$/, '.answer'));
      fs.writeFileSync(`${answerFile}.tmp`, JSON.stringify(answer));
      fs.renameSync(`${answerFile}.tmp`, answerFile);
    }
    await sleep(100);
  }
  await page.screenshot({ path: path.join(shotsDir, `${shotPrefix}final.png`) });
  const r = JSON.parse(fs.readFileSync(results, 'utf8'));
  console.log(`\n  Real VS Code ${r.vscodeVersion} (server + Chromium), extension from the ${label}\n`);
  for (const t of r.tests) {
    console.log(
      `    ${t.state === 'passed' ? '✔' : t.state === 'pending' ? '-' : '✖'} ${t.title}${t.duration ? ` (${t.duration}ms)` : ''}`,
    );
    if (t.error) console.log('      ' + t.error.split('\n').join('\n      '));
  }
  if (r.vscodeVersion !== VSCODE_VERSIONS[vscodeVersion].vscode) {
    console.error(
      `\nthe editor is VS Code ${r.vscodeVersion}, not the ${VSCODE_VERSIONS[vscodeVersion].vscode} asked for`,
    );
    return 1;
  }
  const passed = r.tests.filter((t) => t.state === 'passed').length;
  const failed = r.tests.filter((t) => t.state === 'failed').length;
  console.log(`\n${passed} passed, ${failed} failed`);
  console.log(`screenshots: ${shotsDir}`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

main()
  .then(async (code) => {
    await cleanup();
    process.exit(code);
  })
  .catch(async (e) => {
    console.error(`real-editor tests failed to run: ${e.stack ?? e}`);
    await cleanup();
    process.exit(1);
  });
