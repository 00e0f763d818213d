import { scanPlaceholders } from '../../shell/commandFacts';
import { commandSetting } from '../shellSettings';
import type { Finding, Rule } from '../types';

// restore_command is asked for a file by name (%f) and must write it to a temporary path (%p).
export const restoreCommandPlaceholders: Rule = {
  id: 'restore-command-placeholders',
  severity: 'error',
  majors: [12, 18],
  summary: 'restore_command without %f or %p, or with an unknown placeholder',
  docPage: 'runtime-config-wal.html#GUC-RESTORE-COMMAND',
  check(ctx): Finding[] {
    const s = commandSetting(ctx, 'restore_command');
    if (!s) return [];
    const scan = scanPlaceholders(s.e.value, 'pfr');
    const out: Finding[] = [];
    const at = { range: ctx.valueRange(s.e.item) };
    const tool = s.facts.toolUsage;
    if (tool && tool.direction === 'restore') {
      if (tool.missing.length > 0) {
        const what = tool.missing.map((m) => `%${m.letter} (${m.role})`).join(' and ');
        out.push(
          ctx.finding(
            this,
            s.e.item,
            `${tool.form} is given no ${what}: ${tool.displayName} needs both the requested file name ` +
              `and the path to write it to, so recovery cannot fetch any WAL from the archive.`,
            at,
          ),
        );
      }
    } else if (!s.facts.noOp) {
      if (!scan.letters.includes('f'))
        out.push(
          ctx.finding(
            this,
            s.e.item,
            'restore_command has no %f: it cannot know which WAL file or history file recovery is asking for.',
            at,
          ),
        );
      if (!scan.letters.includes('p'))
        out.push(
          ctx.finding(
            this,
            s.e.item,
            'restore_command has no %p: the file must be written where PostgreSQL says (a temporary name ' +
              'such as pg_wal/RECOVERYXLOG), not into pg_wal under its own name.',
            at,
          ),
        );
    }
    if (scan.invalid.length) {
      const list = scan.invalid.map((x) => `"${x}"`).join(', ');
      out.push(
        ctx.major >= 16
          ? ctx.finding(
              this,
              s.e.item,
              `restore_command contains ${list}: PostgreSQL ${ctx.major} refuses it and recovery stops. Only %f, %p, %r and %% are allowed.`,
              at,
            )
          : ctx.finding(
              this,
              s.e.item,
              `restore_command contains ${list}: passed to the shell literally on ${ctx.major} (16+ refuses it). Only %f, %p, %r and %% are placeholders.`,
              { ...at, severity: 'warning' },
            ),
      );
    }
    return out;
  },
};
