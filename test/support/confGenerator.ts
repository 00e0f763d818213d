// Random configuration file sets for the parity suite: lines that exercise PostgreSQL's lexer,
// includes, names and value parsing, biased so that many files get past the syntax stage
// (errors short-circuit: a syntax error hides unknown names, which hide invalid values).
import fc from 'fast-check';

import type { Catalog, CatalogParameter } from '../../src/core/catalog/types';

export interface Scenario {
  /** postgresql.conf, as bytes in a binary string */
  main: string;
  /** postgresql.auto.conf, or null for none */
  auto: string | null;
  /** other files, by path relative to the data directory */
  files: Record<string, string>;
}

// Parameters whose values change how the server reports (log format, language) or where it reads
// files from are never generated: they would change the oracle's output, not test the parser.
const EXCLUDED =
  /^(data_directory|config_file|hba_file|ident_file|external_pid_file|lc_.*|log_.*|logging_collector|syslog_.*|event_source|client_min_messages|shared_preload_libraries|local_preload_libraries|session_preload_libraries|dynamic_library_path|ssl.*|event_triggers|debug_.*|trace_.*|io_method|wal_sync_method|huge_pages.*|shared_memory_type|dynamic_shared_memory_type|unix_socket_.*|port|listen_addresses|krb_.*|timezone|timezone_abbreviations|log_timezone|search_path|default_text_search_config|datestyle|intervalstyle|default_tablespace|temp_tablespaces|application_name|cluster_name|primary_slot_name|primary_conninfo|synchronous_standby_names|default_toast_compression|recovery_target_time|backtrace_functions|restrict_nonsystem_relation_kind|createrole_self_grant|oauth_.*|unix_socket_group|bonjour_name|stats_temp_directory|archive_library|wal_consistency_checking|password_encryption|icu_validation_level|default_transaction_isolation|transaction_.*|role|session_authorization|default_with_oids|synchronized_standby_slots|debug_io_direct|allow_system_table_mods|bonjour|max_stack_depth)$/;

/** Strings whose only check is the grammar: safe to fill with arbitrary text. */
const FREE_STRINGS = [
  'archive_command',
  'restore_command',
  'archive_cleanup_command',
  'recovery_end_command',
  'promote_trigger_file',
];

/**
 * Strings whose check hooks pg-pitr models (src/core/conf/dateTimeCheckHooks.ts), with values near
 * the edges: zone names in any case, abbreviations that are or are not zone names, POSIX zones,
 * numeric offsets, DateStyle keywords and conflicts. recovery_target_time avoids unknown zone names
 * with punctuation: 12-15 raise an ERROR for them, which would abort the pg_file_settings query.
 */
const MODELLED_STRINGS: Record<string, readonly string[]> = {
  TimeZone: [
    'UTC',
    'Europe/Paris',
    'europe/paris',
    'America/New_York',
    'EST',
    'EST5EDT',
    'JST',
    'CEST',
    'JST-9',
    '<+03>-3',
    '+3',
    '-3.5',
    '168',
    'Foo/Bar',
    '',
    'GMT',
    'Zulu',
    'Factory',
    ':UTC',
    'UTC+3',
    'XYZ',
    '3',
    'inf',
    'posixrules',
  ],
  log_timezone: [
    'UTC',
    'Asia/Tokyo',
    'asia/tokyo',
    'JST',
    'JST-9',
    '+3',
    'Foo/Bar',
    '',
    'Etc/GMT-14',
    'PST8PDT',
    'CET',
  ],
  DateStyle: [
    'iso, mdy',
    'ISO, DMY',
    'sql, dmy',
    'postgres',
    'german',
    'ymd',
    'euro',
    'us',
    'default',
    'default, iso',
    'iso, sql',
    'hot_standby',
    'iso mdy',
    'iso,,mdy',
    '',
    '"ISO"',
    'Iso , Mdy',
    'german, ymd',
  ],
  recovery_target_time: [
    '2024-01-01 10:00:00+00',
    '2024-01-01 10:00:00 JST',
    '2024-01-01 10:00:00 EST',
    '2024-01-01 10:00:00 cest',
    '2024-01-01 10:00:00 Europe/Paris',
    '2024-01-01T10:00:00Z',
    '2024-01-01 10:00:00 UTC',
    '2024-13-01 10:00:00',
    '2024-02-29 23:59:59.5 +05:30',
    'yesterday',
    '2024-01-01',
  ],
};

const MEMORY_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'KB', 'kb', 'mb', 'M', 'G', 'MiB', '8kB'];
const TIME_UNITS = ['us', 'ms', 's', 'min', 'h', 'd', 'sec', 'm', 'hr', 'day', 'mins', 'S', 'Min'];
const BOOL_WORDS = [
  'on',
  'off',
  'true',
  'false',
  'yes',
  'no',
  '1',
  '0',
  't',
  'f',
  'tr',
  'fa',
  'y',
  'n',
  'of',
  'o',
  'ON',
  'Off',
  'TRUE',
  'nO',
  '10',
  ' on',
  'on ',
  'onn',
  'tru',
  'fals',
  'ye',
  'yess',
  '',
];

function quote(v: string): string {
  return "'" + v.replace(/'/g, "''") + "'";
}

/** How a value is written: quoted (always one token) or bare (may split into several tokens). */
function writeValue(v: string): fc.Arbitrary<string> {
  return fc.constantFrom(quote(v), quote(v), v === '' ? "''" : v);
}

function intText(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.integer({ min: -5, max: 2000 }).map(String),
    fc.constantFrom(
      '0',
      '-1',
      '2147483647',
      '2147483648',
      '-2147483648',
      '-2147483649',
      '99999999999999999999',
      '1e3',
      '1.5',
      '0.5',
      '2.5',
      '-0.5',
      '.5',
      '1e-3',
      ' 5',
      '5 ',
      '1E2',
    ),
    fc.integer({ min: 0, max: 4095 }).map((n) => '0x' + n.toString(16)),
    fc.integer({ min: 0, max: 4095 }).map((n) => '0X' + n.toString(16).toUpperCase()),
    fc.integer({ min: 0, max: 511 }).map((n) => '0' + n.toString(8)),
    fc.constantFrom('08', '09', '0x', '0xg', 'abc', '', '+7', '--1', '1_000', 'inf', 'nan', '0x1p3'),
  );
}

function valueFor(p: CatalogParameter): fc.Arbitrary<string> {
  switch (p.type) {
    case 'bool':
      return fc.constantFrom(...BOOL_WORDS).chain(writeValue);
    case 'enum': {
      const vals = [...(p.enumValues ?? []), ...p.hiddenEnumValues];
      return fc
        .oneof(
          fc.constantFrom(...vals),
          fc.constantFrom(...vals).map((v) => v.toUpperCase()),
          fc.constantFrom(...vals).map((v) => v.slice(0, Math.max(1, v.length - 1))),
          fc.constantFrom('on', 'off', 'true', 'yes', 'nope', '', 'replica ', ' on'),
        )
        .chain(writeValue);
    }
    case 'integer': {
      const units =
        p.unit === null ? ['MB', 's'] : ['B', 'kB', 'MB', '8kB'].includes(p.unit) ? MEMORY_UNITS : TIME_UNITS;
      return fc
        .tuple(intText(), fc.oneof(fc.constant(''), fc.constantFrom(...units)), fc.constantFrom('', ' ', '  '))
        .map(([n, u, sp]) => (u === '' ? n : n + sp + u))
        .chain(writeValue);
    }
    case 'real': {
      const units = p.unit === null ? ['ms'] : ['B', 'kB', 'MB', '8kB'].includes(p.unit) ? MEMORY_UNITS : TIME_UNITS;
      return fc
        .tuple(
          fc.oneof(
            fc.double({ min: -10, max: 1e6, noNaN: true }).map((d) => String(d)),
            fc.constantFrom(
              '0',
              '1',
              '-1',
              '0.5',
              '1e10',
              '1e400',
              '-1e400',
              '1e-400',
              'nan',
              'inf',
              'abc',
              '1.5.2',
              '2',
              '0x10',
            ),
          ),
          fc.oneof(fc.constant(''), fc.constantFrom(...units)),
        )
        .map(([n, u]) => n + u)
        .chain(writeValue);
    }
    case 'string': {
      const modelled = MODELLED_STRINGS[p.name];
      if (modelled)
        return fc.constantFrom(...modelled).chain((v) => fc.constantFrom(quote(v), quote(v), v === '' ? "''" : v));
      return freeText().chain((t) => fc.constantFrom(quote(t), t || "''"));
    }
  }
}

/** Text with the characters that matter to the lexer and to escapes. */
function freeText(): fc.Arbitrary<string> {
  const pieces = fc.constantFrom(
    'cp',
    ' ',
    '%p',
    '%f',
    '/mnt/arch/',
    "'",
    '\\',
    '\\n',
    '\\\\',
    '\\101',
    '#',
    '=',
    'x',
    'é',
    '"',
    'test ! -f',
    '&&',
    ';',
    'a.b',
    '\t',
    '-',
    '%%',
  );
  return fc.array(pieces, { maxLength: 8 }).map((a) => a.join(''));
}

function nameVariant(name: string): fc.Arbitrary<string> {
  return fc.constantFrom(name, name, name, name.toUpperCase(), name[0].toUpperCase() + name.slice(1));
}

function settingLine(catalog: Catalog, params: CatalogParameter[]): fc.Arbitrary<string> {
  const known = fc
    .constantFrom(...params)
    .chain((p) =>
      fc
        .tuple(nameVariant(p.name), fc.constantFrom(' = ', '=', ' ', '\t=\t', ' =', '  =  '), valueFor(p))
        .map(([n, eq, v]) => n + eq + v),
    );
  const odd = fc.oneof(
    // names the server may not know: removed, misspelled, aliases, custom placeholders
    fc
      .constantFrom(
        'wal_keep_segments',
        'wal_keep_size',
        'checkpoint_segments',
        'standby_mode',
        'sort_mem',
        'vacuum_mem',
        'archive_library',
        'summarize_wal',
        'wal_levl',
        'myext.setting',
        'pg_stat_statements.maxx',
        'ssl_ecdh_curve',
        'Work_Mem',
      )
      .map((n) => `${n} = '1'`),
    fc.constantFrom(...FREE_STRINGS).chain((n) => freeText().map((t) => `${n} = ${quote(t)}`)),
    // lines that break the grammar
    fc.constantFrom(
      'archive_command = cp %p /x/%f',
      'archive_command = /bin/true',
      'max_wal_size = 1.5GB',
      "work_mem = '1' '2'",
      'wal_level',
      'wal_level =',
      '= replica',
      'a.b.c = 1',
      'my-ext.x = 1',
      'wal_level\xc2\xa0= replica',
      'x = \f',
      "shared_buffers = '128MB",
      '  # just a comment',
      '',
      'work_mem = 4MB # trailing',
      '1 = 2',
      "'q' = 1",
    ),
    fc.constantFrom(...params).map((p) => `${p.name} = ${p.default === null ? "''" : quote(p.default)}`),
  );
  void catalog;
  return fc.oneof({ weight: 6, arbitrary: known }, { weight: 2, arbitrary: odd });
}

function eol(): fc.Arbitrary<string> {
  return fc.constantFrom('\n', '\n', '\n', '\r\n', ' \n', '\t# c\n');
}

function fileBody(lines: fc.Arbitrary<string>, maxLines: number): fc.Arbitrary<string> {
  return fc
    .tuple(fc.array(fc.tuple(lines, eol()), { maxLength: maxLines }), fc.boolean())
    .map(([ls, noFinalNewline]) => {
      let s = ls.map(([l, e]) => l + e).join('');
      if (noFinalNewline && s.endsWith('\n')) s = s.replace(/\r?\n$/, '');
      // work on bytes: the server reads bytes
      return Buffer.from(s, 'utf8').toString('latin1');
    });
}

export function usableParameters(catalog: Catalog): CatalogParameter[] {
  return Object.values(catalog.parameters).filter(
    (p) =>
      p.name in MODELLED_STRINGS || (!EXCLUDED.test(p.name) && (p.type !== 'string' || FREE_STRINGS.includes(p.name))),
  );
}

/** A whole scenario: main file, optional auto.conf, included files and directories. */
export function scenarioArbitrary(catalog: Catalog, opts: { syntaxNoise?: boolean } = {}): fc.Arbitrary<Scenario> {
  const params = usableParameters(catalog);
  const lines = settingLine(catalog, params);
  const cleanLines = fc.constantFrom(...params).chain((p) => valueFor(p).map((v) => `${p.name} = ${v}`));
  const body = (max: number) => fileBody(opts.syntaxNoise === false ? cleanLines : lines, max);
  const includeLine = fc.constantFrom(
    "include 'inc/a.conf'",
    'include inc/a.conf',
    "include = 'inc/b.conf'",
    "include_if_exists 'inc/missing.conf'",
    "include_if_exists 'inc/a.conf'",
    "include 'inc/missing.conf'",
    "include_dir 'conf.d'",
    'include_dir conf.d',
    "include_dir 'nodir'",
    "INCLUDE 'inc/a.conf'",
    "include ''",
    "include_dir ''",
    "include 'postgresql.conf'",
    "include 'inc/loop.conf'",
  );
  return fc
    .record({
      mainBody: body(14),
      includes: fc.array(includeLine, { maxLength: 3 }),
      includePositions: fc.array(fc.nat(), { maxLength: 3 }),
      a: body(6),
      b: body(4),
      dirFiles: fc.array(
        fc.tuple(
          fc.constantFrom(
            '00-first.conf',
            '10-b.conf',
            '10-B.conf',
            'Z.conf',
            'a.CONF',
            '.hidden.conf',
            'x.conf',
            'readme.txt',
            'zz-last.conf',
            '1.conf',
          ),
          body(4),
        ),
        { maxLength: 4 },
      ),
      autoBody: fc.option(body(5), { nil: null }),
    })
    .map(({ mainBody, includes, includePositions, a, b, dirFiles, autoBody }) => {
      const mainLines = mainBody.split('\n');
      includes.forEach((inc, i) => {
        const pos = (includePositions[i] ?? 0) % (mainLines.length + 1);
        mainLines.splice(pos, 0, inc);
      });
      const files: Record<string, string> = {
        'inc/a.conf': a,
        'inc/b.conf': b,
        // includes itself through a relative path: only depth stops it
        'inc/loop.conf': "include 'loop.conf'\n",
      };
      for (const [name, content] of dirFiles) files['conf.d/' + name] = content;
      return { main: mainLines.join('\n'), auto: autoBody, files };
    });
}
