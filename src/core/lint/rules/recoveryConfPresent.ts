import type { Rule } from '../types';

export const recoveryConfPresent: Rule = {
  id: 'recovery-conf-present',
  severity: 'error',
  majors: [12, 18],
  summary: 'recovery.conf in the data directory of PostgreSQL 12+: the server refuses to start',
  docPage: 'recovery-config.html',
  check(ctx) {
    if (!ctx.dataDir?.hasRecoveryConf) return [];
    return [
      ctx.finding(
        this,
        null,
        'The server will not start: "using recovery command file "recovery.conf" is not supported" (PostgreSQL ' +
          '12+). Move its settings into postgresql.conf or postgresql.auto.conf and create recovery.signal (or standby.signal for a standby).',
      ),
    ];
  },
};
