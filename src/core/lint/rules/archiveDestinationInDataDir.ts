import * as path from 'node:path';

import { commandSetting, isTrusted } from '../shellSettings';
import type { Rule } from '../types';

// An archive inside the data directory dies with it, and is copied into every base backup.
export const archiveDestinationInDataDir: Rule = {
  id: 'archive-destination-in-data-dir',
  severity: 'warning',
  summary: 'archive_command writes into the data directory',
  docPage: 'continuous-archiving.html#BACKUP-ARCHIVING-WAL',
  check(ctx) {
    const s = commandSetting(ctx, 'archive_command');
    if (!s || isTrusted(s.facts)) return [];
    const dataDir = ctx.dataDir?.path;
    for (const c of s.facts.copies) {
      const d = c.destination;
      if (!d || d.includes('$') || /^[a-z0-9+]+:/i.test(d) || /^[^/]*:/.test(d)) continue;
      const inside =
        !d.startsWith('/') || (dataDir !== undefined && (d + '/').startsWith(dataDir.replace(/\/?$/, '/')));
      if (!inside) continue;
      const where = d.startsWith('/')
        ? d
        : `${dataDir ? path.posix.join(dataDir, d) : d} (relative paths start in the data directory)`;
      return [
        ctx.finding(
          this,
          s.e.item,
          `archive_command writes into the data directory (${where}): the archive is lost with the data directory it should protect, and every base backup copies it. Archive to another disk or host.`,
          { range: ctx.valueRange(s.e.item) },
        ),
      ];
    }
    return [];
  },
};
