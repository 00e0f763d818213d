import type { Rule } from '../types';

export const restoreCommandMissing: Rule = {
  id: 'restore-command-missing',
  severity: 'error',
  majors: [12, 18],
  summary: 'recovery.signal present but restore_command is empty',
  docPage: 'runtime-config-wal.html#GUC-RESTORE-COMMAND',
  check(ctx) {
    const d = ctx.dataDir;
    if (!d || (ctx.value('restore_command') ?? '') !== '') return [];
    if (d.hasRecoverySignal && !d.hasStandbySignal) {
      const msg =
        ctx.major >= 17
          ? 'must specify "restore_command" when standby mode is not enabled'
          : 'must specify restore_command when standby mode is not enabled';
      return [
        ctx.finding(
          this,
          ctx.effective('restore_command')?.item ?? null,
          `The server will not start: "${msg}". recovery.signal asks for archive recovery, which needs restore_command to fetch WAL from the archive.`,
        ),
      ];
    }
    if (d.hasStandbySignal && (ctx.value('primary_conninfo') ?? '') === '') {
      return [
        ctx.finding(
          this,
          null,
          'standby.signal is present but neither primary_conninfo nor restore_command is set: the standby can only replay what is already in pg_wal.',
          { severity: 'warning' },
        ),
      ];
    }
    return [];
  },
};
