// compatibleFixes runs on every code-action request (each cursor move) over every preferred fix
// of a file (issue 15: a file with tens of thousands of findings froze the editor with the
// pairwise check). Same answers as the pairwise definition; one pass per fix.
import { strict as assert } from 'node:assert';

import { compatibleFixes } from '../../../src/core/lint/fixEdits';
import type { Fix, TextEdit } from '../../../src/core/lint/types';

const edit = (line: number, from: number, toLine: number, to: number, file = '/f.conf'): TextEdit => ({
  file,
  range: { start: { line, character: from }, end: { line: toLine, character: to } },
  newText: 'x',
});
const fix = (...edits: TextEdit[]): Fix => ({ title: 't', edits, preferred: true });

/** The definition: a fix is taken unless one of its edits overlaps an edit already taken. */
function pairwise(fixes: Fix[]): Fix[] {
  const before = (a: TextEdit['range']['start'], b: TextEdit['range']['start']) =>
    a.line < b.line || (a.line === b.line && a.character <= b.character);
  const overlaps = (a: TextEdit, b: TextEdit) =>
    a.file === b.file &&
    ((a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character) ||
      !(before(a.range.end, b.range.start) || before(b.range.end, a.range.start)));
  const taken: TextEdit[] = [];
  return fixes.filter((f) => {
    if (f.edits.some((e) => taken.some((t) => overlaps(e, t)))) return false;
    for (const e of f.edits) taken.push(e);
    return true;
  });
}

describe('compatibleFixes', () => {
  it('agrees with the pairwise definition on random fixes (multi-line edits, insertions, two files)', () => {
    let seed = 7;
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    for (let run = 0; run < 500; run++) {
      const fixes: Fix[] = [];
      for (let i = 0; i < 12; i++) {
        const edits: TextEdit[] = [];
        for (let k = 0; k <= rnd(2); k++) {
          const line = rnd(6);
          const toLine = line + (rnd(4) === 0 ? rnd(3) : 0);
          const from = rnd(5);
          const to = toLine === line ? from + rnd(3) : rnd(5);
          edits.push(edit(line, from, toLine, to, rnd(3) === 0 ? '/g.conf' : '/f.conf'));
        }
        fixes.push(fix(...edits));
      }
      assert.deepEqual(compatibleFixes(fixes), pairwise(fixes));
    }
  });

  it('takes 50,000 fixes on distinct lines in one pass', () => {
    const fixes = Array.from({ length: 50_000 }, (_, i) => fix(edit(i, 0, i, 5)));
    assert.equal(compatibleFixes(fixes).length, 50_000);
  });
});
