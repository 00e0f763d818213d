import { commandSetting } from '../shellSettings';
import type { Rule } from '../types';

// "It is important that the archive command return zero exit status if and only if it succeeds."
export const archiveCommandAlwaysSucceeds: Rule = {
  id: 'archive-command-always-succeeds',
  severity: 'error',
  summary: 'archive_command whose exit status is always 0',
  docPage: 'continuous-archiving.html#BACKUP-ARCHIVING-WAL',
  check(ctx) {
    const s = commandSetting(ctx, 'archive_command');
    if (!s || s.facts.canFail) return [];
    return [
      ctx.finding(
        this,
        s.e.item,
        `archive_command can never report a failure: ${s.facts.alwaysSucceedsReason}. PostgreSQL then deletes or recycles segments that were never archived, leaving holes no recovery can cross.`,
        {
          range: ctx.valueRange(s.e.item),
        },
      ),
    ];
  },
};
