// WAL naming, LSNs, timeline and backup history files: editor-independent, no I/O.
export { MAX_LSN, formatLsn, isLsn, parseLsn, type Lsn } from './lsn';
export {
  DEFAULT_SEGMENT_SIZE,
  MAX_SEGMENT_SIZE,
  MAX_TIMELINE,
  MIN_SEGMENT_SIZE,
  SEGMENT_SIZES,
  formatSegmentName,
  impliedSegmentSizes,
  isSegmentFileName,
  isValidSegmentSize,
  lsnOfSegmentStart,
  maxSegno,
  nextSegment,
  parseSegmentName,
  previousSegment,
  segmentOfEndLsn,
  segmentOfLsn,
  segmentOffsetOfLsn,
  segmentsPerId,
  segnoDistance,
  type SegmentName,
} from './segmentNames';
export { COMPRESSIONS, classifyArchiveName, type ArchiveName, type Compression } from './archiveFileName';
export {
  parseTimelineHistory,
  switchPointOf,
  timelineHistoryFileName,
  timelineOfLsn,
  timelinesOf,
  type TimelineHistory,
  type TimelineHistoryEntry,
} from './timelineHistory';
export {
  parseBackupHistory,
  parseBackupTime,
  type BackupHistory,
  type ParseBackupHistoryOptions,
} from './backupHistory';
