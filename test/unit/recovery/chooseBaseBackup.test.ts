// The newest base backup that ends before the target; a recorded restore point is placed by its
// LSN (or time); refusals say where the reachable range starts.
import { strict as assert } from 'node:assert';

import type { BackupInfo } from '../../../src/core/archive/backupCatalog';
import { chooseBaseBackup } from '../../../src/core/recovery/chooseBaseBackup';

function backup(label: string, stopLsn: string | null, stopTime: string | null, timeline = 1): BackupInfo {
  return {
    label,
    timeline,
    startWal: null,
    stopWal: null,
    startLsn: null,
    stopLsn,
    startTime: null,
    stopTime,
    source: 'backup-history',
    key: `/archive/${label}`,
  };
}

// deliberately out of order
const BACKUPS = [
  backup('tuesday', '0/5000100', '2026-11-24T02:00:00.000Z'),
  backup('sunday', '0/2000100', '2026-11-22T02:00:00.000Z'),
  backup('monday', '0/3000100', '2026-11-23T02:00:00.000Z'),
  backup('after-failover', '0/7000100', '2026-11-24T06:00:00.000Z', 2),
];
const label = (r: ReturnType<typeof chooseBaseBackup>) => ('backup' in r ? r.backup.label : r.refused);

describe('chooseBaseBackup', () => {
  it('time targets: the newest backup that ended at or before the target', () => {
    assert.equal(label(chooseBaseBackup(BACKUPS, { kind: 'time', time: '2026-11-23 12:00:00+00' })), 'monday');
    assert.equal(label(chooseBaseBackup(BACKUPS, { kind: 'time', time: '2026-11-23 03:00:00+01' })), 'monday');
    assert.equal(label(chooseBaseBackup(BACKUPS, { kind: 'time', time: '2026-11-23 02:59:59+01' })), 'sunday');
    assert.equal(label(chooseBaseBackup(BACKUPS, { kind: 'time', time: '2026-11-30 00:00:00+00' })), 'after-failover');
    // a naive time in the confirmed zone: 03:00 in Paris is 02:00 UTC, when monday ended
    assert.equal(
      label(chooseBaseBackup(BACKUPS, { kind: 'time', time: '2026-11-23 03:00' }, { timeZone: 'Europe/Paris' })),
      'monday',
    );
    assert.equal(
      label(chooseBaseBackup(BACKUPS, { kind: 'time', time: '2026-11-23 02:59' }, { timeZone: 'Europe/Paris' })),
      'sunday',
    );
  });

  it('LSN targets by stop LSN (hex, not text order)', () => {
    assert.equal(label(chooseBaseBackup(BACKUPS, { kind: 'lsn', lsn: '0/4FFFFFF' })), 'monday');
    assert.equal(label(chooseBaseBackup(BACKUPS, { kind: 'lsn', lsn: '0/5000100' })), 'tuesday');
    assert.equal(label(chooseBaseBackup(BACKUPS, { kind: 'lsn', lsn: '1/0' })), 'after-failover');
  });

  it('a timeline restricts the choice', () => {
    assert.equal(label(chooseBaseBackup(BACKUPS, { kind: 'lsn', lsn: '1/0' }, { timeline: 1 })), 'tuesday');
    assert.equal(
      label(chooseBaseBackup(BACKUPS, { kind: 'latest' }, { timeline: 3 })),
      'no base backup on timeline 3 is known',
    );
  });

  it('immediate and latest: the newest backup', () => {
    assert.equal(label(chooseBaseBackup(BACKUPS, { kind: 'immediate' })), 'after-failover');
    assert.equal(label(chooseBaseBackup(BACKUPS, { kind: 'latest' }, { timeline: 1 })), 'tuesday');
  });

  it('named restore points recorded by pg-pitr: by their LSN, or their time when a backup has no LSN', () => {
    const restorePoints = [
      { name: 'before-migration', lsn: '0/3800000', time: '2026-11-23T10:00:00.000Z' },
      { name: 'old', lsn: '0/2100000', time: '2026-11-22T03:00:00.000Z' },
    ];
    assert.equal(
      label(chooseBaseBackup(BACKUPS, { kind: 'name', name: 'before-migration' }, { restorePoints })),
      'monday',
    );
    assert.equal(label(chooseBaseBackup(BACKUPS, { kind: 'name', name: 'old' }, { restorePoints })), 'sunday');
    const timeOnly = [backup('a', null, '2026-11-23T09:00:00.000Z'), backup('b', null, '2026-11-23T11:00:00.000Z')];
    assert.equal(label(chooseBaseBackup(timeOnly, { kind: 'name', name: 'before-migration' }, { restorePoints })), 'a');
    assert.equal(
      label(chooseBaseBackup(BACKUPS, { kind: 'name', name: 'unknown' }, { restorePoints })),
      'restore point "unknown" is not recorded by pg-pitr: choose the base backup by the time or LSN of the restore point',
    );
  });

  it('refuses a target before every backup, showing where the reachable range starts', () => {
    assert.equal(
      label(chooseBaseBackup(BACKUPS, { kind: 'time', time: '2026-11-21 00:00:00+00' })),
      'no base backup ends before 2026-11-21 00:00:00+00: the earliest, sunday ends at 0/2000100, 2026-11-22T02:00:00.000Z, ' +
        'so the reachable range starts at 0/2000100',
    );
    assert.equal(
      label(chooseBaseBackup(BACKUPS, { kind: 'lsn', lsn: '0/20000FF' })),
      'no base backup ends before 0/20000FF: the earliest, sunday ends at 0/2000100, 2026-11-22T02:00:00.000Z, so the reachable range starts at 0/2000100',
    );
    assert.equal(
      label(
        chooseBaseBackup(
          BACKUPS,
          { kind: 'name', name: 'rp' },
          { restorePoints: [{ name: 'rp', lsn: '0/1000000', time: '2026-11-20T00:00:00.000Z' }] },
        ),
      ),
      'no base backup ends before restore point "rp" (0/1000000, 2026-11-20T00:00:00.000Z): the earliest, ' +
        'sunday ends at 0/2000100, 2026-11-22T02:00:00.000Z, so the reachable range starts at 0/2000100',
    );
  });

  it('refuses what it cannot place or read', () => {
    assert.equal(label(chooseBaseBackup([], { kind: 'latest' })), 'no base backup is known: take one first');
    assert.equal(
      label(chooseBaseBackup(BACKUPS, { kind: 'xid', xid: '1234' })),
      'a transaction id cannot be placed among the base backups: choose the backup by the time or LSN at which transaction 1234 committed',
    );
    assert.equal(
      label(chooseBaseBackup(BACKUPS, { kind: 'lsn', lsn: 'x' })),
      'recovery target LSN "x" is not an LSN (X/Y in hexadecimal, such as 0/3000060)',
    );
    assert.equal(
      label(chooseBaseBackup(BACKUPS, { kind: 'time', time: '2026-11-23 12:00' })),
      'recovery target time "2026-11-23 12:00" has no UTC offset: confirm the time zone it is in (an ' +
        'IANA zone such as Europe/Paris, or an offset such as +02:00), or write the offset into the time',
    );
  });
});
