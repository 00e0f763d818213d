import type { Rule } from '../types';

// The check hook uses strtou64 without an end check: 'abc' silently becomes transaction 0.
export const recoveryTargetXidFormat: Rule = {
  id: 'recovery-target-xid-format',
  severity: 'error',
  summary: 'recovery_target_xid that is not a transaction number',
  docPage: 'runtime-config-wal.html#GUC-RECOVERY-TARGET-XID',
  check(ctx) {
    const e = ctx.effective('recovery_target_xid');
    if (!e || e.value === '' || /^\s*([0-9]+|0[xX][0-9a-fA-F]+)\s*$/.test(e.value)) return [];
    return [
      ctx.finding(
        this,
        e.item,
        `recovery_target_xid = '${e.value}' is not a transaction id: the server accepts it without complaint ` +
          `but reads only its leading digits (nothing: 0), so recovery would not stop where you expect.`,
        { range: ctx.valueRange(e.item) },
      ),
    ];
  },
};
