import { factsOf } from '../shellSettings';
import type { Finding, Rule } from '../types';

const COMMANDS = ['archive_command', 'restore_command', 'archive_cleanup_command', 'recovery_end_command'];

// Command settings are readable in pg_settings by superusers and pg_read_all_settings (monitoring
// roles), and a failed archive_command is logged with its command line: a secret in one is published.
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
          `${e.item.name} contains ${found.join(', ')} in clear text: superusers and roles with pg_read_all_settings ` +
            `(monitoring agents) see it in pg_settings${name === 'archive_command' ? ', and the server log repeats the command line ("The failed archive command was: …") each time it fails' : ''}. ` +
            `Keep secrets in the tool's configuration file or an envdir readable only by the server's OS user.`,
          {
            range: ctx.valueRange(e.item),
          },
        ),
      );
    }
    return out;
  },
};
