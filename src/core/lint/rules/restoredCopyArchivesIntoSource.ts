import { commandSetting } from '../shellSettings';
import type { Finding, Rule } from '../types';
import { archivingCommand, restoresACopy } from '../walLocations';

// After promotion a restored copy writes its new timeline (history file and segments) into the
// archive it was restored from; production's next recovery with recovery_target_timeline =
// latest may follow that foreign timeline.
export const restoredCopyArchivesIntoSource: Rule = {
  id: 'restored-copy-archives-into-source',
  severity: 'warning',
  majors: [12, 18],
  summary: 'a restored copy that still archives into the archive it restores from',
  docPage: 'continuous-archiving.html#BACKUP-PITR-RECOVERY',
  check(ctx): Finding[] {
    const why = restoresACopy(ctx);
    const a = archivingCommand(ctx);
    const r = commandSetting(ctx, 'restore_command');
    if (!why || !a || !r) return [];
    const from = r.facts.restoreLocation;
    if (!from || !a.facts.archiveLocations.some((l) => l.key === from.key)) return [];
    return [
      ctx.finding(
        this,
        a.e.item,
        `This configuration restores a copy (${why}) and archive_command writes into the archive restore_command reads from (${from.display}): ` +
          `once the copy is promoted, its new timeline's history file and WAL land in that archive, where they can ` +
          `collide with the original server's and lead its next recovery (recovery_target_timeline = latest) onto ` +
          `the copy's timeline. Archive the copy elsewhere, or set archive_mode = off while restoring.`,
        {
          range: ctx.valueRange(a.e.item),
        },
      ),
    ];
  },
};
