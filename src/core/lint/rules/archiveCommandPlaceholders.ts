import { scanPlaceholders } from '../../shell/commandFacts';
import { commandSetting } from '../shellSettings';
import type { Finding, Rule } from '../types';

// %p is the path of the segment to archive (relative to the data directory), %f its file name.
export const archiveCommandPlaceholders: Rule = {
  id: 'archive-command-placeholders',
  severity: 'warning',
  summary: 'archive_command without %p / %f, or with a placeholder PostgreSQL does not know',
  docPage: 'runtime-config-wal.html#GUC-ARCHIVE-COMMAND',
  check(ctx): Finding[] {
    const s = commandSetting(ctx, 'archive_command');
    if (!s) return [];
    const { e } = s;
    const scan = scanPlaceholders(e.value, 'pf');
    const out: Finding[] = [];
    const at = { range: ctx.valueRange(e.item) };
    if (scan.invalid.length) {
      const list = scan.invalid.map((x) => `"${x}"`).join(', ');
      out.push(
        ctx.major >= 16
          ? ctx.finding(
              this,
              e.item,
              `archive_command contains ${list}: PostgreSQL ${ctx.major} refuses it every time it archives ("String contains unexpected placeholder" / "ends unexpectedly after escape character") and nothing is archived. Only %p, %f and %% are allowed.`,
              { ...at, severity: 'error' },
            )
          : ctx.finding(
              this,
              e.item,
              `archive_command contains ${list}: PostgreSQL ${ctx.major} passes it to the shell literally (16+ refuses it). Only %p, %f and %% are placeholders; write %% for a literal %.`,
              at,
            ),
      );
    }
    const hasP = scan.letters.includes('p');
    const hasF = scan.letters.includes('f');
    if (!hasP && !hasF)
      out.push(
        ctx.finding(
          this,
          e.item,
          'archive_command uses neither %p nor %f, so it cannot refer to the segment being archived: it archives nothing useful while PostgreSQL believes each segment is safe.',
          at,
        ),
      );
    else if (!hasF)
      out.push(
        ctx.finding(
          this,
          e.item,
          'archive_command has no %f: the archived file must keep its name (restore_command is asked for it by name), and existence checks need it.',
          at,
        ),
      );
    else if (!hasP && !/pg_wal\/%f/.test(e.value))
      out.push(
        ctx.finding(
          this,
          e.item,
          'archive_command has no %p (the path of the segment to archive, relative to the data directory): it does not read the segment PostgreSQL asks it to archive.',
          at,
        ),
      );
    return out;
  },
};
