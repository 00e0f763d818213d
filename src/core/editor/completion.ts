// What to offer while typing in a postgresql.conf line: names, then values and units.
import { findParameter, getCatalog } from '../catalog/catalogs';
import type { CatalogParameter } from '../catalog/types';

export interface CompletionEntry {
  label: string;
  kind: 'parameter' | 'value' | 'unit' | 'directive';
  detail?: string;
  documentation?: string;
  /** text to insert (defaults to label) */
  insertText?: string;
}

export type LinePosition =
  | { kind: 'name'; prefix: string }
  | { kind: 'value'; name: string; prefix: string; quoted: boolean }
  | { kind: 'none' };

/** Where the cursor is in a line: typing a name, a value, or inside a comment. */
export function classifyPosition(lineBeforeCursor: string): LinePosition {
  if (lineBeforeCursor.includes('#') && !/^[^#']*('[^']*'[^#']*)*'[^']*$/.test(lineBeforeCursor)) {
    // a # outside quotes starts a comment
    const outside = lineBeforeCursor.replace(/'[^']*'/g, '');
    if (outside.includes('#')) return { kind: 'none' };
  }
  const nameOnly = /^\s*([A-Za-z_][A-Za-z0-9_.]*)?$/.exec(lineBeforeCursor);
  if (nameOnly) return { kind: 'name', prefix: nameOnly[1] ?? '' };
  const value = /^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(?:=\s*|\s+)('?)([^']*)$/.exec(lineBeforeCursor);
  if (value) return { kind: 'value', name: value[1], prefix: value[3], quoted: value[2] === "'" };
  return { kind: 'none' };
}

const MEMORY_UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];
const TIME_UNITS = ['us', 'ms', 's', 'min', 'h', 'd'];

function unitsFor(p: CatalogParameter, major: number): string[] {
  if (!p.unit) return [];
  if (['B', 'kB', 'MB', '8kB'].includes(p.unit)) return MEMORY_UNITS.filter((u) => u !== 'B' || major >= 11);
  return TIME_UNITS.filter((u) => u !== 'us' || major >= 12);
}

export function completionsAt(lineBeforeCursor: string, major: number): CompletionEntry[] {
  const pos = classifyPosition(lineBeforeCursor);
  const catalog = getCatalog(major);
  if (pos.kind === 'name') {
    const params: CompletionEntry[] = Object.values(catalog.parameters)
      .filter((p) => p.context !== 'internal')
      .map((p) => ({
        label: p.name,
        kind: 'parameter',
        detail: `${p.type}${p.unit ? ` (${p.unit})` : ''}, default ${p.default === '' ? "''" : p.default}`,
        documentation: p.description,
      }));
    const directives: CompletionEntry[] = ['include', 'include_if_exists', 'include_dir'].map((d) => ({
      label: d,
      kind: 'directive',
      insertText: `${d} ''`,
    }));
    return [...params, ...directives];
  }
  if (pos.kind === 'value') {
    const p = findParameter(catalog, pos.name);
    if (!p) return [];
    if (p.type === 'enum')
      return (p.enumValues ?? []).map((v) => ({ label: v, kind: 'value', detail: `${p.name} value` }));
    if (p.type === 'bool') return ['on', 'off'].map((v) => ({ label: v, kind: 'value', detail: 'boolean' }));
    if (p.type === 'integer' || p.type === 'real') {
      const m = /^[+-]?[0-9.]+\s*$/.exec(pos.prefix);
      if (!m) return [];
      // a number with a space before the unit must be quoted; glued to the number it need not be
      return unitsFor(p, major).map((u) => ({
        label: u,
        kind: 'unit',
        detail: `unit for ${p.name}`,
        insertText: pos.prefix.endsWith(' ') && !pos.quoted ? undefined : u,
      }));
    }
  }
  return [];
}
