// What a restored copy says about the base backup it came from: backup_label (START WAL LOCATION,
// START TIME, LABEL, START TIMELINE) and global/pg_control's system identifier (the first 8 bytes
// of ControlFileData, little-endian on the machines PostgreSQL runs on here).
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface BackupLabel {
  startLsn: string | null;
  startWal: string | null;
  checkpointLsn: string | null;
  /** "2026-12-01 11:48:38 UTC" as written */
  startTime: string | null;
  label: string | null;
  timeline: number | null;
}

/** Never throws: missing fields are null. */
export function parseBackupLabel(text: string): BackupLabel {
  const field = (name: string) => new RegExp(`^${name}: (.*?)\\r?$`, 'm').exec(text)?.[1] ?? null;
  const start = /^START WAL LOCATION: ([0-9A-F]+\/[0-9A-F]+) \(file ([0-9A-F]{24})\)/m.exec(text);
  const tli = field('START TIMELINE');
  const startWal = start?.[2] ?? null;
  return {
    startLsn: start?.[1] ?? null,
    startWal,
    checkpointLsn: /^CHECKPOINT LOCATION: ([0-9A-F]+\/[0-9A-F]+)/m.exec(text)?.[1] ?? null,
    startTime: field('START TIME'),
    label: field('LABEL'),
    // before 11 there is no START TIMELINE: the start segment's name holds it
    timeline: tli !== null && /^\d+$/.test(tli) ? Number(tli) : startWal ? parseInt(startWal.slice(0, 8), 16) : null,
  };
}

export function readBackupLabel(dataDir: string): BackupLabel | null {
  try {
    return parseBackupLabel(fs.readFileSync(path.join(dataDir, 'backup_label'), 'utf8'));
  } catch {
    return null;
  }
}

/** pg_control's system_identifier as a decimal string (it exceeds 2^53), or null. */
export function readSystemIdentifier(dataDir: string): string | null {
  try {
    const fd = fs.openSync(path.join(dataDir, 'global', 'pg_control'), 'r');
    try {
      const buf = Buffer.alloc(8);
      if (fs.readSync(fd, buf, 0, 8, 0) !== 8) return null;
      return buf.readBigUInt64LE(0).toString();
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return null;
  }
}

/** backup_label's START TIME ("2026-12-01 11:48:38 UTC", "... CET") as epoch ms when its zone is UTC/GMT or an offset; else null. */
export function labelStartMs(startTime: string | null): number | null {
  if (!startTime) return null;
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) (UTC|GMT|[+-]\d{2}(?::?\d{2})?)$/.exec(startTime.trim());
  if (!m) return null;
  const zone = m[3] === 'UTC' || m[3] === 'GMT' ? 'Z' : m[3].length === 3 ? `${m[3]}:00` : m[3];
  const ms = Date.parse(`${m[1]}T${m[2]}${zone}`);
  return Number.isNaN(ms) ? null : ms;
}
