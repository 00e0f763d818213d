// The drill's file-level steps on temporary folders: the scratch folder's refusals and free-space
// message, what a backup folder is, backup_label and pg_control, production's settings taken out
// of a copy and the drill's own block, tablespace_map rewritten into the scratch folder, the
// history file.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { labelStartMs, parseBackupLabel, readSystemIdentifier } from '../../../src/core/drill/backupLabel';
import { describeFolderBackup } from '../../../src/core/drill/backupSource';
import {
  drillSettings,
  neutraliseCopy,
  validateUserSettings,
  writeDrillSettings,
} from '../../../src/core/drill/copySettings';
import {
  appendDrillRecord,
  defaultHistoryFile,
  parseDrillHistory,
  readDrillHistory,
} from '../../../src/core/drill/drillHistory';
import { rewriteTablespaceMap } from '../../../src/core/drill/restoreBackup';
import { resolveRunUser } from '../../../src/core/drill/runAsUser';
import { checkFreeSpace, type Scratch, validateScratch } from '../../../src/core/drill/scratchFolder';
import { DrillError, type DrillReport } from '../../../src/core/drill/types';

const me = { ...resolveRunUserSafe(), switchTo: false };
function resolveRunUserSafe() {
  const u = os.userInfo();
  return { name: u.username, uid: u.uid, gid: u.gid, home: u.homedir };
}

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof DrillError, String(e));
    assert.equal(e.kind, 'refused');
    return e.message;
  }
  assert.fail('not refused');
}

describe('drill: scratch folder, backup folder, copy settings, history', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-drill-unit-')));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const scratchAt = (root: string): Scratch => ({
    root,
    created: true,
    dataDir: path.join(root, 'data'),
    tablespaceDir: path.join(root, 'tablespaces'),
    socketDir: path.join(root, 'socket'),
    socketDirOutside: false,
    logFile: path.join(root, 'server.log'),
  });

  it('scratch: refused inside a data directory (any depth), when not empty, inside the backup; a new folder is fine', () => {
    fs.mkdirSync(path.join(dir, 'pgdata', 'base'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'pgdata', 'PG_VERSION'), '16\n');
    assert.equal(
      refusal(() => validateScratch(path.join(dir, 'pgdata', 'base', 'x'), [])),
      `the scratch folder ${dir}/pgdata/base/x is inside the data directory ${dir}/pgdata (it holds PG_VERSION): ` +
        `a drill never writes into a data directory; choose a folder outside it`,
    );
    fs.mkdirSync(path.join(dir, 'full'));
    fs.writeFileSync(path.join(dir, 'full', 'a'), '');
    assert.match(
      refusal(() => validateScratch(path.join(dir, 'full'), [])),
      /is not empty \(a\): give a new or empty folder/,
    );
    assert.match(
      refusal(() =>
        validateScratch(path.join(dir, 'arch', 's'), [{ what: 'the archive', path: path.join(dir, 'arch') }]),
      ),
      /is inside the archive .*\/arch: a drill only reads it/,
    );
    validateScratch(path.join(dir, 'new'), []);
    assert.match(
      refusal(() => resolveRunUser(process.getuid?.() === 0 ? undefined : 'someone-else')),
      /refuses to run as root|only root can run the server as another user/,
    );
  });

  it('free space: the message says what is free and what is needed', () => {
    assert.equal(
      refusal(() => checkFreeSpace('/mnt/small/scratch', 100 * 1048576, 50 * 1048576)),
      'not enough free space for the scratch copy in /mnt/small/scratch: 50.0 MB free, about 1.2 GB needed ' +
        "(the backup's 100.0 MB, a margin, and up to 1 GB of restored WAL the server keeps in pg_wal while it " +
        'replays); free some space or give --scratch on a larger file system',
    );
    checkFreeSpace('/x', 100 * 1048576, 1200 * 1048576);
  });

  it('backup folder: plain, tar (with its compression), a data directory without backup_label, neither', () => {
    fs.mkdirSync(path.join(dir, 'plain'));
    fs.writeFileSync(path.join(dir, 'plain', 'PG_VERSION'), '15\n');
    fs.writeFileSync(
      path.join(dir, 'plain', 'backup_label'),
      'START WAL LOCATION: 0/2000028 (file 000000010000000000000002)\n',
    );
    assert.deepEqual(describeFolderBackup(path.join(dir, 'plain')), {
      format: 'plain',
      dir: path.join(dir, 'plain'),
      bytes: 3 + 62,
    });
    fs.rmSync(path.join(dir, 'plain', 'backup_label'));
    assert.match(
      refusal(() => describeFolderBackup(path.join(dir, 'plain'))),
      /holds PG_VERSION but no backup_label: it is a data directory, not a base backup/,
    );
    fs.mkdirSync(path.join(dir, 'tar'));
    fs.writeFileSync(path.join(dir, 'tar', 'base.tar.zst'), Buffer.alloc(1000));
    fs.writeFileSync(path.join(dir, 'tar', 'pg_wal.tar'), Buffer.alloc(512));
    fs.writeFileSync(path.join(dir, 'tar', '16384.tar.zst'), Buffer.alloc(100));
    const t = describeFolderBackup(path.join(dir, 'tar'));
    assert.deepEqual(t, {
      format: 'tar',
      dir: path.join(dir, 'tar'),
      bytes: 4000 + 512 + 400,
      bytesEstimated: true,
      base: { file: 'base.tar.zst', compression: 'zstd' },
      wal: { file: 'pg_wal.tar', compression: 'none' },
      tablespaces: [{ oid: '16384', tar: { file: '16384.tar.zst', compression: 'zstd' } }],
    });
    fs.mkdirSync(path.join(dir, 'none'));
    assert.match(
      refusal(() => describeFolderBackup(path.join(dir, 'none'))),
      /is not a base backup: no PG_VERSION and backup_label/,
    );
  });

  it('backup_label of 10 (no START TIMELINE) and 16; pg_control system identifier', () => {
    const l10 = parseBackupLabel(
      'START WAL LOCATION: 0/2000028 (file 000000030000000000000002)\nCHECKPOINT LOCATION: 0/2000060\nBACKUP ' +
        'METHOD: streamed\nBACKUP FROM: master\nSTART TIME: 2026-12-01 11:52:43 UTC\nLABEL: nightly\n',
    );
    assert.deepEqual(l10, {
      startLsn: '0/2000028',
      startWal: '000000030000000000000002',
      checkpointLsn: '0/2000060',
      startTime: '2026-12-01 11:52:43 UTC',
      label: 'nightly',
      timeline: 3,
    });
    assert.equal(
      parseBackupLabel('START WAL LOCATION: 0/700028 (file 000000010000000000000007)\nSTART TIMELINE: 1\n').timeline,
      1,
    );
    assert.equal(labelStartMs('2026-12-01 11:52:43 UTC'), Date.parse('2026-12-01T11:52:43Z'));
    assert.equal(labelStartMs('2026-12-01 11:52:43 CET'), null);
    fs.mkdirSync(path.join(dir, 'global'));
    const ctl = Buffer.alloc(8192);
    ctl.writeBigUInt64LE(7714301105174730853n, 0);
    fs.writeFileSync(path.join(dir, 'global', 'pg_control'), ctl);
    assert.equal(readSystemIdentifier(dir), '7714301105174730853');
  });

  it('neutraliseCopy: standby.signal removed, production settings commented out in the copy, a missing postgresql.conf given', () => {
    const data = path.join(dir, 'data');
    fs.mkdirSync(data);
    fs.writeFileSync(path.join(data, 'PG_VERSION'), '16\n');
    fs.writeFileSync(path.join(data, 'standby.signal'), '');
    fs.writeFileSync(
      path.join(data, 'postgresql.auto.conf'),
      "# Do not edit\nwork_mem = '8MB'\nprimary_conninfo = 'host=db1 user=rep'\nprimary_slot_name = 's1'\narchive_cleanup_command " +
        "= 'pg_archivecleanup /mnt/wal %r'\n",
    );
    const notes = neutraliseCopy(data, me);
    assert.equal(fs.existsSync(path.join(data, 'standby.signal')), false);
    assert.equal(
      fs.readFileSync(path.join(data, 'postgresql.auto.conf'), 'utf8'),
      "# Do not edit\nwork_mem = '8MB'\n# neutralised by pg-pitr drill: primary_conninfo = 'host=db1 " +
        "user=rep'\n# neutralised by pg-pitr drill: primary_slot_name = 's1'\n# neutralised by pg-pitr drill: " +
        "archive_cleanup_command = 'pg_archivecleanup /mnt/wal %r'\n",
    );
    assert.match(
      fs.readFileSync(path.join(data, 'postgresql.conf'), 'utf8'),
      /^# written by pg-pitr drill: the backup had no postgresql.conf/,
    );
    assert.deepEqual(notes.slice(0, 2), [
      'the backup has no postgresql.conf: the copy got an empty one (its settings are PostgreSQL defaults plus postgresql.auto.conf)',
      'standby.signal removed (a -R backup): the copy recovers from the archive and never follows the primary',
    ]);
    assert.equal(
      notes[2],
      'postgresql.auto.conf line 3: primary_conninfo commented out (the copy must never connect to the primary)',
    );
  });

  it('the drill block: Unix socket only, own pg_hba.conf, the recovery commands emptied on 12+ only; --set may not touch them', () => {
    const s = scratchAt(dir);
    fs.mkdirSync(s.dataDir);
    fs.writeFileSync(path.join(s.dataDir, 'postgresql.auto.conf'), "work_mem = '8MB'");
    writeDrillSettings(16, s, 5999, me, [['shared_buffers', '64MB']]);
    const auto = fs.readFileSync(path.join(s.dataDir, 'postgresql.auto.conf'), 'utf8');
    assert.match(
      auto,
      /^work_mem = '8MB'\n# pg-pitr drill settings begin \(a scratch copy: Unix socket only, production's links taken out\)\nlisten_addresses = ''\nport = '5999'\n/,
    );
    assert.match(
      auto,
      /\nprimary_conninfo = ''\nprimary_slot_name = ''\narchive_cleanup_command = ''\nrecovery_end_command = ''\nrecovery_min_apply_delay = '0'\nshared_buffers = '64MB'\n# pg-pitr drill settings end\n$/,
    );
    assert.equal(
      fs.readFileSync(path.join(dir, 'pg_hba.drill.conf'), 'utf8'),
      '# pg-pitr drill: local connections only, through the socket in this private folder\nlocal all all trust\n',
    );
    const names11 = drillSettings(11, s, 1).map(([n]) => n);
    assert.ok(!names11.includes('primary_conninfo') && names11.includes('stats_temp_directory'));
    assert.ok(!drillSettings(16, s, 1).some(([n]) => n === 'stats_temp_directory' || n === 'promote_trigger_file'));
    assert.equal(
      validateUserSettings([['listen_addresses', '*']]),
      '--set listen_addresses: the drill sets listen_addresses itself (to keep the copy away from production, or from the target options)',
    );
    assert.equal(validateUserSettings([['bad name', 'x']]), '--set bad name=...: "bad name" is not a parameter name');
    assert.equal(validateUserSettings([['shared_preload_libraries', '']]), null);
  });

  it('tablespace_map: every line points into the scratch folder; a tablespace not restored is refused', () => {
    const s = scratchAt(dir);
    fs.mkdirSync(s.dataDir);
    fs.mkdirSync(path.join(s.tablespaceDir, '16384'), { recursive: true });
    fs.writeFileSync(path.join(s.dataDir, 'tablespace_map'), '16384 /srv/prod/ts1\n');
    assert.deepEqual(rewriteTablespaceMap(s, me), [`tablespace_map rewritten to point into ${s.tablespaceDir}`]);
    assert.equal(fs.readFileSync(path.join(s.dataDir, 'tablespace_map'), 'utf8'), `16384 ${s.tablespaceDir}/16384\n`);
    fs.writeFileSync(path.join(s.dataDir, 'tablespace_map'), '16390 /srv/prod/ts2\n');
    assert.equal(
      refusal(() => rewriteTablespaceMap(s, me)),
      'tablespace 16390 (/srv/prod/ts2) is listed in tablespace_map but was not in the backup: the copy would use /srv/prod/ts2 itself',
    );
  });

  it('history: $XDG_STATE_HOME/pg-pitr/drills.jsonl, else ~/.local/state; newest first; junk lines skipped', () => {
    assert.equal(defaultHistoryFile({ XDG_STATE_HOME: '/xdg' }, '/home/u'), '/xdg/pg-pitr/drills.jsonl');
    assert.equal(
      defaultHistoryFile({ XDG_STATE_HOME: 'relative' }, '/home/u'),
      '/home/u/.local/state/pg-pitr/drills.jsonl',
    );
    const file = path.join(dir, 'state', 'pg-pitr', 'drills.jsonl');
    const rec = (at: string, ok: boolean) =>
      ({
        startedAt: at,
        ok,
        backup: { path: '/b' },
        durations: { restoreSeconds: 1, replaySeconds: 2, checksSeconds: 0, totalSeconds: 4 },
      }) as unknown as DrillReport;
    appendDrillRecord(file, rec('2026-12-01T10:00:00Z', true));
    fs.appendFileSync(file, 'not json\n{"startedAt": 1}\n');
    appendDrillRecord(file, rec('2026-12-01T12:00:00Z', false));
    const h = readDrillHistory(file);
    assert.deepEqual(
      [h.records.map((r) => r.startedAt), h.skipped, h.error],
      [['2026-12-01T12:00:00Z', '2026-12-01T10:00:00Z'], 2, null],
    );
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(readDrillHistory(path.join(dir, 'absent.jsonl')), { records: [], skipped: 0, error: null });
    assert.deepEqual(parseDrillHistory('').records, []);
  });
});
