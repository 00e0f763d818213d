import { isOff } from '../settingValues';
import type { Rule } from '../types';

export const fullPageWritesOff: Rule = {
  id: 'full-page-writes-off',
  severity: 'warning',
  summary: 'full_page_writes = off risks torn pages after a crash and breaks backups taken from a standby',
  docPage: 'runtime-config-wal.html#GUC-FULL-PAGE-WRITES',
  check(ctx) {
    const e = ctx.effective('full_page_writes');
    if (!e || !isOff(e.value)) return [];
    return [
      ctx.finding(
        this,
        e.item,
        'full_page_writes = off can leave torn pages that WAL replay cannot repair after a crash; base ' +
          'backups taken on a standby fail ("WAL generated with full_page_writes=off was replayed"), and pg_rewind requires it on.',
        {
          range: ctx.valueRange(e.item),
          fix: { title: "Set full_page_writes = 'on'", edits: [ctx.replaceValue(e.item, 'on')], preferred: true },
        },
      ),
    ];
  },
};
