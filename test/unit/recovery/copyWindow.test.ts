// The copy's reachable range from the archive report and its backup_label.
import { strict as assert } from 'node:assert';

import type { ArchiveReport } from '../../../src/core/archive/archiveAnalysis';
import { backupLabelStartWal, copyWindow } from '../../../src/core/recovery/copyWindow';

const report = (over: Partial<ArchiveReport> = {}): ArchiveReport =>
  ({
    location: '/mnt/wal',
    layout: 'flat',
    segmentSize: 16 * 1024 * 1024,
    segmentSizeSource: 'names',
    complete: true,
    problems: [],
    listingComplete: true,
    timelines: [],
    backups: [],
    windows: [
      {
        backup: '000000010000000000000002',
        from: { lsn: '0/2000100', time: '2026-11-24T10:05:00.000Z' },
        to: { wal: '0000000100000001000000FF', time: null },
        timelines: [1],
      },
    ],
    anomalies: [],
    latest: null,
    ...over,
  }) as ArchiveReport;

const LABEL = 'START WAL LOCATION: 0/2000028 (file 000000010000000000000002)\r\nCHECKPOINT LOCATION: 0/2000060\r\n';

describe('copyWindow', () => {
  it('reads the start WAL file of a backup_label (LF or CRLF)', () => {
    assert.equal(backupLabelStartWal(LABEL), '000000010000000000000002');
    assert.equal(backupLabelStartWal(LABEL.replace(/\r/g, '')), '000000010000000000000002');
    assert.equal(backupLabelStartWal('LABEL: x\n'), null);
  });

  it("the window of the copy's backup: from its end to the end of the last archived segment", () => {
    assert.deepEqual(copyWindow(report(), LABEL, '/d'), {
      window: { from: { lsn: '0/2000100', time: '2026-11-24T10:05:00.000Z' }, to: { lsn: '2/0', time: null } },
      note: null,
    });
  });

  it('a note instead of a window when it cannot be known', () => {
    assert.deepEqual(copyWindow(report(), null, '/d'), {
      window: null,
      note: 'no backup_label in /d: pg-pitr cannot tell which base backup the copy is, so the reachable range is not checked',
    });
    assert.deepEqual(copyWindow(report({ windows: [] }), LABEL, '/d'), {
      window: null,
      note:
        "the archive /mnt/wal knows no base backup starting at 000000010000000000000002 (the copy's " +
        'backup_label) or no WAL after it: the reachable range is not checked',
    });
    assert.deepEqual(copyWindow(report({ listingComplete: false, problems: ['access denied'] }), LABEL, '/d'), {
      window: null,
      note: 'the archive /mnt/wal could not be listed completely (access denied): the reachable range is not checked',
    });
  });
});
