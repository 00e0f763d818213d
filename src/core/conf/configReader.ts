// ProcessConfigFileInternal (guc-file.l / guc.c): read postgresql.conf with its includes, then
// postgresql.auto.conf, check names, then validate values, in the server's order and with its
// messages. Two modes: "startup" (what `postgres` prints before refusing to start) and
// "file-settings" (what the pg_file_settings view shows on a running server).
import * as path from 'node:path';

import { findParameter } from '../catalog/catalogs';
import type { Catalog, CatalogParameter } from '../catalog/types';
import { pathToBinary } from '../files/pathBytes';
import { checkIntegerValue, checkStringValue, isRecoveryTarget, newDateTimeSession, q } from './checkHooks';
import type { ConfFileSystem } from './fileSystem';
import {
  canonicalizePath,
  type ConfItem,
  newParseState,
  parseConfigFile,
  type ParseMessage,
  type ParseState,
  type ReadLimits,
  type SourceFile,
} from './parser';
import { messageName, validateValue } from './valueValidation';

export type ConfigErrorKind = 'syntax' | 'unknown-parameter' | 'invalid-value' | 'include' | 'internal-parameter';

export interface ConfigError {
  kind: ConfigErrorKind;
  file: string | null;
  /** 1-based line of the problem in its file (for value errors: the setting's line) */
  line: number | null;
  name: string | null;
  value: string | null;
  /** the server's wording */
  message: string;
  hint?: string;
  detail?: string;
  /** the setting or directive the error is about, for editor ranges */
  item?: ConfItem;
  /** raised as ERROR while the file is read: startup ends at once (FATAL), later lines are not checked */
  fatal?: boolean;
  parseMessage?: ParseMessage;
}

export interface ConfigInfo {
  file: string | null;
  line: number | null;
  name: string;
  value: string;
  message: string;
  item: ConfItem;
}

export interface ConfigReadResult {
  configFile: string;
  dataDir: string | null;
  /** every file read, in read order */
  files: SourceFile[];
  /** the server's ConfigVariable list: settings and error records, in read order */
  items: ConfItem[];
  /** errors a starting server reports, in its order */
  errors: ConfigError[];
  /** values valid only on some builds (information) */
  infos: ConfigInfo[];
  /** `configuration file "F" contains errors`, when the server would refuse to start */
  fatal: string | null;
  /**
   * Set when a read limit stopped the reading (too many files or bytes): what was read is
   * reported, nothing after it was read, and names and values were not checked.
   */
  incomplete: ParseMessage | null;
  /** other log lines (e.g. skipped include_if_exists) */
  log: ParseMessage[];
  /** for each setting item: its catalog entry, when known */
  parameterOf: Map<ConfItem, CatalogParameter>;
}

export interface ReadOptions {
  configFile: string;
  dataDir?: string | null;
  catalog: Catalog;
  fs: ConfFileSystem;
  mode?: 'startup' | 'file-settings';
  /** bounds of the reading (DEFAULT_READ_LIMITS when absent) */
  limits?: ReadLimits;
}

export const AUTO_CONF = 'postgresql.auto.conf';

function parseMessagesToErrors(messages: ParseMessage[], items: ConfItem[]): ConfigError[] {
  const out: ConfigError[] = [];
  for (const m of messages) {
    if (m.kind === 'log' || m.kind === 'limit') continue;
    if (m.line === null && m.message.startsWith('too many syntax errors')) {
      out.push({
        kind: 'syntax',
        file: m.file,
        line: null,
        name: null,
        value: null,
        message: m.message,
        parseMessage: m,
      });
      continue;
    }
    out.push({
      kind: m.kind,
      file: m.file,
      line: m.line,
      name: null,
      value: null,
      message: m.message,
      parseMessage: m,
    });
  }
  void items;
  return out;
}

export function readConfiguration(opts: ReadOptions): ConfigReadResult {
  const mode = opts.mode ?? 'startup';
  const configFile = canonicalizePath(path.posix.resolve(opts.configFile));
  const dataDir = opts.dataDir ? canonicalizePath(path.posix.resolve(opts.dataDir)) : null;
  const state: ParseState = newParseState();
  const parseOpts = { fs: opts.fs, stopAtFirstSyntaxError: mode === 'file-settings', dataDir, limits: opts.limits };
  const result: ConfigReadResult = {
    configFile,
    dataDir,
    files: state.files,
    items: state.items,
    errors: [],
    infos: [],
    fatal: null,
    incomplete: null,
    log: [],
    parameterOf: new Map(),
  };
  const finish = (fatalFile: string | null): ConfigReadResult => {
    result.errors = [...parseMessagesToErrors(state.messages, state.items), ...result.errors];
    result.log = state.messages.filter((m) => m.kind === 'log');
    if (fatalFile !== null) result.fatal = `configuration file "${pathToBinary(fatalFile)}" contains errors`;
    result.incomplete = state.stopped;
    return result;
  };

  if (!parseConfigFile(pathToBinary(configFile), true, null, 0, 0, parseOpts, state)) return finish(configFile);
  if (state.stopped) return finish(null);
  if (dataDir !== null) {
    if (!parseConfigFile(AUTO_CONF, false, null, 0, 0, parseOpts, state)) return finish(AUTO_CONF);
    if (state.stopped) return finish(null);
  }

  // Names: unknown dot-less names are errors; earlier byte-identical duplicates are ignored.
  const catalog = opts.catalog;
  let errorFile: string | null = null;
  // PostgreSQL rescans the whole list for every repeat (quadratic); remembering the earlier,
  // still-live occurrences of each exact name gives the same marks in linear time.
  const liveByName = new Map<string, ConfItem[]>();
  const items = state.items;
  for (const item of items) {
    if (item.ignore || item.name === null) continue;
    const param = findParameter(catalog, item.name);
    if (param) {
      result.parameterOf.set(item, param);
      const earlier = liveByName.get(item.name);
      if (earlier) for (const p of earlier) p.ignore = true;
      liveByName.set(item.name, [item]);
    } else if (!item.name.includes('.')) {
      result.errors.push({
        kind: 'unknown-parameter',
        file: item.file,
        line: item.line,
        name: item.name,
        value: item.value,
        message: `unrecognized configuration parameter "${item.name}" in file "${pathToBinary(item.file ?? '')}" line ${item.line}`,
        item,
      });
      item.errmsg = 'unrecognized configuration parameter';
      errorFile = item.file;
    }
  }
  if (errorFile !== null) return finish(errorFile);

  // Values, in list order.
  let recoveryTargetSeen: string | null = null;
  // TimeZone / timezone_abbreviations / DateStyle set earlier change how later values are checked;
  // a running backend (pg_file_settings) has its abbreviation table loaded already
  const dateTimeSession = newDateTimeSession();
  if (mode === 'file-settings') dateTimeSession.abbreviationsLoaded = true;
  for (const item of items) {
    if (item.ignore || item.name === null || item.value === null) continue;
    const param = result.parameterOf.get(item);
    if (!param) {
      // a custom placeholder (name with a dot): accepted as a string
      item.applied = true;
      continue;
    }
    const fail = (kind: ConfigErrorKind, message: string, hint?: string, detail?: string): void => {
      result.errors.push({
        kind,
        file: item.file,
        line: item.line,
        name: item.name,
        value: item.value,
        message,
        hint,
        detail,
        item,
      });
      item.errmsg = 'setting could not be applied';
      errorFile = item.file;
    };
    // Before 12, a running backend re-reading the files skipped backend-context parameters before
    // any check (they only take effect in new sessions), so pg_file_settings never flagged them.
    if (
      mode === 'file-settings' &&
      catalog.major <= 11 &&
      (param.context === 'backend' || param.context === 'superuser-backend')
    ) {
      continue;
    }
    if (param.context === 'internal') {
      fail('internal-parameter', `parameter "${messageName(param, item.name, catalog.major)}" cannot be changed`);
      continue;
    }
    const v = validateValue(param, item.name, item.value, catalog.major);
    if (!v.ok) {
      if (v.error.buildDependent) {
        result.infos.push({
          file: item.file,
          line: item.line,
          name: item.name,
          value: item.value,
          message: `"${item.value}" for parameter "${item.name}" is accepted only by PostgreSQL ${catalog.major} servers built with support for it`,
          item,
        });
        item.applied = true;
        continue;
      }
      fail('invalid-value', v.error.message, v.error.hint);
      continue;
    }
    if (param.type === 'integer') {
      const h = checkIntegerValue(param.name, v.normalized as number, catalog.major);
      if (h) {
        // check-hook failures name the parameter as the catalog does, on every major
        fail(
          'invalid-value',
          `invalid value for parameter "${param.name}": ${v.normalized as number}`,
          h.hint,
          h.detail,
        );
        continue;
      }
    }
    if (param.type === 'string') {
      const s = checkStringValue(param.name, item.value, catalog.major, dateTimeSession);
      if (s?.fatal !== undefined) {
        result.errors.push({
          kind: 'invalid-value',
          file: item.file,
          line: item.line,
          name: item.name,
          value: item.value,
          message: s.fatal,
          item,
          fatal: true,
        });
        item.errmsg = 'setting could not be applied';
        return finish(null);
      }
      if (s) {
        fail('invalid-value', `invalid value for parameter "${param.name}": "${item.value}"`, s.hint, s.detail);
        continue;
      }
      // The recovery_target* assign hooks (12+) refuse a second kind of target while the file is
      // loaded at startup, even when the later one is set to ''.
      if (catalog.major >= 12 && mode === 'startup' && isRecoveryTarget(param.name)) {
        if (recoveryTargetSeen !== null && recoveryTargetSeen !== param.name) {
          fail(
            'invalid-value',
            'multiple recovery targets specified',
            undefined,
            `At most one of ${['recovery_target', 'recovery_target_lsn', 'recovery_target_name', 'recovery_target_time', 'recovery_target_xid'].map((n) => q(n, catalog.major)).join(', ')} may be set.`,
          );
          // the assign hook raises ERROR: startup stops at once
          result.errors[result.errors.length - 1].fatal = true;
          return finish(null);
        }
        recoveryTargetSeen = item.value !== '' ? param.name : null;
      }
    }
    item.applied = true;
  }
  return finish(errorFile);
}

/** The occurrence of each parameter that a starting server ends up using (none when it refuses to start). */
export function effectiveItems(result: ConfigReadResult): Set<ConfItem> {
  const used = new Set<ConfItem>();
  if (result.fatal !== null || result.errors.length > 0) return used;
  const last = new Map<string, ConfItem>();
  for (const item of result.items) {
    if (item.name === null || item.ignore || !item.applied) continue;
    const param = result.parameterOf.get(item);
    last.set(param ? param.name : item.name.toLowerCase(), item);
  }
  for (const item of last.values()) used.add(item);
  return used;
}
