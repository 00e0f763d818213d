import { activeTargets } from '../recoveryTargets';
import type { Rule } from '../types';

export const recoveryTargetInclusiveNoEffect: Rule = {
  id: 'recovery-target-inclusive-no-effect',
  severity: 'information',
  summary: 'recovery_target_inclusive only matters for time, xid and lsn targets',
  docPage: 'runtime-config-wal.html#GUC-RECOVERY-TARGET-INCLUSIVE',
  check(ctx) {
    const inc = ctx.effective('recovery_target_inclusive');
    if (!inc) return [];
    const kinds = activeTargets(ctx).map((t) => t.param?.name);
    if (kinds.some((k) => k === 'recovery_target_time' || k === 'recovery_target_xid' || k === 'recovery_target_lsn'))
      return [];
    const immediate = activeTargets(ctx).some((t) => t.param?.name === 'recovery_target' && t.value === 'immediate');
    if (immediate) {
      return [
        ctx.finding(
          this,
          inc.item,
          "recovery_target_inclusive contradicts recovery_target = 'immediate': recovery stops as soon " +
            'as a consistent state is reached, so there is no target record to include or exclude. Remove recovery_target_inclusive, ' +
            'or use a time, xid or lsn target.',
          {
            range: ctx.nameRange(inc.item),
            severity: 'warning',
          },
        ),
      ];
    }
    const what = kinds.length === 0 ? 'no recovery target is set' : `the target is ${kinds[0]}`;
    return [
      ctx.finding(
        this,
        inc.item,
        `recovery_target_inclusive has no effect here: ${what}; it applies only to recovery_target_time, recovery_target_xid and recovery_target_lsn.`,
        { range: ctx.nameRange(inc.item) },
      ),
    ];
  },
};
