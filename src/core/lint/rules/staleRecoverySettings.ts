import { activeTargets } from '../recoveryTargets';
import type { Rule } from '../types';

// Without a signal file targets are ignored, but the next recovery (or a clone of this config) uses them.
export const staleRecoverySettings: Rule = {
  id: 'stale-recovery-settings',
  severity: 'information',
  majors: [12, 18],
  summary: 'a recovery target left in the configuration of a server that is not recovering',
  docPage: 'runtime-config-wal.html#RUNTIME-CONFIG-WAL-RECOVERY-TARGET',
  check(ctx) {
    const d = ctx.dataDir;
    if (!d || d.hasRecoverySignal || d.hasStandbySignal) return [];
    return activeTargets(ctx).map((t) =>
      ctx.finding(
        this,
        t.item,
        `${t.item.name} is set but this data directory is not in recovery (no recovery.signal): it is ` +
          `ignored now, and silently applied to the next recovery or to any copy restored with this configuration. ` +
          `Remove it once the recovery is done.`,
        {
          range: ctx.nameRange(t.item),
          fix: { title: `Comment out ${t.item.name}`, edits: [ctx.commentOut(t.item)] },
        },
      ),
    );
  },
};
