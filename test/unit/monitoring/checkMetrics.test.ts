import { strict as assert } from 'node:assert';

import { checkMetrics } from '../../../src/core/monitoring/checkMetrics';
import { evaluateObjectives, readObjectives } from '../../../src/core/monitoring/objectives';
import { renderOpenMetrics } from '../../../src/core/monitoring/openMetrics';
import { rpoOf } from '../../../src/core/monitoring/rpo';
import { archive, result, status } from './fixtures';

describe('check metrics', () => {
  it('a failing primary with objectives: every documented series, exactly', () => {
    const s = status({
      archiver: {
        ...status().archiver,
        failedCount: 3,
        lastFailedWal: '00000001000000000000000A',
        lastFailedTime: '2026-11-24T11:59:00.000+00:00',
      },
      wal: { ...status().wal, currentLsn: '0/B000000', currentWal: '00000001000000000000000B' },
      backlog: 1,
    });
    const a = archive(
      [
        {
          startWal: '000000010000000000000002',
          stopWal: '000000010000000000000002',
          stopTime: '2026-11-24T06:00:00.000Z',
        },
      ],
      [{ from: '000000010000000000000005', to: '000000010000000000000006', missing: 2, class: 'lost' }],
    );
    const r = result({
      health: 'failing',
      reasons: [
        { id: 'archiving-failing', severity: 'failing', message: 'x' },
        { id: 'archive-gap', severity: 'failing', message: 'y' },
        { id: 'archive-gap', severity: 'failing', message: 'z' },
      ],
      status: s,
      archiver: s.archiver,
      backlog: 1,
      archive: a,
      rpo: rpoOf(s),
    });
    r.objectives = evaluateObjectives(
      r,
      readObjectives({ minBackups: 1, maxRpo: { value: '5min', severity: 'failing' } }).objectives,
    );
    const text = renderOpenMetrics(checkMetrics([{ result: r, checks: 7, errors: 2 }]));
    const samples = text.split('\n').filter((l) => l && !l.startsWith('#'));
    assert.deepEqual(samples, [
      'pgpitr_health{server="db1",pgpitr_health="ok"} 0',
      'pgpitr_health{server="db1",pgpitr_health="warning"} 0',
      'pgpitr_health{server="db1",pgpitr_health="failing"} 1',
      'pgpitr_health{server="db1",pgpitr_health="unknown"} 0',
      'pgpitr_reason{server="db1",reason="archiving-failing",severity="failing"} 1',
      'pgpitr_reason{server="db1",reason="archive-gap",severity="failing"} 1',
      'pgpitr_up{server="db1"} 1',
      'pgpitr_standby{server="db1"} 0',
      'pgpitr_archiver_archived_total{server="db1"} 10',
      'pgpitr_archiver_failed_total{server="db1"} 3',
      'pgpitr_last_archive_age_seconds{server="db1"} 3600',
      'pgpitr_last_failure_age_seconds{server="db1"} 60',
      'pgpitr_archive_ready_files{server="db1"} 1',
      'pgpitr_rpo_seconds{server="db1"} 3600',
      'pgpitr_rpo_bytes{server="db1"} 16777216',
      'pgpitr_rpo_worst_case_seconds{server="db1"} +Inf',
      'pgpitr_archive_lost_segments{server="db1",timeline="1"} 2',
      'pgpitr_base_backup_newest_end_timestamp_seconds{server="db1"} 1795500000',
      'pgpitr_base_backups_intact{server="db1"} 0',
      'pgpitr_objective_met{server="db1",objective="min-backups",severity="warning"} 0',
      'pgpitr_objective_met{server="db1",objective="max-rpo",severity="failing"} 0',
      'pgpitr_check_duration_seconds{server="db1"} 0.5',
      'pgpitr_check_end_timestamp_seconds{server="db1"} 1795521600',
      'pgpitr_checks_total{server="db1"} 7',
      'pgpitr_check_errors_total{server="db1"} 2',
    ]);
  });

  it('the recoverable window per timeline, as of the check', () => {
    const a = archive([
      {
        startWal: '000000010000000000000002',
        stopWal: '000000010000000000000002',
        stopTime: '2026-11-24T06:00:00.000Z',
      },
    ]);
    const text = renderOpenMetrics(checkMetrics([{ result: result({ archive: a }), checks: 1, errors: 0 }]));
    assert.match(text, /\npgpitr_recoverable_window_start_timestamp_seconds\{server="db1",timeline="1"\} 1795500000\n/);
    assert.match(text, /\npgpitr_recoverable_window_seconds\{server="db1",timeline="1"\} 21600\n/);
    assert.match(text, /\npgpitr_base_backups_intact\{server="db1"\} 1\n/);
  });

  it('restore drills: the last success, the last duration and outcome, the time-to-recover estimate', () => {
    const r = result({});
    r.drill = {
      lastOk: false,
      lastAt: '2026-11-24T10:00:00.000Z',
      lastTotalSeconds: 61.5,
      lastTimeToRecoverSeconds: 50,
      lastOkAt: '2026-11-23T10:00:00.000Z',
    };
    r.rto = { estimateSeconds: 42, basis: 'replay-rate', walBytes: 1, replayMBps: 1 } as NonNullable<typeof r.rto>;
    const samples = renderOpenMetrics(checkMetrics([{ result: r, checks: 1, errors: 0 }]))
      .split('\n')
      .filter((l) => /^pgpitr_(drill|rto)_/.test(l));
    assert.deepEqual(samples, [
      'pgpitr_drill_last_success_timestamp_seconds{server="db1"} 1795428000',
      'pgpitr_drill_last_duration_seconds{server="db1"} 61.5',
      'pgpitr_drill_last_ok{server="db1"} 0',
      'pgpitr_rto_estimate_seconds{server="db1"} 42',
    ]);
    // no drill recorded: no drill series at all (absent, not 0)
    const none = renderOpenMetrics(checkMetrics([{ result: result({}), checks: 1, errors: 0 }]));
    assert.doesNotMatch(none, /\npgpitr_(drill_last|rto_estimate)[a-z_]*\{/);
  });

  it('a server that could not be read: health unknown, up 0, its reason, nothing invented', () => {
    const r = result({
      health: 'unknown',
      reasons: [{ id: 'connection-failed', severity: 'unknown', message: 'refused' }],
      status: null,
      archiver: null,
      wal: null,
      backlog: null,
      inRecovery: null,
      major: null,
      version: null,
    });
    const samples = renderOpenMetrics(checkMetrics([{ result: r, checks: 1, errors: 1 }]))
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    assert.deepEqual(samples, [
      'pgpitr_health{server="db1",pgpitr_health="ok"} 0',
      'pgpitr_health{server="db1",pgpitr_health="warning"} 0',
      'pgpitr_health{server="db1",pgpitr_health="failing"} 0',
      'pgpitr_health{server="db1",pgpitr_health="unknown"} 1',
      'pgpitr_reason{server="db1",reason="connection-failed",severity="unknown"} 1',
      'pgpitr_up{server="db1"} 0',
      'pgpitr_check_duration_seconds{server="db1"} 0.5',
      'pgpitr_check_end_timestamp_seconds{server="db1"} 1795521600',
      'pgpitr_checks_total{server="db1"} 1',
      'pgpitr_check_errors_total{server="db1"} 1',
    ]);
  });
});
