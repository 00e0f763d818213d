// Lints a configuration: what the server itself would refuse (the reader's errors, under the ids
// syntax-error, unknown-parameter, invalid-value, include-error, internal-parameter) plus the PITR
// rules, evaluated on the effective configuration. When it cannot do its whole job (a rule
// throws, a read limit stops the reading) it says so as a warning (internal-error,
// lint-incomplete), never more quietly.
import type { Catalog } from '../catalog/types';
import { type ConfigError, type ConfigReadResult, readConfiguration } from '../conf/configReader';
import type { ConfFileSystem } from '../conf/fileSystem';
import type { ReadLimits } from '../conf/parser';
import { bytesToText, PositionIndex } from '../conf/settingsReport';
import {
  createRuleContext,
  DROPPED_FINDING,
  droppedFindings,
  inspectDataDir,
  MAX_FINDINGS_PER_RULE,
} from './ruleContext';
import { RULES } from './rules/index';
import { isRecoveryConf, lintRecoveryConf } from './rules/recoveryConfFile';
import { RECOVERY_PARAMETERS } from './rules/recoverySettingsOnOldVersion';
import { REMOVED_NAMES } from './rules/removedParameter';
import { docUrl, type Finding, type Range, type Rule } from './types';

export interface LintOptions {
  configFile: string;
  dataDir?: string | null;
  catalog: Catalog;
  fs: ConfFileSystem;
  /** the read limits (DEFAULT_READ_LIMITS when absent) */
  limits?: ReadLimits;
  /** the rules to run (all of them when absent) */
  rules?: readonly Rule[];
}

/** Findings that say the lint did not finish its job: a check with one of them fails (exit status 1). */
export const INCOMPLETE_LINT_RULES: ReadonlySet<string> = new Set(['internal-error', 'lint-incomplete']);

const NOWHERE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** Appends one by one (a spread into push() overflows the stack past about 120,000 items). */
function append(to: Finding[], items: readonly Finding[]): void {
  for (const item of items) if (item !== DROPPED_FINDING) to.push(item);
}

// Reader errors about recovery targets get the recovery rules' ids.
const INVALID_VALUE_IDS: Record<string, string> = {
  recovery_target: 'recovery-target-value',
  recovery_target_lsn: 'recovery-target-lsn-format',
  recovery_target_name: 'recovery-target-name-too-long',
  recovery_target_time: 'recovery-target-time-invalid',
};

function readerRuleId(e: ConfigError): string {
  if (e.message === 'multiple recovery targets specified') return 'multiple-recovery-targets';
  switch (e.kind) {
    case 'syntax':
      return 'syntax-error';
    case 'include':
      return 'include-error';
    case 'invalid-value':
      return INVALID_VALUE_IDS[(e.name ?? '').toLowerCase()] ?? 'invalid-value';
    default:
      return e.kind;
  }
}

export function lintConfiguration(opts: LintOptions): Finding[] {
  const config = readConfiguration({
    configFile: opts.configFile,
    dataDir: opts.dataDir ?? null,
    catalog: opts.catalog,
    fs: opts.fs,
    mode: 'startup',
    limits: opts.limits,
  });
  const major = opts.catalog.major;
  const index = new PositionIndex(config);
  const ctx = createRuleContext(
    config,
    opts.catalog,
    opts.dataDir ? inspectDataDir(config.dataDir ?? opts.dataDir, (p) => opts.fs.exists(p)) : null,
  );
  const findings: Finding[] = [];

  for (const e of config.errors) {
    // these have friendlier rules of their own
    if (
      e.kind === 'unknown-parameter' &&
      e.name &&
      (REMOVED_NAMES.has(e.name.toLowerCase()) || (major <= 11 && RECOVERY_PARAMETERS.includes(e.name.toLowerCase())))
    )
      continue;
    let range: Range;
    if (e.item && e.kind !== 'syntax' && e.kind !== 'include')
      range =
        e.kind === 'unknown-parameter' || e.kind === 'internal-parameter'
          ? ctx.nameRange(e.item)
          : ctx.valueRange(e.item);
    else {
      const col = index.errorColumn(e) ?? 0;
      const line = Math.max(0, (e.line ?? 1) - 1);
      const m = index.mapper(e.file);
      const end = e.parseMessage?.end && m ? m.toChar(e.parseMessage.end).character : m ? m.lineLength(line) : col;
      range = { start: { line, character: col }, end: { line, character: Math.max(end, col) } };
    }
    const extra = [e.detail, e.hint].filter(Boolean).join(' ');
    findings.push({
      rule: readerRuleId(e),
      severity: 'error',
      file: e.file ?? config.configFile,
      range,
      message: `The server will not start: ${bytesToText(e.message)}${extra ? '. ' + extra : ''}`,
      docUrl: docUrl(major, 'config-setting.html'),
      fix: null,
    });
  }
  for (const info of config.infos) {
    findings.push({
      rule: 'invalid-value',
      severity: 'information',
      file: info.file ?? config.configFile,
      range: ctx.valueRange(info.item),
      message: `${bytesToText(info.message)}; check that your server accepts it (SHOW ${bytesToText(info.name)} or pg_settings.enumvals).`,
      docUrl: docUrl(major, 'config-setting.html'),
      fix: null,
    });
  }
  // what was not read cannot be judged: the server's errors found so far, and why the rest is missing
  if (config.incomplete) {
    findings.push(incompleteFinding(config, index));
    return sortFindings(findings);
  }
  if (isRecoveryConf(config.configFile)) {
    const kept = findings.filter((f) => f.rule === 'syntax-error' || f.rule === 'include-error');
    append(kept, lintRecoveryConf(config, ctx));
    return sortFindings(kept);
  }
  for (const rule of opts.rules ?? RULES) {
    if (rule.majors && (major < rule.majors[0] || major > rule.majors[1])) continue;
    try {
      append(findings, rule.check(ctx));
    } catch (err) {
      // a rule bug must never hide the other findings, nor pass unnoticed
      findings.push({
        rule: 'internal-error',
        severity: 'warning',
        file: config.configFile,
        range: NOWHERE,
        message: `pg-pitr: rule ${rule.id} failed: ${err instanceof Error ? err.message : String(err)}; its findings are missing (a bug in pg-pitr: please report it)`,
        fix: null,
      });
    }
  }
  for (const [id, d] of droppedFindings(ctx)) {
    findings.push({
      rule: id,
      severity: d.severity,
      file: d.first.file,
      range: d.first.range,
      message: `pg-pitr lists at most ${MAX_FINDINGS_PER_RULE} findings of ${id} per check: ${d.count} more are not listed (the first of them is here)`,
      docUrl: d.first.docUrl,
      fix: null,
    });
  }
  return sortFindings(findings);
}

/** The lint-incomplete warning, on the include line where the reading stopped. */
function incompleteFinding(config: ConfigReadResult, index: PositionIndex): Finding {
  const stop = config.incomplete!;
  const line = Math.max(0, (stop.line ?? 1) - 1);
  const m = index.mapper(stop.file ?? config.configFile);
  const range = m
    ? { start: { line, character: m.firstNonBlank(line) }, end: { line, character: m.lineLength(line) } }
    : NOWHERE;
  return {
    rule: 'lint-incomplete',
    severity: 'warning',
    file: stop.file ?? config.configFile,
    range,
    message: `${bytesToText(stop.message)}; the findings cover only what was read`,
    fix: null,
  };
}

function sortFindings(findings: Finding[]): Finding[] {
  const order = (f: Finding) => [f.file ?? '', f.range.start.line, f.range.start.character] as const;
  return findings.sort((a, b) => {
    const x = order(a);
    const y = order(b);
    return x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] - y[1] || x[2] - y[2];
  });
}
