// Benchmark: how long pg-pitr takes to read and check a large configuration, next to how long
// PostgreSQL itself takes to read the very same files.
//
// A realistic configuration (postgresql.conf with include, include_if_exists and include_dir
// 'conf.d'; 20 files read in all, postgresql.auto.conf included) is generated inside the data
// directory of a real PostgreSQL 18 cluster, in two sizes: 10,000 and 1,000 lines. Every setting
// is a valid value (the parameter's built-in default from the catalog), so both readers do the
// complete job: lex, parse, follow includes, check names, validate values.
//
// Measured, interleaved round by round after a warm-up, median and minimum reported:
//   - pg-pitr readConfiguration(mode 'file-settings'): what the linter does on every check;
//   - pg-pitr readConfiguration(mode 'startup');
//   - PostgreSQL: `SELECT * FROM pg_file_settings` on an open connection, timed by the client
//     around the query, rows fetched: the server re-reads and re-checks every file on each call;
//   - PostgreSQL: `SELECT count(*) FROM pg_file_settings`: the same server-side work without
//     sending the rows (shows how much of the figure above is row transfer).
//
// Without the PostgreSQL 18 binaries the comparison is skipped (only pg-pitr is measured), unless
// CI=true, where that is a failure.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { getCatalog } from '../../src/core/catalog/catalogs';
import type { Catalog, CatalogParameter } from '../../src/core/catalog/types';
import { type ConfigReadResult, readConfiguration } from '../../src/core/conf/configReader';
import { nodeFileSystem } from '../../src/core/conf/fileSystem';
import { lintConfiguration } from '../../src/core/lint/lintEngine';
import { type Cluster, createCluster, osUser, requireServer } from '../../test/support/postgresServers';
import type { Bench, BenchContext } from './index';

const MAJOR = 18;
const SIZES = [10_000, 1_000];

// ---------------------------------------------------------------------------------------------
// Timing helpers (exported for other benchmarks)

export interface Timing {
  samples: number[];
  median: number;
  min: number;
}

export function summarize(samples: number[]): Timing {
  const s = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { samples, median, min: s[0] };
}

export interface Measured {
  key: string;
  /** performs one run and returns its duration in milliseconds */
  once(): Promise<number>;
}

export interface MeasureOptions {
  warmupRounds: number;
  minRounds: number;
  maxRounds: number;
  /** after minRounds, stop once this much time went into the measured rounds */
  budgetMs: number;
}

/**
 * Runs every contender once per round, rotating their order from round to round so that none
 * always runs right after the other's garbage or cache effects; the warm-up rounds are discarded.
 */
export async function measureInterleaved(contenders: Measured[], opts: MeasureOptions): Promise<Map<string, Timing>> {
  const samples = new Map<string, number[]>(contenders.map((c) => [c.key, []]));
  const t0 = performance.now();
  for (let round = 0; ; round++) {
    const measured = round - opts.warmupRounds;
    if (measured >= opts.maxRounds) break;
    if (measured >= opts.minRounds && performance.now() - t0 >= opts.budgetMs) break;
    for (let i = 0; i < contenders.length; i++) {
      const c = contenders[(i + round) % contenders.length];
      const ms = await c.once();
      if (measured >= 0) samples.get(c.key)!.push(ms);
    }
  }
  return new Map([...samples].map(([k, v]) => [k, summarize(v)]));
}

// ---------------------------------------------------------------------------------------------
// Configuration generator

/** Parameters never written. On a running server, pg_file_settings flags a restart-only
 * (postmaster) parameter whose value in the file differs from the one in effect; so are left out:
 *  - file locations (data_directory, config_file, hba_file, ident_file, external_pid_file);
 *  - what the test harness passes on the server's command line (listen_addresses, port,
 *    unix_socket_directories);
 *  - restart-only parameters whose default means "size it automatically at startup" (-1 or 0):
 *    the running value is the computed one, not the default;
 *  - session state that does not belong in a file: role, seed, session_authorization and
 *    transaction_* (transaction_deferrable = off is refused once the view's query has a snapshot). */
const EXCLUDED = new Set([
  'data_directory',
  'config_file',
  'hba_file',
  'ident_file',
  'external_pid_file',
  'listen_addresses',
  'port',
  'unix_socket_directories',
  'commit_timestamp_buffers',
  'io_max_concurrency',
  'subtransaction_buffers',
  'transaction_buffers',
  'role',
  'seed',
  'session_authorization',
  'transaction_deferrable',
  'transaction_isolation',
  'transaction_read_only',
]);

/** The parameters a configuration may set: not internal, not excluded, with a non-empty default. */
function writableParameters(catalog: Catalog): CatalogParameter[] {
  return Object.values(catalog.parameters)
    .filter((p) => p.context !== 'internal' && p.category !== 'Ungrouped' && !EXCLUDED.has(p.name.toLowerCase()))
    .filter((p) => p.default !== null && p.default !== '')
    .sort((a, b) => (a.category === b.category ? a.name.localeCompare(b.name) : a.category.localeCompare(b.category)));
}

/** Small deterministic PRNG (mulberry32): the same configuration on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function quote(v: string): string {
  return `'${v.replace(/'/g, "''")}'`;
}

const UNIT_BYTES: Record<string, number> = { B: 1, kB: 1024, '8kB': 8192, MB: 1024 * 1024 };
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, min: 60_000 };

/** The default written as people write it: often with a unit (exact conversions only:
 * 16384 x 8kB -> 128MB, 300 s -> 5min), numbers and simple words bare, strings quoted. */
function formatValue(p: CatalogParameter, rnd: () => number): string {
  const v = p.default!;
  if (p.type === 'integer' && p.unit !== null && /^[1-9][0-9]*$/.test(v) && rnd() < 0.6) {
    const n = Number(v);
    const bytes = UNIT_BYTES[p.unit];
    if (bytes !== undefined) {
      const total = n * bytes;
      for (const [u, size] of [
        ['GB', 1024 ** 3],
        ['MB', 1024 ** 2],
        ['kB', 1024],
      ] as const) {
        if (total % size === 0 && size >= bytes) return `${total / size}${u}`;
      }
    }
    const ms = UNIT_MS[p.unit];
    if (ms !== undefined) {
      const total = n * ms;
      for (const [u, size] of [
        ['h', 3_600_000],
        ['min', 60_000],
        ['s', 1000],
        ['ms', 1],
      ] as const) {
        if (total % size === 0 && size >= ms) return `${total / size}${u}`;
      }
    }
  }
  switch (p.type) {
    case 'bool':
      return v;
    case 'integer':
    case 'real':
      return /^-?[0-9]+(\.[0-9]+)?$/.test(v) && rnd() < 0.9 ? v : quote(v);
    case 'enum':
      return /^[A-Za-z_][A-Za-z0-9_]*$/.test(v) && rnd() < 0.7 ? v : quote(v);
    case 'string':
      return quote(v);
  }
}

export interface GeneratedConfiguration {
  /** path relative to the data directory -> content */
  files: Map<string, string>;
  settingLines: number;
  /** include, include_if_exists, include_dir */
  directiveLines: number;
  commentLines: number;
  blankLines: number;
  distinctParameters: number;
}

/**
 * Writes section after section of settings (cycling through every writable parameter, so that a
 * parameter set in one file is often set again in a later one: duplicates), with the comments,
 * commented-out examples and blank lines of a real postgresql.conf, into 20 files:
 *
 *   postgresql.conf            include 'base.conf'
 *                              include_if_exists 'local.conf'
 *                              include_if_exists 'local-overrides.conf'   (absent: skipped)
 *                              include_dir 'conf.d'
 *   base.conf                  include 'tuning/replication.conf'
 *   tuning/replication.conf
 *   local.conf
 *   conf.d/NN-<section>.conf   15 files
 *   postgresql.auto.conf       (left as initdb wrote it: its lines count toward the total)
 *
 * `totalLines` is the number of lines of the files above except postgresql.auto.conf.
 */
export function generateConfiguration(catalog: Catalog, totalLines: number): GeneratedConfiguration {
  const params = writableParameters(catalog);
  const rnd = prng(0x5eed + totalLines);
  const seen = new Set<string>();
  let cursor = 0;
  let lastCategory = '';
  let settingLines = 0;
  let directiveLines = 0;
  let commentLines = 0;
  let blankLines = 0;

  /** the next `budget` lines of settings and comments */
  const body = (budget: number): string[] => {
    const out: string[] = [];
    const push = (...lines: string[]): boolean => {
      if (out.length + lines.length > budget) return false;
      out.push(...lines);
      return true;
    };
    while (out.length < budget) {
      const p = params[cursor % params.length];
      if (p.category !== lastCategory) {
        const bar = '#' + '-'.repeat(78);
        if (push('', bar, `# ${p.category.toUpperCase()}`, bar, '')) {
          lastCategory = p.category;
        } else {
          // not enough room for a header: fill with blanks
          while (out.length < budget) push('');
          break;
        }
        continue;
      }
      const value = formatValue(p, rnd);
      const r = rnd();
      let block: string[];
      if (r < 0.2) {
        block = [`# ${p.description.replace(/\s+/g, ' ')}`, `${p.name} = ${value}`];
      } else if (r < 0.35) {
        const note = p.context === 'postmaster' ? '(change requires restart)' : `default ${p.default}`;
        block = [`${p.name} = ${value}\t\t# ${note}`];
      } else if (r < 0.45) {
        block = [`#${p.name} = ${value}\t\t# kept for reference`, `${p.name} ${value}`];
      } else if (r < 0.52) {
        block = [`    ${p.name}=${value}`];
      } else if (r < 0.62) {
        block = [`${p.name} = ${value}`, ''];
      } else {
        block = [`${p.name} = ${value}`];
      }
      // a block that does not fit the file's last line(s) shrinks to the bare setting
      if (!push(...block)) push(`${p.name} = ${value}`);
      seen.add(p.name);
      cursor++;
    }
    return out;
  };

  /** a file: header, then body lines with `directives` (each with a comment line) spread over it */
  const file = (title: string, budget: number, directives: string[][] = []): string => {
    const header = [`# ${title}`, '# Generated by scripts/bench/confParsingBench.ts', ''];
    const directiveBudget = directives.reduce((n, d) => n + d.length + 1, 0);
    const lines = body(Math.max(0, budget - header.length - directiveBudget));
    // spread the directives over the file, each after a blank line (last first: splicing
    // shifts what follows)
    const positions = directives.map((_, i) => Math.round(((i + 1) * lines.length) / (directives.length + 1)));
    for (let i = directives.length - 1; i >= 0; i--) lines.splice(positions[i], 0, '', ...directives[i]);
    const all = [...header, ...lines];
    for (const l of all) {
      const t = l.trim();
      if (t === '') blankLines++;
      else if (t.startsWith('#')) commentLines++;
      else if (/^include(_if_exists|_dir)?\s/.test(t)) directiveLines++;
      else settingLines++;
    }
    return all.join('\n') + '\n';
  };

  const CONF_D = 15;
  const main = Math.round(totalLines * 0.08);
  const base = Math.round(totalLines * 0.08);
  const replication = Math.round(totalLines * 0.05);
  const local = Math.round(totalLines * 0.04);
  const rest = totalLines - main - base - replication - local;
  const files = new Map<string, string>();
  const mainDirectives = [
    ['# site-wide baseline shared by every server', "include 'base.conf'"],
    [
      '# host-specific settings, when present',
      "include_if_exists 'local.conf'",
      "include_if_exists 'local-overrides.conf'",
    ],
    ['# one file per topic, read in file name order', "include_dir 'conf.d'"],
  ];
  files.set('postgresql.conf', file('PostgreSQL configuration file (benchmark)', main, mainDirectives));
  files.set('base.conf', file('Site-wide baseline', base, [["include 'tuning/replication.conf'"]]));
  files.set('tuning/replication.conf', file('Replication tuning', replication));
  files.set('local.conf', file('Host-specific settings', local));
  for (let i = 0; i < CONF_D; i++) {
    const budget = Math.floor(rest / CONF_D) + (i < rest % CONF_D ? 1 : 0);
    const first = params[cursor % params.length];
    const slug = (first.category.split(' / ').pop() ?? '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .split('-')
      .slice(0, 4)
      .join('-');
    files.set(
      `conf.d/${String(i * 5).padStart(2, '0')}-${slug}.conf`,
      file(`conf.d part ${i + 1} of ${CONF_D}`, budget),
    );
  }
  return { files, settingLines, directiveLines, commentLines, blankLines, distinctParameters: seen.size };
}

/** Writes the generated files into `dataDir` (readable by the server's OS user). */
function writeConfiguration(dataDir: string, conf: GeneratedConfiguration): void {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const owner = root ? osUser() : null;
  for (const [rel, content] of conf.files) {
    const abs = path.join(dataDir, rel);
    const dir = path.dirname(abs);
    if (!fs.existsSync(dir)) {
      fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
      if (owner) fs.chownSync(dir, owner.uid, owner.gid);
    }
    fs.writeFileSync(abs, content, { mode: 0o644 });
    if (owner) fs.chownSync(abs, owner.uid, owner.gid);
  }
}

function countLines(text: string): number {
  if (text === '') return 0;
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return text.endsWith('\n') ? n : n + 1;
}

function autoConfLines(dataDir: string): number {
  const p = path.join(dataDir, 'postgresql.auto.conf');
  return fs.existsSync(p) ? countLines(fs.readFileSync(p, 'latin1')) : 0;
}

// ---------------------------------------------------------------------------------------------
// Checks

function describeErrors(result: ConfigReadResult): string {
  return result.errors
    .slice(0, 10)
    .map((e) => `  ${e.file ?? '?'}:${e.line ?? '?'}: ${e.message}`)
    .join('\n');
}

function checkPgPitr(result: ConfigReadResult, mode: string): void {
  if (result.errors.length !== 0 || result.fatal !== null) {
    throw new Error(
      `the generated configuration must be valid, but pg-pitr (${mode}) reports ${result.errors.length} error(s)` +
        `${result.fatal ? ` (${result.fatal})` : ''}:\n${describeErrors(result)}`,
    );
  }
}

interface FileSettingsRow {
  sourcefile: string | null;
  sourceline: number | null;
  name: string | null;
  setting: string | null;
  applied: boolean;
  error: string | null;
}

async function checkServer(cluster: Cluster): Promise<FileSettingsRow[]> {
  const rows = await cluster.query<FileSettingsRow>(
    'SELECT sourcefile, sourceline, name, setting, applied, error FROM pg_file_settings',
  );
  const bad = rows.filter((r) => r.error !== null);
  if (bad.length > 0) {
    throw new Error(
      `the generated configuration must be valid, but PostgreSQL ${MAJOR}'s pg_file_settings has ${bad.length} error row(s):\n` +
        bad
          .slice(0, 10)
          .map(
            (r) => `  ${r.sourcefile ?? '?'}:${r.sourceline ?? '?'}: ${r.name ?? ''} = ${r.setting ?? ''}: ${r.error}`,
          )
          .join('\n'),
    );
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Report

function ms(x: number): string {
  return x >= 100 ? `${x.toFixed(0)} ms` : x >= 10 ? `${x.toFixed(1)} ms` : `${x.toFixed(2)} ms`;
}

function ratioText(ratio: number): string {
  const r = ratio >= 10 ? ratio.toFixed(0) : ratio >= 1 ? ratio.toFixed(1) : ratio.toFixed(2);
  if (ratio >= 1.05) return `${r}x PostgreSQL's time (slower)`;
  if (ratio <= 0.95) return `${r}x PostgreSQL's time (faster)`;
  return `${r}x PostgreSQL's time (about the same)`;
}

interface Row {
  label: string;
  timing: Timing;
}

function printTable(log: (l?: string) => void, rows: Row[]): void {
  const w = Math.max(...rows.map((r) => r.label.length));
  log(`  ${'what'.padEnd(w)}  ${'median'.padStart(9)}  ${'min'.padStart(9)}  ${'runs'.padStart(4)}`);
  for (const r of rows) {
    log(
      `  ${r.label.padEnd(w)}  ${ms(r.timing.median).padStart(9)}  ${ms(r.timing.min).padStart(9)}  ${String(r.timing.samples.length).padStart(4)}`,
    );
  }
}

interface VariantResult {
  lines: number;
  files: number;
  pitr: Timing;
  pitrStartup: Timing;
  lint: Timing;
  server: Timing | null;
  serverCount: Timing | null;
}

// ---------------------------------------------------------------------------------------------
// One configuration size

async function runVariant(ctx: BenchContext, size: number, withServer: boolean): Promise<VariantResult> {
  const catalog = getCatalog(MAJOR);
  let cluster: Cluster | null = null;
  let tempDir: string | null = null;
  try {
    let dataDir: string;
    if (withServer) {
      cluster = await createCluster(MAJOR);
      dataDir = cluster.dataDir;
    } else {
      tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-bench-'));
      dataDir = tempDir;
      fs.writeFileSync(
        path.join(dataDir, 'postgresql.auto.conf'),
        '# Do not edit this file manually!\n# It will be overwritten by the ALTER SYSTEM command.\n',
      );
    }
    const conf = generateConfiguration(catalog, size - autoConfLines(dataDir));
    writeConfiguration(dataDir, conf);

    const fsys = nodeFileSystem();
    const configFile = path.join(dataDir, 'postgresql.conf');
    const read = (mode: 'startup' | 'file-settings'): ConfigReadResult =>
      readConfiguration({ configFile, dataDir, catalog, fs: fsys, mode });

    // Correctness first: both readers must accept every line.
    const fileSettings = read('file-settings');
    checkPgPitr(fileSettings, 'file-settings');
    checkPgPitr(read('startup'), 'startup');
    const lines = fileSettings.files.reduce((n, f) => n + countLines(f.text), 0);
    const files = fileSettings.files.length;
    const items = fileSettings.items.filter((i) => i.name !== null);

    ctx.log('');
    ctx.log(`Configuration of ${lines.toLocaleString('en-US')} lines in ${files} files`);
    const n = (x: number): string => x.toLocaleString('en-US');
    ctx.log(
      `  ${n(conf.settingLines)} settings of ${conf.distinctParameters} different parameters (each set ${(conf.settingLines / conf.distinctParameters).toFixed(1)} times on average), ` +
        `${n(conf.commentLines)} comment lines, ${n(conf.blankLines)} blank lines, ${conf.directiveLines} include directives`,
    );

    if (cluster) {
      await cluster.start();
      const rows = await checkServer(cluster);
      const serverApplied = rows.filter((r) => r.applied).length;
      const pitrApplied = items.filter((i) => i.applied && !i.ignore).length;
      if (rows.length !== items.length || serverApplied !== pitrApplied) {
        ctx.log(
          `  !!! WARNING: PostgreSQL lists ${rows.length} settings (${serverApplied} applied), pg-pitr ${items.length} (${pitrApplied} applied): ` +
            `the two did not read the same thing`,
        );
      } else {
        ctx.log(
          `  checked: no errors; PostgreSQL ${MAJOR} and pg-pitr both list ${rows.length.toLocaleString('en-US')} settings, ${serverApplied} of them in effect`,
        );
      }
    } else {
      ctx.log(`  checked: no errors in pg-pitr (PostgreSQL's own check skipped: no server)`);
    }

    const contenders: Measured[] = [
      {
        key: 'pitr',
        async once() {
          const t0 = performance.now();
          const r = read('file-settings');
          const t = performance.now() - t0;
          if (r.errors.length !== 0) throw new Error('pg-pitr result changed between runs');
          return t;
        },
      },
      {
        // the full linter: reader plus every PITR rule, as the editor and `pg-pitr lint` run it
        key: 'lint',
        async once() {
          const t0 = performance.now();
          const f = lintConfiguration({ configFile, dataDir, catalog, fs: fsys });
          const t = performance.now() - t0;
          if (f.some((x) => x.severity === 'error'))
            throw new Error('lint found errors in the generated configuration');
          return t;
        },
      },
      {
        key: 'pitrStartup',
        async once() {
          const t0 = performance.now();
          const r = read('startup');
          const t = performance.now() - t0;
          if (r.errors.length !== 0) throw new Error('pg-pitr result changed between runs');
          return t;
        },
      },
    ];
    const c = cluster;
    if (c) {
      contenders.push(
        {
          key: 'server',
          async once() {
            const t0 = performance.now();
            const rows = await c.query('SELECT * FROM pg_file_settings');
            const t = performance.now() - t0;
            if (rows.length !== items.length) throw new Error('pg_file_settings changed between runs');
            return t;
          },
        },
        {
          key: 'serverCount',
          async once() {
            const t0 = performance.now();
            const rows = await c.query<{ n: string }>('SELECT count(*) AS n FROM pg_file_settings');
            const t = performance.now() - t0;
            if (Number(rows[0]?.n) !== items.length) throw new Error('pg_file_settings changed between runs');
            return t;
          },
        },
      );
    }
    const big = size >= 5000;
    const timings = await measureInterleaved(contenders, {
      warmupRounds: big ? 5 : 20,
      minRounds: 30,
      maxRounds: big ? 60 : 200,
      budgetMs: big ? 8000 : 3000,
    });
    const get = (k: string): Timing | null => timings.get(k) ?? null;
    const result: VariantResult = {
      lines,
      files,
      pitr: get('pitr')!,
      pitrStartup: get('pitrStartup')!,
      lint: get('lint')!,
      server: get('server'),
      serverCount: get('serverCount'),
    };

    ctx.log('');
    const rows: Row[] = [
      { label: `pg-pitr: read + check, as pg_file_settings would (A)`, timing: result.pitr },
      { label: `pg-pitr: read + check, as a starting server would`, timing: result.pitrStartup },
      { label: `pg-pitr: full lint (reader + all PITR rules)`, timing: result.lint },
    ];
    if (result.server)
      rows.push({ label: `PostgreSQL ${MAJOR}: SELECT * FROM pg_file_settings (B)`, timing: result.server });
    if (result.serverCount)
      rows.push({ label: `PostgreSQL ${MAJOR}: same, rows not sent (count(*))`, timing: result.serverCount });
    printTable(ctx.log, rows);
    ctx.log('');
    if (result.server) {
      ctx.log(`  => pg-pitr (A) takes ${ratioText(result.pitr.median / result.server.median)}  [median A / median B]`);
    } else {
      ctx.log(`  => comparison with PostgreSQL SKIPPED (no PostgreSQL ${MAJOR} server available)`);
    }
    return result;
  } finally {
    if (cluster) await cluster.destroy();
    if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------

export const confParsingBench = {
  name: 'conf-parsing',
  title: `Reading postgresql.conf: pg-pitr vs PostgreSQL ${MAJOR} itself`,
  async run(ctx: BenchContext): Promise<void> {
    let withServer = true;
    try {
      // prints a loud message and returns false when the binaries are missing; throws when CI=true
      withServer = requireServer(MAJOR);
    } catch (e) {
      const bar = '!'.repeat(100);
      ctx.log(`${bar}\n!!! PostgreSQL ${MAJOR} binaries are missing and CI=true: the comparison cannot run.\n${bar}`);
      throw e;
    }
    if (!withServer) {
      const bar = '!'.repeat(100);
      ctx.log(
        `${bar}\n!!! PostgreSQL ${MAJOR} is not installed: measuring pg-pitr only, the comparison with PostgreSQL is SKIPPED.\n${bar}`,
      );
    }
    ctx.log(
      'What is measured: the time to read every file of a configuration from disk, follow its includes,\n' +
        'and check each setting (names, values, units, ranges) - once by pg-pitr (in this Node process), and\n' +
        `once by a running PostgreSQL ${MAJOR} server, which does the same work each time the pg_file_settings\n` +
        'view is queried. Times are per full read; lower is better.',
    );

    const results: VariantResult[] = [];
    for (const size of SIZES) results.push(await runVariant(ctx, size, withServer));

    ctx.log('');
    ctx.log('Summary');
    for (const r of results) {
      const base = `  ${r.lines.toLocaleString('en-US').padStart(6)} lines, ${r.files} files: lint ${ms(r.lint.median)}, pg-pitr reader ${ms(r.pitr.median)}`;
      ctx.log(
        r.server
          ? `${base}, PostgreSQL ${ms(r.server.median)} -> pg-pitr is ${ratioText(r.pitr.median / r.server.median)}`
          : `${base} (PostgreSQL comparison skipped)`,
      );
    }
    if (!withServer)
      ctx.log(`  !!! Comparison with PostgreSQL ${MAJOR} SKIPPED: install the pg${MAJOR} devDependency to run it.`);
  },
} satisfies Bench;
