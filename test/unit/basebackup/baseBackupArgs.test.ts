import { strict as assert } from 'node:assert';
import * as path from 'node:path';

import {
  type BaseBackupOptions,
  baseBackupPreflight,
  buildBaseBackupCommand,
  parseMaxRate,
  parsePgBasebackupVersion,
  shellQuoteForDisplay,
  walSendersInUseQuery,
} from '../../../src/core/basebackup/baseBackupArgs';

const conn = { host: 'db.example', port: 5433, user: 'backup' };
const CONN_ARGS = ['--host', 'db.example', '--port', '5433', '--username', 'backup'];

function opts(over: Partial<BaseBackupOptions> = {}): BaseBackupOptions {
  return {
    conn,
    targetDir: '/backups/new',
    format: 'tar',
    walMethod: 'stream',
    writeRecoveryConf: false,
    checkpoint: 'fast',
    progress: true,
    serverMajor: 16,
    clientMajor: 16,
    ...over,
  };
}

describe('pg_basebackup command', () => {
  it('is an argument list with every option, for a 16 client', () => {
    const c = buildBaseBackupCommand(
      opts({
        compression: 'zstd',
        compressionLevel: 5,
        label: "nightly 'full'",
        maxRate: '20M',
        manifestChecksums: 'SHA256',
        pgBinDir: '/usr/lib/postgresql/16/bin',
      }),
    );
    assert.equal(c.file, path.join('/usr/lib/postgresql/16/bin', 'pg_basebackup'));
    assert.deepEqual(c.args, [
      ...CONN_ARGS,
      '--pgdata',
      '/backups/new',
      '--format',
      'tar',
      '--compress=zstd:5',
      '--wal-method',
      'stream',
      '--checkpoint',
      'fast',
      '--label',
      "nightly 'full'",
      '--max-rate',
      '20M',
      '--manifest-checksums',
      'SHA256',
      '--progress',
    ]);
    assert.deepEqual(c.env, {});
    assert.deepEqual(c.warnings, []);
  });

  it('never carries a password, not even from the environment', () => {
    const old = process.env.PGPASSWORD;
    process.env.PGPASSWORD = 's3cret';
    try {
      const c = buildBaseBackupCommand(opts());
      assert.ok(!JSON.stringify(c).includes('s3cret'));
      assert.ok(!('PGPASSWORD' in c.env));
    } finally {
      if (old === undefined) delete process.env.PGPASSWORD;
      else process.env.PGPASSWORD = old;
    }
  });

  it('compression syntax by client major: -Z level / -z before 15, METHOD[:LEVEL] from 15', () => {
    const compress = (
      clientMajor: number,
      compression: BaseBackupOptions['compression'],
      compressionLevel?: number,
    ) => {
      const c = buildBaseBackupCommand(opts({ clientMajor, serverMajor: 10, compression, compressionLevel }));
      const from = c.args.indexOf('tar') + 1;
      return { args: c.args.slice(from, c.args.indexOf('--wal-method')), warnings: c.warnings };
    };
    assert.deepEqual(compress(14, 'gzip'), { args: ['--gzip'], warnings: [] });
    assert.deepEqual(compress(10, 'gzip', 9), { args: ['--compress', '9'], warnings: [] });
    assert.deepEqual(compress(15, 'gzip'), { args: ['--compress=gzip'], warnings: [] });
    assert.deepEqual(compress(18, 'gzip', 1), { args: ['--compress=gzip:1'], warnings: [] });
    assert.deepEqual(compress(15, 'lz4', 12), { args: ['--compress=lz4:12'], warnings: [] });
    assert.deepEqual(compress(17, 'none'), { args: [], warnings: [] });
    assert.deepEqual(compress(14, 'lz4'), {
      args: ['--gzip'],
      warnings: ['lz4 compression needs pg_basebackup 15 or newer (this one is 14): gzip is used instead'],
    });
    assert.deepEqual(compress(13, 'zstd', 3), {
      args: ['--compress', '3'],
      warnings: ['zstd compression needs pg_basebackup 15 or newer (this one is 13): gzip is used instead'],
    });
    assert.deepEqual(compress(16, 'gzip', 10), {
      args: ['--compress=gzip'],
      warnings: ['gzip compression level 10 is outside 1-9: the default level is used'],
    });
    assert.deepEqual(compress(16, 'zstd', 22), { args: ['--compress=zstd:22'], warnings: [] });
    assert.deepEqual(compress(16, 'lz4', 0), {
      args: ['--compress=lz4'],
      warnings: ['lz4 compression level 0 is outside 1-12: the default level is used'],
    });
  });

  it('plain format is never compressed (15+ refuse it: "only tar mode backups can be compressed")', () => {
    const c = buildBaseBackupCommand(opts({ format: 'plain', compression: 'gzip' }));
    assert.deepEqual(c.args.slice(6, 12), ['--pgdata', '/backups/new', '--format', 'plain', '--wal-method', 'stream']);
    assert.deepEqual(c.warnings, [
      'compression applies to the tar format only: the plain-format backup is not compressed (gzip ignored)',
    ]);
  });

  it('manifest checksums only when client and server are 13+', () => {
    assert.ok(
      buildBaseBackupCommand(opts({ clientMajor: 13, serverMajor: 13, manifestChecksums: 'CRC32C' })).args.includes(
        '--manifest-checksums',
      ),
    );
    const oldClient = buildBaseBackupCommand(opts({ clientMajor: 12, serverMajor: 12, manifestChecksums: 'CRC32C' }));
    assert.ok(!oldClient.args.includes('--manifest-checksums'));
    assert.deepEqual(oldClient.warnings, [
      '--manifest-checksums needs pg_basebackup 13 or newer (this one is 12): no manifest is written',
    ]);
    const oldServer = buildBaseBackupCommand(opts({ clientMajor: 16, serverMajor: 12, manifestChecksums: 'SHA512' }));
    assert.ok(!oldServer.args.includes('--manifest-checksums'));
    assert.deepEqual(oldServer.warnings, [
      'PostgreSQL 12 writes no backup manifest (13+): --manifest-checksums not used',
    ]);
    assert.deepEqual(buildBaseBackupCommand(opts({ manifestChecksums: 'NONE' })).warnings, [
      'manifest checksums NONE: pg_verifybackup can then check only the presence and sizes of the files, not their contents',
    ]);
  });

  it('-R, WAL methods, spread checkpoint and no progress', () => {
    const c = buildBaseBackupCommand(
      opts({
        writeRecoveryConf: true,
        walMethod: 'fetch',
        checkpoint: 'spread',
        progress: false,
        serverMajor: 11,
        clientMajor: 11,
      }),
    );
    assert.deepEqual(c.args.slice(10), ['--wal-method', 'fetch', '--write-recovery-conf', '--checkpoint', 'spread']);
    assert.equal(c.warnings.length, 3);
    assert.match(c.warnings[0]!, /^-X fetch collects the WAL at the end of the backup/);
    assert.match(
      c.warnings[1]!,
      /^-R makes a restored copy start as a standby of this server \(recovery\.conf with standby_mode\)/,
    );
    assert.match(c.warnings[2]!, /^checkpoint spread: /);
    assert.match(
      buildBaseBackupCommand(opts({ writeRecoveryConf: true })).warnings[0]!,
      /\(standby\.signal and primary_conninfo in postgresql\.auto\.conf\)/,
    );
    assert.deepEqual(buildBaseBackupCommand(opts({ walMethod: 'none' })).warnings, [
      '-X none: the backup holds no WAL; restoring it needs the WAL archive from the backup start to its end (the backup history file names them).',
    ]);
  });

  it('the database goes into -d only where pg_basebackup uses it (17+ with -R)', () => {
    const withDb = (clientMajor: number, writeRecoveryConf: boolean) =>
      buildBaseBackupCommand(
        opts({ conn: { ...conn, database: "sales db's" }, clientMajor, serverMajor: clientMajor, writeRecoveryConf }),
      ).args.slice(6, 8);
    assert.deepEqual(withDb(17, true), ['--dbname', "dbname='sales db\\'s'"]);
    assert.deepEqual(withDb(16, true), ['--pgdata', '/backups/new']);
    assert.deepEqual(withDb(18, false), ['--pgdata', '/backups/new']);
  });

  it('a bad label, rate limit or level is dropped with a warning, never passed on', () => {
    const c = buildBaseBackupCommand(opts({ label: 'two\nlines', maxRate: '10', progress: false }));
    assert.deepEqual(c.args.slice(-4), ['--wal-method', 'stream', '--checkpoint', 'fast']);
    assert.deepEqual(c.warnings, [
      'the label contains a line break or control character (backup_label holds it on one line): label not used',
      'rate limit "10" is outside pg_basebackup\'s range 32k to 1024M: no rate limit',
    ]);
    assert.deepEqual(buildBaseBackupCommand(opts({ maxRate: 'fast' })).warnings, [
      'rate limit "fast" is not a number of kB/s with an optional unit k or M (e.g. 500k, 20M): no rate limit',
    ]);
    assert.deepEqual(buildBaseBackupCommand(opts({ label: 'x'.repeat(1024) })).warnings, [
      'the label is longer than 1023 bytes: label not used',
    ]);
    assert.deepEqual(buildBaseBackupCommand(opts({ label: '' })).args.includes('--label'), false);
  });

  it('warns when the client is older than the server', () => {
    assert.deepEqual(buildBaseBackupCommand(opts({ clientMajor: 15, serverMajor: 17 })).warnings, [
      'pg_basebackup 15 cannot back up a PostgreSQL 17 server: use pg_basebackup 17 or newer',
    ]);
  });

  it('--max-rate as pg_basebackup reads it (kB/s; k or M)', () => {
    assert.equal(parseMaxRate('32'), 32);
    assert.equal(parseMaxRate('500k'), 500);
    assert.equal(parseMaxRate('20M'), 20480);
    assert.equal(parseMaxRate(' 1.5M '), 1536);
    assert.equal(parseMaxRate('20G'), null);
    assert.equal(parseMaxRate('20m'), null);
    assert.equal(parseMaxRate(''), null);
  });
});

describe('pg_basebackup --version', () => {
  it('reads the major', () => {
    assert.equal(parsePgBasebackupVersion('pg_basebackup (PostgreSQL) 16.4'), 16);
    assert.equal(parsePgBasebackupVersion('pg_basebackup (PostgreSQL) 15.4 (Debian 15.4-1.pgdg120+1)\n'), 15);
    assert.equal(parsePgBasebackupVersion('pg_basebackup (PostgreSQL) 18beta1'), 18);
    assert.equal(parsePgBasebackupVersion('pg_basebackup (PostgreSQL) 19devel'), 19);
    assert.equal(parsePgBasebackupVersion('pg_basebackup (PostgreSQL) 10.23'), 10);
    assert.equal(parsePgBasebackupVersion('pg_basebackup (PostgreSQL) 9.6.24'), 9.6);
    assert.equal(parsePgBasebackupVersion('command not found'), null);
    assert.equal(parsePgBasebackupVersion(''), null);
    assert.equal(parsePgBasebackupVersion(undefined as unknown as string), null);
  });
});

describe('pg_basebackup preflight', () => {
  const base = {
    clientMajor: 16,
    serverMajor: 16,
    maxWalSenders: 10,
    walSendersInUse: 0,
    walMethod: 'stream' as const,
  };
  it('passes with room', () => {
    assert.deepEqual(baseBackupPreflight(base), { errors: [], warnings: [] });
  });
  it('no pg_basebackup, or one older than the server', () => {
    assert.deepEqual(baseBackupPreflight({ ...base, clientMajor: null }).errors, [
      'pg_basebackup was not found: install the PostgreSQL 16 client programs (or newer), or set the folder that holds them',
    ]);
    assert.deepEqual(baseBackupPreflight({ ...base, clientMajor: 15 }).errors, [
      'pg_basebackup 15 cannot back up a PostgreSQL 16 server (it stops with "incompatible server version"): use pg_basebackup 16 or newer',
    ]);
    assert.deepEqual(baseBackupPreflight({ ...base, clientMajor: 18 }).errors, []);
  });
  it('WAL senders: stream needs 2, fetch and none 1', () => {
    assert.deepEqual(baseBackupPreflight({ ...base, maxWalSenders: 3, walSendersInUse: 2 }).errors, [
      'max_wal_senders = 3 with 2 in use leaves 1 free: pg_basebackup -X stream needs 2 (one for the ' +
        'data, one for the WAL) ("number of requested standby connections exceeds max_wal_senders"); raise max_wal_senders ' +
        '(takes a restart) or wait for a WAL sender to end',
    ]);
    assert.deepEqual(baseBackupPreflight({ ...base, maxWalSenders: 3, walSendersInUse: 2, walMethod: 'fetch' }), {
      errors: [],
      warnings: [
        'max_wal_senders = 3 with 2 in use leaves exactly the 1 pg_basebackup needs: a standby reconnecting meanwhile would be refused',
      ],
    });
    assert.deepEqual(baseBackupPreflight({ ...base, maxWalSenders: 0, walMethod: 'none' }).errors, [
      'max_wal_senders is 0: pg_basebackup needs 1; raise max_wal_senders (takes a restart)',
    ]);
    assert.deepEqual(
      baseBackupPreflight({ ...base, maxWalSenders: 2, walSendersInUse: 5, walMethod: 'fetch' }).errors,
      [
        'max_wal_senders = 2 with 5 in use leaves 0 free: pg_basebackup needs 1 ("number of requested ' +
          'standby connections exceeds max_wal_senders"); raise max_wal_senders (takes a restart) or wait for a WAL sender to end',
      ],
    );
  });
  it('-X stream needs a free replication slot for its temporary slot', () => {
    assert.deepEqual(baseBackupPreflight({ ...base, maxReplicationSlots: 2, replicationSlotsInUse: 2 }).errors, [
      'max_replication_slots = 2 with 2 in use: pg_basebackup -X stream creates a temporary replication ' +
        'slot; raise max_replication_slots (takes a restart) or drop an unused slot',
    ]);
    assert.deepEqual(
      baseBackupPreflight({ ...base, maxReplicationSlots: 2, replicationSlotsInUse: 2, walMethod: 'fetch' }).errors,
      [],
    );
  });
  it('the query names its columns', () => {
    assert.match(walSendersInUseQuery, /count\(\*\) FROM pg_stat_replication\)::int AS wal_senders_in_use/);
    for (const col of ['max_wal_senders', 'replication_slots_in_use', 'max_replication_slots'])
      assert.ok(walSendersInUseQuery.includes(`AS ${col}`), col);
  });
});

describe('shell preview', () => {
  it('quotes what a POSIX shell would split or expand', () => {
    assert.equal(
      shellQuoteForDisplay(['pg_basebackup', '--label', "it's $HOME", '-D', '/a b/c', '--compress=zstd:5', '']),
      `pg_basebackup --label 'it'\\''s $HOME' -D '/a b/c' --compress=zstd:5 ''`,
    );
  });
});
