// An ArchiveSource over an in-memory map, for analysis unit tests and benchmarks.
import type { ArchiveEntry, ArchiveSource, ListOutcome } from '../../src/core/archive/archiveSource';

export function memoryArchive(
  location: string,
  files: Map<string, { size: number; text?: string }>,
  opts: { failAfter?: number } = {},
): ArchiveSource {
  return {
    location,
    async list(onEntry: (e: ArchiveEntry) => void): Promise<ListOutcome> {
      let count = 0;
      for (const [key, f] of files) {
        if (opts.failAfter !== undefined && count >= opts.failAfter)
          return { complete: false, error: 'connection reset', count };
        onEntry({ key, size: f.size });
        count++;
      }
      return { complete: true, count };
    },
    async readText(key: string): Promise<string | undefined> {
      return files.get(key)?.text;
    },
  };
}

const MB = 1024 * 1024;

/** Segment names of one timeline, from segno `from` to `to` inclusive. */
export function segmentNames(tli: number, from: number, to: number, segSize = 16 * MB): string[] {
  const perId = 0x100000000 / segSize;
  const out: string[] = [];
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(8, '0');
  for (let s = from; s <= to; s++) out.push(hex(tli) + hex(Math.floor(s / perId)) + hex(s % perId));
  return out;
}

export function backupHistoryText(opts: {
  startLsn: string;
  startWal: string;
  stopLsn: string;
  stopWal: string;
  label?: string;
  tli?: number;
  startTime?: string;
  stopTime?: string;
}): string {
  const tli = opts.tli ?? 1;
  return [
    `START WAL LOCATION: ${opts.startLsn} (file ${opts.startWal})`,
    `STOP WAL LOCATION: ${opts.stopLsn} (file ${opts.stopWal})`,
    `CHECKPOINT LOCATION: ${opts.startLsn}`,
    'BACKUP METHOD: streamed',
    'BACKUP FROM: primary',
    `START TIME: ${opts.startTime ?? '2026-11-24 10:00:00 UTC'}`,
    `LABEL: ${opts.label ?? 'base'}`,
    `START TIMELINE: ${tli}`,
    `STOP TIME: ${opts.stopTime ?? '2026-11-24 10:05:00 UTC'}`,
    `STOP TIMELINE: ${tli}`,
    '',
  ].join('\n');
}
