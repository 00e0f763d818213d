import { commandSetting } from '../shellSettings';
import type { Finding, Rule } from '../types';
import { archivingCommand } from '../walLocations';

// pg_archivecleanup removes everything before the standby's last restart point: fine for a
// standby-only archive, fatal for point-in-time recovery when it is the only archive.
export const archiveCleanupPrunesArchive: Rule = {
  id: 'archive-cleanup-prunes-archive',
  severity: 'warning',
  majors: [12, 18],
  summary: 'archive_cleanup_command prunes the only archive archive_command writes to',
  docPage: 'runtime-config-wal.html#GUC-ARCHIVE-CLEANUP-COMMAND',
  check(ctx): Finding[] {
    const a = archivingCommand(ctx);
    const c = commandSetting(ctx, 'archive_cleanup_command');
    if (!a || !c || a.facts.archiveLocations.length !== 1) return [];
    const pruned = c.facts.cleanupLocation;
    if (!pruned || pruned.key !== a.facts.archiveLocations[0].key) return [];
    return [
      ctx.finding(
        this,
        c.e.item,
        `archive_cleanup_command prunes ${pruned.display}, the only archive archive_command writes to: ` +
          `every segment older than the standby's last restart point is deleted, so point-in-time recovery can reach ` +
          `back no further than that, and base backups older than it become useless. Keep a separate archive for ` +
          `PITR, or leave the cleanup to a retention policy that knows your backups.`,
        {
          range: ctx.valueRange(c.e.item),
        },
      ),
    ];
  },
};
