// Step 4 of the archive analysis: per timeline, the sorted distinct segments as contiguous runs,
// the gaps between them (lost, in flight behind the server's current segment, or acknowledged),
// and the anomalies found on the way (invalid names, wrong sizes, a segment in two forms).
import { formatSegmentName } from '../wal/segmentNames';
import type { TimelineHistory } from '../wal/timelineHistory';
import type { AnalysisOptions, Anomaly, Gap, TimelineReport } from './archiveAnalysis';
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

/** The runs, gaps and reports of every timeline, oldest timeline first. */
export function timelineRuns(
  timelines: Map<number, TimelineSegments>,
  segSize: number,
  perId: number,
  historyOf: Map<number, TimelineHistory>,
  options: AnalysisOptions,
): { reports: TimelineReport[]; segnosOf: Map<number, Runs>; anomalies: Anomaly[] } {
  const anomalies: Anomaly[] = [];
  const sinceSeg = options.since ? parseName(options.since, perId) : null;
  const segnosOf = new Map<number, Runs>();
  const reports: TimelineReport[] = [];
  let invalidNames = 0;
  let wrongSizes = 0;
  for (const [tli, t] of [...timelines.entries()].sort((a, b) => a[0] - b[0])) {
    const n = t.segs.length;
    const arr = new Float64Array(n);
    let k = 0;
    const rawName = (i: number) => formatTli(tli) + formatTli(t.logs.get(i)) + formatTli(t.segs.get(i));
    for (let i = 0; i < n; i++) {
      const seg = t.segs.get(i);
      if (seg >= perId) {
        if (invalidNames++ < 20)
          anomalies.push({
            name: rawName(i),
            kind: 'invalid-name',
            message: `not a valid segment name for ${segSize / MB} MB segments (the last 8 digits must be below ${perId.toString(16).toUpperCase()})`,
          });
        continue;
      }
      if (!t.compressed.get(i) && t.sizes.get(i) !== segSize && wrongSizes++ < 20) {
        anomalies.push({
          name: rawName(i),
          kind: 'wrong-size',
          message: `${t.sizes.get(i)} bytes; an uncompressed segment has exactly ${segSize} bytes, recovery refuses it ("archive file has wrong size")`,
        });
      }
      const segno = t.logs.get(i) * perId + seg;
      if (sinceSeg && (tli < sinceSeg.timeline || (tli === sinceSeg.timeline && segno < sinceSeg.segno))) continue;
      arr[k++] = segno;
    }
    const sorted = arr.subarray(0, k).sort();
    let u = 0;
    for (let i = 0; i < sorted.length; i++) {
      if (i > 0 && sorted[i] === sorted[i - 1]) {
        anomalies.push({
          name: formatSegmentName(tli, BigInt(sorted[i]), segSize),
          kind: 'duplicate-segment',
          message:
            'the same segment is in the archive in two forms (e.g. compressed and not, or two checksums): which one restore_command fetches is up to the command',
        });
        continue;
      }
      sorted[u++] = sorted[i];
    }
    const uniq = sorted.subarray(0, u);
    if (u === 0) continue;
    const gaps: Gap[] = [];
    const runs: Runs = { starts: [uniq[0]], ends: [] };
    for (let i = 1; i < u; i++) {
      if (uniq[i] !== uniq[i - 1] + 1) {
        gaps.push(makeGap(tli, uniq[i - 1] + 1, uniq[i] - 1, segSize, options, perId));
        runs.ends.push(uniq[i - 1]);
        runs.starts.push(uniq[i]);
      }
    }
    runs.ends.push(uniq[u - 1]);
    segnosOf.set(tli, runs);
    const h = historyOf.get(tli);
    const parentEntry = h?.entries[h.entries.length - 1];
    reports.push({
      timeline: tli,
      first: formatSegmentName(tli, BigInt(uniq[0]), segSize),
      last: formatSegmentName(tli, BigInt(uniq[u - 1]), segSize),
      segments: u,
      gaps,
      parent: parentEntry ? parentEntry.parent : null,
      switchLsn: parentEntry ? fmtLsn(parentEntry.switchLsn) : null,
    });
  }
  return { reports, segnosOf, anomalies };
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
