import { commandSetting, idempotentArchiveCommand, localArchiveDir } from '../shellSettings';
import type { Rule } from '../types';

// GNU cp -n skips an existing target and exits 0 (coreutils 9.1, Debian 12; 9.2-9.4 fail instead):
// a different file already in the archive is kept and the new segment counts as archived.
export const archiveCommandCpN: Rule = {
  id: 'archive-command-cp-n',
  severity: 'warning',
  summary: '`cp -n` skips an existing archived file and still reports success',
  docPage: 'continuous-archiving.html#BACKUP-ARCHIVING-WAL',
  check(ctx) {
    const s = commandSetting(ctx, 'archive_command');
    if (!s || !s.facts.usesCpN || s.facts.guards.length > 0) return [];
    const dir = localArchiveDir(s.facts);
    return [
      ctx.finding(
        this,
        s.e.item,
        'archive_command uses cp -n: when a file of that name is already archived, GNU cp skips the copy ' +
          'and exits 0 on many coreutils versions (9.1 does), even when that file differs, e.g. written by another ' +
          'cluster. PostgreSQL then recycles a segment that was never archived. Compare the existing file instead ' +
          '(cmp -s) and fail when it differs.',
        {
          range: ctx.valueRange(s.e.item),
          fix: dir
            ? {
                title: `Replace with a durable, idempotent copy to ${dir}`,
                edits: [ctx.replaceValue(s.e.item, idempotentArchiveCommand(dir))],
                preferred: true,
              }
            : null,
        },
      ),
    ];
  },
};
