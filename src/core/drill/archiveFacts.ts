// The archive listing as the drill uses it: which segments exist, so that a replay that stopped
// early is told apart from one that reached the end (a missing segment with later ones present is
// a hole; nothing after it is the end of the archive).
import { analyseArchive, type ArchiveReport } from '../archive/archiveAnalysis';
import { openArchiveSource } from '../archive/openSource';
import { formatSegmentName, parseSegmentName } from '../wal/segmentNames';

export type ArchiveListing = { report: ArchiveReport; error: null } | { report: null; error: string };

/** Lists and analyses the archive, bounded by `timeoutMs`; never throws. */
export async function listArchive(
  location: string,
  endpoint: string | undefined,
  segmentSize: number | undefined,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ArchiveListing> {
  const deadline = AbortSignal.timeout(timeoutMs);
  const all = AbortSignal.any([deadline, ...(signal ? [signal] : [])]);
  try {
    const source = openArchiveSource(location, { endpoint });
    try {
      const report = await analyseArchive(source, { segmentSize, signal: all });
      if (!report.listingComplete)
        return {
          report: null,
          error: deadline.aborted
            ? `the listing did not finish within ${timeoutMs / 1000} s`
            : (report.problems[0] ?? 'the listing stopped early'),
        };
      return { report, error: null };
    } finally {
      await source.close?.();
    }
  } catch (e) {
    return { report: null, error: (e as Error).message };
  }
}

/** true/false when the listing says whether `name` is archived (on its timeline). */
export function isArchived(report: ArchiveReport, name: string): boolean {
  const tl = parseInt(name.slice(0, 8), 16);
  const t = report.timelines.find((x) => x.timeline === tl);
  if (!t || name < t.first || name > t.last) return false;
  return !t.gaps.some((g) => name >= g.from && name <= g.to);
}

/** The newest archived segment of a timeline, or null. */
export function lastArchived(report: ArchiveReport, timeline: number): string | null {
  return report.timelines.find((x) => x.timeline === timeline)?.last ?? null;
}

/** The segment after `name` (same timeline), or null. */
export function segmentAfter(name: string, segmentSize: number): string | null {
  const s = parseSegmentName(name, segmentSize);
  return s ? formatSegmentName(s.timeline, s.segno + 1n, segmentSize) : null;
}
