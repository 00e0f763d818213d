import { commandSetting } from '../shellSettings';
import type { Rule } from '../types';

// pg_xlog was renamed pg_wal in PostgreSQL 10.
export const archiveCommandHardcodedWalDir: Rule = {
  id: 'archive-command-hardcoded-wal-dir',
  severity: 'error',
  summary: 'archive_command reads from pg_xlog/, which is pg_wal/ since PostgreSQL 10',
  docPage: 'runtime-config-wal.html#GUC-ARCHIVE-COMMAND',
  check(ctx) {
    const s = commandSetting(ctx, 'archive_command');
    if (!s || !/pg_xlog\//.test(s.e.value)) return [];
    return [
      ctx.finding(
        this,
        s.e.item,
        'archive_command reads from pg_xlog/, which PostgreSQL 10 renamed pg_wal/: every attempt fails ' +
          'with "No such file or directory" and archiving is stuck. Use %p, the path PostgreSQL passes.',
        {
          range: ctx.valueRange(s.e.item),
          fix: {
            title: 'Use pg_wal/',
            edits: [ctx.replaceValue(s.e.item, s.e.value.replace(/pg_xlog\//g, 'pg_wal/'))],
            preferred: true,
          },
        },
      ),
    ];
  },
};
