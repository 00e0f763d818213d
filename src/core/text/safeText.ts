// Text that came from files, archives, servers or settings, made safe to print or show: control
// characters (C0, DEL, C1), bidirectional controls and line/paragraph separators become visible
// escapes, so a file name can neither forge an output line nor send a sequence to a terminal.
// The one escaping module of pg-pitr: the CLI's writers and the editor's messages use it.

/** Everything escaped on one line: C0, DEL, C1, bidi controls, U+2028/U+2029. */
const UNSAFE_INLINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same, newline and tab kept (a block of lines the program itself laid out). */
const UNSAFE_BLOCK =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escapeChar(c: string): string {
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * `text` on one line: every control character and bidi control shown as `\n`, `\r`, `\t` or
 * `\uXXXX` (the JSON spelling, so that the same text is also valid inside a JSON string).
 */
export function escapeInline(text: string): string {
  return text.replace(UNSAFE_INLINE, escapeChar);
}

/** `text` as a block of lines: newlines and tabs kept, every other control character escaped as in escapeInline. */
export function escapeBlock(text: string): string {
  return text.replace(UNSAFE_BLOCK, escapeChar);
}

/** True when `text` holds a character escapeInline would change. */
export function hasUnsafeCharacters(text: string): boolean {
  UNSAFE_INLINE.lastIndex = 0;
  return UNSAFE_INLINE.test(text);
}

/**
 * A template tag for one output line: the literal parts are the program's own, every interpolated
 * value is escaped with escapeInline. `line\`  unexpected-file: ${name}\`` can never become two lines.
 */
export function line(strings: TemplateStringsArray, ...values: unknown[]): string {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += escapeInline(String(values[i])) + (strings[i + 1] ?? '');
  return out;
}

/**
 * A short excerpt of untrusted content for a message: at most `max` characters (default 40),
 * escaped and in double quotes, with "..." when cut. Enough to recognise a line, never a file.
 */
export function excerpt(text: string, max = 40): string {
  let shown = text.length > max ? text.slice(0, max) : text;
  // never half of a surrogate pair
  if (shown.length < text.length && /[\ud800-\udbff]$/.test(shown)) shown = shown.slice(0, -1);
  return `"${escapeInline(shown).replace(/"/g, '\\"')}"${shown.length < text.length ? '...' : ''}`;
}
