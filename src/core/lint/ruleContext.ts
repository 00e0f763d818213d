// Builds the RuleContext over one read configuration: effective values, ranges and edits.
import * as path from 'node:path';

import { findParameter } from '../catalog/catalogs';
import type { Catalog } from '../catalog/types';
import type { ConfigReadResult } from '../conf/configReader';
import { asciiLower, type BytePos, type ConfItem } from '../conf/parser';
import { PositionMapper } from '../conf/positions';
import {
  type DataDirInfo,
  docUrl,
  type Effective,
  type Finding,
  type Range,
  type Rule,
  type RuleContext,
  type TextEdit,
} from './types';

/** A value as PostgreSQL wants it written: single-quoted, with ' doubled and \ doubled. */
export function quoteValue(value: string): string {
  return "'" + value.replace(/\\/g, '\\\\').replace(/'/g, "''") + "'";
}

/**
 * Thrown when a rule asks for the value of a setting whose line the server could not parse (or
 * that an unreadable include may set): the rule's answer would be about a value nobody wrote, so
 * the engine drops it. The syntax error itself says what is wrong.
 */
export class UnknownSetting extends Error {
  constructor(readonly setting: string) {
    super(`the value of ${setting} is unknown (its line has a syntax error)`);
  }
}

/** Settings whose values are unknown: named on a line with a syntax error; `everyUnset` after an include that failed. */
export interface UnknownSettings {
  names: Set<string>;
  everyUnset: boolean;
}

export function createRuleContext(
  config: ConfigReadResult,
  catalog: Catalog,
  dataDir: DataDirInfo | null,
  unknown: UnknownSettings = { names: new Set(), everyUnset: false },
): RuleContext {
  const mappers = new Map<string, PositionMapper>();
  const mapper = (file: string): PositionMapper => {
    let m = mappers.get(file);
    if (!m) {
      const src = config.files.find((f) => f.path === file);
      m = new PositionMapper(src ? src.text : '');
      mappers.set(file, m);
    }
    return m;
  };
  const last = new Map<string, ConfItem>();
  const all = new Map<string, ConfItem[]>();
  const keyOf = (name: string): string => findParameter(catalog, name)?.name ?? asciiLower(name);
  for (const item of config.items) {
    if (item.name === null) continue;
    const key = keyOf(item.name);
    last.set(key, item);
    const list = all.get(key) ?? [];
    list.push(item);
    all.set(key, list);
  }
  const pos = (item: ConfItem, p: BytePos | undefined) =>
    p && item.file ? mapper(item.file).toChar(p) : { line: Math.max(0, item.line - 1), character: 0 };
  const lineRange = (item: ConfItem): Range => {
    const line = item.nameStart ? item.nameStart.line : Math.max(0, item.line - 1);
    const m = item.file ? mapper(item.file) : undefined;
    return {
      start: { line, character: m ? m.firstNonBlank(line) : 0 },
      end: { line, character: m ? m.lineLength(line) : 0 },
    };
  };
  const mainFile = config.configFile;

  const ctx: RuleContext = {
    major: catalog.major,
    catalog,
    config,
    dataDir,
    effective(name: string): Effective | undefined {
      const key = keyOf(name);
      if (unknown.names.has(key)) throw new UnknownSetting(name);
      const item = last.get(key);
      if (!item) {
        if (unknown.everyUnset) throw new UnknownSetting(name);
        return undefined;
      }
      return { param: catalog.parameters[key], item, value: item.value ?? '' };
    },
    value(name: string): string | undefined {
      const e = ctx.effective(name);
      if (e) return e.value;
      return catalog.parameters[keyOf(name)]?.default ?? undefined;
    },
    occurrences(name: string): ConfItem[] {
      if (unknown.names.has(keyOf(name))) throw new UnknownSetting(name);
      return all.get(keyOf(name)) ?? [];
    },
    isUnknown(name: string): boolean {
      return unknown.names.has(keyOf(name));
    },
    nameRange: (item) => ({ start: pos(item, item.nameStart), end: pos(item, item.nameEnd) }),
    valueRange: (item) => ({ start: pos(item, item.valueStart), end: pos(item, item.valueEnd) }),
    lineRange,
    replaceValue(item, value): TextEdit {
      return { file: item.file ?? mainFile, range: ctx.valueRange(item), newText: quoteValue(value) };
    },
    insertSetting(name, value, after): TextEdit {
      const line = `${name} = ${quoteValue(value)}`;
      if (after && after.file) {
        const r = lineRange(after);
        return { file: after.file, range: { start: r.end, end: r.end }, newText: '\n' + line };
      }
      const m = mapper(mainFile);
      const lastLine = m.lineCount - 1;
      const lastLen = m.lineLength(lastLine);
      const at = { line: lastLine, character: lastLen };
      return {
        file: mainFile,
        range: { start: at, end: at },
        newText: lastLen === 0 ? line + '\n' : '\n' + line + '\n',
      };
    },
    commentOut(item, note): TextEdit {
      const r = lineRange(item);
      const at = { line: r.start.line, character: 0 };
      return { file: item.file ?? mainFile, range: { start: at, end: at }, newText: note ? `# ${note}\n#` : '#' };
    },
    finding(rule: Rule, item, message, opts = {}): Finding {
      const range =
        opts.range ?? (item ? lineRange(item) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
      return {
        rule: rule.id,
        severity: opts.severity ?? rule.severity,
        file: item?.file ?? mainFile,
        range,
        message,
        docUrl: docUrl(catalog.major, rule.docPage),
        fix: opts.fix ?? null,
      };
    },
  };
  return ctx;
}

/** What the data directory says about recovery, when one is known. */
export function inspectDataDir(dir: string, exists: (p: string) => boolean): DataDirInfo {
  return {
    path: dir,
    hasRecoverySignal: exists(path.join(dir, 'recovery.signal')),
    hasStandbySignal: exists(path.join(dir, 'standby.signal')),
    hasRecoveryConf: exists(path.join(dir, 'recovery.conf')),
  };
}
