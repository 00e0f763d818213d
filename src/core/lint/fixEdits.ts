// Combining and applying fixes: used by "fix all" in the editor and by tests.
import type { Fix, Position, TextEdit } from './types';

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

function overlaps(a: TextEdit, b: TextEdit): boolean {
  if (a.file !== b.file) return false;
  // two insertions at the same point would interleave: treat them as overlapping too
  const sameInsert = a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character;
  return sameInsert || !(before(a.range.end, b.range.start) || before(b.range.end, a.range.start));
}

/** Fixes that can be applied together: a fix touching a range another already edits waits for the next round. */
export function compatibleFixes(fixes: Fix[]): Fix[] {
  const taken: TextEdit[] = [];
  const out: Fix[] = [];
  for (const fix of fixes) {
    if (fix.edits.some((e) => taken.some((t) => overlaps(e, t)))) continue;
    taken.push(...fix.edits);
    out.push(fix);
  }
  return out;
}

/** Applies non-overlapping edits (positions in UTF-16 characters) to one file's text. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const offset = (p: Position) => Math.min(text.length, (lineStarts[p.line] ?? text.length) + p.character);
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}
