import { strict as assert } from 'node:assert';

import { rpoOf } from '../../../src/core/monitoring/rpo';
import { status } from './fixtures';

describe('RPO', () => {
  it('caught up: the position is the end of the last archived segment → 0 s, 0 bytes', () => {
    assert.deepEqual(rpoOf(status()), {
      seconds: 0,
      bytes: 0,
      worstCaseSeconds: 0,
      idle: false,
      applicable: true,
      note: null,
    });
    assert.deepEqual(rpoOf(status({}, { archive_timeout: '60' })).worstCaseSeconds, 60);
  });

  it('WAL written and not archived: bytes from the archived end, seconds since the last archive', () => {
    const s = status({ wal: { ...status().wal, currentLsn: '0/C000060', currentWal: '00000001000000000000000C' } });
    assert.deepEqual(rpoOf(s), {
      seconds: 3600,
      bytes: 2 * 16777216 + 0x60,
      worstCaseSeconds: 'unbounded',
      idle: false,
      applicable: true,
      note: null,
    });
  });

  it('idle housekeeping: with archive_timeout, a few bytes left longer than the timeout are not data', () => {
    const s = status({ wal: { ...status().wal, currentLsn: '0/A000148' } }, { archive_timeout: '60' });
    assert.deepEqual(rpoOf(s), {
      seconds: 0,
      bytes: 0x148,
      worstCaseSeconds: 60,
      idle: true,
      applicable: true,
      note: 'only housekeeping records wait: nothing was switched out for 3600 s although archive_timeout is 60 s',
    });
    // not while the archiver is failing, nor once a whole segment waits, nor within the timeout
    const failing = {
      ...s.archiver,
      failedCount: 1,
      lastFailedWal: '00000001000000000000000A',
      lastFailedTime: '2026-11-24T11:59:00.000+00:00',
    };
    assert.equal(rpoOf({ ...s, archiver: failing }).idle, false);
    assert.equal(
      rpoOf(status({ wal: { ...status().wal, currentLsn: '0/B000148' } }, { archive_timeout: '60' })).seconds,
      3600,
    );
    assert.equal(
      rpoOf(status({ wal: { ...status().wal, currentLsn: '0/A000148' } }, { archive_timeout: '7200' })).seconds,
      3600,
    );
  });

  it('a .partial (after a promotion) proves the segment before it; a .backup is read from the archive', () => {
    const s = status({
      archiver: { ...status().archiver, lastArchivedWal: '00000001000000000000000A.partial' },
      wal: { ...status().wal, currentLsn: '0/A000100', timeline: 2 },
    });
    assert.equal(rpoOf(s).bytes, 0x100);
  });

  it('a standby counts only with archive_mode = always, from its received position', () => {
    const standby = (mode: string) =>
      status(
        {
          inRecovery: true,
          wal: { ...status().wal, currentLsn: '0/A000000', receiveLsn: '0/A100000', replayLsn: '0/A000000' },
        },
        { archive_mode: mode },
      );
    assert.deepEqual(rpoOf(standby('always')), {
      seconds: 3600,
      bytes: 0x100000,
      worstCaseSeconds: 'unbounded',
      idle: false,
      applicable: true,
      note: null,
    });
    assert.deepEqual(rpoOf(standby('on')), {
      seconds: null,
      bytes: null,
      worstCaseSeconds: null,
      idle: false,
      applicable: false,
      note: 'standby with archive_mode = on: it archives nothing (the primary’s RPO is what counts; archive_mode = always archives here too)',
    });
  });

  it('archive_mode = off: unbounded; nothing archived yet: unknown', () => {
    assert.deepEqual(rpoOf(status({}, { archive_mode: 'off' })), {
      seconds: null,
      bytes: null,
      worstCaseSeconds: 'unbounded',
      idle: false,
      applicable: false,
      note: 'archive_mode is off: nothing is archived',
    });
    const never = status({
      archiver: { ...status().archiver, lastArchivedWal: null, lastArchivedTime: null, archivedCount: 0 },
    });
    assert.deepEqual(rpoOf(never), {
      seconds: null,
      bytes: null,
      worstCaseSeconds: 'unbounded',
      idle: false,
      applicable: true,
      note: 'nothing archived since the statistics were reset',
    });
  });
});
