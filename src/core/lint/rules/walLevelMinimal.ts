import { walLevel } from '../settingValues';
import type { Rule } from '../types';

// Minimal WAL cannot rebuild data from a base backup; switching to it invalidates earlier backups.
export const walLevelMinimal: Rule = {
  id: 'wal-level-minimal',
  severity: 'warning',
  summary: 'wal_level = minimal: no point-in-time recovery, no standby, earlier base backups unusable',
  docPage: 'runtime-config-wal.html#GUC-WAL-LEVEL',
  check(ctx) {
    const wl = ctx.effective('wal_level');
    if (!wl || walLevel(wl.value) !== 'minimal') return [];
    return [
      ctx.finding(
        this,
        wl.item,
        'wal_level = minimal writes too little WAL to rebuild data from a base backup: point-in-time ' +
          'recovery and streaming replication are impossible, and base backups taken before the change become unusable ' +
          'for archive recovery' +
          (ctx.major >= 14
            ? ' (PostgreSQL 14+ stops recovery with "WAL was generated with wal_level=minimal, cannot continue recovering")'
            : '') +
          '. Use replica (the default) and take a new base backup after raising it.',
        {
          range: ctx.valueRange(wl.item),
          fix: { title: "Set wal_level = 'replica'", edits: [ctx.replaceValue(wl.item, 'replica')], preferred: true },
        },
      ),
    ];
  },
};
