// The key space of an S3 listing and how it is split for parallel paging (see s3Source.ts): keys in
// UTF-8 binary order, and the parts that follow the last key of a truncated page. Pure: no I/O.

/** the rest of a branch is split when it is estimated to hold more than this many pages */
export const SPLIT_MIN_PAGES = 4;
/** split points: the digits of WAL file names */
const ALPHABET = '0123456789ABCDEF';
/**
 * A part "after all the keys starting with X" starts after X + SKIP_TO. Exactness does not depend on
 * it (the part also skips the keys starting with X, which belong to another part); it only has to
 * sort after the keys archives hold (hex digits, '.', '-', '/', '_' follow X), and it is plain
 * ASCII so that no S3-compatible server balks at the StartAfter.
 */
const SKIP_TO = '~';

export function isSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdfff;
}

/** compares keys in UTF-8 byte order (= code point order), the order of S3 listings */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      const xs = isSurrogate(x);
      if (xs !== isSurrogate(y)) return xs ? 1 : -1;
      return x - y;
    }
  }
  return a.length - b.length;
}

export function commonPrefixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** a range of keys: prefix, > after, < before, not starting with any of skip */
export interface Part {
  prefix: string;
  after?: string;
  before?: string;
  skip: string[];
}

/**
 * The parts after `last` (the last key of a truncated page of `part` whose first key is `first`),
 * or undefined to keep paging `part` sequentially. `splitMinKeys`: split the rest of a branch only
 * when it is estimated to hold more keys than this.
 */
export function splitAfterPage(
  part: Part,
  first: string,
  last: string,
  pageKeys: number,
  splitMinKeys: number,
): Part[] | undefined {
  const P = part.prefix;
  const D = Math.max(P.length, commonPrefixLength(first, last));
  if (D >= last.length) return undefined;
  for (let i = 0; i <= D; i++) if (isSurrogate(last.charCodeAt(i))) return undefined;
  const Y = last.slice(0, D);
  const c = last[D];
  // how many keys are left in L's branch at depth D, from the digits the page spanned
  const iL = ALPHABET.indexOf(c);
  const iF = first.length > D ? ALPHABET.indexOf(first[D]) : 0;
  let estimate = Infinity;
  if (iL >= 0 && iF >= 0 && iF <= iL) {
    const perDigit = pageKeys / (iL - iF + 1);
    estimate = perDigit * (ALPHABET.length - 1 - iL) + perDigit / 2;
  }
  if (D === P.length && estimate < splitMinKeys) return undefined;
  const parts: Part[] = [];
  if (estimate < splitMinKeys) {
    parts.push({ prefix: Y, after: last, skip: part.skip });
  } else {
    parts.push({ prefix: last.slice(0, D + 1), after: last, skip: part.skip });
    parts.push(...digitParts(Y, c, part.skip));
  }
  if (D - 1 >= P.length) {
    // the next larger groups (e.g. the following log ids), then everything after them
    parts.push(...digitParts(last.slice(0, D - 1), last[D - 1], part.skip));
    if (D - 2 >= P.length) {
      const done = last.slice(0, D - 1);
      parts.push({ prefix: P, after: done + SKIP_TO, skip: [...part.skip, done] });
    }
  }
  return parts;
}

/** The keys starting with Y followed by a character after c: one part per hex digit after c, and the gaps */
export function digitParts(Y: string, c: string, skip: string[]): Part[] {
  const parts: Part[] = [];
  let prev = c;
  for (const a of ALPHABET) {
    if (compareKeys(a, c) <= 0) continue;
    if (a.charCodeAt(0) !== prev.charCodeAt(0) + 1)
      parts.push({ prefix: Y, after: Y + prev + SKIP_TO, before: Y + a, skip: [...skip, Y + prev] });
    parts.push({ prefix: Y + a, skip });
    prev = a;
  }
  parts.push({ prefix: Y, after: Y + prev + SKIP_TO, skip: [...skip, Y + prev] });
  return parts;
}
