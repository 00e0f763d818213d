// WAL naming, LSNs, timeline and backup history files: editor-independent, no I/O.
export { type ArchiveName, classifyArchiveName, type Compression, COMPRESSIONS } from './archiveFileName';
export {
  type BackupHistory,
  parseBackupHistory,
  type ParseBackupHistoryOptions,
  parseBackupTime,
} from './backupHistory';
export { formatLsn, isLsn, type Lsn, MAX_LSN, parseLsn } from './lsn';
export {
  DEFAULT_SEGMENT_SIZE,
  formatSegmentName,
  impliedSegmentSizes,
  isSegmentFileName,
  isValidSegmentSize,
  lsnOfSegmentStart,
  MAX_SEGMENT_SIZE,
  MAX_TIMELINE,
  maxSegno,
  MIN_SEGMENT_SIZE,
  nextSegment,
  parseSegmentName,
  previousSegment,
  SEGMENT_SIZES,
  type SegmentName,
  segmentOfEndLsn,
  segmentOffsetOfLsn,
  segmentOfLsn,
  segmentsPerId,
  segnoDistance,
} from './segmentNames';
export {
  parseTimelineHistory,
  switchPointOf,
  type TimelineHistory,
  type TimelineHistoryEntry,
  timelineHistoryFileName,
  timelineOfLsn,
  timelinesOf,
} from './timelineHistory';
