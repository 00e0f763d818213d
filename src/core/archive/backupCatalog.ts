// Base backups an archive knows about: PostgreSQL's own backup history files (<seg>.<off>.backup)
// and the plain-text / JSON metadata of pgBackRest, WAL-G and Barman.
import type { BackupHistory } from '../wal/backupHistory';
import { formatLsn } from '../wal/lsn';

export interface BackupInfo {
  label: string;
  timeline: number | null;
  startWal: string | null;
  stopWal: string | null;
  startLsn: string | null;
  stopLsn: string | null;
  /** ISO 8601 */
  startTime: string | null;
  stopTime: string | null;
  source: 'backup-history' | 'pgbackrest' | 'wal-g' | 'barman';
  /** START/STOP TIME as the server wrote them (backup history files), e.g. "2026-12-01 12:47:33 CET" */
  startTimeWritten?: string | null;
  stopTimeWritten?: string | null;
  /** where the metadata came from, for messages */
  key: string;
}

function iso(d: Date | null | undefined): string | null {
  return d && !Number.isNaN(d.getTime()) ? d.toISOString() : null;
}

export function fromBackupHistory(key: string, h: BackupHistory): BackupInfo {
  return {
    label: h.label ?? key.split('/').pop()!,
    // before PostgreSQL 11 there is no START TIMELINE line: the segment name carries it
    timeline: h.startTimeline ?? (h.startWal ? parseInt(h.startWal.slice(0, 8), 16) : null),
    startWal: h.startWal ?? null,
    stopWal: h.stopWal ?? null,
    startLsn: h.startLsn === null ? null : formatLsn(h.startLsn),
    stopLsn: h.stopLsn === null ? null : formatLsn(h.stopLsn),
    startTime: iso(h.startTimeParsed),
    stopTime: iso(h.stopTimeParsed),
    startTimeWritten: h.startTime,
    stopTimeWritten: h.stopTime,
    source: 'backup-history',
    key,
  };
}

const lsnFromNumber = (n: unknown): string | null => {
  if (typeof n !== 'number' && typeof n !== 'string') return null;
  try {
    const v = BigInt(n);
    return `${(v >> 32n).toString(16).toUpperCase()}/${(v & 0xffffffffn).toString(16).toUpperCase()}`;
  } catch {
    return null;
  }
};

/** pgBackRest backup/<stanza>/backup.info: an INI file whose [backup:current] values are JSON. */
export function parsePgBackRestInfo(key: string, text: string): { backups: BackupInfo[]; errors: string[] } {
  const backups: BackupInfo[] = [];
  const errors: string[] = [];
  let section = '';
  for (const [i, line] of text.split('\n').entries()) {
    const s = /^\[(.*)\]\s*$/.exec(line);
    if (s) {
      section = s[1];
      continue;
    }
    if (section !== 'backup:current') continue;
    const m = /^([^=]+)=(\{.*\})\s*$/.exec(line);
    if (!m) continue;
    try {
      const j = JSON.parse(m[2]) as Record<string, unknown>;
      const start = j['backup-archive-start'] as string | undefined;
      backups.push({
        label: m[1],
        timeline: start ? parseInt(start.slice(0, 8), 16) : null,
        startWal: start ?? null,
        stopWal: (j['backup-archive-stop'] as string | undefined) ?? null,
        startLsn: (j['backup-lsn-start'] as string | undefined) ?? null,
        stopLsn: (j['backup-lsn-stop'] as string | undefined) ?? null,
        startTime:
          typeof j['backup-timestamp-start'] === 'number'
            ? new Date((j['backup-timestamp-start'] as number) * 1000).toISOString()
            : null,
        stopTime:
          typeof j['backup-timestamp-stop'] === 'number'
            ? new Date((j['backup-timestamp-stop'] as number) * 1000).toISOString()
            : null,
        source: 'pgbackrest',
        key,
      });
    } catch {
      errors.push(`${key} line ${i + 1}: backup entry is not valid JSON`);
    }
  }
  return { backups, errors };
}

/** WAL-G basebackups_005/base_<startWal>[_D_...]_backup_stop_sentinel.json */
export function parseWalgSentinel(key: string, text: string): { backups: BackupInfo[]; errors: string[] } {
  const name = key
    .split('/')
    .pop()!
    .replace(/_backup_stop_sentinel\.json$/, '');
  const startWal = /base_([0-9A-F]{24})/.exec(name)?.[1] ?? null;
  try {
    const j = JSON.parse(text) as Record<string, unknown>;
    const t = (v: unknown) => (typeof v === 'string' ? iso(new Date(v)) : null);
    return {
      backups: [
        {
          label: name,
          timeline: startWal ? parseInt(startWal.slice(0, 8), 16) : null,
          startWal,
          stopWal: null,
          startLsn: lsnFromNumber(j.LSN),
          stopLsn: lsnFromNumber(j.FinishLSN),
          startTime: t(j.StartTime),
          stopTime: t(j.FinishTime),
          source: 'wal-g',
          key,
        },
      ],
      errors: [],
    };
  } catch {
    return { backups: [], errors: [`${key}: backup sentinel is not valid JSON`] };
  }
}

/** Barman base/<id>/backup.info: key=value lines. */
export function parseBarmanInfo(key: string, text: string): { backups: BackupInfo[]; errors: string[] } {
  const kv = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)=(.*)$/.exec(line.trim());
    if (m) kv.set(m[1], m[2]);
  }
  if (!kv.has('begin_wal')) return { backups: [], errors: [`${key}: no begin_wal line`] };
  if (kv.get('status') && kv.get('status') !== 'DONE') return { backups: [], errors: [] };
  const t = (v: string | undefined) => (v && v !== 'None' ? iso(new Date(v.replace(' ', 'T'))) : null);
  const none = (v: string | undefined) => (v && v !== 'None' ? v : null);
  return {
    backups: [
      {
        label: none(kv.get('backup_name')) ?? key.split('/').slice(-2, -1)[0],
        timeline: kv.has('timeline') ? Number(kv.get('timeline')) : null,
        startWal: none(kv.get('begin_wal')),
        stopWal: none(kv.get('end_wal')),
        startLsn: none(kv.get('begin_xlog')),
        stopLsn: none(kv.get('end_xlog')),
        startTime: t(kv.get('begin_time')),
        stopTime: t(kv.get('end_time')),
        source: 'barman',
        key,
      },
    ],
    errors: [],
  };
}
