import { commandSetting, idempotentArchiveCommand, isTrusted, localArchiveDir } from '../shellSettings';
import type { Rule } from '../types';

// After a crash PostgreSQL re-archives segments that are already archived (16+ does not make
// .done durable); a plain `test ! -f` then fails forever: archiving stalls and pg_wal fills the disk.
export const archiveCommandGuardNotIdempotent: Rule = {
  id: 'archive-command-guard-not-idempotent',
  severity: 'warning',
  summary: 'a `test ! -f` guard that fails forever when the same segment is archived again',
  docPage: 'continuous-archiving.html#BACKUP-ARCHIVING-WAL',
  check(ctx) {
    const s = commandSetting(ctx, 'archive_command');
    if (!s || isTrusted(s.facts) || s.facts.guards.length === 0 || s.facts.comparesContent) return [];
    const dir = localArchiveDir(s.facts);
    return [
      ctx.finding(
        this,
        s.e.item,
        `archive_command refuses any existing file, even an identical one. After a crash PostgreSQL archives some segments again${ctx.major >= 16 ? ' (more often since 16)' : ''} ` +
          `and expects success when the archived copy is identical; this guard fails forever instead, archiving ` +
          `stalls and WAL piles up until the disk is full (one public incident: 39 hours, 887 GB). Succeed when ` +
          `the existing file is identical (cmp -s), fail when it differs.`,
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
