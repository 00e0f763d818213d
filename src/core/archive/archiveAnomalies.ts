// The anomalies of the archive analysis that no other step finds on its way: files that are not
// WAL, .partial segments, and a timeline higher than the server's.
import type { Anomaly } from './archiveAnalysis';
import { isWalKey } from './archiveLayout';
import type { ListingContents } from './archiveListing';
import { formatTli, IN_SUBFOLDER } from './timelineRuns';

/**
 * Unexpected files in the WAL area of the layout (the first 50, then a count), .partial segments,
 * and, in a flat archive, segments in subfolders (the first 20, then a count).
 */
export function listingAnomalies(contents: ListingContents): Anomaly[] {
  const { layout, unexpected, unexpectedCount, partials } = contents;
  const anomalies: Anomaly[] = [];
  if (layout === 'flat') {
    for (const key of contents.nestedSegments)
      anomalies.push({ name: key, kind: 'segment-in-subfolder', message: IN_SUBFOLDER });
    const more = contents.nestedSegmentCount - contents.nestedSegments.length;
    if (more > 0)
      anomalies.push({ name: '(more)', kind: 'segment-in-subfolder', message: `${more} more WAL files in subfolders` });
  }
  // files outside the layout's WAL area are not WAL (e.g. pgBackRest's backup/ folder)
  for (const u of unexpected) {
    if (layout !== 'flat' && !isWalKey(layout, u.key)) continue;
    anomalies.push({ name: u.key, kind: 'unexpected-file', message: u.reason });
  }
  if (unexpectedCount > unexpected.length)
    anomalies.push({
      name: '(more)',
      kind: 'unexpected-file',
      message: `${unexpectedCount - unexpected.length} more unexpected files`,
    });
  for (const p of partials)
    anomalies.push({
      name: p,
      kind: 'partial-segment',
      message:
        'a .partial segment (last segment of an old timeline after a promotion, or from pg_receivewal): never restored automatically; rename it to use it',
    });
  return anomalies;
}

/** A timeline in the archive higher than the server's: another cluster, or a promoted copy, archives there. */
export function foreignTimelineAnomaly(maxTli: number, serverTimeline: number | undefined): Anomaly | null {
  if (serverTimeline === undefined || maxTli <= serverTimeline) return null;
  return {
    name: formatTli(maxTli),
    kind: 'foreign-timeline',
    message:
      `the archive holds timeline ${maxTli}, higher than the server's ${serverTimeline}: another ` +
      `cluster, or a promoted copy of this one, archives into the same place; recoveries that follow 'latest' ` +
      `will take that timeline`,
  };
}
