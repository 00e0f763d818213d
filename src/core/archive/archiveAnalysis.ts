// Reads an archive listing and answers: which WAL is there, where the holes are, which base
// backups are usable, and how far each can recover. Only names and sizes are read (plus the small
// history and backup metadata files), so a million segments take well under a second. The work is
// done in named steps, one file each: listing, segment size, metadata, runs and gaps, windows,
// anomalies, problems.
import { segmentsPerId } from '../wal/segmentNames';
import { foreignTimelineAnomaly, listingAnomalies } from './archiveAnomalies';
import type { Layout } from './archiveLayout';
import { collectListing } from './archiveListing';
import { readBackups, readHistories } from './archiveMetadata';
import { archiveProblems } from './archiveProblems';
import type { ArchiveEntry, ArchiveSource } from './archiveSource';
import type { BackupInfo } from './backupCatalog';
import { recoveryWindows } from './recoveryWindows';
import { inferSegmentSize } from './segmentSizeInference';
import { addInFlightTail, timelineRuns } from './timelineRuns';

export interface AcknowledgedGap {
  from: string;
  to: string;
  note?: string;
}

export interface AnalysisOptions {
  /** bytes; when absent it is read from the data (uncompressed segment sizes, then names) */
  segmentSize?: number;
  /** ignore segments before this one (per timeline: same timeline and later only) */
  since?: string;
  /** the server's current segment: missing segments just behind it are in flight, not lost */
  current?: string;
  /** the timeline the server is on: a higher one in the archive is another cluster or a promoted copy */
  serverTimeline?: number;
  acknowledged?: AcknowledgedGap[];
  /** how many segments behind `current` count as in flight (default 8) */
  inFlightWindow?: number;
  signal?: AbortSignal;
  /** also sees every listed entry (the recoverability timeline collects file times with it) */
  onEntry?: (e: ArchiveEntry) => void;
}

/** lost: missing; in-flight: just behind the server's current segment; wrong-size: present, but recovery refuses it */
export type GapClass = 'lost' | 'in-flight' | 'acknowledged' | 'wrong-size';

export interface Gap {
  from: string;
  to: string;
  missing: number;
  class: GapClass;
  note?: string;
}

export interface TimelineReport {
  timeline: number;
  first: string;
  last: string;
  segments: number;
  gaps: Gap[];
  parent: number | null;
  switchLsn: string | null;
}

export interface Anomaly {
  name: string;
  kind: string;
  message: string;
}

export interface RecoveryWindow {
  backup: string;
  from: { lsn: string | null; time: string | null };
  to: { wal: string; time: null };
  /** timelines followed, oldest first */
  timelines: number[];
}

export interface ArchiveReport {
  location: string;
  layout: Layout;
  segmentSize: number;
  segmentSizeSource: 'option' | 'file sizes' | 'names' | 'assumed';
  complete: boolean;
  /** why not complete, in plain words */
  problems: string[];
  listingComplete: boolean;
  timelines: TimelineReport[];
  backups: BackupInfo[];
  windows: RecoveryWindow[];
  anomalies: Anomaly[];
  /** newest segment of the newest timeline */
  latest: string | null;
}

/** Reads a listing and the small metadata files, then analyses. */
export async function analyseArchive(source: ArchiveSource, options: AnalysisOptions = {}): Promise<ArchiveReport> {
  const contents = await collectListing(source, options.signal, options.onEntry);
  const { outcome, layout, timelines } = contents;
  const problems: string[] = [];
  if (!outcome.complete)
    problems.push(`the listing is incomplete (${outcome.error ?? 'stopped early'}): missing files prove nothing`);
  const anomalies = listingAnomalies(contents);

  const size = inferSegmentSize(timelines, options.segmentSize);
  const { segSize, segmentSizeSource } = size;
  if (size.anomaly) anomalies.push(size.anomaly);
  const perId = segmentsPerId(segSize);

  const histories = await readHistories(source, contents.histories, layout);
  anomalies.push(...histories.anomalies);
  const historyOf = histories.historyOf;
  const catalog = await readBackups(source, contents.backupHistories, contents.metadata, layout, segSize);
  anomalies.push(...catalog.anomalies);
  const backups = catalog.backups;

  const runs = timelineRuns(timelines, segSize, perId, historyOf, options, layout);
  anomalies.push(...runs.anomalies);
  const { reports, segnosOf } = runs;
  addInFlightTail(reports, segnosOf, segSize, perId, options);

  // not Math.max(...spread): an archive can name more timelines than a call takes arguments
  const maxTli = reports.reduce((m, r) => Math.max(m, r.timeline), 0);
  const foreign = foreignTimelineAnomaly(maxTli, options.serverTimeline);
  if (foreign) anomalies.push(foreign);
  const latestReport = reports.find((r) => r.timeline === maxTli);
  const latest = latestReport ? latestReport.last : null;

  const w = recoveryWindows(backups, segnosOf, historyOf, maxTli, segSize, perId);
  anomalies.push(...w.anomalies);
  const windows = w.windows;
  problems.push(...archiveProblems(reports, backups, windows, latest, segSize, perId, outcome.complete));

  const complete = outcome.complete && problems.length === 0;
  return {
    location: source.location,
    layout,
    segmentSize: segSize,
    segmentSizeSource,
    complete,
    problems,
    listingComplete: outcome.complete,
    timelines: reports,
    backups,
    windows,
    anomalies,
    latest,
  };
}
