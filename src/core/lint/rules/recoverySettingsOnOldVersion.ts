import type { Finding, Rule } from '../types';

export const RECOVERY_PARAMETERS = [
  'restore_command',
  'archive_cleanup_command',
  'recovery_end_command',
  'recovery_target',
  'recovery_target_lsn',
  'recovery_target_name',
  'recovery_target_time',
  'recovery_target_xid',
  'recovery_target_inclusive',
  'recovery_target_timeline',
  'recovery_target_action',
  'primary_conninfo',
  'primary_slot_name',
  'recovery_min_apply_delay',
];

// Before 12 these lived in recovery.conf; in postgresql.conf they are unknown and stop the server.
export const recoverySettingsOnOldVersion: Rule = {
  id: 'recovery-settings-on-old-version',
  severity: 'error',
  majors: [10, 11],
  summary: 'recovery settings in postgresql.conf before PostgreSQL 12',
  docPage: 'recovery-config.html',
  check(ctx) {
    const out: Finding[] = [];
    for (const item of ctx.config.items) {
      if (item.name === null || !RECOVERY_PARAMETERS.includes(item.name.toLowerCase())) continue;
      out.push(
        ctx.finding(
          this,
          item,
          `The server will not start: ${item.name} is not a server parameter in PostgreSQL ${ctx.major} ` +
            `(unrecognized configuration parameter). Before 12, recovery settings go in recovery.conf in the data directory.`,
          {
            range: ctx.nameRange(item),
            fix: { title: `Comment out ${item.name} (move it to recovery.conf)`, edits: [ctx.commentOut(item)] },
          },
        ),
      );
    }
    return out;
  },
};
