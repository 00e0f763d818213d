import { activeTargets } from '../recoveryTargets';
import type { Rule } from '../types';

export const recoveryTargetOnStandby: Rule = {
  id: 'recovery-target-on-standby',
  severity: 'warning',
  majors: [12, 18],
  summary: 'a recovery target on a standby (standby.signal)',
  docPage: 'runtime-config-wal.html#RUNTIME-CONFIG-WAL-RECOVERY-TARGET',
  check(ctx) {
    const t = activeTargets(ctx)[0];
    if (!t || !ctx.dataDir?.hasStandbySignal) return [];
    return [
      ctx.finding(
        this,
        t.item,
        `${t.item.name} is set in a standby's configuration (standby.signal): the standby stops following ` +
          `the primary at that target, which is rarely wanted for a standby.`,
        { range: ctx.nameRange(t.item) },
      ),
    ];
  },
};
