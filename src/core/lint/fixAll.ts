// "Fix all" for one file: apply every preferred fix that fits with the others, lint again, and
// repeat until nothing fixable is left (a fix can reveal or enable another, as ESLint's --fix does).

import { applyEdits, compatibleFixes } from './fixEdits';
import type { Finding, Fix } from './types';

/** At most this many rounds: fixes that keep producing fixes are a bug, not a reason to hang. */
export const MAX_FIX_ROUNDS = 10;

export interface FixAllResult {
  text: string;
  /** rounds that changed the text */
  rounds: number;
  /** fixes applied, in order */
  applied: string[];
}

/**
 * The text of `file` after fixing to a fixed point. `lint(text)` lints the file as if it held `text`;
 * only fixes whose every edit is in `file` are applied (fix-all edits one document). `lint` may be
 * asynchronous (the editor lints on a worker thread).
 */
export async function fixAllInFile(
  file: string,
  text: string,
  lint: (text: string) => Finding[] | Promise<Finding[]>,
): Promise<FixAllResult> {
  const applied: string[] = [];
  let rounds = 0;
  while (rounds < MAX_FIX_ROUNDS) {
    const fixes = compatibleFixes(
      (await lint(text))
        .map((f) => f.fix)
        .filter((f): f is Fix => !!f && f.preferred === true && f.edits.every((e) => e.file === file)),
    );
    if (fixes.length === 0) break;
    const next = applyEdits(
      text,
      fixes.flatMap((f) => f.edits),
    );
    if (next === text) break;
    text = next;
    rounds++;
    applied.push(...fixes.map((f) => f.title));
  }
  return { text, rounds, applied };
}
