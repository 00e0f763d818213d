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

/**
 * Fixes that can be applied together: a fix touching a range another already edits waits for the
 * next round. Taken edits are indexed by file and line, so each check looks only at the edits on
 * the lines it spans (the editor asks on every cursor move, with up to thousands of fixes).
 */
export function compatibleFixes(fixes: Fix[]): Fix[] {
  const byLine = new Map<string, TextEdit[]>();
  const key = (file: string, line: number) => `${line}\u0000${file}`;
  const linesOf = (e: TextEdit) => {
    const out: number[] = [];
    for (let l = e.range.start.line; l <= e.range.end.line; l++) out.push(l);
    return out;
  };
  const out: Fix[] = [];
  for (const fix of fixes) {
    const clash = fix.edits.some((e) =>
      linesOf(e).some((l) => (byLine.get(key(e.file, l)) ?? []).some((t) => overlaps(e, t))),
    );
    if (clash) continue;
    for (const e of fix.edits) {
      for (const l of linesOf(e)) {
        const list = byLine.get(key(e.file, l));
        if (list) list.push(e);
        else byLine.set(key(e.file, l), [e]);
      }
    }
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
