import { commandSetting, idempotentArchiveCommand, localArchiveDir } from '../shellSettings';
import type { Rule } from '../types';

// Exit 0 lets PostgreSQL recycle the segment; if the copy is still only in the page cache and the
// archive host crashes, the segment is lost.
export const archiveCommandNotDurable: Rule = {
  id: 'archive-command-not-durable',
  severity: 'warning',
  summary: 'archive_command copies without syncing the archived file to disk',
  docPage: 'continuous-archiving.html#BACKUP-ARCHIVING-WAL',
  check(ctx) {
    const s = commandSetting(ctx, 'archive_command');
    // archiving tools sync by themselves, unless told not to (pg_probackup --no-sync)
    if (!s || s.facts.durable || (!s.facts.tool && (s.facts.wrapperScript || s.facts.copies.length === 0))) return [];
    const dir = localArchiveDir(s.facts);
    return [
      ctx.finding(
        this,
        s.e.item,
        `archive_command reports success before the archived copy is on disk (${s.facts.notDurableReason ?? 'nothing syncs what it writes'}): ` +
          `PostgreSQL then recycles the segment, and a crash of the archive host loses it. ${s.facts.tool ? 'Let the tool sync (drop --no-sync).' : 'Copy to a temporary name, sync, rename (or use an archiving tool).'}`,
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
