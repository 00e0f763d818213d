// Step 4 of the archive analysis: per timeline, the sorted distinct segments as contiguous runs of
// segments a restore_command can use, the gaps between them (lost, in flight behind the server's
// current segment, acknowledged, or of the wrong size), and the anomalies found on the way
// (invalid names, wrong sizes, a segment in two forms, segments where a flat restore does not look).
import { formatSegmentName } from '../wal/segmentNames';
import type { TimelineHistory } from '../wal/timelineHistory';
import type { AnalysisOptions, Anomaly, Gap, TimelineReport } from './archiveAnalysis';
import type { Layout } from './archiveLayout';
import type { TimelineSegments } from './archiveListing';

const MB = 1024 * 1024;

/** A timeline's segments as contiguous runs [starts[i], ends[i]], sorted. */
export interface Runs {
  starts: number[];
  ends: number[];
}

export function fmtLsn(l: bigint): string {
  return `${(l >> 32n).toString(16).toUpperCase()}/${(l & 0xffffffffn).toString(16).toUpperCase()}`;
}

export function formatTli(t: number): string {
  return t.toString(16).toUpperCase().padStart(8, '0');
}

export function parseName(name: string, perId: number): { timeline: number; segno: number } | null {
  if (!/^[0-9A-F]{24}$/.test(name)) return null;
  const seg = parseInt(name.slice(16), 16);
  if (seg >= perId) return null;
  return { timeline: parseInt(name.slice(0, 8), 16), segno: parseInt(name.slice(8, 16), 16) * perId + seg };
}

export function makeGap(
  tli: number,
  from: number,
  to: number,
  segSize: number,
  options: AnalysisOptions,
  perId: number,
): Gap {
  const gap: Gap = {
    from: formatSegmentName(tli, BigInt(from), segSize),
    to: formatSegmentName(tli, BigInt(to), segSize),
    missing: to - from + 1,
    class: 'lost',
  };
  const cur = options.current ? parseName(options.current, perId) : null;
  if (cur && cur.timeline === tli && to < cur.segno && to >= cur.segno - (options.inFlightWindow ?? 8))
    gap.class = 'in-flight';
  for (const a of options.acknowledged ?? []) {
    if (gap.from >= a.from && gap.to <= a.to) {
      gap.class = 'acknowledged';
      if (a.note) gap.note = a.note;
    }
  }
  return gap;
}

/** Anomalies of one kind beyond this many are not listed one by one. */
const LISTED_PER_KIND = 20;

/**
 * The runs, gaps and reports of every timeline, oldest timeline first. A segment counts for
 * recovery (its runs, hence the windows) only when a restore_command can use it: an uncompressed
 * copy of the wrong size stops recovery (FATAL "archive file ... has wrong size") and ends the run
 * with a gap of class wrong-size; in a flat archive a segment in a subfolder is not seen by a
 * restore_command copying ARCHIVE/%f and does not count at all.
 */
export function timelineRuns(
  timelines: Map<number, TimelineSegments>,
  segSize: number,
  perId: number,
  historyOf: Map<number, TimelineHistory>,
  options: AnalysisOptions,
  layout: Layout = 'flat',
): { reports: TimelineReport[]; segnosOf: Map<number, Runs>; anomalies: Anomaly[] } {
  const anomalies: Anomaly[] = [];
  const sinceSeg = options.since ? parseName(options.since, perId) : null;
  const segnosOf = new Map<number, Runs>();
  const reports: TimelineReport[] = [];
  const counts = { invalid: 0, wrongSize: 0 };
  for (const [tli, t] of [...timelines.entries()].sort((a, b) => a[0] - b[0])) {
    // segno * 2 + 1 when this copy is of the wrong size: sorting keeps one segment's copies together
    const arr = new Float64Array(t.segs.length);
    let k = 0;
    const rawName = (i: number) => formatTli(tli) + formatTli(t.logs.get(i)) + formatTli(t.segs.get(i));
    for (let i = 0; i < t.segs.length; i++) {
      const seg = t.segs.get(i);
      // where a flat archive's restore_command does not look (listingAnomalies names them)
      if (layout === 'flat' && t.nested.get(i)) continue;
      if (seg >= perId) {
        if (counts.invalid++ < LISTED_PER_KIND)
          anomalies.push({
            name: rawName(i),
            kind: 'invalid-name',
            message: `not a valid segment name for ${segSize / MB} MB segments (the last 8 digits must be below ${perId.toString(16).toUpperCase()})`,
          });
        continue;
      }
      const wrongSize = !t.compressed.get(i) && t.sizes.get(i) !== segSize;
      if (wrongSize && counts.wrongSize++ < LISTED_PER_KIND) {
        anomalies.push({
          name: rawName(i),
          kind: 'wrong-size',
          message: `${t.sizes.get(i)} bytes; an uncompressed segment has exactly ${segSize} bytes, recovery refuses it ("archive file has wrong size")`,
        });
      }
      const segno = t.logs.get(i) * perId + seg;
      if (sinceSeg && (tli < sinceSeg.timeline || (tli === sinceSeg.timeline && segno < sinceSeg.segno))) continue;
      arr[k++] = segno * 2 + (wrongSize ? 1 : 0);
    }
    const { present, wrong } = distinctSegments(arr.subarray(0, k).sort(), tli, segSize, anomalies);
    if (present.length === 0) continue;
    const gaps: Gap[] = [];
    const runs: Runs = { starts: [], ends: [] };
    let runStart = -1;
    for (let i = 0; i < present.length; i++) {
      const segno = present[i]!;
      if (i > 0 && segno !== present[i - 1]! + 1)
        gaps.push(makeGap(tli, present[i - 1]! + 1, segno - 1, segSize, options, perId));
      if (wrong[i]) {
        if (runStart >= 0) {
          runs.starts.push(runStart);
          runs.ends.push(present[i - 1]!);
          runStart = -1;
        }
        // consecutive wrong-size segments make one gap of that class
        if (i === 0 || !wrong[i - 1] || segno !== present[i - 1]! + 1)
          gaps.push(wrongSizeGap(makeGap(tli, segno, segno, segSize, options, perId)));
        else {
          const g = gaps[gaps.length - 1]!;
          const wider = wrongSizeGap(makeGap(tli, segno - g.missing, segno, segSize, options, perId));
          gaps[gaps.length - 1] = wider;
        }
        continue;
      }
      if (runStart >= 0 && segno !== present[i - 1]! + 1) {
        runs.starts.push(runStart);
        runs.ends.push(present[i - 1]!);
        runStart = -1;
      }
      if (runStart < 0) runStart = segno;
    }
    if (runStart >= 0) {
      runs.starts.push(runStart);
      runs.ends.push(present[present.length - 1]!);
    }
    if (runs.starts.length > 0) segnosOf.set(tli, runs);
    const h = historyOf.get(tli);
    const parentEntry = h?.entries[h.entries.length - 1];
    reports.push({
      timeline: tli,
      first: formatSegmentName(tli, BigInt(present[0]!), segSize),
      last: formatSegmentName(tli, BigInt(present[present.length - 1]!), segSize),
      segments: present.length,
      gaps,
      parent: parentEntry ? parentEntry.parent : null,
      switchLsn: parentEntry ? fmtLsn(parentEntry.switchLsn) : null,
    });
  }
  return { reports, segnosOf, anomalies };
}

/** Why a file in a subfolder of a flat archive does not count. */
export const IN_SUBFOLDER =
  'a WAL file in a subfolder of a flat archive: a restore_command that copies ARCHIVE/%f does not see it, so it does not count';

/** A gap made of segments of the wrong size: wrong-size, unless the user acknowledged it. */
function wrongSizeGap(g: Gap): Gap {
  return g.class === 'acknowledged' ? g : { ...g, class: 'wrong-size' };
}

/**
 * The distinct segment numbers of sorted `segno * 2 + wrongSize` values, each flagged wrong when a
 * copy of it has the wrong size (a plain `cp ARCHIVE/%f` restores the uncompressed copy); a
 * duplicate-segment anomaly for each segment present in two forms.
 */
function distinctSegments(
  sorted: Float64Array,
  tli: number,
  segSize: number,
  anomalies: Anomaly[],
): { present: number[]; wrong: boolean[] } {
  const present: number[] = [];
  const wrong: boolean[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const segno = Math.floor(sorted[i]! / 2);
    const isWrong = sorted[i]! % 2 === 1;
    if (present.length > 0 && present[present.length - 1] === segno) {
      anomalies.push({
        name: formatSegmentName(tli, BigInt(segno), segSize),
        kind: 'duplicate-segment',
        message:
          'the same segment is in the archive in two forms (e.g. compressed and not, or two checksums): which one restore_command fetches is up to the command',
      });
      if (isWrong) wrong[wrong.length - 1] = true;
      continue;
    }
    present.push(segno);
    wrong.push(isWrong);
  }
  return { present, wrong };
}

/** Segments between the last archived one and the server's current one are in flight: a gap of that class. */
export function addInFlightTail(
  reports: TimelineReport[],
  segnosOf: Map<number, Runs>,
  segSize: number,
  perId: number,
  options: AnalysisOptions,
): void {
  if (options.current) {
    const cur = parseName(options.current, perId);
    const tr = cur ? reports.find((r) => r.timeline === cur.timeline) : undefined;
    const runs = cur ? segnosOf.get(cur.timeline) : undefined;
    if (cur && tr && runs) {
      const last = runs.ends[runs.ends.length - 1];
      if (cur.segno > last + 1)
        tr.gaps.push({
          ...makeGap(cur.timeline, last + 1, cur.segno - 1, segSize, options, perId),
          class: 'in-flight',
        });
    }
  }
}
