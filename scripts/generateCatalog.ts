// Generates src/core/catalog/data/pg<major>.json from real servers (npm run catalog [majors...]).
//
// Everything in a catalog comes from asking the server, never from assumptions:
//   - pg_settings of a freshly initdb'd, running cluster (no libraries loaded, so no
//     extension parameters: those appear in pg_settings only after their library is loaded);
//   - hidden enum spellings, aliases and build-dependent values: by probing the stopped cluster
//     with `postgres -D data -c name=value -C name`, which validates the value exactly like a
//     configuration-file entry at server start (exit 0 = accepted);
//   - parameters pg_settings does not list (GUC_NO_SHOW_ALL, e.g. ssl_renegotiation_limit,
//     default_with_oids, seed) and aliases (sort_mem): every identifier in the postgres binary's
//     string table (and every suffix of one, because the linker merges a string into the tail of
//     a longer one: "work_mem" lives inside "maintenance_work_mem") is passed to
//     current_setting(name, missing_ok => true) on the running server. Those the server knows but
//     pg_settings lacks are either aliases (confirmed with -C, below) or hidden parameters.
//
// Usage: tsx scripts/generateCatalog.ts [10 11 ...]   (default: all of 10..18)

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import type { Catalog, CatalogParameter, ParameterContext, ParameterType } from '../src/core/catalog/types';
import { binDir, type Cluster, createCluster, MAJORS, requireServer, runAsUser } from '../test/support/postgresServers';

const OUT_DIR = path.resolve(__dirname, '..', 'src', 'core', 'catalog', 'data');

// ---------------------------------------------------------------------------------------------
// Static candidate lists (each candidate is only recorded when the server confirms it)

/** Spellings probed for every enum parameter that does not list them. PostgreSQL's enum tables
 * hide boolean spellings (archive_mode = yes, synchronous_commit = true ...), the pre-9.6
 * wal_level names and the log-level aliases `debug` (= debug2) / `info`. Enum matching is
 * case-insensitive, so only lower case is probed. */
const HIDDEN_ENUM_CANDIDATES = [
  'true',
  'false',
  'yes',
  'no',
  'on',
  'off',
  '1',
  '0',
  'archive',
  'hot_standby', // wal_level before 9.6
  'debug',
  'info',
  'log', // log-level tables
  'none',
  'default',
  'auto',
];

/** Obsolete parameter names probed as aliases (an alias is recorded only when the server both
 * accepts it and applies its value to the target, see confirmAlias). Names that are still real
 * parameters in a major are skipped there. */
const OBSOLETE_NAME_CANDIDATES = [
  'sort_mem',
  'vacuum_mem',
  'ssl_ecdh_curve', // map_old_guc_names in guc.c
  'max_fsm_pages',
  'max_fsm_relations',
  'checkpoint_segments',
  'wal_keep_segments',
  'standby_mode',
  'trigger_file',
  'promote_trigger_file',
  'pause_at_recovery_target',
  'stats_temp_directory',
  'vacuum_defer_cleanup_age',
  'operator_precedence_warning',
  'replacement_sort_tuples',
  'force_parallel_mode',
  'min_parallel_relation_size',
  'max_parallel_degree',
  'sql_inheritance',
  'old_snapshot_threshold',
  'db_user_namespace',
  'trace_recovery_messages',
  'unix_socket_directory',
  'replication_timeout',
  'wal_sender_delay',
  'add_missing_from',
  'regex_flavor',
  'custom_variable_classes',
  'silent_mode',
  'krb_srvname',
  'krb_caseins_users',
  'vacuum_cleanup_index_scale_factor',
  'lc_collate',
  'lc_ctype',
  'redirect_stderr',
  'stats_start_collector',
  'stats_command_string',
  'stats_block_level',
  'stats_row_level',
  'explain_pretty_print',
  'bgwriter_all_percent',
  'bgwriter_lru_percent',
  'debug_assertions',
  'enable_partition_wise_join',
  'enable_partition_wise_agg',
  'hashagg_avoid_disk_plan',
  'enable_hashagg_disk',
  'enable_groupingsets_hash_disk',
  'checkpoint_timeout_sec',
  'wal_receiver_create_temp_slot',
  'ssl_dh_params_file',
];

/**
 * Values valid only on some builds of a major. Only values whose acceptance depends on a compile
 * time option or the platform, per PostgreSQL's source, are listed:
 *
 *   wal_compression            lz4 (#ifdef USE_LZ4), zstd (#ifdef USE_ZSTD)      guc_tables.c, 15+
 *   default_toast_compression  lz4 (#ifdef USE_LZ4)                              guc.c/guc_tables.c, 14+
 *   wal_sync_method            fsync_writethrough (#ifdef HAVE_FSYNC_WRITETHROUGH: Windows, macOS),
 *                              fdatasync (#ifdef HAVE_FDATASYNC, until 15), open_sync (#ifdef
 *                              O_SYNC / OPEN_SYNC_FLAG), open_datasync (#ifdef O_DSYNC /
 *                              OPEN_DATASYNC_FLAG)                               xlog.c
 *   shared_memory_type         sysv (#ifndef WIN32), mmap (#ifndef EXEC_BACKEND), windows (#ifdef WIN32), 12+
 *   dynamic_shared_memory_type posix/sysv/windows/mmap (USE_DSM_POSIX/SYSV/WINDOWS/MMAP) dsm_impl.c
 *   recovery_init_sync_method  syncfs (#ifdef HAVE_SYNCFS: Linux)                14+
 *   io_method                  io_uring (USE_LIBURING, --with-liburing)          18
 *   file_copy_method           clone (HAVE_COPYFILE && COPYFILE_CLONE_FORCE || HAVE_COPY_FILE_RANGE), 18
 *   file_extend_method         posix_fallocate (#ifdef HAVE_POSIX_FALLOCATE), 18.x
 *   syslog_facility            local0..local7 (#ifdef HAVE_SYSLOG), none (#else: Windows)
 *   ssl                        on (check_ssl: rejected #ifndef USE_SSL)
 *   bonjour                    on (check_bonjour: rejected #ifndef USE_BONJOUR)
 *   log_destination            eventlog (check_log_destination: #ifdef WIN32), syslog (#ifdef HAVE_SYSLOG)
 *   debug_io_direct            data, wal, wal_init (check_debug_io_direct: PG_O_DIRECT == 0 means
 *                              "not supported on this platform"; also BLCKSZ/XLOG_BLCKSZ checks), 16+
 *
 * A candidate goes into buildDependentValues only when THIS build rejects it (probe fails): a
 * value the reference build accepts is an ordinary value (enumValues), and a linter must not call
 * a value listed here an error, because the user's build may have the option.
 *
 * Deliberately NOT listed (their validity is not decided by the build when the file is read):
 *   huge_pages = on        is in every build's table; "huge pages not supported on this platform"
 *                          is raised when shared memory is created (startup), not by -C.
 *   ssl_min/max_protocol_version = TLSv1.3   static table; OpenSSL support is checked at SSL init.
 *   integer parameters whose non-zero values depend on the platform (effective_io_concurrency,
 *   maintenance_io_concurrency: USE_PREFETCH; huge_page_size: MAP_HUGE_MASK;
 *   client_connection_check_interval: POLLRDHUP): not expressible as a value list.
 */
const BUILD_DEPENDENT_CANDIDATES: { param: string; values: string[]; since?: number }[] = [
  { param: 'wal_compression', values: ['lz4', 'zstd'], since: 15 },
  { param: 'default_toast_compression', values: ['lz4'], since: 14 },
  { param: 'wal_sync_method', values: ['fsync_writethrough', 'fdatasync', 'open_sync', 'open_datasync'] },
  { param: 'shared_memory_type', values: ['sysv', 'mmap', 'windows'], since: 12 },
  { param: 'dynamic_shared_memory_type', values: ['posix', 'sysv', 'windows', 'mmap'] },
  { param: 'recovery_init_sync_method', values: ['syncfs'], since: 14 },
  { param: 'io_method', values: ['io_uring'], since: 18 },
  { param: 'file_copy_method', values: ['clone'], since: 18 },
  { param: 'file_extend_method', values: ['posix_fallocate'], since: 18 },
  {
    param: 'syslog_facility',
    values: ['local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7', 'none'],
  },
  { param: 'ssl', values: ['on'] },
  { param: 'bonjour', values: ['on'] },
  { param: 'log_destination', values: ['eventlog', 'syslog'] },
  { param: 'debug_io_direct', values: ['data', 'wal', 'wal_init'], since: 16 },
];

/**
 * Parameters that exist but that pg_settings never lists (flag GUC_NO_SHOW_ALL), with their
 * definitions from guc.c / guc_tables.c. The script only uses an entry when the server reports
 * the name (current_setting) and pg_settings lacks it, and then verifies by probing: the default
 * (-C), the type (error wording of a deliberately wrong value), min/max (range error), that an
 * internal one cannot be set, and that the description text is in the binary. Category: pg_settings'
 * category of `categoryOf` (a listed parameter of the same config group), else `category`.
 */
interface HiddenSpec {
  type: ParameterType;
  context: ParameterContext;
  unit: string | null;
  min: number | null;
  max: number | null;
  default: string | null;
  description: string;
  categoryOf?: string;
  category?: string;
}
const HIDDEN_PARAMETERS: Record<string, HiddenSpec> = {
  is_superuser: {
    type: 'bool',
    context: 'internal',
    unit: null,
    min: null,
    max: null,
    default: 'off',
    description: 'Shows whether the current user is a superuser.',
    category: 'Ungrouped',
  },
  role: {
    type: 'string',
    context: 'user',
    unit: null,
    min: null,
    max: null,
    default: 'none',
    description: 'Sets the current role.',
    category: 'Ungrouped',
  },
  session_authorization: {
    type: 'string',
    context: 'user',
    unit: null,
    min: null,
    max: null,
    default: null,
    description: 'Sets the session user name.',
    category: 'Ungrouped',
  },
  seed: {
    type: 'real',
    context: 'user',
    unit: null,
    min: -1,
    max: 1,
    default: '0',
    description: 'Sets the seed for random-number generation.',
    category: 'Ungrouped',
  },
  ssl_renegotiation_limit: {
    type: 'integer',
    context: 'user',
    unit: null,
    min: 0,
    max: 0,
    default: '0',
    description: 'SSL renegotiation is no longer supported; this can only be 0.',
    categoryOf: 'ssl',
  },
  default_with_oids: {
    type: 'bool',
    context: 'user',
    unit: null,
    min: null,
    max: null,
    default: 'off',
    description: 'WITH OIDS is no longer supported; this can only be false.',
    categoryOf: 'array_nulls',
  },
};

// ---------------------------------------------------------------------------------------------
// Helpers

interface SettingRow {
  name: string;
  vartype: string;
  unit: string | null;
  enumvals: string[] | null;
  min_val: string | null;
  max_val: string | null;
  context: string;
  boot_val: string | null;
  short_desc: string | null;
  category: string;
  value: string;
}

const VARTYPES: Record<string, ParameterType> = {
  bool: 'bool',
  integer: 'integer',
  real: 'real',
  string: 'string',
  enum: 'enum',
};
const CONTEXTS: readonly ParameterContext[] = [
  'internal',
  'postmaster',
  'sighup',
  'superuser-backend',
  'backend',
  'superuser',
  'user',
];

/** Runs at most `limit` tasks at once (probes are ~10 ms processes; 2 cores here). */
async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
const CONCURRENCY = Math.max(2, os.cpus().length);

interface ProbeResult {
  ok: boolean;
  out: string;
  err: string;
}

/** `postgres -D data [-c n=v ...] -C show` on the stopped cluster. */
async function probe(cluster: Cluster, settings: [string, string][], show: string): Promise<ProbeResult> {
  const args = ['-D', cluster.dataDir];
  for (const [n, v] of settings) args.push('-c', `${n}=${v}`);
  args.push('-C', show);
  const r = await runAsUser(path.join(binDir(cluster.major), 'postgres'), args, { timeoutMs: 20_000 });
  if (r.timedOut) throw new Error(`probe timed out: ${args.join(' ')}`);
  // Drop the log-line prefix so messages are comparable across versions.
  const err = r.stderr.replace(/^\S+ \S+ \S+ \[\d+\] /gm, '').trim();
  return { ok: r.code === 0, out: r.stdout.trim(), err };
}

/** Every identifier-like string, and every identifier-like suffix of one, in `file`. */
function identifiersInBinary(file: string): string[] {
  const buf = fs.readFileSync(file);
  const found = new Set<string>();
  const isIdent = (c: number): boolean =>
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
  const isStart = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
  let i = 0;
  while (i < buf.length) {
    // A C string ends at NUL; take the identifier run right before it.
    if (buf[i] !== 0) {
      i++;
      continue;
    }
    let s = i;
    while (s > 0 && isIdent(buf[s - 1] as number)) s--;
    if (i - s >= 2 && i - s <= 63) {
      for (let k = s; k < i - 1; k++)
        if (isStart(buf[k] as number)) found.add(buf.toString('latin1', k, i).toLowerCase());
    }
    i++;
  }
  return [...found];
}

function num(v: string | null): number | null {
  if (v === null || v === '') return null;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`not a number: ${v}`);
  return n;
}

/** A value for parameter `row` that differs from its current value (for alias confirmation). */
function distinctValues(row: SettingRow): string[] {
  switch (row.vartype) {
    case 'bool':
      return [row.value === 'on' ? 'off' : 'on'];
    case 'integer':
    case 'real': {
      const min = num(row.min_val) ?? 0;
      const max = num(row.max_val) ?? 0;
      return ['1234', '4321', '17', '1', String(min), String(max)].filter((v) => Number(v) >= min && Number(v) <= max);
    }
    case 'enum':
      return (row.enumvals ?? []).filter((v) => v !== row.value);
    default:
      // Strings: an arbitrary token first; check hooks may reject it, so also a role-like and an
      // OpenSSL-group-like value (ssl_ecdh_curve -> ssl_groups).
      return ['pgpitr_probe', 'none', 'prime256v1'];
  }
}

/** alias X -> target T is confirmed when `-c T=v -C T` differs from `-C T` and `-c X=v -C T`
 * prints the same as `-c T=v -C T`: the server applied X's value to T. */
async function confirmAlias(cluster: Cluster, alias: string, target: SettingRow): Promise<boolean> {
  const base = await probe(cluster, [], target.name);
  if (!base.ok) return false;
  for (const v of distinctValues(target)) {
    const ref = await probe(cluster, [[target.name, v]], target.name);
    if (!ref.ok || ref.out === base.out) continue;
    const viaAlias = await probe(cluster, [[alias, v]], target.name);
    return viaAlias.ok && viaAlias.out === ref.out;
  }
  return false;
}

/** Verifies a HIDDEN_PARAMETERS entry against the server; returns problems (empty = verified). */
async function verifyHidden(cluster: Cluster, name: string, spec: HiddenSpec, binaryText: string): Promise<string[]> {
  const problems: string[] = [];
  const shown = await probe(cluster, [], name);
  if (!shown.ok) problems.push(`-C ${name} failed: ${shown.err}`);
  else if (shown.out !== (spec.default ?? ''))
    problems.push(`default: server shows ${JSON.stringify(shown.out)}, spec ${JSON.stringify(spec.default)}`);
  if (!binaryText.includes(spec.description)) problems.push(`description not found in the binary: ${spec.description}`);
  const bad = await probe(cluster, [[name, 'pgpitr_not_a_value']], name);
  if (spec.context === 'internal') {
    if (!/cannot be changed/.test(bad.err))
      problems.push(`expected internal ("cannot be changed"), got: ${bad.err || 'accepted'}`);
    return problems;
  }
  const dflt = await probe(cluster, [[name, spec.default ?? '']], name);
  if (spec.default !== null && !dflt.ok)
    problems.push(`setting the default was rejected (not ${spec.context}?): ${dflt.err}`);
  const isBoolErr = /requires a Boolean value/.test(bad.err);
  if ((spec.type === 'bool') !== isBoolErr) problems.push(`type ${spec.type} but probe said: ${bad.err || 'accepted'}`);
  if (spec.type === 'integer' || spec.type === 'real') {
    if (!/invalid value for parameter|requires a numeric value/.test(bad.err))
      problems.push(`type ${spec.type} but probe said: ${bad.err || 'accepted'}`);
    // Below the minimum: an integer probe gets an integer range error; a real probe with a
    // fraction is reported with its fraction.
    const belowValue = spec.type === 'integer' ? (spec.min ?? 0) - 1 : (spec.min ?? 0) - 1.5;
    const below = await probe(cluster, [[name, String(belowValue)]], name);
    const m = /(\S+) is outside the valid range for parameter "[^"]+" \((\S+) \.\. (\S+)\)/.exec(below.err);
    if (!m) problems.push(`no range error below the minimum: ${below.err || 'accepted'}`);
    else {
      if (Number(m[2]) !== spec.min || Number(m[3]) !== spec.max)
        problems.push(`range (${m[2]} .. ${m[3]}) != spec (${spec.min} .. ${spec.max})`);
      if (Number(m[1]) !== belowValue) problems.push(`value reported as ${m[1]}, expected ${belowValue}`);
    }
    for (const u of ['kB', 'ms']) {
      const withUnit = await probe(cluster, [[name, `${spec.min ?? 0}${u}`]], name);
      if (withUnit.ok && spec.unit === null) problems.push(`accepts unit ${u} but spec has no unit`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------

interface Summary {
  major: number;
  serverVersion: string;
  parameters: number;
  hiddenParameters: string[];
  hiddenEnumValues: Record<string, string[]>;
  aliases: Record<string, string>;
  buildDependent: Record<string, string[]>;
  notes: string[];
}

async function generate(major: number): Promise<Summary> {
  const notes: string[] = [];
  const cluster = await createCluster(major);
  try {
    // ---- 1. pg_settings of a running server
    await cluster.start();
    const [{ server_version: serverVersion }] = await cluster.query<{ server_version: string }>('SHOW server_version');
    const rows = await cluster.query<SettingRow>(
      `SELECT name, vartype, unit, enumvals, min_val, max_val, context, boot_val, short_desc, category,
              current_setting(name) AS value
         FROM pg_settings ORDER BY name`,
    );
    const byLower = new Map(rows.map((r) => [r.name.toLowerCase(), r]));
    const dotted = rows.filter((r) => r.name.includes('.'));
    notes.push(
      `${dotted.length} extension (dotted) parameters in pg_settings (no libraries loaded; extension parameters appear only once their library is loaded)`,
    );

    // ---- 2. names the server knows that pg_settings does not list
    const postgresBin = path.join(binDir(major), 'postgres');
    const candidates = new Set(identifiersInBinary(postgresBin));
    for (const n of OBSOLETE_NAME_CANDIDATES) candidates.add(n);
    const names = [...candidates].filter((n) => !byLower.has(n));
    const extra = new Map<string, string>();
    for (let i = 0; i < names.length; i += 50_000) {
      const found = await cluster.query<{ n: string; v: string }>(
        `SELECT n, current_setting(n, true) AS v FROM unnest($1::text[]) AS n WHERE current_setting(n, true) IS NOT NULL`,
        [names.slice(i, i + 50_000)],
      );
      for (const f of found) extra.set(f.n, f.v);
    }
    await cluster.stop();

    // ---- 3. obsolete names: cross-check the discovery with -C (the file-parsing path)
    for (const n of OBSOLETE_NAME_CANDIDATES) {
      if (byLower.has(n)) continue; // a real parameter in this major
      const r = await probe(cluster, [], n);
      if (r.ok !== extra.has(n))
        throw new Error(`PostgreSQL ${major}: -C ${n} ${r.ok ? 'accepted' : 'rejected'} but current_setting disagrees`);
    }

    // ---- 4. aliases vs hidden parameters
    const aliases: Record<string, string> = {};
    const hidden: CatalogParameter[] = [];
    const binaryText = fs.readFileSync(postgresBin, 'latin1');
    for (const [n, v] of [...extra].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const targets = rows.filter((r) => r.value === v && r.context !== 'internal');
      const confirmed: string[] = [];
      for (const t of targets) if (await confirmAlias(cluster, n, t)) confirmed.push(t.name.toLowerCase());
      if (confirmed.length > 1)
        throw new Error(`PostgreSQL ${major}: ${n} looks like an alias of several parameters: ${confirmed.join(', ')}`);
      if (confirmed.length === 1) {
        aliases[n] = confirmed[0] as string;
        continue;
      }
      const spec = HIDDEN_PARAMETERS[n];
      if (!spec) {
        throw new Error(
          `PostgreSQL ${major}: "${n}" (= ${JSON.stringify(v)}) exists but is neither in pg_settings nor a confirmed alias; ` +
            `add its definition to HIDDEN_PARAMETERS in scripts/generateCatalog.ts`,
        );
      }
      const problems = await verifyHidden(cluster, n, spec, binaryText);
      if (problems.length > 0)
        throw new Error(
          `PostgreSQL ${major}: hidden parameter ${n} does not match its spec:\n  ${problems.join('\n  ')}`,
        );
      const category = spec.categoryOf ? byLower.get(spec.categoryOf)?.category : spec.category;
      if (category === undefined) throw new Error(`PostgreSQL ${major}: no category for ${n}`);
      hidden.push({
        name: n,
        type: spec.type,
        unit: spec.unit,
        min: spec.min,
        max: spec.max,
        enumValues: null,
        hiddenEnumValues: [],
        buildDependentValues: [],
        context: spec.context,
        default: spec.default,
        description: spec.description,
        category,
      });
    }

    // ---- 5. catalog entries from pg_settings
    const params: CatalogParameter[] = rows.map((r) => {
      const type = VARTYPES[r.vartype];
      if (!type) throw new Error(`unknown vartype ${r.vartype} of ${r.name}`);
      if (!(CONTEXTS as readonly string[]).includes(r.context))
        throw new Error(`unknown context ${r.context} of ${r.name}`);
      return {
        name: r.name,
        type,
        unit: r.unit,
        min: num(r.min_val),
        max: num(r.max_val),
        enumValues: r.enumvals,
        hiddenEnumValues: [],
        buildDependentValues: [],
        context: r.context as ParameterContext,
        default: r.boot_val,
        description: r.short_desc ?? '',
        category: r.category,
      };
    });

    // ---- 6. hidden enum spellings
    const hiddenEnumValues: Record<string, string[]> = {};
    const enums = params.filter((p) => p.type === 'enum');
    await pool(enums, 1, async (p) => {
      if (p.context === 'internal') return; // cannot be set at all; nothing to probe
      const listed = new Set((p.enumValues ?? []).map((v) => v.toLowerCase()));
      const control = await probe(cluster, [[p.name, p.enumValues?.[0] ?? '']], p.name);
      if (!control.ok) {
        notes.push(`${p.name}: cannot probe (a listed value is rejected by -C: ${control.err.split('\n')[0]})`);
        return;
      }
      const todo = HIDDEN_ENUM_CANDIDATES.filter((c) => !listed.has(c));
      const results = await pool(todo, CONCURRENCY, (c) => probe(cluster, [[p.name, c]], p.name));
      p.hiddenEnumValues = todo.filter((_, i) => results[i]?.ok);
      if (p.hiddenEnumValues.length > 0) hiddenEnumValues[p.name.toLowerCase()] = p.hiddenEnumValues;
    });

    // ---- 7. build-dependent values: candidates this build rejects
    const buildDependent: Record<string, string[]> = {};
    const byName = new Map(params.map((p) => [p.name.toLowerCase(), p]));
    for (const c of BUILD_DEPENDENT_CANDIDATES) {
      const p = byName.get(c.param);
      if (!p || (c.since !== undefined && major < c.since)) continue;
      const results = await pool(c.values, CONCURRENCY, (v) => probe(cluster, [[p.name, v]], p.name));
      const rejected = c.values.filter((_, i) => !results[i]?.ok);
      if (p.type === 'enum') {
        // Consistency: the server accepts exactly the values it lists (or hides).
        for (const [i, v] of c.values.entries()) {
          const listed = (p.enumValues ?? []).some((e) => e.toLowerCase() === v) || p.hiddenEnumValues.includes(v);
          if (listed !== Boolean(results[i]?.ok))
            throw new Error(
              `PostgreSQL ${major}: ${p.name}=${v}: listed=${listed} but -C ok=${String(results[i]?.ok)}`,
            );
        }
      }
      p.buildDependentValues = [...new Set([...p.buildDependentValues, ...rejected])];
      if (p.buildDependentValues.length > 0) buildDependent[p.name.toLowerCase()] = p.buildDependentValues;
    }

    // ---- 8. write
    const all = [...params, ...hidden].sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1));
    const parameters: Record<string, CatalogParameter> = {};
    for (const p of all) {
      const key = p.name.toLowerCase();
      if (parameters[key]) throw new Error(`duplicate parameter ${key}`);
      // Fixed field order, so the JSON diffs well.
      parameters[key] = {
        name: p.name,
        type: p.type,
        unit: p.unit,
        min: p.min,
        max: p.max,
        enumValues: p.enumValues,
        hiddenEnumValues: p.hiddenEnumValues,
        buildDependentValues: p.buildDependentValues,
        context: p.context,
        default: p.default,
        description: p.description,
        category: p.category,
      };
    }
    const sortedAliases: Record<string, string> = {};
    for (const k of Object.keys(aliases).sort()) sortedAliases[k] = aliases[k] as string;
    const catalog: Catalog = { major, serverVersion, parameters, aliases: sortedAliases };
    fs.mkdirSync(OUT_DIR, { recursive: true });
    fs.writeFileSync(path.join(OUT_DIR, `pg${major}.json`), `${JSON.stringify(catalog, null, 2)}\n`);

    return {
      major,
      serverVersion,
      parameters: all.length,
      hiddenParameters: hidden.map((h) => h.name),
      hiddenEnumValues,
      aliases: sortedAliases,
      buildDependent,
      notes,
    };
  } finally {
    await cluster.destroy();
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2).map(Number);
  const majors = args.length > 0 ? args : [...MAJORS];
  for (const m of majors) if (!(MAJORS as readonly number[]).includes(m)) throw new Error(`unsupported major ${m}`);
  for (const major of majors) {
    if (!requireServer(major)) throw new Error(`PostgreSQL ${major} binaries missing; cannot generate its catalog`);
    const t0 = Date.now();
    const s = await generate(major);
    const fmt = (o: Record<string, string[] | string>): string =>
      Object.entries(o)
        .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(' ') : v}`)
        .join('; ') || '-';
    console.log(
      [
        `PostgreSQL ${s.major} (${s.serverVersion}): ${s.parameters} parameters (${s.hiddenParameters.length} ` +
          `not in pg_settings: ${s.hiddenParameters.join(', ') || '-'}) [${((Date.now() - t0) / 1000).toFixed(1)} s]`,
        `  aliases: ${fmt(s.aliases)}`,
        `  hidden enum values: ${fmt(s.hiddenEnumValues)}`,
        `  build-dependent values rejected by this build: ${fmt(s.buildDependent)}`,
        ...s.notes.map((n) => `  note: ${n}`),
      ].join('\n'),
    );
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exitCode = 1;
});
