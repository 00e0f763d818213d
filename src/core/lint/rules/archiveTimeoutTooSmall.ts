import { archiveModeEnabled, intValue } from '../settingValues';
import type { Rule } from '../types';

// Each forced switch archives a full-size segment: 10 s is up to 8,640 files a day.
export const archiveTimeoutTooSmall: Rule = {
  id: 'archive-timeout-too-small',
  severity: 'warning',
  summary: 'archive_timeout under a minute bloats the archive',
  docPage: 'runtime-config-wal.html#GUC-ARCHIVE-TIMEOUT',
  check(ctx) {
    const t = ctx.effective('archive_timeout');
    if (!t || !archiveModeEnabled(ctx.value('archive_mode'))) return [];
    const s = intValue(t.value, 's', ctx.major);
    if (s === undefined || s <= 0 || s >= 60) return [];
    const perDay = Math.floor(86400 / s);
    return [
      ctx.finding(
        this,
        t.item,
        `archive_timeout = ${s}s: every forced switch archives a full-size segment (16 MB by default), up to ${perDay.toLocaleString('en-US')} ` +
          `files a day on a server with light activity. "archive_timeout settings of a minute or so are usually reasonable."`,
        {
          range: ctx.valueRange(t.item),
          fix: { title: "Set archive_timeout = '60s'", edits: [ctx.replaceValue(t.item, '60s')], preferred: true },
        },
      ),
    ];
  },
};
