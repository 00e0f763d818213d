// Where the VS Code server used by the real-editor tests lives, and how to install it there.
// VS Code 1.100 comes from the npm package code-server@4.100.3 (VS Code's own server inside it);
// it is installed into a cache folder, never into this project's dependencies.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';
export const CHROMIUM = process.env.PG_PITR_CHROMIUM ?? '/usr/bin/chromium';

export function cacheRoot() {
  return process.env.PG_PITR_CACHE ?? path.join(os.homedir(), '.cache', 'pg-pitr');
}

export function serverRoot() {
  return path.join(cacheRoot(), `vscode-server-${CODE_SERVER_VERSION}`);
}

/** Folder holding out/server-main.js */
export function vscodeDir() {
  return path.join(serverRoot(), 'node_modules', 'code-server', 'lib', 'vscode');
}

const MARKER = () => path.join(serverRoot(), '.pg-pitr-complete');

export function isInstalled() {
  return fs.existsSync(MARKER()) && fs.existsSync(path.join(vscodeDir(), 'out', 'server-main.js'));
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

/** Installs the server into the cache (idempotent: returns at once when already there). */
export function installServer(log = console.log) {
  if (isInstalled()) return vscodeDir();
  const root = serverRoot();
  const tmp = `${root}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  log(`Installing VS Code server (code-server@${CODE_SERVER_VERSION}) into ${root} ...`);
  fs.writeFileSync(path.join(tmp, 'package.json'), JSON.stringify({ name: 'pg-pitr-vscode-server', private: true }));
  // install scripts of code-server download ripgrep and refuse root: skip them, build what is needed below
  run('npm', ['install', '--ignore-scripts', '--no-save', `code-server@${CODE_SERVER_VERSION}`], tmp);
  const vs = path.join(tmp, 'node_modules', 'code-server', 'lib', 'vscode');
  run('npm', ['install', '--omit=dev', '--ignore-scripts'], vs);
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
  log('VS Code server installed.');
  return vscodeDir();
}
