import { isOff, walLevel } from '../settingValues';
import type { Rule } from '../types';

// pg_rewind needs wal_log_hints or data checksums; checksums are the initdb default only from 18.
export const walLogHintsOff: Rule = {
  id: 'wal-log-hints-off',
  severity: 'information',
  majors: [10, 17],
  summary: 'wal_log_hints = off: pg_rewind cannot be used unless the cluster has data checksums',
  docPage: 'runtime-config-wal.html#GUC-WAL-LOG-HINTS',
  check(ctx) {
    const e = ctx.effective('wal_log_hints');
    if (!e || !isOff(e.value) || walLevel(ctx.value('wal_level')) === 'minimal') return [];
    return [
      ctx.finding(
        this,
        e.item,
        'wal_log_hints = off: after a failover, pg_rewind can resynchronise this server only if the cluster ' +
          'was initialised with data checksums. Turn it on (restart needed) or enable checksums with pg_checksums.',
        {
          range: ctx.valueRange(e.item),
          fix: { title: "Set wal_log_hints = 'on'", edits: [ctx.replaceValue(e.item, 'on')], preferred: true },
        },
      ),
    ];
  },
};
