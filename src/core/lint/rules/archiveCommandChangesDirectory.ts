import { commandSetting } from '../shellSettings';
import type { Rule } from '../types';

// %p is relative to the data directory, the working directory PostgreSQL runs the command in.
export const archiveCommandChangesDirectory: Rule = {
  id: 'archive-command-changes-directory',
  severity: 'warning',
  summary: 'archive_command changes directory before using the relative path %p',
  docPage: 'runtime-config-wal.html#GUC-ARCHIVE-COMMAND',
  check(ctx) {
    const s = commandSetting(ctx, 'archive_command');
    if (!s || !s.facts.changesDirectoryBeforeP || !s.e.value.includes('%p')) return [];
    return [
      ctx.finding(
        this,
        s.e.item,
        'archive_command changes directory (cd) before it uses %p, but %p is a path relative to the data ' +
          'directory: after the cd it points nowhere and every attempt fails.',
        { range: ctx.valueRange(s.e.item) },
      ),
    ];
  },
};
