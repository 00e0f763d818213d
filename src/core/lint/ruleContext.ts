// Builds the RuleContext over one read configuration: effective values, ranges and edits.
import * as path from 'node:path';

import { findParameter } from '../catalog/catalogs';
import type { Catalog } from '../catalog/types';
import type { ConfigReadResult } from '../conf/configReader';
import { quoteConfString } from '../conf/confQuote';
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
  type Severity,
  type TextEdit,
} from './types';

/** A value as PostgreSQL wants it written (see conf/confQuote.ts). */
export const quoteValue = quoteConfString;

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
  // a file included many times is read (and listed) many times: the first reading is the one
  const texts = new Map<string, string>();
  for (const f of config.files) if (!texts.has(f.path)) texts.set(f.path, f.text);
  const mappers = new Map<string, PositionMapper>();
  const mapper = (file: string): PositionMapper => {
    let m = mappers.get(file);
    if (!m) {
      m = new PositionMapper(texts.get(file) ?? '');
      mappers.set(file, m);
    }
    return m;
  };
  // every occurrence of each parameter, in read order; an array literal per name (a pushed-to
  // empty array reserves 17 slots: 200 bytes for each of a million distinct names)
  const all = new Map<string, ConfItem[]>();
  const keyOf = (name: string): string => findParameter(catalog, name)?.name ?? asciiLower(name);
  for (const item of config.items) {
    if (item.name === null) continue;
    const key = keyOf(item.name);
    const list = all.get(key);
    if (list) list.push(item);
    else all.set(key, [item]);
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
      const list = all.get(key);
      const item = list?.[list.length - 1];
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
      const f: Finding = {
        rule: rule.id,
        severity: opts.severity ?? rule.severity,
        file: item?.file ?? mainFile,
        range,
        message: flat(message),
        docUrl: docUrl(catalog.major, rule.docPage),
        fix: opts.fix ?? null,
      };
      const n = (counts.get(rule.id) ?? 0) + 1;
      counts.set(rule.id, n);
      if (n <= MAX_FINDINGS_PER_RULE) return f;
      const d = dropped.get(rule.id);
      if (!d) dropped.set(rule.id, { count: 1, severity: f.severity, first: f });
      else {
        d.count++;
        if (SEVERITY_RANK[f.severity] > SEVERITY_RANK[d.severity]) d.severity = f.severity;
      }
      return DROPPED_FINDING;
    },
  };
  const counts = new Map<string, number>();
  const dropped = new Map<string, DroppedFindings>();
  droppedByContext.set(ctx, dropped);
  return ctx;
}

/**
 * A rule lists at most this many findings per check; ctx.finding() answers DROPPED_FINDING for
 * the rest, which the engine sums up in one finding. A million findings would need gigabytes.
 */
export const MAX_FINDINGS_PER_RULE = 200_000;

/** What ctx.finding() returns past MAX_FINDINGS_PER_RULE: one shared object, left out by the engine. */
export const DROPPED_FINDING: Finding = Object.freeze({
  rule: 'dropped',
  severity: 'information',
  file: null,
  range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
  message: '',
}) as Finding;

export interface DroppedFindings {
  count: number;
  /** the most severe of them */
  severity: Severity;
  /** the first one left out */
  first: Finding;
}

const SEVERITY_RANK: Record<Severity, number> = { hint: 0, information: 1, warning: 2, error: 3 };
const droppedByContext = new WeakMap<RuleContext, Map<string, DroppedFindings>>();

/** The findings each rule had beyond MAX_FINDINGS_PER_RULE, by rule id. */
export function droppedFindings(ctx: RuleContext): Map<string, DroppedFindings> {
  return droppedByContext.get(ctx) ?? new Map();
}

/** A message built from many pieces as one flat string (a rope of pieces costs more per finding). */
function flat(s: string): string {
  // reading a character makes V8 flatten the string in place
  s.charCodeAt(0);
  return s;
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
