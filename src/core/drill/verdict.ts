// Did the recovery reach the requested point? A drill succeeds only when it did, not merely when
// the server came up: the server's "recovery stopping ..." line must be there for a target (10-12
// promote silently at the end of the WAL when the target lies beyond it), and for "latest" the
// replay must have reached the last archived segment (a hole in the archive ends recovery early,
// and the server promotes there without a word). The archive listing tells a hole from the end.
import type { ArchiveReport } from '../archive/archiveAnalysis';
import type { RecoveryTarget } from '../recovery/types';
import { parseLsn } from '../wal/lsn';
import { formatSegmentName, segmentOfLsn } from '../wal/segmentNames';
import { isArchived, lastArchived, segmentAfter } from './archiveFacts';
import type { ServerLogFacts } from './serverLog';
import type { DrillFailure, DrillReport } from './types';

export interface PromotedState {
  replayLsn: string | null;
  lastXactTime: string | null;
  timeline: number | null;
}

export interface VerdictInput {
  major: number;
  target: RecoveryTarget;
  /** the target as written ('2026-12-01 10:00:00+00:00', a name, an LSN), null for latest/immediate */
  targetText: string | null;
  log: ServerLogFacts;
  /** null when the server stopped before it promoted */
  promoted: PromotedState | null;
  backupTimeline: number;
  backupStartWal: string | null;
  archive: ArchiveReport | null;
  segmentSize: number;
}

export interface Verdict {
  reached: DrillReport['reached'];
  failure: DrillFailure | null;
  notes: string[];
}

const fail = (kind: DrillFailure['kind'], message: string, segment: string | null = null): DrillFailure => ({
  kind,
  message,
  segment,
});

function describeTarget(t: RecoveryTarget, text: string | null): string {
  switch (t.kind) {
    case 'name':
      return `restore point "${t.name}"`;
    case 'time':
      return `time ${text ?? t.time}`;
    case 'xid':
      return `transaction ${text ?? t.xid}`;
    case 'lsn':
      return `LSN ${text ?? t.lsn}`;
    case 'immediate':
      return 'the end of the base backup (immediate)';
    case 'latest':
      return 'the end of the archive (latest)';
  }
}

/** The segment replay was in when it stopped, on the timeline it was replaying. */
function stopSegment(inp: VerdictInput): string | null {
  const at = inp.log.redoDoneAt ?? inp.promoted?.replayLsn ?? null;
  const lsn = at ? parseLsn(at) : null;
  if (lsn === null) return inp.log.lastRestoredSegment;
  const last = inp.log.lastRestoredSegment;
  const tli = last ? parseInt(last.slice(0, 8), 16) : inp.backupTimeline;
  // "redo done at" is the start of the last record replayed; the read that failed is in the next segment
  return formatSegmentName(tli, segmentOfLsn(lsn, inp.segmentSize), inp.segmentSize);
}

/** A hole right after where replay stopped: the first missing segment, or null when the archive ends there (or is not known). */
function holeAfter(inp: VerdictInput, stopSeg: string | null): DrillFailure | null {
  if (!inp.archive || stopSeg === null) return null;
  const next = segmentAfter(stopSeg, inp.segmentSize);
  if (next === null) return null;
  const tli = parseInt(stopSeg.slice(0, 8), 16);
  const last = lastArchived(inp.archive, tli);
  if (last === null || last < next) return null;
  const lastReplayed = inp.log.lastRestoredSegment ?? stopSeg;
  if (!isArchived(inp.archive, next)) {
    return fail(
      'missing-wal',
      `WAL segment ${next} is missing from the archive ${inp.archive.location}: replay stopped after ${lastReplayed}, ` +
        `although the archive goes on to ${last}; everything after the hole is unreachable from this backup`,
      next,
    );
  }
  const why = inp.log.walReadProblems.length ? ` (the server: ${inp.log.walReadProblems.join('; ')})` : '';
  return fail(
    'missing-wal',
    `WAL segment ${next} is in the archive but could not be restored or read: replay stopped after ${lastReplayed}${why}; ` +
      `check that restore_command reads it back and that the file is intact`,
    next,
  );
}

export function judgeRecovery(inp: VerdictInput): Verdict {
  const { log, promoted, target } = inp;
  const notes: string[] = [];
  const what = describeTarget(target, inp.targetText);
  const stopSeg = stopSegment(inp);
  const reached: DrillReport['reached'] =
    promoted || log.redoDoneAt
      ? {
          lsn: promoted?.replayLsn ?? log.redoDoneAt,
          time: log.stop?.time ?? log.lastCompletedTime ?? promoted?.lastXactTime ?? null,
          timeline: promoted ? (log.newTimeline ?? promoted.timeline) : null,
          stoppedBy: log.stop ? log.stop.text : promoted ? 'end of WAL' : null,
        }
      : null;
  if (!inp.archive)
    notes.push('the archive was not listed: a hole in it cannot be told from its end (give --archive LOCATION)');

  if (promoted === null) {
    const fatal = log.fatal.join('\n');
    if (/recovery ended before configured recovery target was reached/.test(fatal)) {
      const hole = holeAfter(inp, stopSeg);
      if (hole) return { reached, failure: hole, notes };
      return {
        reached,
        failure: fail(
          'target-not-reached',
          `recovery ended at ${log.redoDoneAt ?? '?'} (last transaction ${log.lastCompletedTime ?? 'unknown'}) before reaching ${what}: ` +
            `the target lies beyond the archived WAL${stopSeg ? ` (the last segment replayed is ${log.lastRestoredSegment ?? stopSeg})` : ''}`,
        ),
        notes,
      };
    }
    if (/requested recovery stop point is before consistent recovery point/.test(fatal)) {
      return {
        reached,
        failure: fail(
          'target-before-backup-end',
          `${what} is before the end of the base backup (consistent at ${log.consistentAt ?? '?'}): a ` +
            `backup can only recover to points after it ended; use an older backup`,
        ),
        notes,
      };
    }
    if (
      /could not locate required checkpoint record|could not find redo location|could not locate a valid checkpoint record/.test(
        fatal,
      )
    ) {
      const seg = inp.backupStartWal;
      return {
        reached,
        failure: fail(
          'missing-wal',
          `the WAL the backup starts in${seg ? `, ${seg},` : ''} could not be restored: the server cannot ` +
            `even find the backup's checkpoint (${log.fatal[0] ?? ''})`,
          seg,
        ),
        notes,
      };
    }
    if (/WAL ends before (end of online backup|consistent recovery point)/.test(fatal)) {
      const seg = log.lastRestoredSegment ? segmentAfter(log.lastRestoredSegment, inp.segmentSize) : inp.backupStartWal;
      return {
        reached,
        failure: fail(
          'missing-wal',
          `the WAL written during the backup is incomplete: ${seg ?? 'a segment'} could not be restored${log.lastRestoredSegment ? ` after ${log.lastRestoredSegment}` : ''}, ` +
            `so the copy never became consistent`,
          seg,
        ),
        notes,
      };
    }
    const lines = log.fatal.length ? log.fatal.join(' / ') : 'it exited without a FATAL line (see server.log)';
    return {
      reached,
      failure: fail(
        'startup-failed',
        `the scratch server stopped before recovering: ${lines}. HINT: --set NAME=VALUE changes a setting ` +
          `in the scratch copy only (e.g. --set shared_preload_libraries='' when a library is missing on this host, ` +
          `--set shared_buffers=128MB)`,
      ),
      notes,
    };
  }

  if (target.kind === 'latest') {
    const hole = holeAfter(inp, stopSeg);
    if (hole) return { reached, failure: hole, notes };
    return { reached, failure: null, notes };
  }
  if (!log.stop) {
    const hole = holeAfter(inp, stopSeg);
    if (hole) return { reached, failure: hole, notes };
    const silent =
      inp.major <= 12
        ? `; PostgreSQL ${inp.major} ends recovery at the end of the WAL without an error when the target lies beyond it`
        : '';
    return {
      reached,
      failure: fail(
        'target-not-reached',
        `recovery ended at ${reached?.lsn ?? '?'} (last transaction ${reached?.time ?? 'unknown'}) without reaching ${what}: ` +
          `the target lies beyond the archived WAL${silent}`,
      ),
      notes,
    };
  }
  return { reached, failure: null, notes };
}
