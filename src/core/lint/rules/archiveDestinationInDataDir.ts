import * as path from 'node:path';

import { commandSetting, isTrusted } from '../shellSettings';
import type { Rule } from '../types';

// An archive inside the data directory dies with it, and is copied into every base backup.
// archive_command runs in the data directory, so relative paths ('archive/%f', '../wal/%f') start there.
export const archiveDestinationInDataDir: Rule = {
  id: 'archive-destination-in-data-dir',
  severity: 'warning',
  summary: 'archive_command writes into the data directory',
  docPage: 'continuous-archiving.html#BACKUP-ARCHIVING-WAL',
  check(ctx) {
    const s = commandSetting(ctx, 'archive_command');
    if (!s || isTrusted(s.facts)) return [];
    const configured = ctx.effective('data_directory')?.value;
    const dataDir = configured && configured.startsWith('/') ? configured : ctx.dataDir?.path;
    for (const c of s.facts.copies) {
      const d = c.destination;
      if (!d || c.remote || d.includes('$') || d.includes('`') || /^[a-z0-9+]+:/i.test(d) || d.startsWith('~'))
        continue;
      let where: string | null = null;
      if (d.startsWith('/')) {
        const abs = path.posix.normalize(d);
        if (dataDir !== undefined && (abs + '/').startsWith(path.posix.normalize(dataDir).replace(/\/?$/, '/')))
          where = abs;
      } else {
        const rel = path.posix.normalize(d);
        if (rel === '..' || rel.startsWith('../')) {
          // leaves the data directory unless it comes back into it, which only the full path can tell
          if (dataDir === undefined) continue;
          const abs = path.posix.join(dataDir, rel);
          if (!(abs + '/').startsWith(path.posix.normalize(dataDir).replace(/\/?$/, '/'))) continue;
          where = abs;
        } else where = `${dataDir ? path.posix.join(dataDir, rel) : rel} (relative paths start in the data directory)`;
      }
      if (where === null) continue;
      return [
        ctx.finding(
          this,
          s.e.item,
          `archive_command writes into the data directory (${where}): the archive is lost with the data ` +
            `directory it should protect, and every base backup copies it. Archive to another disk or host.`,
          { range: ctx.valueRange(s.e.item) },
        ),
      ];
    }
    return [];
  },
};
