// Which recovery target is set, for the recovery rules.
import type { Effective, RuleContext } from './types';

export const TARGET_PARAMETERS = [
  'recovery_target',
  'recovery_target_lsn',
  'recovery_target_name',
  'recovery_target_time',
  'recovery_target_xid',
] as const;

/** The non-empty recovery targets, in the order they are effective. */
export function activeTargets(ctx: RuleContext): Effective[] {
  return TARGET_PARAMETERS.map((n) => ctx.effective(n)).filter(
    (e): e is Effective => e !== undefined && e.value !== '',
  );
}
