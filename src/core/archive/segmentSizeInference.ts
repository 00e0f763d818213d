// Step 2 of the archive analysis: the WAL segment size, when not told: the most common size of the
// uncompressed segments, else what finished log ids prove from the names, else 16 MB (said so).
import { DEFAULT_SEGMENT_SIZE, isValidSegmentSize, segmentsPerId } from '../wal/segmentNames';
import type { Anomaly, ArchiveReport } from './archiveAnalysis';
import type { TimelineSegments } from './archiveListing';

const MB = 1024 * 1024;

export interface SegmentSize {
  segSize: number;
  segmentSizeSource: ArchiveReport['segmentSizeSource'];
  /** when the size had to be assumed */
  anomaly: Anomaly | null;
}

/** The segment size: `told` (bytes) when given, else inferred from `timelines`. */
export function inferSegmentSize(timelines: Map<number, TimelineSegments>, told: number | undefined): SegmentSize {
  const anomalies: Anomaly[] = [];
  // segment size: told, or read from uncompressed segment sizes, or from the names
  let segSize = told ?? 0;
  let segmentSizeSource: ArchiveReport['segmentSizeSource'] = 'option';
  if (!segSize) {
    const counts = new Map<number, number>();
    for (const t of timelines.values()) {
      for (let i = 0; i < t.sizes.length; i++)
        if (!t.compressed.get(i)) counts.set(t.sizes.get(i), (counts.get(t.sizes.get(i)) ?? 0) + 1);
    }
    const best = [...counts.entries()].filter(([s]) => isValidSegmentSize(s)).sort((a, b) => b[1] - a[1])[0];
    if (best) {
      segSize = best[0];
      segmentSizeSource = 'file sizes';
    } else {
      // a log id that was finished (a later one exists) ends at segment perId-1
      let maxSeg = -1;
      let maxSegOfFinishedLog = -1;
      for (const t of timelines.values()) {
        let maxLog = 0;
        for (let i = 0; i < t.logs.length; i++) maxLog = Math.max(maxLog, t.logs.get(i));
        for (let i = 0; i < t.segs.length; i++) {
          maxSeg = Math.max(maxSeg, t.segs.get(i));
          if (t.logs.get(i) < maxLog) maxSegOfFinishedLog = Math.max(maxSegOfFinishedLog, t.segs.get(i));
        }
      }
      const fromFinished = maxSegOfFinishedLog >= 0 ? 0x100000000 / (maxSegOfFinishedLog + 1) : 0;
      if (fromFinished && isValidSegmentSize(fromFinished)) {
        segSize = fromFinished;
        segmentSizeSource = 'names';
      } else {
        segSize = DEFAULT_SEGMENT_SIZE;
        segmentSizeSource = 'assumed';
        if (timelines.size > 0 && maxSeg >= 0 && maxSeg >= segmentsPerId(DEFAULT_SEGMENT_SIZE)) {
          // names prove the segments are smaller than 16 MB
          for (let s = DEFAULT_SEGMENT_SIZE; s >= MB; s /= 2) if (maxSeg < segmentsPerId(s)) segSize = s;
        }
        anomalies.push({
          name: '(archive)',
          kind: 'segment-size-assumed',
          message:
            `the WAL segment size could not be read from the archive (compressed files, no finished log id); assuming ${segSize / MB} ` +
            `MB: pass --wal-segment-size if the cluster was initialised with another size`,
        });
      }
    }
  }
  return { segSize, segmentSizeSource, anomaly: anomalies[0] ?? null };
}
