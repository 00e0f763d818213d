// The `pg-pitr settings` report: every setting in read order and every error a starting server
// would print, with 1-based positions.
import type { ConfigError, ConfigReadResult } from './configReader';
import { effectiveItems } from './configReader';
import { PositionMapper } from './positions';

export interface SettingRow {
  file: string;
  line: number;
  seqno: number;
  name: string;
  value: string;
  applied: boolean;
  error: string | null;
}

export interface ErrorRow {
  file: string | null;
  line: number | null;
  column: number | null;
  kind: ConfigError['kind'];
  name: string | null;
  value: string | null;
  message: string;
}

export interface SettingsReport {
  version: number;
  files: string[];
  settings: SettingRow[];
  errors: ErrorRow[];
  /** why pg-pitr stopped reading before the end (a read limit), or null: then the lists are partial */
  incomplete: string | null;
}

/** Values are bytes; show them as UTF-8 text, as pg_file_settings does in a UTF8 database. */
export function bytesToText(s: string): string {
  return /[\x80-\xff]/.test(s) ? Buffer.from(s, 'latin1').toString('utf8') : s;
}

export class PositionIndex {
  private readonly mappers = new Map<string, PositionMapper>();
  private texts: Map<string, string> | null = null;

  constructor(private readonly result: ConfigReadResult) {}

  mapper(file: string | null): PositionMapper | undefined {
    if (file === null) return undefined;
    let m = this.mappers.get(file);
    if (!m) {
      if (!this.texts) {
        // the first reading of each file (one included twice is listed twice)
        this.texts = new Map();
        for (const f of this.result.files) if (!this.texts.has(f.path)) this.texts.set(f.path, f.text);
      }
      const text = this.texts.get(file);
      if (text === undefined) return undefined;
      m = new PositionMapper(text);
      this.mappers.set(file, m);
    }
    return m;
  }

  /** 0-based start character of an error, or null */
  errorColumn(e: ConfigError): number | null {
    const m = this.mapper(e.file);
    if (!m) return null;
    const p =
      e.parseMessage?.start ??
      (e.kind === 'unknown-parameter' || e.kind === 'internal-parameter' ? e.item?.nameStart : e.item?.valueStart);
    if (p) return m.toChar(p).character;
    if (e.line !== null && e.line >= 1 && e.line <= m.lineCount) return m.firstNonBlank(e.line - 1);
    return null;
  }
}

export function buildSettingsReport(result: ConfigReadResult, major: number): SettingsReport {
  const used = effectiveItems(result);
  const settings: SettingRow[] = [];
  result.items.forEach((item, i) => {
    if (item.name === null || item.file === null) return;
    settings.push({
      file: item.file,
      line: item.line,
      seqno: i + 1,
      name: bytesToText(item.name),
      value: bytesToText(item.value ?? ''),
      applied: used.has(item),
      error: item.errmsg === null ? null : bytesToText(item.errmsg),
    });
  });
  const index = new PositionIndex(result);
  const errors: ErrorRow[] = result.errors.map((e) => {
    const col = index.errorColumn(e);
    return {
      file: e.file,
      line: e.line,
      column: col === null ? null : col + 1,
      kind: e.kind,
      name: e.name === null ? null : bytesToText(e.name),
      value: e.value === null ? null : bytesToText(e.value),
      message: bytesToText(e.message),
    };
  });
  const files = [...new Set(result.files.map((f) => f.path))];
  const incomplete = result.incomplete ? bytesToText(result.incomplete.message) : null;
  return { version: major, files, settings, errors, incomplete };
}
