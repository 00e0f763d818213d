// The recovery target flags shared by `pg-pitr recovery-config` and `pg-pitr drill`
// (--target-*, --inclusive, --timeline): one reading, one set of usage errors.
import type { RecoveryRequest, RecoveryTarget } from '../core/recovery/types';
import { UsageError } from './usageError';

interface TargetFlags {
  'target-time'?: string;
  'target-xid'?: string;
  'target-lsn'?: string;
  'target-name'?: string;
  'target-immediate'?: boolean;
}

/** The target the flags name; latest when none does (the caller checks that at most one is given). */
export function targetFromArgs(v: TargetFlags): RecoveryTarget {
  if (v['target-time'] !== undefined) return { kind: 'time', time: v['target-time'] };
  if (v['target-xid'] !== undefined) return { kind: 'xid', xid: v['target-xid'] };
  if (v['target-lsn'] !== undefined) return { kind: 'lsn', lsn: v['target-lsn'] };
  if (v['target-name'] !== undefined) return { kind: 'name', name: v['target-name'] };
  return v['target-immediate'] ? { kind: 'immediate' } : { kind: 'latest' };
}

/** --inclusive true|false, or undefined when not given. */
export function inclusiveFromArgs(given: string | undefined): boolean | undefined {
  if (given === undefined) return undefined;
  if (given !== 'true' && given !== 'false') throw new UsageError(`--inclusive must be true or false (got "${given}")`);
  return given === 'true';
}

/** --timeline latest|current|N, or undefined when not given. */
export function timelineFromArgs(given: string | undefined): RecoveryRequest['timeline'] {
  if (given === undefined) return undefined;
  if (given === 'latest' || given === 'current') return given;
  if (/^[1-9][0-9]{0,9}$/.test(given)) return Number(given);
  throw new UsageError(`--timeline must be latest, current or a timeline number (got "${given}")`);
}
