// Plain-data fixtures for the monitoring unit tests: a server status and a check result as a
// healthy 16 primary gives them, each overridable.
import type { ArchiveSummary, CheckResult, ServerStatus } from '../../../src/core/server/types';

export const MB16 = 16 * 1024 * 1024;

export function status(over: Partial<ServerStatus> = {}, settings: Record<string, string> = {}): ServerStatus {
  const base: Record<string, string> = {
    wal_level: 'replica',
    archive_mode: 'on',
    archive_command: 'cp %p /a/%f',
    archive_library: '',
    archive_timeout: '0',
    ...settings,
  };
  return {
    collectedAt: '2026-11-24T12:00:00.000+00:00',
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
      lastArchivedTime: '2026-11-24T11:00:00.000+00:00',
      failedCount: 0,
      lastFailedWal: null,
      lastFailedTime: null,
      statsReset: '2026-11-01T00:00:00.000+00:00',
    },
    wal: {
      currentLsn: '0/A000000',
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

/** An archive with timeline 1 from segment 01 to 09 and the given backups (stop times) and gaps. */
export function archive(
  backups: { startWal: string; stopWal: string; stopTime: string | null }[],
  gaps: ArchiveSummary['timelines'][number]['gaps'] = [],
  latest = '000000010000000000000009',
): ArchiveSummary {
  const lostAfter = (wal: string) => gaps.find((g) => g.class === 'lost' && g.from > wal);
  return {
    location: '/archive',
    source: 'configured',
    layout: 'flat',
    complete: true,
    latest,
    timelines: [{ timeline: 1, first: '000000010000000000000001', last: latest, segments: 9, gaps }],
    backups: backups.map((b, i) => ({
      label: `b${i}`,
      timeline: 1,
      startWal: b.startWal,
      stopWal: b.stopWal,
      stopTime: b.stopTime,
      stopLsn: null,
    })),
    windows: backups.map((b) => {
      const gap = lostAfter(b.stopWal);
      const to = gap
        ? gap.from.slice(0, 16) + (parseInt(gap.from.slice(16), 16) - 1).toString(16).toUpperCase().padStart(8, '0')
        : latest;
      return { backup: b.startWal, from: { lsn: null, time: b.stopTime }, to: { wal: to } };
    }),
    problems: [],
    error: null,
  };
}

export function result(over: Partial<CheckResult> = {}): CheckResult {
  const s = status();
  return {
    server: 'db1',
    connection: 'postgres@127.0.0.1:5432/postgres',
    version: '16.4',
    major: 16,
    inRecovery: false,
    health: 'ok',
    reasons: [],
    archiver: s.archiver,
    wal: s.wal,
    backlog: 0,
    slots: [],
    archive: null,
    status: s,
    findings: [],
    rpo: null,
    objectives: [],
    waitingSince: null,
    checkedAt: '2026-11-24T11:59:59.500Z',
    durationMs: 500,
    ...over,
  };
}
