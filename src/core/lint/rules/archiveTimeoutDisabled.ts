import { archiveModeEnabled, intValue } from '../settingValues';
import { factsOf } from '../shellSettings';
import type { Rule } from '../types';

// Only completed segments are archived: on a quiet server the last transactions may wait for hours.
export const archiveTimeoutDisabled: Rule = {
  id: 'archive-timeout-disabled',
  severity: 'information',
  summary: 'archive_timeout = 0: on a quiet server recent transactions can stay unarchived for a long time',
  docPage: 'runtime-config-wal.html#GUC-ARCHIVE-TIMEOUT',
  check(ctx) {
    const mode = ctx.effective('archive_mode');
    if (!mode || !archiveModeEnabled(mode.value)) return [];
    const t = ctx.effective('archive_timeout');
    const seconds = intValue(ctx.value('archive_timeout'), 's', ctx.major);
    if (seconds !== 0) return [];
    // archive_command = '/bin/true': nothing is archived anyway
    const cmd = ctx.effective('archive_command');
    if (cmd && cmd.value !== '' && factsOf(cmd.value).noOp) return [];
    return [
      ctx.finding(
        this,
        t?.item ?? mode.item,
        'archive_timeout is 0: a WAL segment is archived only when it is full, so on a quiet server the ' +
          'last committed transactions may be missing from the archive for a long time. Set archive_timeout to a ' +
          'minute or a few (or stream WAL with pg_receivewal).',
        {
          range: t ? ctx.valueRange(t.item) : ctx.nameRange(mode.item),
          fix: t
            ? { title: "Set archive_timeout = '60s'", edits: [ctx.replaceValue(t.item, '60s')], preferred: true }
            : {
                title: "Add archive_timeout = '60s'",
                edits: [ctx.insertSetting('archive_timeout', '60s', mode.item)],
                preferred: true,
              },
        },
      ),
    ];
  },
};
