import { commandSetting, idempotentArchiveCommand, isTrusted, localArchiveDir } from '../shellSettings';
import type { Rule } from '../types';

// "Archive commands ... should generally be designed to refuse to overwrite any pre-existing
// archive file": protects the archive from a second cluster (or a restored copy) archiving into it.
export const archiveCommandNoOverwriteGuard: Rule = {
  id: 'archive-command-no-overwrite-guard',
  severity: 'warning',
  summary: 'archive_command overwrites an existing archived file without checking',
  docPage: 'continuous-archiving.html#BACKUP-ARCHIVING-WAL',
  check(ctx) {
    const s = commandSetting(ctx, 'archive_command');
    if (
      !s ||
      isTrusted(s.facts) ||
      s.facts.copies.length === 0 ||
      s.facts.guards.length > 0 ||
      s.facts.usesCpI ||
      s.facts.usesCpN
    )
      return [];
    const dir = localArchiveDir(s.facts);
    return [
      ctx.finding(
        this,
        s.e.item,
        'archive_command copies without checking whether the file is already in the archive: a second ' +
          'cluster, or a restored copy of this one, can silently overwrite archived WAL that a recovery needs. Refuse ' +
          'to overwrite a different file.',
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
