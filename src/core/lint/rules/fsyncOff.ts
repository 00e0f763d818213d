import { isOff } from '../settingValues';
import type { Rule } from '../types';

export const fsyncOff: Rule = {
  id: 'fsync-off',
  severity: 'warning',
  summary: 'fsync = off risks unrecoverable corruption; a corrupt cluster makes its archive and backups worthless',
  docPage: 'runtime-config-wal.html#GUC-FSYNC',
  check(ctx) {
    const e = ctx.effective('fsync');
    if (!e || !isOff(e.value)) return [];
    return [
      ctx.finding(
        this,
        e.item,
        'fsync = off "can result in unrecoverable data corruption in the event of a power failure or ' +
          'system crash"; base backups and WAL of a corrupted cluster restore the corruption. For speed without ' +
          'that risk use synchronous_commit = off.',
        {
          range: ctx.valueRange(e.item),
          fix: { title: "Set fsync = 'on'", edits: [ctx.replaceValue(e.item, 'on')], preferred: true },
        },
      ),
    ];
  },
};
