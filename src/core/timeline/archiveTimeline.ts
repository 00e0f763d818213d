// One archive's timeline, as the CLI and the editor both make it: the analysis (with the file
// times collected from its own listing, so the archive is listed once), the cluster's system
// identifier (given, or read from a local segment's first page), then the model.
import * as path from 'node:path';

import { analyseArchive, type AnalysisOptions, type ArchiveReport } from '../archive/archiveAnalysis';
import type { ArchiveSource } from '../archive/archiveSource';
import { SegmentTimeCollector } from './segmentTimes';
import { buildTimelineModel, type TimelineInputs } from './timelineModel';
import type { TimelineModel } from './timelineTypes';
import { readSegmentSystemId } from './walPageHeader';

export interface ArchiveTimeline {
  report: ArchiveReport;
  model: TimelineModel;
  /** milliseconds: the analysis (listing included), then the model */
  timings: { analysis: number; model: number };
}

/** Analyses `source` and builds its timeline. `localRoot`: the folder, for a local archive (its segments name the cluster). */
export async function archiveTimeline(
  source: ArchiveSource,
  analysis: AnalysisOptions,
  inputs: TimelineInputs,
  localRoot?: string,
): Promise<ArchiveTimeline> {
  const times = new SegmentTimeCollector();
  const t0 = performance.now();
  const report = await analyseArchive(source, { ...analysis, onEntry: times.see });
  const t1 = performance.now();
  let systemId = inputs.systemId ?? null;
  const sample = times.sampleSegment;
  if (systemId === null && localRoot !== undefined && sample && sample.size === report.segmentSize) {
    systemId = readSegmentSystemId(path.join(localRoot, ...sample.key.split('/')));
  }
  const model = buildTimelineModel(report, times.index(report.segmentSize), { ...inputs, systemId });
  return { report, model, timings: { analysis: t1 - t0, model: performance.now() - t1 } };
}
