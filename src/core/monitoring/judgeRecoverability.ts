// The step checkServer takes after health: the RPO, the objectives judged against the archive and
// the RPO, and the mark the next check needs to tell a stalled archiver. Kept here so checkServer
// calls one function.
import type { ArchiveReport } from '../archive/archiveAnalysis';
import { type PreviousCheck, walWaitingSince } from '../server/health';
import type { CheckResult, HealthReason, ServerStatus } from '../server/types';
import { evaluateObjectives, objectiveReasons, type Objectives } from './objectives';
import { rpoOf } from './rpo';

export interface RecoverabilityOptions {
  objectives?: Objectives;
  previous?: PreviousCheck | null;
  /** see rpoOf (tests shorten it) */
  idleSlackSeconds?: number;
}

/** Fills result.rpo, result.objectives and result.waitingSince; returns the reasons violated objectives raise. */
export function judgeRecoverability(
  result: CheckResult,
  status: ServerStatus,
  report: ArchiveReport | null,
  opts: RecoverabilityOptions,
): HealthReason[] {
  result.rpo = rpoOf(status, report, { idleSlackSeconds: opts.idleSlackSeconds });
  result.waitingSince = walWaitingSince(status, report, opts.previous);
  result.objectives = evaluateObjectives(result, opts.objectives ?? {});
  return objectiveReasons(result.objectives);
}
