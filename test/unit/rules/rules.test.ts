// Each rule fires on the configuration it is about and stays quiet on its correct twin.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { getCatalog, SUPPORTED_MAJORS } from '../../../src/core/catalog/catalogs';
import { memoryFileSystem } from '../../../src/core/conf/fileSystem';
import { lintConfiguration } from '../../../src/core/rules/lintEngine';
import { RULES } from '../../../src/core/rules/index';
import type { Finding } from '../../../src/core/rules/types';

function lint(conf: string, major = 18, extra: Record<string, string> = {}, dataDir = true): Finding[] {
  const files: Record<string, string> = { '/d/postgresql.conf': conf, ...extra };
  return lintConfiguration({ configFile: '/d/postgresql.conf', dataDir: dataDir ? '/d' : null, catalog: getCatalog(major), fs: memoryFileSystem(files) });
}
const ids = (fs: Finding[]) => fs.map((f) => f.rule);
export const IDEMPOTENT = `f=/mnt/a/%f; if [ -f "$f" ]; then cmp -s "%p" "$f"; else cp "%p" "$f.tmp" && sync "$f.tmp" && mv "$f.tmp" "$f" && sync "/mnt/a"; fi`;

interface Case {
  rule: string;
  major?: number;
  fires: string;
  quiet: string;
  extra?: Record<string, string>;
  quietExtra?: Record<string, string>;
}

const CASES: Case[] = [
  { rule: 'wal-level-minimal-archive', fires: "wal_level = minimal\nmax_wal_senders = 0\narchive_mode = on\narchive_command = 'x %p %f'\n", quiet: "wal_level = replica\narchive_mode = on\narchive_command = 'x %p %f'\n" },
  { rule: 'wal-level-minimal-senders', fires: 'wal_level = minimal\n', quiet: 'wal_level = minimal\nmax_wal_senders = 0\n' },
  { rule: 'wal-level-minimal-summarize', major: 17, fires: 'wal_level = minimal\nmax_wal_senders = 0\nsummarize_wal = on\n', quiet: 'wal_level = replica\nsummarize_wal = on\n' },
  { rule: 'wal-level-minimal', fires: 'wal_level = minimal\nmax_wal_senders = 0\n', quiet: 'wal_level = logical\n' },
  { rule: 'wal-level-deprecated', fires: 'wal_level = hot_standby\n', quiet: 'wal_level = replica\n' },
  { rule: 'fsync-off', fires: 'fsync = of\n', quiet: 'fsync = on\n' },
  { rule: 'full-page-writes-off', fires: 'full_page_writes = false\n', quiet: 'full_page_writes = true\n' },
  { rule: 'wal-log-hints-off', major: 16, fires: 'wal_log_hints = off\n', quiet: 'wal_log_hints = on\n' },
  { rule: 'max-wal-senders-too-low', fires: 'max_wal_senders = 1\n', quiet: 'max_wal_senders = 2\n' },
  { rule: 'archive-mode-off', fires: "archive_command = 'x %p %f'\n", quiet: "archive_mode = on\narchive_command = 'x %p %f'\n" },
  { rule: 'archive-not-configured', fires: 'archive_mode = on\n', quiet: "archive_mode = on\narchive_library = 'basic_archive'\nbasic_archive.archive_directory = '/a'\n" },
  { rule: 'archive-command-and-library', fires: "archive_mode = on\narchive_command = 'x %p %f'\narchive_library = 'basic_archive'\n", quiet: "archive_mode = on\narchive_command = 'x %p %f'\n" },
  { rule: 'archive-library-unconfigured', fires: "archive_mode = on\narchive_library = 'basic_archive'\n", quiet: "archive_mode = on\narchive_library = 'basic_archive'\nbasic_archive.archive_directory = '/a'\n" },
  { rule: 'archive-timeout-disabled', fires: "archive_mode = on\narchive_command = 'x %p %f'\n", quiet: "archive_mode = on\narchive_command = 'x %p %f'\narchive_timeout = 5min\n" },
  { rule: 'archive-timeout-too-small', fires: "archive_mode = on\narchive_command = 'x %p %f'\narchive_timeout = 10\n", quiet: "archive_mode = on\narchive_command = 'x %p %f'\narchive_timeout = 1min\n" },
  { rule: 'archive-mode-on-standby', fires: 'archive_mode = on\n', quiet: 'archive_mode = always\n', extra: { '/d/standby.signal': '' }, quietExtra: { '/d/standby.signal': '' } },
  { rule: 'duplicate-setting', fires: 'work_mem = 1MB\nWork_Mem = 2MB\n', quiet: 'work_mem = 1MB\n' },
  { rule: 'backslash-in-string', fires: "archive_command = 'copy \"%p\" \"C:\\new\\%f\"'\n", quiet: "archive_command = 'copy \"%p\" \"C:\\\\new\\\\%f\"'\n" },
  { rule: 'octal-integer', fires: 'archive_timeout = 060\n', quiet: 'archive_timeout = 60\n' },
  { rule: 'custom-parameter-typo', fires: 'pg_stat_statements.maxx = 5\n', quiet: 'pg_stat_statements.max = 5\n' },
  { rule: 'removed-parameter', fires: 'wal_keep_segments = 8\n', quiet: "wal_keep_size = '128MB'\n" },
  { rule: 'restart-required', fires: 'wal_level = replica\n', quiet: "archive_command = 'x %p %f'\n" },
  { rule: 'recovery-settings-on-old-version', major: 11, fires: "restore_command = 'cp /a/%f %p'\n", quiet: 'work_mem = 4MB\n' },
  { rule: 'recovery-conf-present', fires: 'work_mem = 4MB\n', quiet: 'work_mem = 4MB\n', extra: { '/d/recovery.conf': "restore_command = 'x'\n" } },
  { rule: 'multiple-recovery-targets', fires: "recovery_target_name = 'a'\nrecovery_target_lsn = '0/1'\n", quiet: "recovery_target_name = 'a'\n" },
  { rule: 'recovery-target-value', fires: "recovery_target = 'Immediate'\n", quiet: "recovery_target = 'immediate'\n" },
  { rule: 'recovery-target-time-invalid', fires: "recovery_target_time = 'yesterday'\n", quiet: "recovery_target_time = '2024-01-01 10:00:00+00'\n" },
  { rule: 'recovery-target-time-no-timezone', fires: "recovery_target_time = '2024-01-01 10:00:00'\n", quiet: "recovery_target_time = '2024-01-01 10:00:00+02'\n" },
  { rule: 'recovery-target-time-abbreviation', fires: "recovery_target_time = '2024-01-01 10:00:00 EST'\n", quiet: "recovery_target_time = '2024-01-01 10:00:00 America/New_York'\n" },
  { rule: 'recovery-target-timeline-value', fires: "recovery_target_timeline = 'Latest'\n", quiet: "recovery_target_timeline = 'latest'\n" },
  { rule: 'recovery-target-name-too-long', fires: `recovery_target_name = '${'x'.repeat(64)}'\n`, quiet: `recovery_target_name = '${'x'.repeat(63)}'\n` },
  { rule: 'recovery-target-lsn-format', fires: "recovery_target_lsn = '0/ZZ'\n", quiet: "recovery_target_lsn = '0/3000060'\n" },
  { rule: 'recovery-target-xid-format', fires: "recovery_target_xid = 'abc'\n", quiet: "recovery_target_xid = '1234'\n" },
  { rule: 'recovery-target-inclusive-no-effect', fires: "recovery_target_name = 'a'\nrecovery_target_inclusive = off\n", quiet: "recovery_target_xid = '5'\nrecovery_target_inclusive = off\n" },
  { rule: 'recovery-pause-without-hot-standby', fires: "recovery_target_xid = '5'\nhot_standby = off\n", quiet: "recovery_target_xid = '5'\nhot_standby = off\nrecovery_target_action = 'promote'\n" },
  { rule: 'recovery-action-shutdown', fires: "recovery_target_action = 'shutdown'\n", quiet: "recovery_target_action = 'promote'\n" },
  { rule: 'recovery-target-on-standby', fires: "recovery_target_xid = '5'\n", quiet: "primary_conninfo = 'host=p'\n", extra: { '/d/standby.signal': '' }, quietExtra: { '/d/standby.signal': '' } },
  { rule: 'stale-recovery-settings', fires: "recovery_target_xid = '5'\n", quiet: "recovery_target_xid = '5'\nrestore_command = 'cp /a/%f %p'\n", quietExtra: { '/d/recovery.signal': '' } },
  { rule: 'restore-command-missing', fires: 'work_mem = 4MB\n', quiet: "restore_command = 'cp /a/%f %p'\n", extra: { '/d/recovery.signal': '' } },
  { rule: 'archive-command-placeholders', fires: "archive_command = 'cp /a/x /b/'\n", quiet: "archive_command = '/usr/local/bin/archive %p %f'\n" },
  { rule: 'archive-command-no-overwrite-guard', fires: "archive_command = 'cp %p /mnt/a/%f'\n", quiet: "archive_command = 'test ! -f /mnt/a/%f && cp %p /mnt/a/%f'\n" },
  { rule: 'archive-command-guard-not-idempotent', fires: "archive_command = 'test ! -f /mnt/a/%f && cp %p /mnt/a/%f'\n", quiet: `archive_command = '${IDEMPOTENT}'\n` },
  { rule: 'archive-command-cp-i', fires: "archive_command = 'cp -i %p /mnt/a/%f </dev/null'\n", quiet: "archive_command = 'cp %p /mnt/a/%f'\n" },
  { rule: 'archive-command-not-durable', fires: "archive_command = 'test ! -f /mnt/a/%f && cp %p /mnt/a/%f'\n", quiet: "archive_command = 'test ! -f /mnt/a/%f && cp %p /mnt/a/%f && sync /mnt/a/%f'\n" },
  { rule: 'archive-command-always-succeeds', fires: "archive_command = 'cp %p /mnt/a/%f || true'\n", quiet: "archive_command = 'cp %p /mnt/a/%f'\n" },
  { rule: 'archive-command-pipeline-status', fires: "archive_command = 'gzip < %p | aws s3 cp - s3://b/%f.gz'\n", quiet: "archive_command = 'aws s3 cp %p s3://b/%f'\n" },
  { rule: 'archive-command-hardcoded-wal-dir', fires: "archive_command = 'cp pg_xlog/%f /mnt/a/%f'\n", quiet: "archive_command = 'cp pg_wal/%f /mnt/a/%f'\n" },
  { rule: 'archive-command-changes-directory', fires: "archive_command = 'cd /mnt/a && cp %p %f'\n", quiet: "archive_command = 'cp %p /mnt/a/%f'\n" },
  { rule: 'archive-destination-in-data-dir', fires: "archive_command = 'cp %p archive/%f'\n", quiet: "archive_command = 'cp %p /mnt/a/%f'\n" },
  { rule: 'restore-command-placeholders', fires: "restore_command = 'cp /mnt/a/%f pg_wal/'\n", quiet: "restore_command = 'cp /mnt/a/%f %p'\n" },
  { rule: 'restore-command-always-succeeds', fires: "restore_command = 'cp /mnt/a/%f %p || true'\n", quiet: "restore_command = 'cp /mnt/a/%f %p'\n" },
  { rule: 'archive-cleanup-command-placeholders', fires: "archive_cleanup_command = 'pg_archivecleanup /mnt/a'\n", quiet: "archive_cleanup_command = 'pg_archivecleanup /mnt/a %r'\n" },
  { rule: 'syntax-error', fires: 'archive_command = cp %p /a/%f\n', quiet: "archive_command = 'cp %p /a/%f'\n" },
  { rule: 'unknown-parameter', fires: 'wal_levl = replica\n', quiet: 'wal_level = replica\n' },
  { rule: 'invalid-value', fires: 'work_mem = 64mb\n', quiet: 'work_mem = 64MB\n' },
  { rule: 'include-error', fires: "include 'missing.conf'\n", quiet: "include_if_exists 'missing.conf'\n" },
  { rule: 'internal-parameter', fires: 'wal_segment_size = 32MB\n', quiet: 'max_wal_size = 1GB\n' },
];

describe('lint rules: firing and quiet', () => {
  for (const c of CASES) {
    it(`${c.rule} (PostgreSQL ${c.major ?? 18})`, () => {
      const fired = lint(c.fires, c.major, c.extra);
      assert.ok(ids(fired).includes(c.rule), `${c.rule} should fire on ${JSON.stringify(c.fires)}; got ${JSON.stringify(ids(fired))}`);
      const quiet = lint(c.quiet, c.major, c.quietExtra ?? {});
      assert.ok(!ids(quiet).includes(c.rule), `${c.rule} should stay quiet on ${JSON.stringify(c.quiet)}; got ${JSON.stringify(quiet.filter((f) => f.rule === c.rule).map((f) => f.message))}`);
    });
  }

  it('every rule in the registry has a firing case here', () => {
    const covered = new Set(CASES.map((c) => c.rule));
    for (const r of RULES) assert.ok(covered.has(r.id), `no test case for ${r.id}`);
  });

  it('reports the exact range, severity, message and fix of a finding', () => {
    const [f] = lint('wal_level = minimal\nmax_wal_senders = 0\narchive_mode = on\n').filter((x) => x.rule === 'wal-level-minimal-archive');
    assert.deepEqual(f.range, { start: { line: 0, character: 12 }, end: { line: 0, character: 19 } });
    assert.equal(f.severity, 'error');
    assert.equal(f.message, 'The server will not start: "WAL archival cannot be enabled when "wal_level" is "minimal"". archive_mode is on, and minimal WAL cannot rebuild data from a base backup. Set wal_level = replica.');
    assert.deepEqual(f.fix?.edits, [{ file: '/d/postgresql.conf', range: { start: { line: 0, character: 12 }, end: { line: 0, character: 19 } }, newText: "'replica'" }]);
    assert.equal(f.docUrl, 'https://www.postgresql.org/docs/18/runtime-config-wal.html#GUC-WAL-LEVEL');
  });

  it('pgtune "desktop" output loses PITR at once', () => {
    const found = ids(lint('wal_level = minimal\nmax_wal_senders = 0\n', 16));
    assert.deepEqual(found.filter((r) => r.startsWith('wal-level')), ['wal-level-minimal']);
  });

  it('a removed parameter gets its replacement instead of a bare unknown-parameter', () => {
    const found = lint('wal_keep_segments = 8\n', 13);
    assert.deepEqual(ids(found), ['removed-parameter']);
    assert.equal(found[0].fix?.edits[0].newText, "wal_keep_size = '128MB'");
    assert.deepEqual(ids(lint('wal_keep_segments = 8\n', 12)), []);
  });
});

describe('no false alarms', () => {
  for (const major of SUPPORTED_MAJORS) {
    it(`postgresql.conf.sample of ${major} has no error and no warning`, function () {
      const sample = path.resolve(__dirname, `../../../node_modules/pg${major}/native/share/postgresql/postgresql.conf.sample`);
      if (!fs.existsSync(sample)) {
        if (process.env.CI === 'true') throw new Error(`missing ${sample}: install the devDependency pg${major}`);
        console.error(`SKIPPED: ${sample} missing (devDependency pg${major} not installed)`);
        this.skip();
      }
      const bad = lint(fs.readFileSync(sample, 'utf8'), major, {}, false).filter((f) => f.severity !== 'information');
      assert.deepEqual(bad.map((f) => `${f.rule}: ${f.message}`), []);
    });
  }

  it('a correct PITR setup (durable, idempotent guard) has no error and no warning', () => {
    const conf = [
      'wal_level = replica',
      'archive_mode = on',
      `archive_command = '${IDEMPOTENT}'`,
      "archive_timeout = '5min'",
      'max_wal_senders = 10',
      '',
    ].join('\n');
    for (const major of SUPPORTED_MAJORS) {
      const bad = lint(conf, major).filter((f) => f.severity !== 'information');
      assert.deepEqual(bad.map((f) => `${major} ${f.rule}: ${f.message}`), []);
    }
  });
});
