import { factsOf } from '../shellSettings';
import type { Finding, Rule } from '../types';

const COMMANDS = ['archive_command', 'restore_command', 'archive_cleanup_command', 'recovery_end_command'];

// Command settings are readable in pg_settings (pg_read_all_settings, monitoring roles) and each
// failed run is logged with the command line: a secret written into one is a secret published.
export const commandInlineCredentials: Rule = {
  id: 'command-inline-credentials',
  severity: 'warning',
  summary: 'a password or secret key written into archive_command / restore_command',
  docPage: 'view-pg-settings.html',
  check(ctx) {
    const out: Finding[] = [];
    for (const name of COMMANDS) {
      const e = ctx.effective(name);
      if (!e || e.value.trim() === '') continue;
      const found = factsOf(e.value).credentials;
      if (found.length === 0) continue;
      out.push(
        ctx.finding(
          this,
          e.item,
          `${e.item.name} contains ${found.join(', ')} in clear text: roles that may read pg_settings see it, and the server log repeats the command line each time it fails. Keep secrets in the tool's configuration file or an envdir readable only by the server's OS user.`,
          {
            range: ctx.valueRange(e.item),
          },
        ),
      );
    }
    return out;
  },
};
