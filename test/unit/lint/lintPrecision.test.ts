// Behaviour of the engine and rules on patterns seen in real configurations (issue 12): no
// cascades after syntax errors, Debian builds, hints, wording, and the quick fixes' values.
import { strict as assert } from 'node:assert';

import { getCatalog } from '../../../src/core/catalog/catalogs';
import { memoryFileSystem } from '../../../src/core/conf/fileSystem';
import { lintConfiguration } from '../../../src/core/lint/lintEngine';
import type { Finding } from '../../../src/core/lint/types';

function lint(
  conf: string,
  opts: {
    major?: number;
    file?: string;
    extra?: Record<string, string>;
    dataDir?: string | null;
    build?: 'vanilla' | 'debian';
  } = {},
): Finding[] {
  const file = opts.file ?? '/d/postgresql.conf';
  const files: Record<string, string> = { [file]: conf, ...(opts.extra ?? {}) };
  const dataDir = opts.dataDir === undefined ? '/d' : opts.dataDir;
  return lintConfiguration({
    configFile: file,
    dataDir,
    catalog: getCatalog(opts.major ?? 18),
    fs: memoryFileSystem(files),
    build: opts.build,
  });
}
const ids = (fs: Finding[]) => fs.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => f.rule);

describe('lint precision on real-world patterns', () => {
  it('a line with a syntax error silences the rules about the value it meant to set', () => {
    assert.deepEqual(ids(lint('archive_mode = on\narchive_command = cp %p /mnt/a/%f\n')), ['syntax-error']);
    assert.deepEqual(ids(lint("archive_mode = on off\narchive_command = '/usr/local/bin/archive %p %f'\n")), [
      'syntax-error',
    ]);
    // other settings are still checked
    assert.deepEqual(ids(lint('fsync = off\narchive_command = cp %p /mnt/a/%f\n')), ['fsync-off', 'syntax-error']);
    // an include that cannot be read leaves every setting it may hold unknown
    assert.deepEqual(ids(lint("archive_mode = on\ninclude 'archive.conf'\n")), ['include-error']);
  });

  it("Debian's extension_destdir: known in /etc/postgresql/N/main and with --build debian, unknown elsewhere", () => {
    const conf = "extension_destdir = '/tmp/ext'\n";
    assert.deepEqual(
      ids(lint(conf, { file: '/etc/postgresql/15/main/postgresql.conf', dataDir: null, major: 15 })),
      [],
    );
    assert.deepEqual(ids(lint(conf, { build: 'debian', major: 15 })), []);
    assert.deepEqual(ids(lint(conf, { major: 15 })), ['unknown-parameter']);
    assert.deepEqual(
      ids(lint(conf, { file: '/etc/postgresql/15/main/postgresql.conf', dataDir: null, major: 15, build: 'vanilla' })),
      ['unknown-parameter'],
    );
  });

  it('restart-required is a hint, not a warning or information', () => {
    const f = lint('wal_level = replica\n').filter((x) => x.rule === 'restart-required');
    assert.deepEqual(
      f.map((x) => x.severity),
      ['hint'],
    );
  });

  it('duplicate-setting inside postgresql.auto.conf does not speak of "this file"', () => {
    const auto = "archive_mode = 'on'\narchive_mode = 'on'\n";
    const [inAuto] = lint('', { extra: { '/d/postgresql.auto.conf': auto } }).filter(
      (x) => x.rule === 'duplicate-setting',
    );
    assert.equal(inAuto.message, 'archive_mode is set again at postgresql.auto.conf:2; this value ("on") is ignored.');
    const [acrossFiles] = lint('archive_mode = on\n', {
      extra: { '/d/postgresql.auto.conf': "archive_mode = 'on'\n" },
    }).filter((x) => x.rule === 'duplicate-setting');
    assert.match(acrossFiles.message, /overrides edits to this file/);
  });

  it('parameters removed before 10 name their replacement, and renames keep the value', () => {
    const [f] = lint("unix_socket_directory = '/tmp'\n", { major: 12 });
    assert.equal(f.rule, 'removed-parameter');
    assert.match(f.message, /renamed unix_socket_directories in 9\.3/);
    assert.equal(f.fix?.edits[0].newText, "unix_socket_directories = '/tmp'");
    assert.deepEqual(ids(lint('checkpoint_segments = 16\n', { major: 10 })), ['removed-parameter']);
  });

  it('octal-integer: permission masks are octal on purpose; a fix the server would refuse is not offered', () => {
    assert.deepEqual(ids(lint('unix_socket_permissions = 0777\nlog_file_mode = 0600\n')), []);
    const [f] = lint('commit_delay = 0200000\n').filter((x) => x.rule === 'octal-integer');
    assert.equal(f.fix, null); // 200000 is above commit_delay's maximum (100000)
    const [g] = lint('archive_timeout = 060\n').filter((x) => x.rule === 'octal-integer');
    assert.equal(g.fix?.edits[0].newText, "'60'");
  });

  it('recovery_target_time with a refused abbreviation: the server error explains it and offers the offset', () => {
    const [f] = lint("recovery_target_time = '2024-05-01 10:00:00 CEST'\n", { dataDir: null });
    assert.equal(f.rule, 'recovery-target-time-invalid');
    assert.match(
      f.message,
      /CEST is not a time zone name: PostgreSQL 18 reads recovery_target_time before its table of zone abbreviations is loaded/,
    );
    assert.equal(f.fix?.edits[0].newText, "'2024-05-01 10:00:00+02'");
    // ambiguous: no fix
    assert.equal(lint("recovery_target_time = '2024-05-01 10:00:00 IST'\n", { dataDir: null })[0].fix, null);
    // 10-11 recovery.conf reads abbreviations: no error there
    const rc = lintConfiguration({
      configFile: '/d/recovery.conf',
      dataDir: '/d',
      catalog: getCatalog(11),
      fs: memoryFileSystem({
        '/d/recovery.conf': "restore_command = 'cp /a/%f %p'\nrecovery_target_time = '2024-05-01 10:00:00 CEST'\n",
      }),
    });
    assert.deepEqual(ids(rc), []);
  });

  it('archive_command = /bin/true with archiving off is a deliberate no-op', () => {
    assert.deepEqual(ids(lint("archive_command = '/bin/true'\n")), []);
    assert.deepEqual(ids(lint("archive_mode = on\narchive_command = '/bin/true'\n")), [
      'archive-command-always-succeeds',
    ]);
  });

  it('a clone restoring another archive is not a restore/archive mismatch', () => {
    const conf =
      "archive_mode = on\narchive_command = 'wal-g wal-push %p'\nrestore_command = 'envdir /etc/wal-e.d/clone wal-e wal-fetch %f %p'\n";
    assert.deepEqual(ids(lint(conf)), ['restore-archive-mismatch']);
    assert.deepEqual(
      ids(lint(conf + "recovery_target_time = '2024-01-01 10:00:00+00'\n")).filter((r) => r.startsWith('restore')),
      [],
    );
  });

  it('recovery.conf on 10-11: several targets, a target on a standby, inclusive with immediate', () => {
    const rc = (text: string) =>
      lintConfiguration({
        configFile: '/d/recovery.conf',
        dataDir: '/d',
        catalog: getCatalog(10),
        fs: memoryFileSystem({ '/d/recovery.conf': text }),
      }).map((f) => [f.rule, f.severity, f.range.start.line]);
    assert.deepEqual(rc("restore_command = 'cp /a/%f %p'\nrecovery_target_xid = '5'\nrecovery_target_name = 'x'\n"), [
      ['multiple-recovery-targets', 'warning', 1],
    ]);
    assert.deepEqual(
      rc("standby_mode = on\nprimary_conninfo = 'host=p'\nrecovery_target_time = '2024-01-01 10:00:00+00'\n"),
      [['recovery-target-on-standby', 'warning', 2]],
    );
    assert.deepEqual(
      rc("restore_command = 'cp /a/%f %p'\nrecovery_target = 'immediate'\nrecovery_target_inclusive = off\n"),
      [['recovery-target-inclusive-no-effect', 'warning', 2]],
    );
  });

  it('an include missing from a copy in a repository is information; on the server host it is an error', () => {
    const conf = "include = '/etc/postgresql-custom/read-replica.conf'\n";
    const copy = lint(conf, { file: '/work/repo/ansible/files/postgresql.conf', dataDir: null });
    assert.deepEqual(
      copy.map((f) => [f.rule, f.severity, f.message]),
      [
        [
          'include-error',
          'information',
          '/etc/postgresql-custom/read-replica.conf is not on this machine, so the files it holds were ' +
            'not checked; the server refuses to start if it is missing where it runs (could not open configuration ' +
            'file "/etc/postgresql-custom/read-replica.conf": No such file or directory).',
        ],
      ],
    );
    assert.deepEqual(ids(lint(conf, { file: '/etc/postgresql/16/main/postgresql.conf', dataDir: null })), [
      'include-error',
    ]);
    assert.deepEqual(ids(lint(conf)), ['include-error']);
    // Debian's conf.d is created by the package where the server runs
    assert.deepEqual(
      ids(
        lint("include_dir = 'conf.d'\n", { file: '/work/repo/etc/postgresql/16/main/postgresql.conf', dataDir: null }),
      ),
      [],
    );
    // Patroni's postgresql.base.conf sits in the data directory, not beside a copy
    assert.deepEqual(
      ids(lint("include 'postgresql.base.conf'\n", { file: '/work/repo/postgresql.conf', dataDir: null })),
      [],
    );
  });

  it('a command that is still a template placeholder is not analysed', () => {
    assert.deepEqual(ids(lint("archive_mode = on\narchive_command = '{{ wal_g_path }} wal-push %p'\n")), []);
    assert.deepEqual(ids(lint("archive_mode = on\narchive_command = '<%= @archive_command %>'\n")), []);
  });

  it('never prints a secret it found', () => {
    const [f] = lint("archive_command = 'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI aws s3 cp %p s3://b/%f'\n").filter(
      (x) => x.rule === 'command-inline-credentials',
    );
    assert.equal(f.message.includes('wJalrXUtnFEMI'), false);
    assert.match(f.message, /^archive_command contains AWS_SECRET_ACCESS_KEY in clear text/);
  });
});
