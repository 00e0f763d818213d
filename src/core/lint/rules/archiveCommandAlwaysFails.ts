import { archiveModeEnabled } from '../settingValues';
import { commandSetting } from '../shellSettings';
import type { Rule } from '../types';

// Every failure makes the archiver retry the same segment; nothing later is archived, and WAL
// stays in pg_wal until the disk is full (then PostgreSQL stops with a PANIC).
export const archiveCommandAlwaysFails: Rule = {
  id: 'archive-command-always-fails',
  severity: 'error',
  summary:
    'archive_command that can never succeed (`false`, `exit 1`, a line /bin/sh cannot parse): archiving stalls and pg_wal fills the disk',
  docPage: 'continuous-archiving.html#BACKUP-ARCHIVING-WAL',
  check(ctx) {
    const s = commandSetting(ctx, 'archive_command');
    if (!s || s.facts.canSucceed) return [];
    if (s.facts.noOp && !archiveModeEnabled(ctx.value('archive_mode'))) return [];
    const why =
      s.facts.parseErrors.length > 0
        ? `/bin/sh refuses the line (${s.facts.parseErrors[0]}) and exits with status 2`
        : 'every path of the command ends with a non-zero status';
    return [
      ctx.finding(
        this,
        s.e.item,
        `archive_command can never succeed: ${why}. The archiver retries the same segment forever, nothing ` +
          `after it is archived, and WAL piles up in pg_wal until the file system is full and the server stops.`,
        {
          range: ctx.valueRange(s.e.item),
        },
      ),
    ];
  },
};
