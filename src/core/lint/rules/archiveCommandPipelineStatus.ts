import { commandSetting, isTrusted } from '../shellSettings';
import type { Rule } from '../types';

// /bin/sh reports only the last command of a pipeline; `set -o pipefail` is not in every sh.
export const archiveCommandPipelineStatus: Rule = {
  id: 'archive-command-pipeline-status',
  severity: 'warning',
  summary: 'archive_command ends in a pipeline: failures before the last | are lost',
  docPage: 'continuous-archiving.html#BACKUP-ARCHIVING-WAL',
  check(ctx) {
    const s = commandSetting(ctx, 'archive_command');
    if (!s || !s.facts.endsInPipeline || isTrusted(s.facts)) return [];
    const pf = s.facts.pipefail
      ? ' `set -o pipefail` helps only where /bin/sh supports it (dash, the Debian /bin/sh, did not until recently).'
      : '';
    return [
      ctx.finding(
        this,
        s.e.item,
        `archive_command ends in a pipeline: the shell reports only the last command's status, so if ` +
          `an earlier one fails (e.g. gzip cannot read %p) the upload of an empty or partial file counts as success.${pf} ` +
          `Use a wrapper script with set -euo pipefail, or write to a file first.`,
        {
          range: ctx.valueRange(s.e.item),
        },
      ),
    ];
  },
};
