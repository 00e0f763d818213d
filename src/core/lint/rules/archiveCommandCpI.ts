import { commandSetting } from '../shellSettings';
import type { Rule } from '../types';

// "GNU cp will return status zero when -i is used and the target file already exists".
export const archiveCommandCpI: Rule = {
  id: 'archive-command-cp-i',
  severity: 'warning',
  summary: '`cp -i` as an overwrite guard returns success without copying',
  docPage: 'continuous-archiving.html#BACKUP-ARCHIVING-WAL',
  check(ctx) {
    const s = commandSetting(ctx, 'archive_command');
    // an explicit existence test before it already keeps cp from meeting an existing file
    if (!s || !s.facts.usesCpI || s.facts.guards.length > 0) return [];
    return [
      ctx.finding(
        this,
        s.e.item,
        'archive_command uses cp -i: with no terminal to ask, GNU cp returns success when the target ' +
          'exists, so PostgreSQL believes a segment was archived when nothing was written. Use an explicit existence test instead.',
        { range: ctx.valueRange(s.e.item) },
      ),
    ];
  },
};
