import { intValue, walLevel } from '../settingValues';
import type { Rule } from '../types';

// Each pg_basebackup needs a walsender, plus one more with -X stream (the default).
export const maxWalSendersTooLow: Rule = {
  id: 'max-wal-senders-too-low',
  severity: 'warning',
  summary: 'max_wal_senders below 2 leaves no room for pg_basebackup -X stream',
  docPage: 'runtime-config-replication.html#GUC-MAX-WAL-SENDERS',
  check(ctx) {
    const e = ctx.effective('max_wal_senders');
    if (!e || walLevel(ctx.value('wal_level')) === 'minimal') return [];
    const n = intValue(e.value, null, ctx.major);
    if (n === undefined || n >= 2) return [];
    return [
      ctx.finding(
        this,
        e.item,
        `max_wal_senders = ${n}: pg_basebackup needs one WAL sender for the backup and one more to stream ` +
          `WAL (-X stream, its default); it fails with "number of requested standby connections exceeds max_wal_senders". ` +
          `Allow at least 2 plus one per standby (restart needed).`,
        {
          range: ctx.valueRange(e.item),
          fix: { title: "Set max_wal_senders = '10'", edits: [ctx.replaceValue(e.item, '10')], preferred: true },
        },
      ),
    ];
  },
};
