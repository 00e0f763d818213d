// POSIX sh token recognition (XCU 2.3): operators, words with their quoting and expansions, IO
// numbers, comments, line continuations and here-document bodies. One left-to-right pass over the
// text with no backtracking, so it is linear in the input; it never throws: unbalanced quotes and
// substitutions become errors and the word runs to the end of the text.
// Bash-only operators (`&>`, `|&`, `<<<`) are tokenized the way dash reads them, with a warning.
import { placeholders } from './placeholders';
import type { HereDocument, PlaceholderLetter, ShellParseError, ShellWarning, ShellWord, Span } from './shellAst';

export type ShellOperator =
  '&&' | '||' | ';;' | '<<-' | '<<' | '>>' | '<&' | '>&' | '<>' | '>|' | '|' | '&' | ';' | '<' | '>' | '(' | ')';

export type ShellToken =
  | {
      readonly kind: 'word';
      readonly start: number;
      readonly end: number;
      readonly word: ShellWord;
      hereDocument: HereDocument | null;
    }
  | { readonly kind: 'ioNumber'; readonly start: number; readonly end: number; readonly fd: number }
  | { readonly kind: 'op'; readonly start: number; readonly end: number; readonly op: ShellOperator }
  | { readonly kind: 'newline'; readonly start: number; readonly end: number }
  | { readonly kind: 'eof'; readonly start: number; readonly end: number };

export interface LexResult {
  readonly tokens: ShellToken[];
  readonly errors: ShellParseError[];
  readonly warnings: ShellWarning[];
  /**
   * The text inside the outermost `$( ... )` command substitutions (nested ones are found when those
   * are lexed). dash parses these with the line and rejects it for an error inside; `...` bodies are
   * only parsed when they run (an error there just fails the substitution), so they are not listed.
   */
  readonly substitutions: Span[];
}

const REDIRECT_OPS: ReadonlySet<string> = new Set(['<<-', '<<', '>>', '<&', '>&', '<>', '>|', '<', '>']);

/** True for the operators that start a redirection. */
export function isRedirectOperator(op: ShellOperator): boolean {
  return REDIRECT_OPS.has(op);
}

function isMeta(c: string): boolean {
  return (
    c === ' ' ||
    c === '\t' ||
    c === '\n' ||
    c === ';' ||
    c === '&' ||
    c === '|' ||
    c === '<' ||
    c === '>' ||
    c === '(' ||
    c === ')'
  );
}

function isNameStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}

function isNameChar(c: string): boolean {
  return isNameStart(c) || (c >= '0' && c <= '9');
}

function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

type Frame = 'paren' | 'brace' | 'dquote' | 'backtick';

interface MutableFlags {
  quoted: boolean;
  parameter: boolean;
  commandSubstitution: boolean;
  arithmetic: boolean;
  glob: boolean;
  tilde: boolean;
  ansiC: boolean;
}

interface PendingHereDoc {
  token: Extract<ShellToken, { kind: 'word' }>;
  delimiter: string;
  quoted: boolean;
  stripTabs: boolean;
}

class ShellLexer {
  private pos = 0;
  readonly tokens: ShellToken[] = [];
  readonly errors: ShellParseError[] = [];
  readonly warnings: ShellWarning[] = [];
  readonly substitutions: Span[] = [];
  private readonly n: number;
  /** the previous token was << or <<-: the next word is a here-document delimiter */
  private expectDelimiter: '<<' | '<<-' | null = null;
  private pendingHereDocs: PendingHereDoc[] = [];
  /** valid %p/%f/%r placeholders of the whole text, in order, consumed as words are built */
  private readonly marks: { start: number; letter: PlaceholderLetter }[];
  private markIndex = 0;

  constructor(private readonly s: string) {
    this.n = s.length;
    this.marks = [];
    for (const p of placeholders(s)) {
      if (p.kind === 'p' || p.kind === 'f' || p.kind === 'r') this.marks.push({ start: p.start, letter: p.kind });
    }
  }

  run(): void {
    const s = this.s;
    for (;;) {
      this.skipBlanks();
      const p = this.pos;
      if (p >= this.n) break;
      const c = s[p];
      if (c === '#') {
        const nl = s.indexOf('\n', p);
        this.pos = nl < 0 ? this.n : nl;
        continue;
      }
      if (c === '\n') {
        this.pos = p + 1;
        this.expectDelimiter = null;
        this.tokens.push({ kind: 'newline', start: p, end: p + 1 });
        this.readHereDocBodies();
        continue;
      }
      const op = this.matchOperator(p);
      if (op !== null) {
        this.pos = p + op.length;
        this.tokens.push({ kind: 'op', op, start: p, end: this.pos });
        this.afterOperator(op, p);
        continue;
      }
      this.readWord();
    }
    if (this.pendingHereDocs.length > 0) this.readHereDocBodies();
    this.tokens.push({ kind: 'eof', start: this.n, end: this.n });
  }

  private skipBlanks(): void {
    const s = this.s;
    let p = this.pos;
    while (p < this.n) {
      const c = s[p];
      if (c === ' ' || c === '\t') p++;
      else if (c === '\\' && s[p + 1] === '\n') p += 2;
      else break;
    }
    this.pos = p;
  }

  private matchOperator(p: number): ShellOperator | null {
    const s = this.s;
    const c = s[p];
    const d = s[p + 1];
    switch (c) {
      case '&':
        return d === '&' ? '&&' : '&';
      case '|':
        return d === '|' ? '||' : '|';
      case ';':
        return d === ';' ? ';;' : ';';
      case '(':
        return '(';
      case ')':
        return ')';
      case '<':
        if (d === '<') return s[p + 2] === '-' ? '<<-' : '<<';
        if (d === '&') return '<&';
        if (d === '>') return '<>';
        return '<';
      case '>':
        if (d === '>') return '>>';
        if (d === '&') return '>&';
        if (d === '|') return '>|';
        return '>';
      default:
        return null;
    }
  }

  private afterOperator(op: ShellOperator, p: number): void {
    const s = this.s;
    this.expectDelimiter = op === '<<' || op === '<<-' ? op : null;
    if (op === '&' && s[p + 1] === '>') {
      this.warnings.push({
        code: 'bash-redirect-both',
        start: p,
        end: p + 2,
        message: '`&>` is bash syntax; /bin/sh (dash) runs the command in the background and then truncates the file',
      });
    } else if (op === '|' && s[p + 1] === '&') {
      this.warnings.push({
        code: 'bash-pipe-both',
        start: p,
        end: p + 2,
        message: '`|&` is bash syntax; /bin/sh (dash) reports a syntax error',
      });
    } else if (op === '<<' && s[p + 2] === '<') {
      this.warnings.push({
        code: 'bash-here-string',
        start: p,
        end: p + 3,
        message: '`<<<` (here-string) is bash syntax; /bin/sh (dash) reports a syntax error',
      });
    }
  }

  /** Scans a nested construct ($(...), ${...}, `...`, "...") from p; returns the end offset, or -1 if unterminated. */
  private scanNested(p: number, initial: Frame): number {
    const s = this.s;
    const n = this.n;
    const stack: Frame[] = [initial];
    let i = p;
    while (i < n) {
      const c = s[i];
      const top = stack[stack.length - 1];
      if (top === 'dquote' || top === 'backtick') {
        if (c === '\\') {
          i += 2;
          continue;
        }
        if ((top === 'dquote' && c === '"') || (top === 'backtick' && c === '`')) {
          stack.pop();
          i++;
          if (stack.length === 0) return i;
          continue;
        }
        if (top === 'dquote') {
          if (c === '$' && (s[i + 1] === '(' || s[i + 1] === '{')) {
            stack.push(s[i + 1] === '(' ? 'paren' : 'brace');
            i += 2;
            continue;
          }
          if (c === '`') stack.push('backtick');
        }
        i++;
        continue;
      }
      // inside $( ... ) or ${ ... }
      if (c === '\\') {
        i += 2;
        continue;
      }
      if (c === "'") {
        const j = s.indexOf("'", i + 1);
        if (j < 0) return -1;
        i = j + 1;
        continue;
      }
      if (c === '"') stack.push('dquote');
      else if (c === '`') stack.push('backtick');
      else if (c === '$' && (s[i + 1] === '(' || s[i + 1] === '{')) {
        stack.push(s[i + 1] === '(' ? 'paren' : 'brace');
        i += 2;
        continue;
      } else if (top === 'paren' && c === '(') stack.push('paren');
      else if ((top === 'paren' && c === ')') || (top === 'brace' && c === '}')) {
        stack.pop();
        if (stack.length === 0) return i + 1;
      }
      i++;
    }
    return -1;
  }

  /** Reads an expansion starting at `$` (offset p). Returns its end, and sets flags; end === p + 1 for a literal `$`. */
  private scanDollar(p: number, flags: MutableFlags, inDquote: boolean): number {
    const s = this.s;
    const c = s[p + 1];
    if (c === '(') {
      const arith = s[p + 2] === '(';
      const end = this.scanNested(p + 2, 'paren');
      if (arith) flags.arithmetic = true;
      else flags.commandSubstitution = true;
      if (end < 0) {
        this.errors.push({
          start: p,
          end: this.n,
          message: arith ? 'unterminated `$((`' : 'unterminated `$(`: no matching `)`',
        });
        return this.n;
      }
      if (!arith) this.substitutions.push({ start: p + 2, end: end - 1 });
      return end;
    }
    if (c === '{') {
      flags.parameter = true;
      const end = this.scanNested(p + 2, 'brace');
      if (end < 0) {
        this.errors.push({ start: p, end: this.n, message: 'unterminated `${`: no matching `}`' });
        return this.n;
      }
      return end;
    }
    if (c !== undefined && isNameStart(c)) {
      let i = p + 2;
      while (i < this.n && isNameChar(s[i])) i++;
      flags.parameter = true;
      return i;
    }
    if (c !== undefined && '0123456789@*#?$!-'.includes(c)) {
      flags.parameter = true;
      return p + 2;
    }
    if (c === "'" && !inDquote) {
      flags.ansiC = true;
      let i = p + 2;
      while (i < this.n && s[i] !== "'") i += s[i] === '\\' ? 2 : 1;
      if (i >= this.n) {
        this.errors.push({ start: p, end: this.n, message: "unterminated `$'`: no matching `'`" });
        return this.n;
      }
      this.warnings.push({
        code: 'ansi-c-quote',
        start: p,
        end: i + 1,
        message: "`$'...'` is not understood by every /bin/sh (dash 0.5.12 keeps the `$` literally)",
      });
      return i + 1;
    }
    return p + 1;
  }

  private readWord(): void {
    const s = this.s;
    const n = this.n;
    const start = this.pos;
    let i = start;
    let value = '';
    let text = '';
    const flags: MutableFlags = {
      quoted: false,
      parameter: false,
      commandSubstitution: false,
      arithmetic: false,
      glob: false,
      tilde: false,
      ansiC: false,
    };
    let openBracket = false;
    if (s[i] === '~') flags.tilde = true;
    while (i < n) {
      const c = s[i];
      if (isMeta(c)) break;
      if (c === '\\') {
        if (s[i + 1] === '\n') {
          i += 2;
          continue;
        }
        if (i + 1 >= n) {
          value += '\\';
          text += '\\';
          i++;
          continue;
        }
        flags.quoted = true;
        value += s[i + 1];
        text += s[i + 1];
        i += 2;
        continue;
      }
      if (c === "'") {
        flags.quoted = true;
        const j = s.indexOf("'", i + 1);
        if (j < 0) {
          this.errors.push({ start: i, end: n, message: 'unterminated single quote' });
          value += s.slice(i + 1);
          text += s.slice(i + 1);
          i = n;
          break;
        }
        value += s.slice(i + 1, j);
        text += s.slice(i + 1, j);
        i = j + 1;
        continue;
      }
      if (c === '"') {
        flags.quoted = true;
        const open = i;
        const errorsBefore = this.errors.length;
        i++;
        let closed = false;
        while (i < n) {
          const d = s[i];
          if (d === '"') {
            closed = true;
            i++;
            break;
          }
          if (d === '\\') {
            const e = s[i + 1];
            if (e === '\n') {
              i += 2;
              continue;
            }
            if (e === '$' || e === '`' || e === '"' || e === '\\') {
              value += e;
              text += e;
              i += 2;
              continue;
            }
            value += '\\';
            text += '\\';
            i++;
            continue;
          }
          if (d === '$') {
            const end = this.scanDollar(i, flags, true);
            text += s.slice(i, end);
            if (end === i + 1) value += '$';
            i = end;
            continue;
          }
          if (d === '`') {
            flags.commandSubstitution = true;
            const end = this.scanNested(i + 1, 'backtick');
            if (end < 0) {
              this.errors.push({ start: i, end: n, message: 'unterminated backquote' });
              text += s.slice(i);
              i = n;
              break;
            }
            text += s.slice(i, end);
            i = end;
            continue;
          }
          value += d;
          text += d;
          i++;
        }
        if (!closed && this.errors.length === errorsBefore)
          this.errors.push({ start: open, end: n, message: 'unterminated double quote' });
        continue;
      }
      if (c === '$') {
        const end = this.scanDollar(i, flags, false);
        text += s.slice(i, end);
        if (end === i + 1) value += '$';
        i = end;
        continue;
      }
      if (c === '`') {
        flags.commandSubstitution = true;
        const end = this.scanNested(i + 1, 'backtick');
        if (end < 0) {
          this.errors.push({ start: i, end: n, message: 'unterminated backquote' });
          text += s.slice(i);
          i = n;
          break;
        }
        text += s.slice(i, end);
        i = end;
        continue;
      }
      if (c === '*' || c === '?') flags.glob = true;
      else if (c === '[') openBracket = true;
      else if (c === ']' && openBracket) flags.glob = true;
      value += c;
      text += c;
      i++;
    }
    this.pos = i;
    const raw = s.slice(start, i);
    // IO_NUMBER: an unquoted all-digit word directly followed by < or >
    if ((s[i] === '<' || s[i] === '>') && isDigits(raw)) {
      this.tokens.push({ kind: 'ioNumber', fd: Number(raw), start, end: i });
      this.expectDelimiter = null;
      return;
    }
    const expansion = flags.parameter || flags.commandSubstitution || flags.arithmetic || flags.tilde || flags.ansiC;
    const letters: PlaceholderLetter[] = [];
    while (this.markIndex < this.marks.length && this.marks[this.markIndex].start < start) this.markIndex++;
    while (this.markIndex < this.marks.length && this.marks[this.markIndex].start + 2 <= i) {
      letters.push(this.marks[this.markIndex].letter);
      this.markIndex++;
    }
    const word: ShellWord = {
      type: 'Word',
      start,
      end: i,
      raw,
      value: expansion || flags.glob ? null : value,
      text,
      flags,
      placeholders: letters,
    };
    const token: Extract<ShellToken, { kind: 'word' }> = { kind: 'word', start, end: i, word, hereDocument: null };
    this.tokens.push(token);
    if (this.expectDelimiter !== null) {
      this.pendingHereDocs.push({
        token,
        delimiter: value,
        quoted: flags.quoted,
        stripTabs: this.expectDelimiter === '<<-',
      });
      this.expectDelimiter = null;
    }
  }

  /** After a newline: the bodies of the here-documents opened on that line, in order. */
  private readHereDocBodies(): void {
    const s = this.s;
    const pending = this.pendingHereDocs;
    this.pendingHereDocs = [];
    for (const h of pending) {
      const bodyStart = this.pos;
      let p = bodyStart;
      let body = '';
      let terminated = false;
      while (p < this.n) {
        const nl = s.indexOf('\n', p);
        const lineEnd = nl < 0 ? this.n : nl;
        let line = s.slice(p, lineEnd);
        if (h.stripTabs) line = line.replace(/^\t+/, '');
        const next = nl < 0 ? this.n : nl + 1;
        if (line === h.delimiter) {
          terminated = true;
          this.pos = next;
          h.token.hereDocument = {
            start: bodyStart,
            end: p,
            text: body,
            quoted: h.quoted,
            stripTabs: h.stripTabs,
            terminated,
          };
          break;
        }
        body += line + (nl < 0 ? '' : '\n');
        p = next;
      }
      if (!terminated) {
        this.pos = this.n;
        h.token.hereDocument = {
          start: bodyStart,
          end: this.n,
          text: body,
          quoted: h.quoted,
          stripTabs: h.stripTabs,
          terminated,
        };
        this.warnings.push({
          code: 'heredoc-at-eof',
          start: h.token.start,
          end: h.token.end,
          message: `here-document delimited by end of text (wanted \`${h.delimiter}\`)`,
        });
      }
    }
  }
}

/** Splits a sh command line into tokens; never throws. */
export function lexShell(text: string): LexResult {
  const lexer = new ShellLexer(text);
  lexer.run();
  return { tokens: lexer.tokens, errors: lexer.errors, warnings: lexer.warnings, substitutions: lexer.substitutions };
}
