// Step 1 of the archive analysis: one pass over the listing, sorting each key into segments (kept
// in typed columns per timeline: a million segments are a few megabytes, not a million objects),
// timeline histories, backup history files, tool metadata, partial segments and unexpected files.
import { classifyArchiveName } from '../wal/archiveFileName';
import { isToolFile, type Layout, LayoutDetector } from './archiveLayout';
import type { ArchiveEntry, ArchiveSource, ListOutcome } from './archiveSource';

/** A growable typed array: a million segments cost 13 bytes each, not a million objects. */
export class Column<T extends Uint32Array | Uint8Array> {
  length = 0;
  constructor(
    private data: T,
    private readonly make: (n: number) => T,
  ) {}

  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = this.make(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }

  get(i: number): number {
    return this.data[i];
  }
}

/** One timeline's segments: log id, segment number, stored size, compressed or not, in a subfolder or not. */
export class TimelineSegments {
  readonly logs = new Column(new Uint32Array(1024), (n) => new Uint32Array(n));
  readonly segs = new Column(new Uint32Array(1024), (n) => new Uint32Array(n));
  /** stored size, capped at 4 GB */
  readonly sizes = new Column(new Uint32Array(1024), (n) => new Uint32Array(n));
  readonly compressed = new Column(new Uint8Array(1024), (n) => new Uint8Array(n));
  /** 1: the key has a folder (in a flat archive, where a restore_command copying ARCHIVE/%f does not look) */
  readonly nested = new Column(new Uint8Array(1024), (n) => new Uint8Array(n));

  add(log: number, seg: number, size: number, compressed: boolean, nested = false): void {
    this.logs.push(log);
    this.segs.push(seg);
    this.sizes.push(Math.min(size, 0xffffffff));
    this.compressed.push(compressed ? 1 : 0);
    this.nested.push(nested ? 1 : 0);
  }
}

/** 8 hex digits at `at`, without slicing or a regular expression (the hot path of a listing). */
function hex8(s: string, at: number): number {
  let v = 0;
  for (let i = at; i < at + 8; i++) {
    const c = s.charCodeAt(i);
    v = v * 16 + (c <= 57 ? c - 48 : c - 55);
  }
  return v;
}

/** 24 upper-case hex digits: the common case, checked without a regular expression. */
function isBareSegmentName(s: string): boolean {
  if (s.length !== 24) return false;
  for (let i = 0; i < 24; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 70))) return false;
  }
  return true;
}

/** What the listing holds, sorted by kind. */
export interface ListingContents {
  outcome: ListOutcome;
  layout: Layout;
  timelines: Map<number, TimelineSegments>;
  histories: Array<{ key: string; timeline: number }>;
  backupHistories: string[];
  /** pgBackRest / Barman backup.info, WAL-G sentinels */
  metadata: string[];
  partials: string[];
  /** segment keys with a folder in them (the first 20), and how many there were */
  nestedSegments: string[];
  nestedSegmentCount: number;
  /** the first 50 unexpected files, and how many there were */
  unexpected: Array<{ key: string; reason: string }>;
  unexpectedCount: number;
}

/** Lists `source` once and sorts every key. */
export async function collectListing(
  source: ArchiveSource,
  signal?: AbortSignal,
  /** sees every entry as listed (the timeline keeps their times) */
  onEntry?: (e: ArchiveEntry) => void,
): Promise<ListingContents> {
  const detector = new LayoutDetector();
  const timelines = new Map<number, TimelineSegments>();
  const histories: Array<{ key: string; timeline: number }> = [];
  const backupHistories: string[] = [];
  const metadata: string[] = [];
  const partials: string[] = [];
  const unexpected: Array<{ key: string; reason: string }> = [];
  let unexpectedCount = 0;
  const nestedSegments: string[] = [];
  let nestedSegmentCount = 0;
  const nested = (key: string) => {
    if (nestedSegmentCount++ < 20) nestedSegments.push(key);
  };

  const outcome = await source.list(
    (e) => {
      onEntry?.(e);
      detector.see(e.key);
      const slash = e.key.lastIndexOf('/');
      const base = slash < 0 ? e.key : e.key.slice(slash + 1);
      if (isBareSegmentName(base)) {
        const tli = hex8(base, 0);
        let t = timelines.get(tli);
        if (!t) timelines.set(tli, (t = new TimelineSegments()));
        t.add(hex8(base, 8), hex8(base, 16), e.size, false, slash >= 0);
        if (slash >= 0) nested(e.key);
        return;
      }
      if (/^backup\.info|_backup_stop_sentinel\.json$/.test(base)) {
        metadata.push(e.key);
        return;
      }
      const c = classifyArchiveName(base);
      switch (c.kind) {
        case 'segment': {
          let t = timelines.get(c.timeline);
          if (!t) timelines.set(c.timeline, (t = new TimelineSegments()));
          t.add(
            parseInt(c.hex24.slice(8, 16), 16),
            parseInt(c.hex24.slice(16, 24), 16),
            e.size,
            c.compression !== null,
            slash >= 0,
          );
          if (slash >= 0) nested(e.key);
          break;
        }
        case 'partial':
          partials.push(e.key);
          break;
        case 'history':
          histories.push({ key: e.key, timeline: c.timeline });
          break;
        case 'backup-history':
          backupHistories.push(e.key);
          break;
        default:
          // tools keep metadata and backups beside the WAL: not unexpected in their layout
          if ((['pgbackrest', 'wal-g', 'barman'] as const).some((l) => isToolFile(l, e.key))) return;
          unexpectedCount++;
          if (unexpected.length < 50) unexpected.push({ key: e.key, reason: c.reason });
      }
    },
    { signal },
  );
  return {
    outcome,
    layout: detector.layout,
    timelines,
    histories,
    backupHistories,
    metadata,
    partials,
    unexpected,
    unexpectedCount,
    nestedSegments,
    nestedSegmentCount,
  };
}
