// recovery.conf (PostgreSQL 10-11): the same file syntax, but its own, case-sensitive parameter
// names (readRecoveryCommandFile). On 12+ its mere presence stops the server.
import * as path from 'node:path';

import type { ConfigReadResult } from '../../conf/configReader';
import { parseBool } from '../../conf/valueValidation';
import type { Finding, RuleContext } from '../types';
import { RULES } from './index';

export const RECOVERY_CONF_NAMES = new Set([
  'restore_command',
  'archive_cleanup_command',
  'recovery_end_command',
  'recovery_target_name',
  'recovery_target_time',
  'recovery_target_xid',
  'recovery_target_lsn',
  'recovery_target',
  'recovery_target_inclusive',
  'recovery_target_timeline',
  'recovery_target_action',
  'standby_mode',
  'primary_conninfo',
  'primary_slot_name',
  'trigger_file',
  'recovery_min_apply_delay',
]);

/** Rules about recovery commands that also hold inside recovery.conf on 10-11. */
const COMMAND_RULES = [
  'restore-command-placeholders',
  'restore-command-always-succeeds',
  'archive-cleanup-command-placeholders',
  'recovery-target-time-no-timezone',
  'recovery-target-time-abbreviation',
  'recovery-target-xid-format',
];

export function isRecoveryConf(file: string): boolean {
  return path.basename(file) === 'recovery.conf';
}

export function lintRecoveryConf(config: ConfigReadResult, ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  const file = config.configFile;
  const zero = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  if (ctx.major >= 12) {
    out.push({
      rule: 'recovery-conf-present',
      severity: 'error',
      file,
      range: zero,
      message:
        'The server will not start: "using recovery command file "recovery.conf" is not supported" (PostgreSQL 12+). Move these settings into postgresql.conf or postgresql.auto.conf and create recovery.signal (or standby.signal for a standby).',
    });
    return out;
  }
  for (const item of config.items) {
    if (item.name === null || RECOVERY_CONF_NAMES.has(item.name)) continue;
    out.push({
      rule: 'unknown-parameter',
      severity: 'error',
      file: item.file ?? file,
      range: ctx.nameRange(item),
      message: `The server will not start: unrecognized recovery parameter "${item.name}" (names in recovery.conf are case-sensitive and limited to the recovery settings).`,
    });
  }
  // names are matched exactly here (strcmp), unlike in postgresql.conf
  const last = (name: string) => [...config.items].reverse().find((i) => i.name === name)?.value ?? undefined;
  const standbyOn = parseBool(last('standby_mode') ?? 'off') === true;
  if (!standbyOn && (last('restore_command') ?? '') === '') {
    out.push({
      rule: 'restore-command-missing',
      severity: 'error',
      file,
      range: zero,
      message:
        'The server will not start: "recovery command file "recovery.conf" must specify restore_command when standby mode is not enabled".',
    });
  }
  for (const rule of RULES.filter((r) => COMMAND_RULES.includes(r.id))) {
    // one by one: a spread into push() overflows the stack past about 120,000 findings
    for (const f of rule.check({ ...ctx, major: 12 }))
      out.push({ ...f, docUrl: f.docUrl?.replace('/docs/12/', `/docs/${ctx.major}/`) });
  }
  return out;
}
