import { activeTargets } from '../recoveryTargets';
import { isOff } from '../settingValues';
import type { Rule } from '../types';

// "If hot_standby is not enabled, a setting of pause will act the same as shutdown."
export const recoveryPauseWithoutHotStandby: Rule = {
  id: 'recovery-pause-without-hot-standby',
  severity: 'warning',
  summary: "recovery_target_action = 'pause' with hot_standby = off shuts the server down instead",
  docPage: 'runtime-config-wal.html#GUC-RECOVERY-TARGET-ACTION',
  check(ctx) {
    const hs = ctx.effective('hot_standby');
    if (!hs || !isOff(hs.value) || activeTargets(ctx).length === 0) return [];
    if ((ctx.value('recovery_target_action') ?? 'pause').toLowerCase() !== 'pause') return [];
    return [
      ctx.finding(
        this,
        hs.item,
        'A recovery target is set and recovery_target_action is pause (the default), but hot_standby ' +
          '= off: instead of pausing for you to inspect the data, the server shuts down at the target. Turn hot_standby ' +
          "on, or choose recovery_target_action = 'promote' or 'shutdown' explicitly.",
        {
          range: ctx.valueRange(hs.item),
          fix: { title: "Set hot_standby = 'on'", edits: [ctx.replaceValue(hs.item, 'on')], preferred: true },
        },
      ),
    ];
  },
};
