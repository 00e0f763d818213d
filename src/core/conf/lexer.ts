// A byte-exact port of the flex scanner in PostgreSQL's guc-file.l (unchanged from 9.6 to 18).
// flex picks the longest match; on equal length the rule listed first wins:
//   \n -> EOL, [ \t\r]+ -> skip, #.* -> skip, ID, QUALIFIED_ID, STRING, UNQUOTED_STRING,
//   INTEGER, REAL, "=", and any other single byte -> ERROR.
// The scanner is built with %option 8bit, so every byte 0x80-0xFF is a LETTER.
// Input is a "binary string": one JS char per byte (latin1), so offsets are byte offsets.

export const enum TokenKind {
  Eof = 0,
  Id = 1,
  String = 2,
  Integer = 3,
  Real = 4,
  Equals = 5,
  Eol = 6,
  QualifiedId = 7,
  UnquotedString = 8,
  Error = 9,
}

export interface Token {
  kind: TokenKind;
  /** byte offset of the first byte */
  start: number;
  /** byte offset after the last byte */
  end: number;
}

function isLetter(c: number): boolean {
  // [A-Za-z_\200-\377]
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c >= 0x80;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isLetterOrDigit(c: number): boolean {
  return isLetter(c) || isDigit(c);
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

function isUnitLetter(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

const NL = 0x0a;
const QUOTE = 0x27;
const BACKSLASH = 0x5c;

export class Lexer {
  private pos = 0;
  // A STRING scan that ran past its last accepting point (to a newline, or the end) proves that
  // every quote between that point and where it stopped starts no STRING either: the scan read
  // each of them as escaped (or as the second of a doubled quote), so a scan from there would
  // follow the same steps to the same dead end. Remembering that range keeps lexing linear where
  // flex (and so PostgreSQL) backs up and rescans: quadratic on a line of escaped quotes.
  private noStringFrom = 0;
  private noStringBefore = 0;

  constructor(private readonly text: string) {}

  /** Offset where the next token would start (before skipping whitespace). */
  get position(): number {
    return this.pos;
  }

  next(): Token {
    const s = this.text;
    const n = s.length;
    for (;;) {
      const p = this.pos;
      if (p >= n) return { kind: TokenKind.Eof, start: n, end: n };
      const c = s.charCodeAt(p);
      if (c === NL) {
        this.pos = p + 1;
        return { kind: TokenKind.Eol, start: p, end: p + 1 };
      }
      if (c === 0x20 || c === 0x09 || c === 0x0d) {
        let q = p + 1;
        while (q < n) {
          const d = s.charCodeAt(q);
          if (d !== 0x20 && d !== 0x09 && d !== 0x0d) break;
          q++;
        }
        this.pos = q;
        continue;
      }
      if (c === 0x23 /* # */) {
        let q = s.indexOf('\n', p);
        if (q < 0) q = n;
        this.pos = q;
        continue;
      }
      const tok = this.longestMatch(p);
      this.pos = tok.end;
      return tok;
    }
  }

  private longestMatch(p: number): Token {
    const s = this.text;
    const n = s.length;
    let best: TokenKind = TokenKind.Error;
    let bestLen = 0;
    // Candidates are tried in flex rule order; only a strictly longer match replaces the best.
    const offer = (kind: TokenKind, len: number): void => {
      if (len > bestLen) {
        best = kind;
        bestLen = len;
      }
    };

    const c = s.charCodeAt(p);
    // ID and QUALIFIED_ID
    let idLen = 0;
    if (isLetter(c)) {
      idLen = 1;
      while (p + idLen < n && isLetterOrDigit(s.charCodeAt(p + idLen))) idLen++;
      offer(TokenKind.Id, idLen);
      const dot = p + idLen;
      if (dot + 1 < n && s.charCodeAt(dot) === 0x2e && isLetter(s.charCodeAt(dot + 1))) {
        let q = dot + 2;
        while (q < n && isLetterOrDigit(s.charCodeAt(q))) q++;
        offer(TokenKind.QualifiedId, q - p);
      }
    }
    // STRING: \'([^'\\\n]|\\.|\'\')*\'
    if (c === QUOTE && !(p >= this.noStringFrom && p < this.noStringBefore)) {
      let q = p + 1;
      let end = 0;
      while (q < n) {
        const d = s.charCodeAt(q);
        if (d === NL) break;
        if (d === BACKSLASH) {
          if (q + 1 >= n || s.charCodeAt(q + 1) === NL) break;
          q += 2;
          continue;
        }
        if (d === QUOTE) {
          end = q + 1;
          if (q + 1 < n && s.charCodeAt(q + 1) === QUOTE) {
            q += 2;
            continue;
          }
          break;
        }
        q++;
      }
      this.noStringFrom = end > 0 ? end : p + 1;
      this.noStringBefore = q;
      if (end > 0) offer(TokenKind.String, end - p);
    }
    // UNQUOTED_STRING: {LETTER}({LETTER_OR_DIGIT}|[-._:/])*
    if (isLetter(c)) {
      let q = p + 1;
      while (q < n) {
        const d = s.charCodeAt(q);
        if (isLetterOrDigit(d) || d === 0x2d || d === 0x2e || d === 0x5f || d === 0x3a || d === 0x2f) q++;
        else break;
      }
      offer(TokenKind.UnquotedString, q - p);
    }
    // INTEGER: {SIGN}?({DIGIT}+|0x{HEXDIGIT}+){UNIT_LETTER}*
    // REAL:    {SIGN}?{DIGIT}*"."{DIGIT}*{EXPONENT}?
    {
      let q = p;
      if (c === 0x2b || c === 0x2d) q++;
      const afterSign = q;
      let intLen = 0;
      if (q < n && isDigit(s.charCodeAt(q))) {
        let r = q;
        while (r < n && isDigit(s.charCodeAt(r))) r++;
        while (r < n && isUnitLetter(s.charCodeAt(r))) r++;
        intLen = r - p;
        if (
          q + 2 < n &&
          s.charCodeAt(q) === 0x30 &&
          s.charCodeAt(q + 1) === 0x78 /* lower-case x only */ &&
          isHexDigit(s.charCodeAt(q + 2))
        ) {
          let h = q + 2;
          while (h < n && isHexDigit(s.charCodeAt(h))) h++;
          while (h < n && isUnitLetter(s.charCodeAt(h))) h++;
          intLen = Math.max(intLen, h - p);
        }
      }
      let realLen = 0;
      {
        let r = afterSign;
        while (r < n && isDigit(s.charCodeAt(r))) r++;
        if (r < n && s.charCodeAt(r) === 0x2e) {
          r++;
          while (r < n && isDigit(s.charCodeAt(r))) r++;
          // EXPONENT: [Ee]{SIGN}?{DIGIT}+
          if (r < n && (s.charCodeAt(r) === 0x65 || s.charCodeAt(r) === 0x45)) {
            let e = r + 1;
            if (e < n && (s.charCodeAt(e) === 0x2b || s.charCodeAt(e) === 0x2d)) e++;
            if (e < n && isDigit(s.charCodeAt(e))) {
              while (e < n && isDigit(s.charCodeAt(e))) e++;
              r = e;
            }
          }
          realLen = r - p;
        }
      }
      offer(TokenKind.Integer, intLen);
      offer(TokenKind.Real, realLen);
    }
    if (c === 0x3d) offer(TokenKind.Equals, 1);
    if (bestLen === 0) return { kind: TokenKind.Error, start: p, end: p + 1 };
    return { kind: best, start: p, end: p + bestLen };
  }
}

/**
 * DeescapeQuotedString (GUC_scanstr before PG16): strips the quotes, turns '' into ',
 * \b \f \n \r \t into control bytes, \ + 1-3 octal digits into that byte, and \x into x.
 */
export function deescapeQuotedString(token: string): string {
  const len = token.length - 1; // skip the closing quote
  // most values have no escape: the value is the text between the quotes (inside a STRING token
  // every quote is part of a doubled one, so a first inner quote at `len` means there is none)
  if (token.indexOf('\\') < 0 && token.indexOf("'", 1) >= len) return token.slice(1, len);
  // bytes in, bytes out: one buffer, not one string per byte (a 30 MB value stays 30 MB)
  const out = Buffer.allocUnsafe(Math.max(0, len - 1));
  let w = 0;
  for (let i = 1; i < len; i++) {
    const c = token.charCodeAt(i);
    if (c === BACKSLASH && i + 1 < len) {
      i++;
      const d = token.charCodeAt(i);
      switch (d) {
        case 0x62 /* b */:
          out[w++] = 0x08;
          break;
        case 0x66 /* f */:
          out[w++] = 0x0c;
          break;
        case 0x6e /* n */:
          out[w++] = 0x0a;
          break;
        case 0x72 /* r */:
          out[w++] = 0x0d;
          break;
        case 0x74 /* t */:
          out[w++] = 0x09;
          break;
        default:
          if (d >= 0x30 && d <= 0x37) {
            let k = 0;
            let octVal = 0;
            while (k < 3 && i + k < len && token.charCodeAt(i + k) >= 0x30 && token.charCodeAt(i + k) <= 0x37) {
              octVal = (octVal << 3) + (token.charCodeAt(i + k) - 0x30);
              k++;
            }
            i += k - 1;
            out[w++] = octVal & 0xff;
          } else out[w++] = d;
      }
    } else if (c === QUOTE && i + 1 < len && token.charCodeAt(i + 1) === QUOTE) {
      // doubled quote becomes a single quote
      out[w++] = QUOTE;
      i++;
    } else {
      out[w++] = c;
    }
  }
  return out.toString('latin1', 0, w);
}
