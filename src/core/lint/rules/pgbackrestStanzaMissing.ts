import { commandSetting } from '../shellSettings';
import type { Finding, Rule } from '../types';

// pgBackRest takes the stanza from the command line or PGBACKREST_STANZA only (not from
// pgbackrest.conf): without either, archive-push / archive-get fail with "option 'stanza' is required".
export const pgbackrestStanzaMissing: Rule = {
  id: 'pgbackrest-stanza-missing',
  severity: 'information',
  summary: 'pgbackrest archive-push / archive-get without --stanza (it must then come from the environment)',
  docPage: 'continuous-archiving.html#BACKUP-ARCHIVING-WAL',
  check(ctx): Finding[] {
    const out: Finding[] = [];
    for (const name of ['archive_command', 'restore_command']) {
      const s = commandSetting(ctx, name);
      const tool = s?.facts.toolUsage;
      if (!s || !tool || tool.call.tool !== 'pgbackrest' || tool.stanza !== null || /PGBACKREST_STANZA/.test(s.e.value))
        continue;
      out.push(
        ctx.finding(
          this,
          s.e.item,
          `${tool.form} has no --stanza: pgBackRest reads the stanza only from the command line or the ` +
            `PGBACKREST_STANZA environment variable of the server process (not from pgbackrest.conf); without it every ` +
            `call fails with "option 'stanza' is required". Add --stanza=<name> unless the server's environment sets it.`,
          {
            range: ctx.valueRange(s.e.item),
          },
        ),
      );
    }
    return out;
  },
};
