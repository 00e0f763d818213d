import { scanPlaceholders } from '../../shell/commandFacts';
import { commandSetting } from '../shellSettings';
import type { Finding, Rule } from '../types';

// Only %r (the oldest file still needed) is substituted in archive_cleanup_command.
export const archiveCleanupCommandPlaceholders: Rule = {
  id: 'archive-cleanup-command-placeholders',
  severity: 'warning',
  majors: [12, 18],
  summary: 'archive_cleanup_command without %r, or with %f / %p',
  docPage: 'runtime-config-wal.html#GUC-ARCHIVE-CLEANUP-COMMAND',
  check(ctx): Finding[] {
    const s = commandSetting(ctx, 'archive_cleanup_command');
    if (!s) return [];
    const scan = scanPlaceholders(s.e.value, 'r');
    const out: Finding[] = [];
    const at = { range: ctx.valueRange(s.e.item) };
    if (!scan.letters.includes('r'))
      out.push(
        ctx.finding(
          this,
          s.e.item,
          'archive_cleanup_command has no %r (the oldest WAL file still needed): it cannot know what it may delete.',
          at,
        ),
      );
    if (scan.invalid.length) {
      const list = scan.invalid.map((x) => `"${x}"`).join(', ');
      out.push(
        ctx.major >= 16
          ? ctx.finding(
              this,
              s.e.item,
              `archive_cleanup_command contains ${list}: only %r is substituted and PostgreSQL ${ctx.major} refuses anything else.`,
              { ...at, severity: 'error' },
            )
          : ctx.finding(
              this,
              s.e.item,
              `archive_cleanup_command contains ${list}: only %r is substituted; on ${ctx.major} the rest reaches the shell literally (16+ refuses it).`,
              at,
            ),
      );
    }
    return out;
  },
};
