import type { Rule } from '../types';

export const recoveryActionShutdown: Rule = {
  id: 'recovery-action-shutdown',
  severity: 'warning',
  majors: [12, 18],
  summary: "recovery_target_action = 'shutdown' leaves recovery.signal behind",
  docPage: 'runtime-config-wal.html#GUC-RECOVERY-TARGET-ACTION',
  check(ctx) {
    const e = ctx.effective('recovery_target_action');
    if (!e || e.value.toLowerCase() !== 'shutdown') return [];
    return [
      ctx.finding(
        this,
        e.item,
        "recovery_target_action = 'shutdown' stops the server at the target without removing recovery.signal: " +
          'every later start replays to the target and shuts down again, until you change the configuration or remove recovery.signal.',
        { range: ctx.valueRange(e.item) },
      ),
    ];
  },
};
