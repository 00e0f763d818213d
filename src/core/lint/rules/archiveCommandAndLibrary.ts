import type { Rule } from '../types';

// 15: the library silently wins. 16+: the archiver dies with 'both "archive_command" and
// "archive_library" set' on every start and reload, and WAL piles up.
export const archiveCommandAndLibrary: Rule = {
  id: 'archive-command-and-library',
  severity: 'error',
  majors: [15, 18],
  summary: 'archive_command and archive_library both set',
  docPage: 'runtime-config-wal.html#GUC-ARCHIVE-LIBRARY',
  check(ctx) {
    const cmd = ctx.effective('archive_command');
    const lib = ctx.effective('archive_library');
    if (!cmd || !lib || cmd.value === '' || lib.value === '') return [];
    const message =
      ctx.major >= 16
        ? 'archive_command and archive_library are both set: the archiver process fails at every start ' +
          'and reload ("both "archive_command" and "archive_library" set") and nothing is archived while WAL piles ' +
          'up in pg_wal. Keep only one of them.'
        : 'archive_command and archive_library are both set: on PostgreSQL 15 archive_library silently ' +
          'wins and archive_command is ignored (16+ refuses the combination). Keep only one of them.';
    return [
      ctx.finding(this, lib.item, message, {
        severity: ctx.major >= 16 ? 'error' : 'warning',
        range: ctx.nameRange(lib.item),
        fix: { title: 'Empty archive_library (keep archive_command)', edits: [ctx.replaceValue(lib.item, '')] },
      }),
    ];
  },
};
