// Test archives for the timeline: in memory, every file with the time it reached the archive.
import type { AnalysisOptions } from '../../../src/core/archive/archiveAnalysis';
import type { ArchiveEntry, ArchiveSource } from '../../../src/core/archive/archiveSource';
import { archiveTimeline } from '../../../src/core/timeline/archiveTimeline';
import type { TimelineInputs } from '../../../src/core/timeline/timelineModel';

export const SEG = 16 * 1024 * 1024;
export const MIN = 60_000;
export const T0 = Date.parse('2026-11-23T06:00:00Z');

const hex = (n: number) => n.toString(16).toUpperCase().padStart(8, '0');
/** Segment name of 16 MB segment number `segno` on `tli`. */
export const seg = (tli: number, segno: number) => hex(tli) + hex(Math.floor(segno / 256)) + hex(segno % 256);
/** Start LSN of segment `segno` plus `offset`. */
export const lsn = (segno: number, offset = 0) =>
  `${Math.floor(segno / 256)
    .toString(16)
    .toUpperCase()}/${((segno % 256) * SEG + offset).toString(16).toUpperCase()}`;

export interface FileSpec {
  size: number;
  mtimeMs?: number;
  text?: string;
}

export class TestArchive {
  readonly files = new Map<string, FileSpec>();

  /** Segments `from`..`to` of `tli`, the first arriving at `at`, then one every `every` ms; `skip` left out. */
  segments(tli: number, from: number, to: number, at: number, every = 10 * MIN, skip: number[] = []): this {
    for (let s = from; s <= to; s++)
      if (!skip.includes(s)) this.files.set(seg(tli, s), { size: SEG, mtimeMs: at + (s - from) * every });
    return this;
  }

  /** A backup history file for a backup from segment `start` to `stop` on `tli`. */
  backup(
    tli: number,
    start: number,
    stop: number,
    o: { label: string; startTime: string; stopTime: string; arrived?: number },
  ): this {
    const text = [
      `START WAL LOCATION: ${lsn(start, 0x28)} (file ${seg(tli, start)})`,
      `STOP WAL LOCATION: ${lsn(stop, 0x100)} (file ${seg(tli, stop)})`,
      `CHECKPOINT LOCATION: ${lsn(start, 0x60)}`,
      'BACKUP METHOD: streamed',
      'BACKUP FROM: primary',
      `START TIME: ${o.startTime}`,
      `LABEL: ${o.label}`,
      `START TIMELINE: ${tli}`,
      `STOP TIME: ${o.stopTime}`,
      `STOP TIMELINE: ${tli}`,
      '',
    ].join('\n');
    this.files.set(`${seg(tli, start)}.00000028.backup`, { size: text.length, text, mtimeMs: o.arrived });
    return this;
  }

  /** `tli`'s history: branched from `parent` at the start of segment `switchSegno`. */
  history(tli: number, lines: Array<[number, number]>, arrived?: number): this {
    const text = lines.map(([p, s]) => `${p}\t${lsn(s)}\tno recovery target specified\n`).join('');
    this.files.set(`${hex(tli)}.history`, { size: text.length, text, mtimeMs: arrived });
    return this;
  }

  source(location = '/archive'): ArchiveSource {
    const files = this.files;
    return {
      location,
      async list(onEntry: (e: ArchiveEntry) => void) {
        for (const [key, f] of files)
          onEntry({ key, size: f.size, ...(f.mtimeMs !== undefined ? { mtimeMs: f.mtimeMs } : {}) });
        return { complete: true, count: files.size };
      },
      async readText(key: string) {
        return files.get(key)?.text;
      },
    };
  }

  async timeline(inputs: Partial<TimelineInputs> = {}, analysis: AnalysisOptions = {}) {
    return archiveTimeline(this.source(), analysis, { now: Date.parse('2026-11-25T00:00:00Z'), ...inputs });
  }
}

/** Two timelines, a lost gap, two base backups (the shape of the real-editor archive):
 * TL1 segments 1..40 every 10 min from T0, 20..22 missing; backup A 5..6 (ends T0+60 min), backup B 30..31;
 * TL2 branches from TL1 at segment 36 (history arrives T0+355 min), segments 36..50 every 10 min from T0+360 min. */
export function twoTimelines(): TestArchive {
  return new TestArchive()
    .segments(1, 1, 40, T0, 10 * MIN, [20, 21, 22])
    .backup(1, 5, 6, {
      label: 'A',
      startTime: '2026-11-23 06:45:00 UTC',
      stopTime: '2026-11-23 07:00:00 UTC',
      arrived: T0 + 61 * MIN,
    })
    .backup(1, 30, 31, {
      label: 'B',
      startTime: '2026-11-23 11:45:00 CET',
      stopTime: '2026-11-23 12:00:00 CET',
      arrived: T0 + 300 * MIN + 30_000,
    })
    .history(2, [[1, 36]], T0 + 355 * MIN)
    .segments(2, 36, 50, T0 + 360 * MIN);
}
