// recovery.conf (PostgreSQL 10-11): the same file syntax, but its own, case-sensitive parameter
// names (readRecoveryCommandFile). On 12+ its mere presence stops the server.
import * as path from 'node:path';

import type { ConfigReadResult } from '../../conf/configReader';
import type { ConfItem } from '../../conf/parser';
import { parseBool } from '../../conf/valueValidation';
import { UnknownSetting } from '../ruleContext';
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
  'command-inline-credentials',
];

const TARGETS = [
  'recovery_target',
  'recovery_target_lsn',
  'recovery_target_name',
  'recovery_target_time',
  'recovery_target_xid',
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
        'The server will not start: "using recovery command file "recovery.conf" is not supported" (PostgreSQL ' +
        '12+). Move these settings into postgresql.conf or postgresql.auto.conf and create recovery.signal (or ' +
        'standby.signal for a standby).',
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
      message:
        `The server will not start: unrecognized recovery parameter "${item.name}" (names in recovery.conf ` +
        `are case-sensitive and limited to the recovery settings).`,
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
  for (const f of contradictions(config, ctx)) out.push(f);
  for (const rule of RULES.filter((r) => COMMAND_RULES.includes(r.id))) {
    try {
      // one by one: a spread into push() overflows the stack past about 120,000 findings
      for (const f of rule.check({ ...ctx, major: 12 }))
        out.push({ ...f, docUrl: f.docUrl?.replace('/docs/12/', `/docs/${ctx.major}/`) });
    } catch (err) {
      if (!(err instanceof UnknownSetting)) throw err;
    }
  }
  return out;
}

/**
 * 10-11 accept what 12 refuses: several targets (the last one read wins, "if more than one of
 * these is specified in the configuration file, the last entry will be used"), a target on a
 * standby (it stops following the primary there), and recovery_target_inclusive beside 'immediate'.
 */
function contradictions(config: ConfigReadResult, ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  const doc = `https://www.postgresql.org/docs/${ctx.major}/recovery-target-settings.html`;
  const lastOf = (name: string) => [...config.items].reverse().find((i) => i.name === name && (i.value ?? '') !== '');
  const targets = TARGETS.map(lastOf)
    .filter((i): i is NonNullable<typeof i> => i !== undefined)
    .sort((a, b) => config.items.indexOf(a) - config.items.indexOf(b));
  const file = (i: ConfItem) => i.file ?? config.configFile;
  if (targets.length > 1) {
    const winner = targets[targets.length - 1];
    for (const t of targets.slice(0, -1)) {
      out.push({
        rule: 'multiple-recovery-targets',
        severity: 'warning',
        file: file(t),
        range: ctx.nameRange(t),
        docUrl: doc,
        message:
          `${t.name} is ignored: recovery.conf sets several recovery targets and PostgreSQL ${ctx.major} ` +
          `uses only the last one read (${winner.name} = '${winner.value}'). Keep the one you mean (12+ refuses ` +
          `to start with several).`,
      });
    }
  }
  const standby = lastOf('standby_mode');
  if (standby && parseBool(standby.value ?? '') === true && targets.length > 0) {
    const t = targets[targets.length - 1];
    out.push({
      rule: 'recovery-target-on-standby',
      severity: 'warning',
      file: file(t),
      range: ctx.nameRange(t),
      docUrl: doc,
      message:
        `${t.name} is set with standby_mode = on: the standby stops following the primary at that ` +
        `target, which is rarely wanted for a standby. Remove the target, or standby_mode for a point-in-time restore.`,
    });
  }
  const inclusive = lastOf('recovery_target_inclusive');
  const immediate = targets.find((t) => t.name === 'recovery_target' && t.value === 'immediate');
  if (inclusive && immediate) {
    out.push({
      rule: 'recovery-target-inclusive-no-effect',
      severity: 'warning',
      file: file(inclusive),
      range: ctx.nameRange(inclusive),
      docUrl: doc,
      message:
        "recovery_target_inclusive contradicts recovery_target = 'immediate': recovery stops as soon " +
        'as a consistent state is reached, so there is no target record to include or exclude. Remove recovery_target_inclusive, ' +
        'or use a time, xid or lsn target.',
    });
  }
  return out;
}
