// What a lint rule sees and what it reports.
import type { Catalog, CatalogParameter } from '../catalog/types';
import type { ConfigReadResult } from '../conf/configReader';
import type { ConfItem } from '../conf/parser';

/** hint: context the reader may want (restart needed); editors show it faintly, the CLI only on request */
export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** 0-based line and UTF-16 character, as editors count. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface TextEdit {
  file: string;
  range: Range;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** the one fix an editor offers first */
  preferred?: boolean;
}

export interface Finding {
  rule: string;
  severity: Severity;
  /** null when the finding is about the configuration as a whole and no file is known */
  file: string | null;
  range: Range;
  message: string;
  /** documentation page of the chosen major */
  docUrl?: string;
  fix?: Fix | null;
}

/** One parameter's winning occurrence. */
export interface Effective {
  param: CatalogParameter | undefined;
  item: ConfItem;
  value: string;
}

export interface DataDirInfo {
  path: string;
  hasRecoverySignal: boolean;
  hasStandbySignal: boolean;
  hasRecoveryConf: boolean;
}

export interface RuleContext {
  major: number;
  catalog: Catalog;
  config: ConfigReadResult;
  dataDir: DataDirInfo | null;
  /** the occurrence that wins for a parameter (aliases and case variants folded), if set in the files */
  effective(name: string): Effective | undefined;
  /** the effective value, or the major's default when not set */
  value(name: string): string | undefined;
  /** every occurrence of a parameter in read order */
  occurrences(name: string): ConfItem[];
  /** a line meant to set it has a syntax error: its value is unknown (effective/value/occurrences throw for it) */
  isUnknown(name: string): boolean;
  /** ranges in editor coordinates */
  nameRange(item: ConfItem): Range;
  valueRange(item: ConfItem): Range;
  lineRange(item: ConfItem): Range;
  /** an edit replacing an occurrence's value with `value`, quoted as needed */
  replaceValue(item: ConfItem, value: string): TextEdit;
  /** an edit inserting a new line `name = value` after an item (or at the end of the main file) */
  insertSetting(name: string, value: string, after?: ConfItem): TextEdit;
  /** an edit commenting out an occurrence's line */
  commentOut(item: ConfItem, note?: string): TextEdit;
  finding(
    rule: Rule,
    item: ConfItem | null,
    message: string,
    opts?: { range?: Range; fix?: Fix | null; severity?: Severity },
  ): Finding;
}

export interface Rule {
  id: string;
  severity: Severity;
  /** majors the rule applies to, inclusive */
  majors?: [number, number];
  /** one line: what the rule catches */
  summary: string;
  /** documentation page name under https://www.postgresql.org/docs/<major>/ */
  docPage: string;
  check(ctx: RuleContext): Finding[];
}

const docUrls = new Map<string, string>();

export function docUrl(major: number, page: string): string {
  // one string per page, not one per finding (a configuration can have a million findings)
  const key = `${major}/${page}`;
  let url = docUrls.get(key);
  if (url === undefined) docUrls.set(key, (url = `https://www.postgresql.org/docs/${key}`));
  return url;
}
