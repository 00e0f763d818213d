import { archiveModeEnabled, walLevel } from '../settingValues';
import type { Rule } from '../types';

// PostmasterMain refuses to start: "WAL archival cannot be enabled when wal_level is minimal".
export const walLevelMinimalArchive: Rule = {
  id: 'wal-level-minimal-archive',
  severity: 'error',
  summary: 'archive_mode is on while wal_level = minimal: the server refuses to start',
  docPage: 'runtime-config-wal.html#GUC-WAL-LEVEL',
  check(ctx) {
    const wl = ctx.effective('wal_level');
    if (!wl || walLevel(wl.value) !== 'minimal' || !archiveModeEnabled(ctx.value('archive_mode'))) return [];
    const quoted = ctx.major >= 17 ? '"wal_level" is "minimal"' : 'wal_level is "minimal"';
    return [
      ctx.finding(
        this,
        wl.item,
        `The server will not start: "WAL archival cannot be enabled when ${quoted}". archive_mode is ` +
          `on, and minimal WAL cannot rebuild data from a base backup. Set wal_level = replica.`,
        {
          range: ctx.valueRange(wl.item),
          fix: { title: "Set wal_level = 'replica'", edits: [ctx.replaceValue(wl.item, 'replica')], preferred: true },
        },
      ),
    ];
  },
};
