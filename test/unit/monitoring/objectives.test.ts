import { strict as assert } from 'node:assert';

import { evaluateObjectives, objectiveReasons, readObjectives } from '../../../src/core/monitoring/objectives';
import { rpoOf } from '../../../src/core/monitoring/rpo';
import { archive, result, status } from './fixtures';

const H = 3600;
// checks at 2026-11-24T12:00:00Z (the status' clock)
const backups = [
  { startWal: '000000010000000000000002', stopWal: '000000010000000000000002', stopTime: '2026-11-20T12:00:00.000Z' }, // 4 d ago
  { startWal: '000000010000000000000006', stopWal: '000000010000000000000006', stopTime: '2026-11-23T10:00:00.000Z' }, // 26 h ago
];

describe('recoverability objectives', () => {
  it('reads strings, numbers and { value, severity }; a default severity beside them', () => {
    const { objectives, problems } = readObjectives({
      minWindow: '7d',
      maxBackupAge: { value: '26h', severity: 'failing' },
      minBackups: 2,
      maxRpo: '16MB',
      severity: 'warning',
    });
    assert.deepEqual(problems, []);
    assert.deepEqual(objectives, {
      minWindow: { text: '7d', quantity: { kind: 'seconds', value: 604800, text: '7d' }, severity: 'warning' },
      maxBackupAge: { text: '26h', quantity: { kind: 'seconds', value: 93600, text: '26h' }, severity: 'failing' },
      minBackups: { text: '2', quantity: { kind: 'count', value: 2, text: '2' }, severity: 'warning' },
      maxRpo: { text: '16MB', quantity: { kind: 'bytes', value: 16777216, text: '16MB' }, severity: 'warning' },
    });
  });

  it('never throws on what a user can type: every bad entry is a problem and is skipped', () => {
    const { objectives, problems } = readObjectives(
      {
        minWindow: '7',
        maxBackupAge: { value: '26h', severity: 'critical' },
        minBackups: 0,
        maxRpo: '5m',
        window: '1d',
      },
      'pgPitr.servers[0].objectives',
    );
    assert.deepEqual(Object.keys(objectives), ['maxBackupAge']);
    assert.deepEqual(problems, [
      'pgPitr.servers[0].objectives.minWindow: "7" is not a duration: write a number and a unit, e.g. 7d, 26h, 5min, 90s; ignored',
      'pgPitr.servers[0].objectives.maxBackupAge.severity must be "warning" or "failing" (got "critical"); warning is used',
      'pgPitr.servers[0].objectives.minBackups must be a whole number of base backups, 1 or more (got "0"); ignored',
      'pgPitr.servers[0].objectives.maxRpo: "5m": "m" is ambiguous: write min for minutes or MB for megabytes; ignored',
      'pgPitr.servers[0].objectives.window is not an objective (known: minWindow, maxBackupAge, minBackups, maxRpo); ignored',
    ]);
    assert.deepEqual(readObjectives('7d'), {
      objectives: {},
      problems: ['objectives must be an object such as { "minWindow": "7d" }'],
    });
  });

  it('all met: the window reaches back to the oldest intact backup', () => {
    const { objectives } = readObjectives({ minWindow: '3d', maxBackupAge: '27h', minBackups: 2 });
    const r = evaluateObjectives(result({ archive: archive(backups) }), objectives);
    assert.deepEqual(
      r.map((o) => [o.id, o.status, o.measured]),
      [
        ['minWindow', 'met', 4 * 86400],
        ['maxBackupAge', 'met', 26 * H],
        ['minBackups', 'met', 2],
      ],
    );
    assert.deepEqual(objectiveReasons(r), []);
  });

  it('a lost gap after the older backup: the window starts at the newer one, and only one backup is intact', () => {
    const gaps = [{ from: '000000010000000000000004', to: '000000010000000000000004', missing: 1, class: 'lost' }];
    const { objectives } = readObjectives({
      minWindow: '2d',
      maxBackupAge: { value: '1d', severity: 'failing' },
      minBackups: 2,
    });
    const r = evaluateObjectives(result({ archive: archive(backups, gaps) }), objectives);
    assert.deepEqual(objectiveReasons(r), [
      {
        id: 'window-too-short',
        severity: 'warning',
        message:
          'the recoverable window is 1.1 d (from 2026-11-23T10:00:00.000Z), shorter than the objective 2d (minWindow)',
      },
      {
        id: 'backup-too-old',
        severity: 'failing',
        message:
          'the newest usable base backup ended 1.1 d ago (2026-11-23T10:00:00.000Z), older than the objective 1d (maxBackupAge)',
      },
      {
        id: 'too-few-backups',
        severity: 'warning',
        message:
          '1 base backup with an unbroken WAL path to the newest archived segment, fewer than the objective 2 (minBackups)',
      },
    ]);
  });

  it('an in-flight gap does not break the window', () => {
    const gaps = [{ from: '000000010000000000000008', to: '000000010000000000000008', missing: 1, class: 'in-flight' }];
    const { objectives } = readObjectives({ minBackups: 2 });
    assert.equal(evaluateObjectives(result({ archive: archive(backups, gaps) }), objectives)[0].status, 'met');
  });

  it('no backup at all: nothing recoverable, every archive objective violated', () => {
    const { objectives } = readObjectives({ minWindow: '1h', maxBackupAge: '1d', minBackups: 1 });
    assert.deepEqual(
      objectiveReasons(evaluateObjectives(result({ archive: archive([]) }), objectives)).map((r) => r.message),
      [
        'nothing can be recovered to the present: no base backup has an unbroken WAL path to the newest archived segment; the objective is 1h (minWindow)',
        'no usable base backup (none with an unbroken WAL path to the newest archived segment); the objective is 1d (maxBackupAge)',
        '0 base backups with an unbroken WAL path to the newest archived segment, fewer than the objective 1 (minBackups)',
      ],
    );
  });

  it('an archive that could not be read leaves the objectives unknown (an info, no violation)', () => {
    const a = { ...archive(backups), error: 'permission denied' };
    const { objectives } = readObjectives({ minWindow: '1h' });
    assert.deepEqual(objectiveReasons(evaluateObjectives(result({ archive: a }), objectives)), [
      {
        id: 'objective-unknown',
        severity: 'info',
        message: 'objective minWindow 1h not evaluated: the archive could not be read (permission denied)',
      },
    ]);
  });

  it('maxRpo in time and in bytes; not applicable on a standby with archive_mode = on', () => {
    const s = status({ wal: { ...status().wal, currentLsn: '0/A800000' } });
    const rpo = rpoOf(s);
    assert.deepEqual(rpo, {
      seconds: 3600,
      bytes: 8388608,
      worstCaseSeconds: 'unbounded',
      idle: false,
      applicable: true,
      note: null,
    });
    const time = readObjectives({ maxRpo: { value: '5min', severity: 'failing' } }).objectives;
    assert.deepEqual(objectiveReasons(evaluateObjectives(result({ status: s, rpo }), time)), [
      {
        id: 'rpo-exceeded',
        severity: 'failing',
        message: 'RPO is 1 h (8 MB of WAL not archived), more than the objective 5min (maxRpo)',
      },
    ]);
    const bytes = readObjectives({ maxRpo: '16MB' }).objectives;
    assert.equal(evaluateObjectives(result({ status: s, rpo }), bytes)[0].status, 'met');
    const standby = status({ inRecovery: true });
    const r = evaluateObjectives(result({ status: standby, rpo: rpoOf(standby) }), time);
    assert.deepEqual([r[0].status, objectiveReasons(r)], ['not-applicable', []]);
  });
});
