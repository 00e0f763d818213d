// pg-pitr's configuration reader against real PostgreSQL 10-18: curated edge cases and random
// file sets (fast-check, seeded). PARITY_RUNS sets the number of random sets per major
// (default 300); PARITY_SEED the seed.
import { strict as assert } from 'node:assert';

import fc from 'fast-check';

import { getCatalog } from '../../src/core/catalog/catalogs';
import { type Scenario, scenarioArbitrary } from '../support/confGenerator';
import {
  compareFileSettings,
  compareStartup,
  describeScenario,
  type Mismatch,
  writeScenario,
} from '../support/parityOracle';
import { type Cluster, createCluster, MAJORS, requireServer } from '../support/postgresServers';

const RUNS = Number(process.env.PARITY_RUNS ?? 300);
const SEED = Number(process.env.PARITY_SEED ?? 20261124);

const s = (main: string, files: Record<string, string> = {}, auto: string | null = null): Scenario => ({
  main: Buffer.from(main, 'utf8').toString('latin1'),
  auto: auto === null ? null : Buffer.from(auto, 'utf8').toString('latin1'),
  files: Object.fromEntries(Object.entries(files).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('latin1')])),
});

export const CURATED: Array<[string, Scenario]> = [
  [
    'plain settings, optional =, comments, CRLF',
    s("wal_level replica\r\narchive_mode=on # c\r\n\r\n# only a comment\r\narchive_timeout = '60s'\r\n"),
  ],
  ['unquoted archive_command with %', s('archive_command = cp %p /x/%f\n')],
  ['unquoted absolute path', s('archive_command = /bin/true\n')],
  ['unquoted fraction with unit', s('max_wal_size = 1.5GB\n')],
  ['name without value, then EOF without newline', s('wal_level\nwal_level =')],
  ['value at EOF without newline', s('work_mem = 4MB')],
  ['two values', s("archive_command = 'a' 'b'\n")],
  ['more than 100 syntax errors', s(Array.from({ length: 130 }, (_, i) => `bad${i} = a b`).join('\n') + '\n')],
  ['NBSP glued to a name', s('wal_level\u00a0= replica\n')],
  ['NBSP inside a value', s("archive_command = 'cp\u00a0%p'\n")],
  ['octal and invalid octal', s('archive_timeout = 060\nmax_wal_senders = 010\n')],
  ['invalid octal digit', s('archive_timeout = 08\n')],
  ['hex integer, upper-case X', s('max_connections = 0x10\nmax_wal_senders = 0X10\n')],
  ['units: case-sensitive memory unit', s('work_mem = 64mb\n')],
  ['units: space before unit', s("work_mem = '1 MB'\nmaintenance_work_mem = '64 MB '\n")],
  ['units: bytes', s("work_mem = '65536B'\nshared_buffers = '1048576B'\n")],
  ['units: microseconds', s("statement_timeout = '1500us'\n")],
  ['units: fractional with unit', s("max_wal_size = '1.5GB'\nwork_mem = '0.5MB'\nstatement_timeout = '1.5s'\n")],
  ['unit on a unit-less parameter', s("max_wal_senders = '10MB'\n")],
  ['integer as float and exponent', s("max_connections = '1e2'\nmax_wal_senders = '2.5'\n")],
  ['integer out of range', s('max_connections = 0\nmax_wal_senders = 999999\nwork_mem = 1TB\n')],
  ['integer beyond int32', s("max_connections = '99999999999'\n")],
  [
    'real out of range and with unit',
    s("checkpoint_completion_target = 1.5\nvacuum_cost_delay = '2ms'\nrandom_page_cost = '1e400'\n"),
  ],
  [
    'booleans: prefixes and bad spellings',
    s("fsync = of\nfull_page_writes = 'tru'\nwal_log_hints = 'o'\nhot_standby = ' on'\n"),
  ],
  ['booleans: 10 and empty', s("fsync = 10\nwal_log_hints = ''\n")],
  [
    'enums: hidden values, case, prefixes',
    s("wal_level = hot_standby\narchive_mode = yes\nsynchronous_commit = 'Local'\n"),
  ],
  ['enums: invalid', s("archive_mode = of\nwal_level = 'replica '\n")],
  ['quotes: doubled quote and backslash-quote', s("archive_command = 'echo ''x'' \\'y\\''\n")],
  ['backslash escapes in a Windows path', s('archive_command = \'copy "%p" "C:\\new\\archive\\%f"\'\n')],
  ['octal escapes', s("archive_command = 'a\\101\\7b'\n")],
  ['duplicates, case variants and aliases', s('work_mem = 1MB\nWork_Mem = 2MB\nwork_mem = 3MB\nsort_mem = 1024\n')],
  ['invalid earlier duplicate is ignored', s("work_mem = 'bogus'\nwork_mem = 4MB\n")],
  ['invalid earlier case variant is still checked', s("Work_Mem = 'bogus'\nwork_mem = 4MB\n")],
  ['unknown parameter hides invalid values', s("wal_levl = replica\nwork_mem = 'bogus'\n")],
  ['custom placeholders', s("myext.setting = 'x'\npg_stat_statements.maxx = 5\n")],
  ['multi-dot and dashed names', s('a.b.c = 1\nmy-ext.x = 1\n')],
  ['internal parameter', s('wal_segment_size = 32MB\n')],
  ['removed parameters', s('wal_keep_segments = 32\ncheckpoint_segments = 3\n')],
  ['renamed parameter', s("wal_keep_size = '512MB'\n")],
  ['archive_library', s("archive_library = 'basic_archive'\n")],
  [
    'recovery settings as parameters',
    s("restore_command = 'cp /a/%f %p'\nrecovery_target_time = '2024-01-01 00:00:00+00'\n"),
  ],
  ['two recovery targets', s("recovery_target_time = '2024-01-01 00:00:00+00'\nrecovery_target_lsn = '0/3000000'\n")],
  ['recovery target then empty other target', s("recovery_target_name = 'x'\nrecovery_target_xid = ''\n")],
  ['empty other target then recovery target', s("recovery_target_xid = ''\nrecovery_target_name = 'x'\n")],
  ['same recovery target twice', s("recovery_target_name = 'x'\nrecovery_target_name = 'y'\n")],
  ['bad recovery target values', s("recovery_target = 'Immediate'\n")],
  ['check hook names the parameter as the catalog does', s("Recovery_Target = 'x'\nNotify_Buffers = 17\n")],
  ['bad recovery lsn', s("recovery_target_lsn = '0/ZZ'\n")],
  ['long restore point name', s(`recovery_target_name = '${'n'.repeat(64)}'\n`)],
  ['63-byte restore point name', s(`recovery_target_name = '${'n'.repeat(63)}'\n`)],
  ['recovery_target_time special words', s("recovery_target_time = 'yesterday'\n")],
  ['recovery_target_timeline words and numbers', s("recovery_target_timeline = 'Latest'\n")],
  ['recovery_target_xid garbage', s("recovery_target_xid = 'abc'\n")],
  [
    'include relative to the including file',
    s("include 'inc/a.conf'\nwork_mem = 8MB\n", {
      'inc/a.conf': "include 'b.conf'\nwork_mem = 2MB\n",
      'inc/b.conf': 'work_mem = 3MB\n',
    }),
  ],
  ['include with = and unquoted path', s('include = inc/a.conf\n', { 'inc/a.conf': 'work_mem = 2MB\n' })],
  ['include directive in upper case', s("INCLUDE 'inc/a.conf'\n", { 'inc/a.conf': 'work_mem = 2MB\n' })],
  ['missing include', s("include 'inc/missing.conf'\nwork_mem = 2MB\n")],
  ['missing include_if_exists', s("include_if_exists 'inc/missing.conf'\nwork_mem = 2MB\n")],
  [
    'include_dir order and filter',
    s("include_dir 'conf.d'\n", {
      'conf.d/10-b.conf': 'work_mem = 2MB\n',
      'conf.d/10-B.conf': 'work_mem = 3MB\n',
      'conf.d/Z.conf': 'work_mem = 4MB\n',
      'conf.d/a.CONF': 'work_mem = 5MB\n',
      'conf.d/.hidden.conf': 'work_mem = 6MB\n',
      'conf.d/x.conf': 'work_mem = 7MB\n',
      'conf.d/1.conf': 'work_mem = 8MB\n',
      'conf.d/readme.txt': 'nonsense here\n',
      'conf.d/sub.conf/inner.conf': 'work_mem = 9MB\n',
    }),
  ],
  [
    'include_dir stops at the first failing file',
    s("include_dir 'conf.d'\nwork_mem = 1MB\n", { 'conf.d/a.conf': 'x = = 1\n', 'conf.d/b.conf': 'work_mem = 2MB\n' }),
  ],
  ['missing include_dir', s("include_dir 'nodir'\n")],
  ['include loop hits the depth limit', s("include 'inc/loop.conf'\n", { 'inc/loop.conf': "include 'loop.conf'\n" })],
  ['include of itself', s("include 'postgresql.conf'\n")],
  ['empty include names', s("include ''\ninclude_dir ''\ninclude_if_exists ' '\n")],
  [
    'syntax error in an included file',
    s("include 'inc/a.conf'\nwork_mem = 2MB\n", { 'inc/a.conf': 'wal_level = a b\n' }),
  ],
  ['auto.conf wins', s('work_mem = 2MB\n', {}, "# Do not edit this file manually!\nwork_mem = '3MB'\n")],
  ['syntax error in auto.conf', s('work_mem = 2MB\n', {}, 'work_mem = 3 MB\n')],
  ['syntax error in main hides auto.conf', s('work_mem = 2 MB\n', {}, 'work_mem = 3 MB\n')],
  ['bytes >= 0x80 in names and values', s("wälä = 1\nmyext.wälä = 'ü'\n")],
  ['form feed and other control bytes', s('work_mem = 4MB\f\n\x01 = 1\n')],
  ['very long line', s(`archive_command = '${'x'.repeat(20000)}'\n`)],
  ['lone equals, numbers as names', s('= 1\n1 = 2\n')],
  ['unterminated string', s("archive_command = 'cp %p\nwork_mem = 1MB\n")],
  [
    'DateStyle: unknown keyword, conflicts, prefixes',
    s("datestyle hot_standby\nDateStyle = 'iso, sql'\ndateStyle = 'postgresql, european'\n"),
  ],
  [
    'time zones: names, abbreviations, POSIX zones, hours',
    s(
      "timezone = 'europe/paris'\nTimeZone = 'JST'\nlog_timezone = 'JST-9'\nTIMEZONE = '168'\nLog_Timezone = 'Foo/Bar'\n",
    ),
  ],
  [
    'recovery_target_time: abbreviations that are not zone names',
    s(
      "recovery_target_time = '2024-01-01 10:00:00 JST'\nRecovery_Target_Time = '2024-01-01 10:00:00 EST'\nrecovery_target_TIME = '2024-01-01T10:00:00Z'\n",
    ),
  ],
];

for (const major of MAJORS) {
  describe(`parity with PostgreSQL ${major}`, function () {
    this.timeout(30 * 60 * 1000);
    let stopped: Cluster | undefined;
    let running: Cluster | undefined;
    const catalog = getCatalog(major);

    before(async function () {
      if (!requireServer(major, this)) return;
      stopped = await createCluster(major);
      running = await createCluster(major);
      // Running values must be the defaults: a file setting that differs from a running
      // postmaster-context value is reported by pg_file_settings whatever the file says.
      writeScenario(running.dataDir, { main: '', auto: null, files: {} });
      await running.start();
    });
    after(async () => {
      await stopped?.destroy();
      await running?.destroy();
    });

    async function check(sc: Scenario): Promise<Mismatch | null> {
      writeScenario(stopped!.dataDir, sc);
      const startup = await compareStartup(stopped!, catalog);
      if (startup) return startup;
      writeScenario(running!.dataDir, sc);
      return compareFileSettings(running!, catalog);
    }

    function report(m: Mismatch, sc: Scenario): string {
      return `PostgreSQL ${major} disagrees (${m.what})\n--- files ---\n${describeScenario(sc)}\n--- pg-pitr ---\n${m.ours}\n--- server ---\n${m.server}`;
    }

    it('agrees on the curated edge cases', async () => {
      const failures: string[] = [];
      for (const [title, sc] of CURATED) {
        const m = await check(sc);
        if (m) failures.push(`[${title}] ${report(m, sc)}`);
      }
      assert.equal(
        failures.length,
        0,
        `${failures.length}/${CURATED.length} curated cases disagree:\n\n${failures.join('\n\n')}`,
      );
    });

    it(`agrees on ${RUNS} random file sets (seed ${SEED})`, async () => {
      await fc.assert(
        fc.asyncProperty(scenarioArbitrary(catalog), async (sc) => {
          const m = await check(sc);
          if (m) throw new Error(report(m, sc));
        }),
        { numRuns: RUNS, seed: SEED + major, endOnFailure: process.env.PARITY_SHRINK !== '1' },
      );
    });

    it(`agrees on ${Math.ceil(RUNS / 3)} random syntax-clean file sets (values and names)`, async () => {
      await fc.assert(
        fc.asyncProperty(scenarioArbitrary(catalog, { syntaxNoise: false }), async (sc) => {
          const m = await check(sc);
          if (m) throw new Error(report(m, sc));
        }),
        { numRuns: Math.ceil(RUNS / 3), seed: SEED + 100 + major, endOnFailure: process.env.PARITY_SHRINK !== '1' },
      );
    });
  });
}
