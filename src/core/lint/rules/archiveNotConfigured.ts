import { archiveModeEnabled } from '../settingValues';
import type { Rule } from '../types';

// With archive_mode on and nothing to archive with, WAL accumulates in pg_wal until the disk fills.
export const archiveNotConfigured: Rule = {
  id: 'archive-not-configured',
  severity: 'warning',
  summary:
    'archive_mode is on but neither archive_command nor archive_library is set: pg_wal grows until the disk is full',
  docPage: 'continuous-archiving.html#BACKUP-ARCHIVING-WAL',
  check(ctx) {
    const mode = ctx.effective('archive_mode');
    if (!mode || !archiveModeEnabled(mode.value)) return [];
    if ((ctx.value('archive_command') ?? '') !== '') return [];
    if (ctx.major >= 15 && (ctx.value('archive_library') ?? '') !== '') return [];
    return [
      ctx.finding(
        this,
        mode.item,
        `archive_mode is ${mode.value} but ${ctx.major >= 15 ? 'neither archive_command nor archive_library is set' : 'archive_command is empty'}: ` +
          `archiving is "temporarily disabled" while the server keeps every WAL segment, so pg_wal grows until the ` +
          `file system is full and the server stops (PANIC). Set an archive_command, or turn archive_mode off.`,
        {
          range: ctx.valueRange(mode.item),
        },
      ),
    ];
  },
};
