// PostgreSQL's %-placeholder scan (replace_percent_placeholders in src/common/percentrepl.c, PG 16+;
// the same left-to-right walk in pgarch.c / xlogarchive.c before). It runs on the setting before the
// shell sees it, whatever the shell quoting: `'%p'` is replaced too.
//
// Version differences a rule must know:
//  - PG 16+: `%` followed by a letter the setting does not accept, or a lone `%` at the end, is an
//    error when the command runs ("String contains unexpected placeholder" / "String ends
//    unexpectedly after escape character").
//  - before 16: such a `%` is copied literally and the command runs with it.
// Accepted letters: archive_command p f; restore_command p f r; archive_cleanup_command and
// recovery_end_command r.

export type PlaceholderKind =
  /** %p: path of the file (relative to the data directory; pg_wal/... or pg_wal/RECOVERYXLOG) */
  | 'p'
  /** %f: file name only */
  | 'f'
  /** %r: name of the file containing the last valid restart point */
  | 'r'
  /** %%: a literal % */
  | 'percent'
  /** % followed by a character that is not an accepted letter */
  | 'invalid'
  /** a lone % at the very end of the setting */
  | 'incomplete';

export interface PlaceholderOccurrence {
  readonly kind: PlaceholderKind;
  /** offset of the % */
  readonly start: number;
  /** offset after the placeholder (start + 1 for 'incomplete', else start + 2) */
  readonly end: number;
  /** the text as written, e.g. `%p`, `%%`, `%x`, `%` */
  readonly text: string;
}

/**
 * Every `%` sequence of the setting, left to right as the server consumes them (`%%p` is `%%` then a
 * plain `p`). `letters` are the placeholders the setting accepts; other letters come back as
 * 'invalid' (default: all of p, f, r, so a rule can check per-setting letters itself).
 */
export function placeholders(text: string, letters = 'pfr'): PlaceholderOccurrence[] {
  const out: PlaceholderOccurrence[] = [];
  const n = text.length;
  for (let i = text.indexOf('%'); i >= 0 && i < n; i = text.indexOf('%', i)) {
    if (i + 1 >= n) {
      out.push({ kind: 'incomplete', start: i, end: i + 1, text: '%' });
      break;
    }
    const c = text[i + 1];
    let kind: PlaceholderKind;
    if (c === '%') kind = 'percent';
    else if ((c === 'p' || c === 'f' || c === 'r') && letters.includes(c)) kind = c;
    else kind = 'invalid';
    out.push({ kind, start: i, end: i + 2, text: text.slice(i, i + 2) });
    i += 2;
  }
  return out;
}
