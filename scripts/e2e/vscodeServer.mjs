// Where the VS Code servers used by the real-editor tests live, and how to install them there.
// Each VS Code version comes from the code-server npm release that carries it (VS Code's own server
// inside it), installed into a cache folder, never into this project's dependencies.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The VS Code versions the suites run on, each with its code-server npm release (checked in each
 * release's lib/vscode/package.json): the newest tested, and the oldest that engines.vscode allows.
 * legacyPeerDeps: 4.90.3's lib/vscode has a peer-dependency conflict (@xterm) that npm 11 refuses.
 */
export const VSCODE_VERSIONS = {
  '1.100': { codeServer: '4.100.3', vscode: '1.100.3', legacyPeerDeps: false },
  '1.90': { codeServer: '4.90.3', vscode: '1.90.2', legacyPeerDeps: true },
};
export const DEFAULT_VSCODE = '1.100';
/** The oldest VS Code that package.json's engines.vscode (^1.90.0) lets users run pg-pitr on. */
export const OLDEST_VSCODE = '1.90';
export const CODE_SERVER_VERSION = VSCODE_VERSIONS[DEFAULT_VSCODE].codeServer;
export const CHROMIUM = process.env.PG_PITR_CHROMIUM ?? '/usr/bin/chromium';

function release(vscode) {
  const r = VSCODE_VERSIONS[vscode];
  if (!r) throw new Error(`no VS Code ${vscode} here: one of ${Object.keys(VSCODE_VERSIONS).join(', ')}`);
  return r;
}

export function cacheRoot() {
  return process.env.PG_PITR_CACHE ?? path.join(os.homedir(), '.cache', 'pg-pitr');
}

export function serverRoot(vscode = DEFAULT_VSCODE) {
  return path.join(cacheRoot(), `vscode-server-${release(vscode).codeServer}`);
}

/** Folder holding out/server-main.js */
export function vscodeDir(vscode = DEFAULT_VSCODE) {
  return path.join(serverRoot(vscode), 'node_modules', 'code-server', 'lib', 'vscode');
}

const MARKER = (vscode) => path.join(serverRoot(vscode), '.pg-pitr-complete');

export function isInstalled(vscode = DEFAULT_VSCODE) {
  return fs.existsSync(MARKER(vscode)) && fs.existsSync(path.join(vscodeDir(vscode), 'out', 'server-main.js'));
}

/** What the machine lacks for the real-editor tests, each with the way to get it. */
export function missingPrerequisites() {
  const missing = [];
  if (!fs.existsSync(CHROMIUM))
    missing.push(`Chromium at ${CHROMIUM} (Debian: apt-get install chromium; or set PG_PITR_CHROMIUM)`);
  const which = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
  if (!which('rg')) missing.push('ripgrep (Debian: apt-get install ripgrep), used by VS Code search');
  if (!which('g++') || !which('make') || !which('python3'))
    missing.push(
      'g++, make and python3 to build VS Code server native modules (Debian: apt-get install build-essential python3)',
    );
  return missing;
}

function run(cmd, args, cwd) {
  execFileSync(cmd, args, {
    cwd,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false' },
  });
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/** Sleeps without an event loop (the install is synchronous); only between looks at a condition. */
function pause(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Takes the install lock of a version: one install at a time, since parallel test runs on one
 * machine would otherwise install the same server side by side. A lock whose process is gone is
 * taken over. Returns false when another process finished the install meanwhile.
 */
function lockInstall(vscode, log) {
  const lock = `${serverRoot(vscode)}.lock`;
  let told = false;
  for (;;) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return true;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    const owner = Number(fs.readFileSync(lock, 'utf8'));
    if (!Number.isInteger(owner) || owner <= 0 || !alive(owner)) {
      fs.rmSync(lock, { force: true });
      continue;
    }
    if (!told) log(`Waiting for process ${owner}, which is installing the VS Code server ...`);
    told = true;
    pause(1000);
    if (isInstalled(vscode)) return false;
  }
}

/** Installs the server of a VS Code version into the cache (idempotent: returns at once when already there). */
export function installServer(log = console.log, vscode = DEFAULT_VSCODE) {
  if (isInstalled(vscode)) return vscodeDir(vscode);
  fs.mkdirSync(cacheRoot(), { recursive: true });
  if (!lockInstall(vscode, log)) return vscodeDir(vscode);
  try {
    if (!isInstalled(vscode)) install(vscode, log);
  } finally {
    fs.rmSync(`${serverRoot(vscode)}.lock`, { force: true });
  }
  return vscodeDir(vscode);
}

function install(vscode, log) {
  const { codeServer, legacyPeerDeps } = release(vscode);
  const root = serverRoot(vscode);
  // what an interrupted install left behind (a process that is gone)
  const prefix = `${path.basename(root)}.tmp-`;
  for (const name of fs.readdirSync(path.dirname(root))) {
    if (name.startsWith(prefix) && !alive(Number(name.slice(prefix.length)))) {
      fs.rmSync(path.join(path.dirname(root), name), { recursive: true, force: true });
    }
  }
  const tmp = `${root}.tmp-${process.pid}`;
  fs.mkdirSync(tmp, { recursive: true });
  log(`Installing VS Code ${vscode} server (code-server@${codeServer}) into ${root} ...`);
  fs.writeFileSync(path.join(tmp, 'package.json'), JSON.stringify({ name: 'pg-pitr-vscode-server', private: true }));
  // install scripts of code-server download ripgrep and refuse root: skip them, build what is needed below
  run('npm', ['install', '--ignore-scripts', '--no-save', `code-server@${codeServer}`], tmp);
  const vs = path.join(tmp, 'node_modules', 'code-server', 'lib', 'vscode');
  run('npm', ['install', '--omit=dev', '--ignore-scripts', ...(legacyPeerDeps ? ['--legacy-peer-deps'] : [])], vs);
  // native modules, built with the machine's compiler; node-pty's own helper fails after building
  // pty.node, so the result is checked instead of the exit code
  spawnSync('npm', ['rebuild', 'node-pty', '@vscode/spdlog', 'native-watchdog'], { cwd: vs, stdio: 'ignore' });
  for (const f of [
    'node-pty/build/Release/pty.node',
    '@vscode/spdlog/build/Release/spdlog.node',
    'native-watchdog/build/Release/watchdog.node',
  ]) {
    if (!fs.existsSync(path.join(vs, 'node_modules', f)))
      throw new Error(`building ${f} failed (are g++, make and python3 installed?)`);
  }
  fs.symlinkSync('node_modules', path.join(vs, 'node_modules.asar'));
  run('npm', ['install', '--omit=dev', '--ignore-scripts'], path.join(vs, 'extensions'));
  const rg = spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).stdout.trim();
  if (rg) {
    fs.mkdirSync(path.join(vs, 'node_modules', '@vscode', 'ripgrep', 'bin'), { recursive: true });
    fs.copyFileSync(rg, path.join(vs, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg'));
  }
  fs.writeFileSync(path.join(tmp, '.pg-pitr-complete'), new Date().toISOString() + '\n');
  fs.rmSync(root, { recursive: true, force: true });
  fs.renameSync(tmp, root);
  log(`VS Code ${vscode} server installed.`);
}
