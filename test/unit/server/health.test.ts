import { strict as assert } from 'node:assert';

import { analyseArchive, type ArchiveReport } from '../../../src/core/archive/archiveAnalysis';
import {
  archivedThrough,
  archiverFailing,
  evaluateHealth,
  overallHealth,
  walWaitingSince,
} from '../../../src/core/server/health';
import type { ServerStatus } from '../../../src/core/server/types';
import { backupHistoryText, memoryArchive, segmentNames } from '../../support/memoryArchive';

const MB16 = 16 * 1024 * 1024;

function status(over: Partial<ServerStatus> = {}, settings: Record<string, string> = {}): ServerStatus {
  const base: Record<string, string> = {
    wal_level: 'replica',
    archive_mode: 'on',
    archive_command: 'cp %p /a/%f',
    archive_library: '',
    archive_timeout: '0',
    ...settings,
  };
  return {
    collectedAt: '2026-11-24T12:00:00+00:00',
    version: { major: 16, num: 160004, text: '16.4' },
    inRecovery: false,
    settings: Object.fromEntries(
      Object.entries(base).map(([name, setting]) => [
        name,
        { name, setting, unit: null, source: 'configuration file', sourcefile: null, sourceline: null },
      ]),
    ),
    dataDirectory: '/var/lib/postgresql/16/main',
    archiver: {
      archivedCount: 10,
      lastArchivedWal: '000000010000000000000009',
      lastArchivedTime: '2026-11-24T11:00:00+00:00',
      failedCount: 0,
      lastFailedWal: null,
      lastFailedTime: null,
      statsReset: '2026-11-01T00:00:00+00:00',
    },
    wal: {
      currentLsn: '0/A000100',
      currentWal: '00000001000000000000000A',
      timeline: 1,
      receiveLsn: null,
      replayLsn: null,
      segmentSize: MB16,
    },
    backlog: 0,
    oldestReady: null,
    slots: [],
    baseBackups: [],
    limitations: [],
    ...over,
  };
}

const ids = (s: ServerStatus, a: ArchiveReport | null = null, o = {}) =>
  evaluateHealth(s, a, o).map((r) => `${r.severity}:${r.id}`);

describe('server health', () => {
  it('a healthy idle primary is ok even when the last archive is days old', () => {
    const s = status(
      { archiver: { ...status().archiver, lastArchivedTime: '2026-11-01T00:00:00+00:00' } },
      { archive_timeout: '60' },
    );
    assert.deepEqual(ids(s), []);
    assert.equal(overallHealth(evaluateHealth(s, null)), 'ok');
  });

  it('failures newer than the last success are failing, with the WAL and time named', () => {
    const s = status({
      archiver: {
        ...status().archiver,
        failedCount: 7,
        lastFailedWal: '00000001000000000000000A',
        lastFailedTime: '2026-11-24T11:58:00+00:00',
      },
    });
    const r = evaluateHealth(s, null);
    assert.equal(r[0].id, 'archiving-failing');
    assert.equal(
      r[0].message,
      'archive_command is failing: 00000001000000000000000A failed at 2026-11-24T11:58:00+00:00 (2 min ' +
        'ago, 7 failures counted; last success 000000010000000000000009 at 2026-11-24T11:00:00+00:00)',
    );
    assert.equal(overallHealth(r), 'failing');
  });

  it("an old failure followed by successes is not failing (Barman's rule)", () => {
    const a = {
      ...status().archiver,
      failedCount: 3,
      lastFailedWal: '000000010000000000000005',
      lastFailedTime: '2026-11-24T10:00:00+00:00',
    };
    assert.equal(archiverFailing(a), false);
    assert.deepEqual(ids(status({ archiver: a })), []);
  });

  it('a failed .history of an older timeline does not count', () => {
    assert.equal(
      archiverFailing({
        ...status().archiver,
        lastArchivedWal: '000000020000000000000009',
        failedCount: 1,
        lastFailedWal: '00000002.history',
        lastFailedTime: '2026-11-24T11:59:00+00:00',
      }),
      false,
    );
    assert.equal(
      archiverFailing({
        ...status().archiver,
        lastArchivedWal: '000000010000000000000009',
        failedCount: 1,
        lastFailedWal: '00000002.history',
        lastFailedTime: '2026-11-24T11:59:00+00:00',
      }),
      true,
    );
  });

  it('failures with nothing ever archived are failing', () => {
    assert.equal(
      archiverFailing({
        archivedCount: 0,
        lastArchivedWal: null,
        lastArchivedTime: null,
        failedCount: 2,
        lastFailedWal: '000000010000000000000001',
        lastFailedTime: '2026-11-24T11:00:00+00:00',
        statsReset: null,
      }),
      true,
    );
  });

  it('uncounted failures (signal, exit > 125) show as archiving behind the current segment', () => {
    const s = status({ wal: { ...status().wal, currentWal: '000000010000000000000020' }, backlog: 22 });
    assert.deepEqual(ids(s), ['warning:archiving-behind', 'warning:backlog-large']);
    assert.match(
      evaluateHealth(s, null)[0].message,
      /^archiving is 22 segments behind: last archived 000000010000000000000009, the server is writing 000000010000000000000020/,
    );
  });

  it('nothing archived for longer than archive_timeout allows while WAL was written', () => {
    const s = status({ wal: { ...status().wal, currentWal: '00000001000000000000000C' } }, { archive_timeout: '60' });
    assert.deepEqual(ids(s), ['warning:archive-stale']);
    assert.equal(
      evaluateHealth(s, null)[0].message,
      'nothing archived for 60 min although WAL was written and archive_timeout is 60 s (last archived 000000010000000000000009 at 2026-11-24T11:00:00+00:00)',
    );
  });

  it('a backlog that grows between two checks is reported', () => {
    assert.deepEqual(
      ids(status({ backlog: 5, oldestReady: '000000010000000000000005' }), null, { previous: { backlog: 2 } }),
      ['warning:backlog-growing'],
    );
    assert.equal(
      evaluateHealth(status({ backlog: 5, oldestReady: '000000010000000000000005' }), null, {
        previous: { backlog: 2 },
      })[0].message,
      'archive backlog growing: 5 segments waiting (was 2), oldest 000000010000000000000005',
    );
    assert.deepEqual(ids(status({ backlog: 5 }), null, { previous: { backlog: 5 } }), []);
  });

  it('a backlog that rose while the archiver moved on is a busy server, not a stuck one', () => {
    // between two looks the archiver archived the old oldest (...05) and a burst of WAL queued more
    assert.deepEqual(
      ids(status({ backlog: 3, oldestReady: '000000010000000000000007' }), null, {
        previous: { backlog: 1, oldestReady: '000000010000000000000005' },
      }),
      [],
    );
    // the same oldest file still waits: stuck (a command killed by a signal is not counted as a failure)
    assert.deepEqual(
      ids(status({ backlog: 3, oldestReady: '000000010000000000000005' }), null, {
        previous: { backlog: 1, oldestReady: '000000010000000000000005' },
      }),
      ['warning:backlog-growing'],
    );
  });

  it('archiving off, empty command and wal_level minimal are failing', () => {
    assert.deepEqual(ids(status({}, { archive_mode: 'off' })), ['failing:archiving-off']);
    assert.deepEqual(ids(status({}, { archive_command: '' })), ['failing:archive-command-empty']);
    assert.deepEqual(ids(status({}, { archive_command: '', archive_library: 'basic_archive' })), []);
    assert.deepEqual(ids(status({}, { wal_level: 'minimal', archive_mode: 'off' })), [
      'failing:wal-level-too-low',
      'failing:archiving-off',
    ]);
  });

  it('a standby with archive_mode on is not judged by its own archiver', () => {
    const s = status({
      inRecovery: true,
      archiver: { ...status().archiver, archivedCount: 0, lastArchivedWal: null, lastArchivedTime: null },
      wal: { ...status().wal, currentWal: '000000010000000000000050' },
      backlog: 40,
    });
    assert.deepEqual(ids(s), ['info:standby-not-archiving']);
  });

  it('a standby with archive_mode off is not failing either: the primary archives (an info says a promoted copy would not)', () => {
    const s = status({ inRecovery: true }, { archive_mode: 'off' });
    assert.deepEqual(ids(s), ['info:standby-not-archiving']);
    assert.match(
      evaluateHealth(s, null)[0].message,
      /^standby with archive_mode = off: it archives nothing, and would not archive once promoted/,
    );
  });

  it('archiving stalled: WAL waits while the counters stand still for stallSeconds, over two looks (exit > 125 is not counted)', () => {
    const stuck = status({
      backlog: 2,
      oldestReady: '00000001000000000000000A',
      wal: { ...status().wal, currentWal: '00000001000000000000000C' },
    });
    // one look: WAL waits since now, nothing to say yet
    assert.equal(walWaitingSince(stuck, null, null), '2026-11-24T12:00:00+00:00');
    assert.deepEqual(ids(stuck, null, { stallSeconds: 60 }), []);
    const previous = { backlog: 2, archiver: stuck.archiver, waitingSince: '2026-11-24T11:58:00+00:00' };
    const r = evaluateHealth(stuck, null, { previous, stallSeconds: 60 });
    assert.deepEqual(r, [
      {
        id: 'archiving-stalled',
        severity: 'failing',
        message:
          'archiving has made no progress for 2 min although WAL waits (2 .ready files, oldest 00000001000000000000000A) ' +
          'and no failure was counted: an archive_command that is not found or killed by a signal (exit code above ' +
          '125) is not counted in failed_count; the server log has its error',
      },
    ]);
    // not yet at the default 120 s + 1: and not once the archiver moved, nor with nothing waiting
    assert.deepEqual(ids(stuck, null, { previous: { ...previous, waitingSince: '2026-11-24T11:58:30+00:00' } }), []);
    const moved = { ...previous, archiver: { ...stuck.archiver, archivedCount: 9 } };
    assert.equal(walWaitingSince(stuck, null, moved), '2026-11-24T12:00:00+00:00');
    assert.deepEqual(ids(stuck, null, { previous: moved, stallSeconds: 60 }), []);
    assert.equal(walWaitingSince(status(), null, previous), null);
    // counted failures are archiving-failing, not a stall
    const failing = {
      ...stuck,
      archiver: {
        ...stuck.archiver,
        failedCount: 1,
        lastFailedWal: '00000001000000000000000A',
        lastFailedTime: '2026-11-24T11:59:00+00:00',
      },
    };
    assert.deepEqual(ids(failing, null, { previous: { ...previous, archiver: failing.archiver }, stallSeconds: 60 }), [
      'failing:archiving-failing',
    ]);
  });

  it('archiving stalled without a backlog count (PostgreSQL 10, 11): a complete segment behind the current one waits', () => {
    const s = status({ backlog: null, wal: { ...status().wal, currentWal: '00000001000000000000000B' } });
    const r = evaluateHealth(s, null, {
      previous: { backlog: null, archiver: s.archiver, waitingSince: '2026-11-24T11:50:00+00:00' },
    });
    assert.equal(r[0].id, 'archiving-stalled');
    assert.match(
      r[0].message,
      /although WAL waits \(the server writes 00000001000000000000000B, last archived 000000010000000000000009\)/,
    );
    // the segment being written is not waiting: an idle server never stalls
    assert.equal(walWaitingSince(status({ backlog: null }), null, null), null);
  });

  it('an inactive slot holding WAL and a lost slot are warnings', () => {
    const s = status({
      slots: [
        {
          name: 'old_replica',
          type: 'physical',
          active: false,
          restartLsn: '0/1000000',
          walStatus: 'extended',
          retainedBytes: 3 * 1024 ** 3,
        },
        {
          name: 'live',
          type: 'physical',
          active: true,
          restartLsn: '0/A000000',
          walStatus: 'reserved',
          retainedBytes: 100,
        },
        { name: 'gone', type: 'logical', active: false, restartLsn: null, walStatus: 'lost', retainedBytes: null },
      ],
    });
    const r = evaluateHealth(s, null);
    assert.deepEqual(
      r.map((x) => x.id),
      ['inactive-slot', 'slot-lost'],
    );
    assert.equal(
      r[0].message,
      "inactive replication slot old_replica holds 3.0 GB of WAL in pg_wal (drop it if its consumer is gone: SELECT pg_drop_replication_slot('old_replica'))",
    );
  });

  it('archive: gaps and a foreign timeline are failing, no base backup a warning', () => {
    const report = (over: Partial<ArchiveReport>): ArchiveReport => ({
      location: '/a',
      layout: 'flat',
      segmentSize: MB16,
      segmentSizeSource: 'option',
      complete: true,
      problems: [],
      listingComplete: true,
      timelines: [],
      backups: [],
      windows: [],
      anomalies: [],
      latest: null,
      ...over,
    });
    assert.deepEqual(
      ids(
        status(),
        report({
          complete: false,
          problems: [
            'no base backup found in the archive (no backup history file or tool metadata): nothing to recover from',
          ],
        }),
      ),
      ['warning:no-base-backup'],
    );
    const gap =
      'the newest base backup (b1) recovers only to 000000010000000000000004, not to the newest segment ' +
      '000000010000000000000009: 2 segment(s) missing from 000000010000000000000005 to 000000010000000000000006';
    const withBackup = {
      backups: [
        {
          label: 'b1',
          timeline: 1,
          startWal: '000000010000000000000002',
          stopWal: '000000010000000000000002',
          startLsn: null,
          stopLsn: null,
          startTime: null,
          stopTime: null,
          source: 'backup-history' as const,
          key: 'k',
        },
      ],
    };
    assert.deepEqual(ids(status(), report({ ...withBackup, complete: false, problems: [gap] })), [
      'failing:archive-gap',
    ]);
    assert.deepEqual(
      ids(
        status(),
        report({
          ...withBackup,
          anomalies: [
            {
              name: '00000002',
              kind: 'foreign-timeline',
              message: "the archive holds timeline 2, higher than the server's 1",
            },
          ],
        }),
      ),
      ['failing:archive-newer-timeline'],
    );
  });
});

// What pg_stat_archiver.last_archived_wal holds on real servers (seen on PostgreSQL 16): after a base
// backup the backup history file (<start segment>.<offset>.backup), after a promotion the old
// timeline's <segment>.partial (or the new <timeline>.history, archived first or last by major).
describe('server health: last_archived_wal that is not a plain segment', () => {
  const behind = (
    lastArchivedWal: string,
    currentWal: string,
    archive: ArchiveReport | null = null,
    segmentSize = MB16,
  ) =>
    ids(
      status({
        archiver: { ...status().archiver, lastArchivedWal },
        wal: { ...status().wal, currentWal, segmentSize },
      }),
      archive,
    ).filter((x) => x === 'warning:archiving-behind');
  const withBackup = (key: string, stopWal: string): ArchiveReport =>
    ({
      location: '/a',
      listingComplete: true,
      complete: true,
      problems: [],
      anomalies: [],
      timelines: [],
      windows: [],
      latest: null,
      backups: [
        {
          label: 'l',
          timeline: 1,
          startWal: key.slice(0, 24),
          stopWal,
          startLsn: null,
          stopLsn: null,
          startTime: null,
          stopTime: null,
          source: 'backup-history',
          key,
        },
      ],
    }) as unknown as ArchiveReport;

  it('a promoted server whose archiving stopped after the .partial is behind (segment numbers run on across timelines)', () => {
    assert.deepEqual(behind('000000010000000000000009.partial', '000000020000000000000020'), [
      'warning:archiving-behind',
    ]);
    assert.match(
      evaluateHealth(
        status({
          archiver: { ...status().archiver, lastArchivedWal: '000000010000000000000009.partial' },
          wal: { ...status().wal, currentWal: '000000020000000000000020' },
        }),
        null,
      )[0].message,
      /^archiving is 23 segments behind: last archived 000000010000000000000009\.partial, the server is writing 000000020000000000000020/,
    );
    assert.deepEqual(behind('000000010000000000000008', '000000020000000000000020'), ['warning:archiving-behind']);
  });

  it('a freshly promoted idle server is not behind', () => {
    // seen on 16: last_archived_wal 000000010000000000000003.partial while writing 000000020000000000000003
    assert.deepEqual(behind('000000010000000000000003.partial', '000000020000000000000003'), []);
    assert.deepEqual(behind('00000002.history', '000000020000000000000003'), []);
    assert.deepEqual(archivedThrough('000000010000000000000003.partial', MB16), { timeline: 1, segno: 2n });
    assert.equal(archivedThrough('00000002.history', MB16), null);
  });

  it('a higher timeline archived than the server writes is not measured as a trail', () => {
    assert.deepEqual(behind('000000030000000000000001', '000000020000000000000020'), []);
  });

  it("after a base backup the trail is measured from the backup's stop segment when the archive holds its history file", () => {
    const name = '000000010000000000000002.00000028.backup';
    assert.deepEqual(behind(name, '000000010000000000000020', withBackup(`wal/${name}`, '00000001000000000000000A')), [
      'warning:archiving-behind',
    ]);
    // a long backup on a quiet server: stop segment 0x1F, writing 0x20 -- not behind, although the name says 02
    assert.deepEqual(
      behind(name, '000000010000000000000020', withBackup(`wal/${name}`, '00000001000000000000001F')),
      [],
    );
    // without the archive the stop is unknown: no guess from the start segment
    assert.deepEqual(behind(name, '000000010000000000000020'), []);
  });

  it('segment arithmetic follows wal_segment_size (64 MB: 64 segments per log id)', () => {
    const MB64 = 64 * 1024 * 1024;
    assert.deepEqual(behind('00000001000000000000003F', '000000010000000100000002', null, MB64), []);
    assert.deepEqual(behind('00000001000000000000003F.partial', '000000020000000100000000', null, MB64), []);
    assert.deepEqual(behind('000000010000000000000030', '000000020000000100000000', null, MB64), [
      'warning:archiving-behind',
    ]);
  });

  it('a segment of the wrong size after the newest backup makes the server failing (the Servers view)', async () => {
    const files = new Map<string, { size: number; text?: string }>();
    for (const n of segmentNames(1, 1, 9)) files.set(n, { size: MB16 });
    files.set('000000010000000000000006', { size: 0 });
    files.set('000000010000000000000002.00000028.backup', {
      size: 300,
      text: backupHistoryText({
        startLsn: '0/2000028',
        startWal: '000000010000000000000002',
        stopLsn: '0/2000100',
        stopWal: '000000010000000000000002',
      }),
    });
    const report = await analyseArchive(memoryArchive('/a', files));
    const reasons = evaluateHealth(status(), report);
    assert.deepEqual(
      reasons.map((r) => `${r.severity}:${r.id}`),
      ['failing:archive-gap'],
    );
    assert.match(reasons[0]!.message, /1 segment\(s\) of the wrong size from 000000010000000000000006/);
    assert.equal(overallHealth(reasons), 'failing');
  });
});
