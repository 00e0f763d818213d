import { commandSetting } from '../shellSettings';
import type { Finding, Rule } from '../types';
import { archivingCommand, restoresACopy } from '../walLocations';

// A standby, or a point-in-time restore of this server, reads WAL where restore_command says;
// if that is not where archive_command puts it, the WAL archived from now on is never found.
export const restoreArchiveMismatch: Rule = {
  id: 'restore-archive-mismatch',
  severity: 'warning',
  majors: [12, 18],
  summary: 'restore_command reads from another place than archive_command writes to',
  docPage: 'continuous-archiving.html#BACKUP-PITR-RECOVERY',
  check(ctx): Finding[] {
    const a = archivingCommand(ctx);
    const r = commandSetting(ctx, 'restore_command');
    if (!a || !r || restoresACopy(ctx)) return [];
    const from = r.facts.restoreLocation;
    // a local folder and another host's folder may be the same archive seen from two machines
    const comparable = a.facts.archiveLocations.filter((l) => from && l.kind === from.kind);
    if (!from || comparable.length === 0 || a.facts.archiveLocations.some((l) => l.key === from.key)) return [];
    const to = a.facts.archiveLocations.map((l) => l.display).join(' and ');
    return [
      ctx.finding(
        this,
        r.e.item,
        `restore_command reads WAL from ${from.display}, but archive_command writes it to ${to}: a standby ` +
          `or a point-in-time restore using this configuration looks in the wrong place and cannot find the WAL ` +
          `this server archives. Make both name the same archive (when this configuration deliberately restores ` +
          `another cluster's archive, set recovery.signal or a recovery target).`,
        {
          range: ctx.valueRange(r.e.item),
        },
      ),
    ];
  },
};
