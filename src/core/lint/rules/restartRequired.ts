import type { Finding, Rule } from '../types';

const PITR_POSTMASTER = [
  'wal_level',
  'archive_mode',
  'max_wal_senders',
  'max_replication_slots',
  'wal_log_hints',
  'hot_standby',
  'summarize_wal',
];

// A reload does not apply these; the change waits for the next restart.
export const restartRequired: Rule = {
  id: 'restart-required',
  severity: 'hint',
  summary: 'archiving and replication settings that take effect only after a restart',
  docPage: 'view-pg-settings.html',
  check(ctx) {
    const out: Finding[] = [];
    for (const name of PITR_POSTMASTER) {
      const e = ctx.effective(name);
      if (!e || !e.param || e.param.context !== 'postmaster') continue;
      out.push(
        ctx.finding(
          this,
          e.item,
          `${e.param.name} takes effect only when the server restarts; a reload (pg_ctl reload, SELECT pg_reload_conf()) leaves the running value unchanged.`,
          { range: ctx.nameRange(e.item) },
        ),
      );
    }
    return out;
  },
};
