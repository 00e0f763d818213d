// Pure parts of the status collection: units, conninfo redaction, the live settings written as a
// postgresql.conf and linted. (The real-server side is test/integration/server/collectStatus.test.ts.)
import { strict as assert } from 'node:assert';

import { getCatalog } from '../../../src/core/catalog/catalogs';
import { readConfiguration } from '../../../src/core/conf/configReader';
import { memoryFileSystem } from '../../../src/core/conf/fileSystem';
import { lintLiveSettings, liveSettingsConfText } from '../../../src/core/server/liveSettingsConf';
import { redactConninfo } from '../../../src/core/server/redactConninfo';
import { settingBytes, settingFileValue } from '../../../src/core/server/settingUnits';
import { backlogSql, baseBackupsSql, isoTimeSql, slotsSql } from '../../../src/core/server/statusQueries';
import type { ServerSetting, ServerStatus } from '../../../src/core/server/types';

function setting(
  name: string,
  value: string,
  source = 'configuration file',
  unit: string | null = null,
): ServerSetting {
  return { name, setting: value, unit, source, sourcefile: null, sourceline: null };
}

function status(major: number, settings: ServerSetting[], over: Partial<ServerStatus> = {}): ServerStatus {
  return {
    collectedAt: '2026-11-24T19:00:00.000000+00:00',
    version: { major, num: major * 10000 + 1, text: `${major}.1` },
    inRecovery: false,
    settings: Object.fromEntries(settings.map((s) => [s.name, s])),
    dataDirectory: '/var/lib/postgresql/data',
    archiver: {
      archivedCount: 0,
      lastArchivedWal: null,
      lastArchivedTime: null,
      failedCount: 0,
      lastFailedWal: null,
      lastFailedTime: null,
      statsReset: null,
    },
    wal: {
      currentLsn: '0/1000000',
      currentWal: '000000010000000000000001',
      timeline: 1,
      receiveLsn: null,
      replayLsn: null,
      segmentSize: 16777216,
    },
    backlog: 0,
    oldestReady: null,
    slots: [],
    baseBackups: [],
    limitations: [],
    ...over,
  };
}

const ids = (s: ServerStatus) =>
  lintLiveSettings(s)
    .map((f) => f.id)
    .sort();

describe('settingUnits', () => {
  it('bytes of memory settings as pg_settings gives them', () => {
    assert.equal(settingBytes('2048', '8kB'), 16 * 1024 * 1024); // wal_segment_size on 10
    assert.equal(settingBytes('16777216', 'B'), 16 * 1024 * 1024); // 11+
    assert.equal(settingBytes('64', 'MB'), 64 * 1024 * 1024);
    assert.equal(settingBytes('60', 's'), null);
    assert.equal(settingBytes('on', null), null);
    assert.equal(settingBytes('', 'MB'), null);
  });
  it('file values: base unit times its multiplier, sentinels bare, strings untouched', () => {
    assert.equal(settingFileValue('16384', '8kB'), '131072kB');
    assert.equal(settingFileValue('1024', '16MB'), '16384MB');
    assert.equal(settingFileValue('60', 's'), '60s');
    assert.equal(settingFileValue('1', 'min'), '1min');
    assert.equal(settingFileValue('0.5', 'ms'), '0.5ms');
    assert.equal(settingFileValue('0', 's'), '0');
    assert.equal(settingFileValue('-1', 'MB'), '-1');
    assert.equal(settingFileValue('16777216', 'B'), '16777216');
    assert.equal(settingFileValue('cp %p /a/%f', null), 'cp %p /a/%f');
    assert.equal(settingFileValue('replica', null), 'replica');
  });
});

describe('redactConninfo', () => {
  it('masks passwords in key/value and URI forms, leaves the rest', () => {
    assert.equal(
      redactConninfo('host=a port=5432 user=r password=s3cret application_name=x'),
      "host=a port=5432 user=r password='********' application_name=x",
    );
    assert.equal(redactConninfo("host=a password = 'it\\'s a secret' user=r"), "host=a password = '********' user=r");
    assert.equal(redactConninfo("host=a password='a\\'b c' user=r"), "host=a password='********' user=r");
    assert.equal(redactConninfo('PASSWORD=x'), "PASSWORD='********'");
    assert.equal(
      redactConninfo('postgresql://rep:s3cret@h:5432/db?sslmode=require'),
      'postgresql://rep:********@h:5432/db?sslmode=require',
    );
    assert.equal(
      redactConninfo('postgres://h/db?user=r&password=s3cret&sslmode=require'),
      'postgres://h/db?user=r&password=********&sslmode=require',
    );
    assert.equal(redactConninfo('host=a user=r passfile=/p'), 'host=a user=r passfile=/p');
    assert.equal(redactConninfo(''), '');
    // PostgreSQL 13+ primary_conninfo may carry the client key's passphrase, and libpq decodes %XX in URI parameter names
    assert.equal(
      redactConninfo('host=p user=r sslpassword=KEYSECRET password=pw'),
      "host=p user=r sslpassword='********' password='********'",
    );
    assert.equal(redactConninfo("host=p sslpassword = 'k e y'"), "host=p sslpassword = '********'");
    assert.equal(
      redactConninfo('postgresql://r@p/db?sslpassword=KEYSECRET&sslmode=require'),
      'postgresql://r@p/db?sslpassword=********&sslmode=require',
    );
    assert.equal(redactConninfo('postgresql://r@p/db?%70assword=s3cret'), 'postgresql://r@p/db?%70assword=********');
    assert.equal(redactConninfo('host=p application_name=mypassword=x'), 'host=p application_name=mypassword=x');
  });

  it('masks URI passwords holding ? # / or & (issue 15, security 5)', () => {
    assert.equal(redactConninfo('postgresql://rep:p?ss#x@h/db'), 'postgresql://rep:********@h/db');
    assert.equal(
      redactConninfo('postgresql://rep:p#ss@h/db?sslmode=require'),
      'postgresql://rep:********@h/db?sslmode=require',
    );
    // not a password for libpq (a "/" before the "@"), but the text is one
    assert.equal(redactConninfo('postgresql://rep:pa/ss@h/db'), 'postgresql://rep:********@h/db');
    assert.equal(
      redactConninfo('postgresql://r@h/db?password=Se&cret&sslmode=require'),
      'postgresql://r@h/db?password=********&********&sslmode=require',
    );
    assert.equal(redactConninfo('postgresql://h/db?user=a?b'), 'postgresql://h/db?user=a?b');
  });
});

describe('statusQueries', () => {
  it('is version-aware', () => {
    assert.equal(backlogSql(11), null);
    assert.match(backlogSql(12)!, /pg_ls_archive_statusdir\(\)/);
    assert.equal(baseBackupsSql(12), null);
    assert.match(baseBackupsSql(13)!, /pg_stat_progress_basebackup/);
    assert.match(slotsSql(12, false), /NULL::text AS wal_status/);
    assert.match(slotsSql(13, false), /wal_status AS wal_status/);
    assert.match(slotsSql(13, false), /pg_current_wal_lsn\(\)/);
    assert.doesNotMatch(slotsSql(13, true), /pg_current_wal_lsn/);
    assert.equal(isoTimeSql('now()'), `to_char((now()) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')`);
  });
});

describe('liveSettingsConfText', () => {
  const s = status(10, [
    setting('archive_command', "cp %p '/mnt/it''s here'/%f", 'configuration file'),
    setting('archive_mode', 'on', 'command line'),
    setting('archive_timeout', '60', 'configuration file', 's'),
    setting('wal_level', 'replica', 'default'),
    setting('wal_segment_size', '2048', 'default', '8kB'),
    setting('data_directory', '/var/lib/postgresql/data', 'override'),
    setting('restore_command', 'C:\\new\tx', 'configuration file'),
  ]);

  it('writes what was set, with units and quoting PostgreSQL reads back to the same values', () => {
    const text = liveSettingsConfText(s);
    assert.equal(
      text,
      [
        '# settings of a running server (pg_settings), written by pg-pitr for its lint rules',
        "archive_command = 'cp %p ''/mnt/it''''s here''/%f'",
        "archive_mode = 'on'",
        "archive_timeout = '60s'",
        "restore_command = 'C:\\\\new\\tx'",
        '',
      ].join('\n'),
    );
    // the reader (PostgreSQL's lexer, ported) gives back exactly the live values
    const r = readConfiguration({
      configFile: '/d/postgresql.conf',
      dataDir: null,
      catalog: getCatalog(12),
      fs: memoryFileSystem({ '/d/postgresql.conf': text }),
      mode: 'startup',
    });
    const values = Object.fromEntries(r.items.filter((i) => i.name).map((i) => [i.name, i.value]));
    assert.deepEqual(values, {
      archive_command: "cp %p '/mnt/it''s here'/%f",
      archive_mode: 'on',
      archive_timeout: '60s',
      restore_command: 'C:\\new\tx',
    });
  });
});

describe('lintLiveSettings', () => {
  it('a correct archiving setup: nothing', () => {
    const s = status(16, [
      setting('archive_mode', 'on'),
      setting('archive_command', '/usr/local/bin/archive-wal %p %f'),
      setting('archive_timeout', '300', 'configuration file', 's'),
      setting('wal_level', 'replica', 'configuration file'),
    ]);
    assert.deepEqual(lintLiveSettings(s), []);
  });

  it('file-only findings are dropped: no restart-required for postmaster settings, no reader errors', () => {
    const s = status(18, [
      setting('wal_level', 'minimal'),
      setting('archive_mode', 'off'),
      setting('max_wal_senders', '0'),
      setting('archive_command', 'cp %p /x/%f'),
    ]);
    assert.deepEqual(ids(s), [
      'archive-command-no-overwrite-guard',
      'archive-command-not-durable',
      'archive-mode-off',
      'wal-level-minimal',
    ]);
  });

  it('an archive_command writing into the data directory is found with the live data_directory', () => {
    const s = status(14, [
      setting('archive_mode', 'on'),
      setting(
        'archive_command',
        'test ! -f /var/lib/postgresql/data/archive/%f && cp %p /var/lib/postgresql/data/archive/%f',
      ),
      setting('archive_timeout', '60', 'configuration file', 's'),
    ]);
    assert.ok(ids(s).includes('archive-destination-in-data-dir'), ids(s).join(' '));
    assert.ok(!ids({ ...s, dataDirectory: '/srv/pg' }).includes('archive-destination-in-data-dir'));
  });

  it('12+: a server in recovery is a standby (standby.signal) unless a target says targeted recovery', () => {
    const standby = status(
      15,
      [
        setting('archive_mode', 'on'),
        setting('archive_command', '/usr/local/bin/archive-wal %p %f'),
        setting('archive_timeout', '60', 'configuration file', 's'),
      ],
      { inRecovery: true },
    );
    assert.deepEqual(ids(standby), ['archive-mode-on-standby']);
    const targeted = status(
      15,
      [
        ...Object.values(standby.settings),
        setting('recovery_target_time', '2026-11-24 10:00:00+00'),
        setting('restore_command', 'cp /a/%f %p'),
      ],
      { inRecovery: true },
    );
    assert.deepEqual(ids(targeted), []);
    const primaryWithTarget = { ...targeted, inRecovery: false };
    assert.deepEqual(ids(primaryWithTarget), ['stale-recovery-settings']);
    // before 12 the data-directory rules do not apply
    assert.deepEqual(ids({ ...standby, version: { major: 11, num: 110022, text: '11.22' } }), []);
  });

  it('an unsupported major gives no findings rather than an error', () => {
    assert.deepEqual(lintLiveSettings(status(9, [setting('archive_mode', 'off')])), []);
  });
});
