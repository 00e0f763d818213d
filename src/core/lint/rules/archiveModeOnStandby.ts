import type { Rule } from '../types';

// The archiver does not run during recovery; a promoted standby archives only WAL it generated.
export const archiveModeOnStandby: Rule = {
  id: 'archive-mode-on-standby',
  severity: 'information',
  summary: 'archive_mode = on on a standby archives nothing until promotion',
  docPage: 'warm-standby.html#CONTINUOUS-ARCHIVING-IN-STANDBY',
  check(ctx) {
    const standby = ctx.major >= 12 ? ctx.dataDir?.hasStandbySignal : false;
    const mode = ctx.effective('archive_mode');
    if (!standby || !mode || !['on', 'true', 'yes', '1'].includes(mode.value.toLowerCase())) return [];
    return [
      ctx.finding(
        this,
        mode.item,
        'This data directory is a standby (standby.signal): with archive_mode = on it archives nothing ' +
          "while in recovery, and after promotion only WAL it generates itself. Use 'always' with its own archive, " +
          "or rely on the primary's archive.",
        {
          range: ctx.valueRange(mode.item),
        },
      ),
    ];
  },
};
