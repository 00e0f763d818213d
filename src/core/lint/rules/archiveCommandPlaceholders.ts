import { scanPlaceholders } from '../../shell/commandFacts';
import { commandSetting } from '../shellSettings';
import type { Finding, Rule } from '../types';

// %p is the path of the segment to archive (relative to the data directory), %f its file name.
// Archiving tools name the archived file themselves and take only what they document.
export const archiveCommandPlaceholders: Rule = {
  id: 'archive-command-placeholders',
  severity: 'warning',
  summary: 'archive_command without the %p / %f it needs, or with a placeholder PostgreSQL does not know',
  docPage: 'runtime-config-wal.html#GUC-ARCHIVE-COMMAND',
  check(ctx): Finding[] {
    const s = commandSetting(ctx, 'archive_command');
    if (!s) return [];
    const { e, facts } = s;
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
              `archive_command contains ${list}: PostgreSQL ${ctx.major} refuses it every time it archives ` +
                `("String contains unexpected placeholder" / "ends unexpectedly after escape character") and nothing is ` +
                `archived. Only %p, %f and %% are allowed.`,
              { ...at, severity: 'error' },
            )
          : ctx.finding(
              this,
              e.item,
              `archive_command contains ${list}: PostgreSQL ${ctx.major} passes it to the shell literally ` +
                `(16+ refuses it). Only %p, %f and %% are placeholders; write %% for a literal %.`,
              at,
            ),
      );
    }
    // commands that never archive or never succeed have rules of their own
    if (facts.noOp || !facts.canSucceed) return out;
    const hasP = scan.letters.includes('p');
    const hasF = scan.letters.includes('f');
    const tool = facts.toolUsage;
    if (tool && tool.direction === 'archive') {
      if (tool.missing.length > 0) {
        const what = tool.missing.map((m) => `%${m.letter} (${m.role})`).join(' and ');
        out.push(
          ctx.finding(
            this,
            e.item,
            `${tool.form} is given no ${what}: ${tool.displayName} cannot tell which segment to archive, so every attempt fails and WAL piles up in pg_wal.`,
            { ...at, severity: 'error' },
          ),
        );
      }
      return out;
    }
    if (!hasP && !hasF) {
      out.push(
        ctx.finding(
          this,
          e.item,
          'archive_command uses neither %p nor %f, so it cannot refer to the segment being archived: ' +
            'whatever it copies, it is not the segment PostgreSQL hands it, yet a success marks that segment archived ' +
            'and lets it be recycled.',
          at,
        ),
      );
      return out;
    }
    if (facts.wrapperScript || facts.tool) return out;
    if (!hasF) {
      const fixed = facts.copies.find(
        (c) =>
          c.destination !== null &&
          !c.destination.endsWith('/') &&
          c.destination !== '' &&
          !c.destination.includes('$') &&
          isFileDestination(c.name, c.destination),
      );
      const dest = fixed?.destination;
      if (dest)
        out.push(
          ctx.finding(
            this,
            e.item,
            `archive_command has no %f and writes every segment to ${dest}: each one overwrites the last, ` +
              `and restore_command (asked for files by name) finds none of them. Keep the file name: ${dest.replace(/\/?[^/]*$/, '')}/%f.`,
            at,
          ),
        );
    } else if (!hasP && !/pg_wal\/%f/.test(e.value) && !/pg_xlog\/%f/.test(e.value)) {
      out.push(
        ctx.finding(
          this,
          e.item,
          'archive_command has no %p (the path of the segment to archive, relative to the data directory): ' +
            'it does not read the segment PostgreSQL asks it to archive.',
          at,
        ),
      );
    }
    return out;
  },
};

/** a destination that names one file, not a folder: a redirection target, or an object key */
function isFileDestination(tool: string, destination: string): boolean {
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(destination)) return !destination.endsWith('/');
  // `gzip < %p > /a/wal.gz`, `cat %p > /a/x`: a stream tool's output is one file
  return (
    ['gzip', 'pigz', 'bzip2', 'xz', 'zstd', 'lz4', 'cat', 'dd', 'openssl', 'gpg', 'gpg2', 'age', 'tee'].includes(
      tool,
    ) && /\.[A-Za-z0-9]+$/.test(destination)
  );
}
