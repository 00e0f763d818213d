import { archiveModeEnabled } from '../settingValues';
import { factsOf } from '../shellSettings';
import type { Rule } from '../types';

// archive_command "is ignored unless archive_mode was enabled at server start".
export const archiveModeOff: Rule = {
  id: 'archive-mode-off',
  severity: 'warning',
  summary: 'archive_command or archive_library is set but archive_mode is off: nothing is archived',
  docPage: 'runtime-config-wal.html#GUC-ARCHIVE-MODE',
  check(ctx) {
    const cmd = ctx.effective('archive_command');
    const lib = ctx.major >= 15 ? ctx.effective('archive_library') : undefined;
    const configured = [cmd, lib].find((e) => e && e.value !== '');
    if (!configured || archiveModeEnabled(ctx.value('archive_mode'))) return [];
    // archive_command = '/bin/true' (or ':', 'cd .') with archiving off: nothing was meant to be archived
    if (configured === cmd && factsOf(cmd.value).noOp) return [];
    const mode = ctx.effective('archive_mode');
    const fix = mode
      ? { title: "Set archive_mode = 'on'", edits: [ctx.replaceValue(mode.item, 'on')], preferred: true }
      : {
          title: "Add archive_mode = 'on'",
          edits: [ctx.insertSetting('archive_mode', 'on', configured.item)],
          preferred: true,
        };
    return [
      ctx.finding(
        this,
        mode?.item ?? configured.item,
        `${configured.item.name} is set but archive_mode is ${mode ? mode.value : 'off (the default)'}: ` +
          `the command is ignored, no WAL is archived and point-in-time recovery is impossible. Set archive_mode ` +
          `= on (restart needed).`,
        {
          range: mode ? ctx.valueRange(mode.item) : ctx.nameRange(configured.item),
          fix,
        },
      ),
    ];
  },
};
