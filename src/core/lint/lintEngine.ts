// Lints a configuration: what the server itself would refuse (the reader's errors, under the ids
// syntax-error, unknown-parameter, invalid-value, include-error, internal-parameter) plus the PITR
// rules, evaluated on the effective configuration. When it cannot do its whole job (a rule
// throws, a read limit stops the reading) it says so as a warning (internal-error,
// lint-incomplete), never more quietly.
import * as path from 'node:path';

import { findParameter } from '../catalog/catalogs';
import { debianCatalog, isDebianLayout } from '../catalog/debianBuild';
import type { Catalog } from '../catalog/types';
import { AUTO_CONF, type ConfigError, type ConfigReadResult, readConfiguration } from '../conf/configReader';
import type { ConfFileSystem } from '../conf/fileSystem';
import type { ReadLimits } from '../conf/parser';
import { asciiLower } from '../conf/parser';
import { bytesToText, PositionIndex } from '../conf/settingsReport';
import {
  createRuleContext,
  DROPPED_FINDING,
  droppedFindings,
  inspectDataDir,
  MAX_FINDINGS_PER_RULE,
  UnknownSetting,
  type UnknownSettings,
} from './ruleContext';
import { RULES } from './rules/index';
import { isRecoveryConf, lintRecoveryConf } from './rules/recoveryConfFile';
import { RECOVERY_PARAMETERS } from './rules/recoverySettingsOnOldVersion';
import { explainRecoveryTargetTime } from './rules/recoveryTargetTimeInvalid';
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
  /** 'debian': Debian / apt.postgresql.org packages (extension_destdir exists); default: Debian when the file is in /etc/postgresql/N/<cluster>/, else vanilla */
  build?: 'vanilla' | 'debian';
}

/** Findings that say the lint did not finish its job: a check with one of them fails (exit status 1). */
export const INCOMPLETE_LINT_RULES: ReadonlySet<string> = new Set(['internal-error', 'lint-incomplete']);

const NOWHERE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** Appends one by one (a spread into push() overflows the stack past about 120,000 items). */
function append(to: Finding[], items: readonly Finding[]): void {
  for (const item of items) if (item !== DROPPED_FINDING) to.push(item);
}

const NAME_AT_LINE_START =
  /^[ \t\r]*([A-Za-z_\x80-\xff][A-Za-z0-9_\x80-\xff]*(?:\.[A-Za-z_\x80-\xff][A-Za-z0-9_\x80-\xff]*)?)/;

/**
 * Settings whose value the server never learns: the name a line with a syntax error was meant to
 * set; and every setting not set in the files read when an include failed, the syntax errors
 * stopped reading a file, or postgresql.auto.conf was left unread.
 */
function unknownSettings(
  config: ConfigReadResult,
  catalog: Catalog,
  autoConfExists: boolean,
  opts: LintOptions,
): UnknownSettings {
  const names = new Set<string>();
  let everyUnset = false;
  for (const e of config.errors) {
    // a drop-in directory missing from a copy (Debian's conf.d) is taken as empty, as it is when installed
    const emptyDropIns =
      hostOnlyInclude(e, opts) !== null && e.message.startsWith('could not open configuration directory');
    if (e.kind === 'include' && !emptyDropIns) everyUnset = true;
    if (e.kind !== 'syntax') continue;
    if (e.line === null) {
      everyUnset = true;
      continue;
    }
    const file = config.files.find((f) => f.path === (e.file ?? config.configFile));
    const m = NAME_AT_LINE_START.exec(file?.text.split('\n')[e.line - 1] ?? '');
    if (!m) continue;
    const lower = asciiLower(m[1]);
    if (lower === 'include' || lower === 'include_dir' || lower === 'include_if_exists') everyUnset = true;
    else names.add(findParameter(catalog, m[1])?.name ?? lower);
  }
  if (config.fatal !== null && autoConfExists && !config.files.some((f) => path.posix.basename(f.path) === AUTO_CONF))
    everyUnset = true;
  return { names, everyUnset };
}

/** Where a configuration is read by a server (a data directory, /etc, /var/lib): there a missing include is missing. */
function onServerHost(opts: LintOptions): boolean {
  return (opts.dataDir ?? null) !== null || /^\/(?:etc|var\/lib|usr\/local\/pgsql|opt)\//.test(opts.configFile);
}

/**
 * An include target that does not exist here, while the linted file is a copy (in a repository, a
 * workspace) and not where a server reads it: the file or directory belongs to the machine the
 * configuration is deployed to (Patroni's postgresql.base.conf, Debian's conf.d, absolute paths), not
 * a mistake in this file. Returns the missing path, or null.
 */
function hostOnlyInclude(e: ConfigError, opts: LintOptions): string | null {
  // the file asked for itself is missing: that is no include of another machine
  if (e.kind !== 'include' || onServerHost(opts) || e.line === null) return null;
  const m = /^could not open configuration (?:file|directory) "(\/[^"]+)": No such file or directory$/.exec(e.message);
  return m ? m[1] : null;
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
  const debian = opts.build === 'debian' || (opts.build === undefined && isDebianLayout(opts.configFile));
  const catalog = debian ? debianCatalog(opts.catalog) : opts.catalog;
  const config = readConfiguration({
    configFile: opts.configFile,
    dataDir: opts.dataDir ?? null,
    catalog,
    fs: opts.fs,
    mode: 'startup',
    limits: opts.limits,
  });
  const major = catalog.major;
  const index = new PositionIndex(config);
  const autoConfExists = config.dataDir !== null && opts.fs.exists(path.posix.join(config.dataDir, AUTO_CONF));
  const unknown = unknownSettings(config, catalog, autoConfExists, opts);
  const ctx = createRuleContext(
    config,
    catalog,
    opts.dataDir ? inspectDataDir(config.dataDir ?? opts.dataDir, (p) => opts.fs.exists(p)) : null,
    unknown,
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
    const rule = readerRuleId(e);
    const why = rule === 'recovery-target-time-invalid' && e.item ? explainRecoveryTargetTime(e.item, ctx) : null;
    const elsewhere = hostOnlyInclude(e, opts);
    findings.push({
      rule,
      severity: elsewhere ? 'information' : 'error',
      file: e.file ?? config.configFile,
      range,
      message: elsewhere
        ? `${bytesToText(elsewhere)} is not on this machine, so the files it holds were not checked; ` +
          `the server refuses to start if it is missing where it runs (${bytesToText(e.message)}).`
        : `The server will not start: ${bytesToText(e.message)}${extra ? '. ' + extra : ''}${why ? '. ' + why.note : ''}`,
      docUrl: docUrl(major, why ? 'runtime-config-wal.html#GUC-RECOVERY-TARGET-TIME' : 'config-setting.html'),
      fix: why?.fix ?? null,
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
      // a setting the rule needs sits on a line the server cannot parse: the syntax error speaks for it
      if (err instanceof UnknownSetting) continue;
      // a rule bug must never hide the other findings, nor pass unnoticed
      findings.push({
        rule: 'internal-error',
        severity: 'warning',
        file: config.configFile,
        range: NOWHERE,
        message:
          `pg-pitr: rule ${rule.id} failed: ${err instanceof Error ? err.message : String(err)}; ` +
          `its findings are missing (a bug in pg-pitr: please report it)`,
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
