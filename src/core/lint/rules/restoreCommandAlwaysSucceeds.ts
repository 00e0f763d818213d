import { commandSetting } from '../shellSettings';
import type { Rule } from '../types';

// "The command will be asked for file names that are not present in the archive; it must return
// nonzero when so asked."
export const restoreCommandAlwaysSucceeds: Rule = {
  id: 'restore-command-always-succeeds',
  severity: 'error',
  majors: [12, 18],
  summary: 'restore_command whose exit status is always 0',
  docPage: 'runtime-config-wal.html#GUC-RESTORE-COMMAND',
  check(ctx) {
    const s = commandSetting(ctx, 'restore_command');
    if (!s || s.facts.canFail) return [];
    return [
      ctx.finding(
        this,
        s.e.item,
        `restore_command can never report a missing file: ${s.facts.alwaysSucceedsReason}. Recovery asks ` +
          `for files that do not exist (the next timeline's history file, the segment after the last one); a success ` +
          `without a file makes it fail ("could not stat file") instead of ending normally.`,
        {
          range: ctx.valueRange(s.e.item),
        },
      ),
    ];
  },
};
