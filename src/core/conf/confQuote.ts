// Writing a string value so that PostgreSQL's configuration lexer reads back exactly that string
// (the inverse of lexer.ts deescapeQuotedString). The one quoting routine for rules, fixes, live
// settings and the recovery writer.

/** Single-quoted, with ' doubled and \ doubled (the lexer treats \ as an escape). */
export function quoteConfString(value: string): string {
  return "'" + value.replace(/\\/g, '\\\\').replace(/'/g, "''") + "'";
}

const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

/**
 * quoteConfString, plus escapes for the control characters a quoted value may not hold literally
 * (a server's value read back with a real newline in it): \n \r \t \b \f and octal for the rest.
 */
export function quoteConfStringEscaped(value: string): string {
  return quoteConfString(value)
    .replace(/[\n\r\t\b\f]/g, (c) => ESCAPES[c])
    .replace(/[\x01-\x07\x0b\x0e-\x1f]/g, (c) => '\\' + c.charCodeAt(0).toString(8).padStart(3, '0'));
}
