import { archiveModeEnabled } from '../settingValues';
import { commandSetting } from '../shellSettings';
import type { Rule } from '../types';

// "It is important that the archive command return zero exit status if and only if it succeeds."
// A no-op such as '/bin/true' with archive_mode off archives nothing on purpose and is left alone.
export const archiveCommandAlwaysSucceeds: Rule = {
  id: 'archive-command-always-succeeds',
  severity: 'error',
  summary:
    'archive_command that reports success without archiving: always, or on some path (`|| true`, `exit 0`, `test ! -f FLAG || …`)',
  docPage: 'continuous-archiving.html#BACKUP-ARCHIVING-WAL',
  check(ctx) {
    const s = commandSetting(ctx, 'archive_command');
    if (!s) return [];
    const { facts } = s;
    const at = { range: ctx.valueRange(s.e.item) };
    if (!facts.canFail) {
      if (facts.noOp && !archiveModeEnabled(ctx.value('archive_mode'))) return [];
      const what = facts.noOp
        ? 'archive_command archives nothing and always reports success'
        : 'archive_command can never report a failure';
      return [
        ctx.finding(
          this,
          s.e.item,
          `${what}: ${facts.alwaysSucceedsReason}. PostgreSQL then deletes or recycles segments that were never archived, leaving holes no recovery can cross.`,
          at,
        ),
      ];
    }
    if (facts.idleSuccess) {
      const when = facts.idleSuccess.when ? `when ${facts.idleSuccess.when}` : 'on some path';
      return [
        ctx.finding(
          this,
          s.e.item,
          `archive_command reports success without archiving anything ${when}: PostgreSQL takes that ` +
            `as "archived" and recycles the segment, so on that path WAL is lost and point-in-time recovery cannot ` +
            `cross the gap. Fail (exit 1) instead, or archive on every path.`,
          at,
        ),
      ];
    }
    return [];
  },
};
