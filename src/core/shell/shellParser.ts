// A recursive-descent parser for the POSIX sh grammar (XCU 2.10) over the tokens of shellLexer:
// lists, and-or lists, pipelines, simple commands with assignments and redirections, ( ), { },
// if, while/until, for, case and function definitions. Reserved words are recognised only where
// the grammar allows them (command position), as /bin/sh does: `{ cp a b }` is an unterminated group.
// It never throws and stays linear: every loop consumes a token or stops, recovery skips the
// offending token, and nesting deeper than MAX_DEPTH stops the parse with an error.
import type {
  AndOr,
  AndOrOperator,
  BraceGroup,
  CaseClause,
  CaseItem,
  ForClause,
  FunctionDefinition,
  IfBranch,
  IfClause,
  ListItem,
  ListSeparator,
  LoopClause,
  Pipeline,
  RedirectOperator,
  ShellAssignment,
  ShellCommand,
  ShellList,
  ShellParseError,
  ShellRedirect,
  ShellWarning,
  ShellWord,
  SimpleCommand,
  Subshell,
} from './shellAst';
import { isRedirectOperator, lexShell, type ShellOperator, type ShellToken } from './shellLexer';

export interface ShellParseResult {
  /** the whole command line; null when it holds no command at all (empty, blank, comments, or only garbage) */
  readonly ast: ShellList | null;
  /** syntax errors, by offset; when non-empty /bin/sh would reject the line and run nothing (dash exits 2) */
  readonly errors: ShellParseError[];
  /** portability problems (bash-only syntax and the like); the line still parses */
  readonly warnings: ShellWarning[];
}

/** Compound commands nested deeper than this stop the parse (keeps recursion far from the stack limit). */
export const MAX_DEPTH = 100;

const RESERVED = new Set([
  'if',
  'then',
  'else',
  'elif',
  'fi',
  'do',
  'done',
  'case',
  'esac',
  'while',
  'until',
  'for',
  '{',
  '}',
  '!',
  'in',
]);
/** reserved words that end a list: they may only appear where an enclosing construct expects them */
const TERMINATORS = new Set(['then', 'else', 'elif', 'fi', 'do', 'done', 'esac', '}', 'in']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

type Stops = ReadonlySet<string>;
type WordToken = Extract<ShellToken, { kind: 'word' }>;

function emptyList(at: number): ShellList {
  return { type: 'List', start: at, end: at, items: [] };
}

function describe(t: ShellToken): string {
  switch (t.kind) {
    case 'word':
      return `\`${t.word.raw}\``;
    case 'op':
      return `\`${t.op}\``;
    case 'ioNumber':
      return `\`${t.fd}\``;
    case 'newline':
      return 'newline';
    case 'eof':
      return 'end of text';
  }
}

class ShellParser {
  private i = 0;
  private depth = 0;
  private aborted = false;
  private readonly eof: ShellToken;

  constructor(
    private readonly tokens: readonly ShellToken[],
    readonly errors: ShellParseError[],
    readonly warnings: ShellWarning[],
  ) {
    this.eof = tokens[tokens.length - 1];
  }

  parseProgram(): ShellList {
    return this.parseList(new Set());
  }

  // ---- token helpers ----

  private peek(k = 0): ShellToken {
    if (this.aborted) return this.eof;
    const j = this.i + k;
    return j < this.tokens.length ? this.tokens[j] : this.eof;
  }

  private next(): ShellToken {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }

  private lastEnd(fallback: number): number {
    return this.i > 0 ? this.tokens[this.i - 1].end : fallback;
  }

  private error(at: { start: number; end: number }, message: string): void {
    this.errors.push({ start: at.start, end: at.end, message });
  }

  private isOp(t: ShellToken, op: ShellOperator): boolean {
    return t.kind === 'op' && t.op === op;
  }

  /** the reserved word t is, when t is an unquoted reserved word */
  private reserved(t: ShellToken): string | null {
    return t.kind === 'word' && RESERVED.has(t.word.raw) ? t.word.raw : null;
  }

  private isWord(t: ShellToken, raw: string): boolean {
    return t.kind === 'word' && t.word.raw === raw;
  }

  private isStop(t: ShellToken, stops: Stops): boolean {
    if (t.kind === 'op') return (t.op === ')' || t.op === ';;') && stops.has(t.op);
    if (t.kind === 'word') return TERMINATORS.has(t.word.raw) && stops.has(t.word.raw);
    return false;
  }

  private canStartCommand(t: ShellToken): boolean {
    if (t.kind === 'word') return !TERMINATORS.has(t.word.raw);
    if (t.kind === 'ioNumber') return true;
    if (t.kind === 'op') return t.op === '(' || isRedirectOperator(t.op);
    return false;
  }

  private skipNewlines(): void {
    while (this.peek().kind === 'newline') this.next();
  }

  private expect(raw: string, opener: { start: number; end: number }, what: string): boolean {
    const t = this.peek();
    if (this.isWord(t, raw)) {
      this.next();
      return true;
    }
    this.error(t.kind === 'eof' ? opener : t, `expected \`${raw}\` ${what}, found ${describe(t)}`);
    return false;
  }

  private withStops(outer: Stops, ...own: string[]): Stops {
    const s = new Set(outer);
    for (const o of own) s.add(o);
    return s;
  }

  // ---- grammar ----

  private parseList(stops: Stops): ShellList {
    const items: ListItem[] = [];
    const start = this.peek().start;
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (t.kind === 'eof' || this.isStop(t, stops)) break;
      if (!this.canStartCommand(t)) {
        this.error(t, `syntax error: unexpected ${describe(t)}`);
        this.next();
        continue;
      }
      const andOr = this.parseAndOr(stops);
      if (andOr === null) continue;
      let separator: ListSeparator | null = null;
      const s = this.peek();
      if (s.kind === 'op' && (s.op === ';' || s.op === '&')) {
        separator = s.op;
        this.next();
      } else if (s.kind === 'newline') {
        separator = '\n';
        this.next();
      } else if (s.kind !== 'eof' && !this.isStop(s, stops)) {
        this.error(s, `syntax error: unexpected ${describe(s)}`);
        if (!this.canStartCommand(s)) this.next();
      }
      items.push({ andOr, separator });
    }
    if (items.length === 0) return emptyList(start);
    return { type: 'List', start: items[0].andOr.start, end: items[items.length - 1].andOr.end, items };
  }

  private parseAndOr(stops: Stops): AndOr | null {
    const first = this.parsePipeline(stops);
    if (first === null) return null;
    const pipelines: Pipeline[] = [first];
    const operators: AndOrOperator[] = [];
    for (;;) {
      const t = this.peek();
      if (!(t.kind === 'op' && (t.op === '&&' || t.op === '||'))) break;
      this.next();
      this.skipNewlines();
      const u = this.peek();
      if (!this.canStartCommand(u) || this.isStop(u, stops)) {
        this.error(u.kind === 'eof' ? t : u, `expected a command after \`${t.op}\`, found ${describe(u)}`);
        break;
      }
      const p = this.parsePipeline(stops);
      if (p === null) break;
      pipelines.push(p);
      operators.push(t.op);
    }
    return { type: 'AndOr', start: first.start, end: pipelines[pipelines.length - 1].end, pipelines, operators };
  }

  private parsePipeline(stops: Stops): Pipeline | null {
    const start = this.peek().start;
    let negated = false;
    let bang: ShellToken | null = null;
    if (this.isWord(this.peek(), '!')) {
      bang = this.next();
      negated = true;
    }
    // dash accepts a single `!`, only at the start of a pipeline
    while (this.isWord(this.peek(), '!'))
      this.error(this.next(), 'syntax error: unexpected `!` (only one `!`, at the start of a pipeline)');
    const commands: ShellCommand[] = [];
    let t = this.peek();
    if (!this.canStartCommand(t) || this.isStop(t, stops)) {
      this.error(t.kind === 'eof' && bang ? bang : t, `expected a command after \`!\`, found ${describe(t)}`);
      return null;
    }
    const first = this.parseCommand(stops);
    if (first === null) return null;
    commands.push(first);
    for (;;) {
      t = this.peek();
      if (!this.isOp(t, '|')) break;
      this.next();
      this.skipNewlines();
      while (this.isWord(this.peek(), '!'))
        this.error(this.next(), 'syntax error: unexpected `!` (only one `!`, at the start of a pipeline)');
      const u = this.peek();
      if (!this.canStartCommand(u) || this.isStop(u, stops)) {
        this.error(u.kind === 'eof' ? t : u, `expected a command after \`|\`, found ${describe(u)}`);
        break;
      }
      const c = this.parseCommand(stops);
      if (c === null) break;
      commands.push(c);
    }
    return { type: 'Pipeline', start, end: commands[commands.length - 1].end, negated, commands };
  }

  private parseCommand(stops: Stops): ShellCommand | null {
    const t = this.peek();
    if (this.isOp(t, '(')) return this.compound(() => this.parseSubshell(stops));
    switch (this.reserved(t)) {
      case 'if':
        return this.compound(() => this.parseIf(stops));
      case 'while':
      case 'until':
        return this.compound(() => this.parseLoop(stops));
      case 'for':
        return this.compound(() => this.parseFor(stops));
      case 'case':
        return this.compound(() => this.parseCase(stops));
      case '{':
        return this.compound(() => this.parseBrace(stops));
      default:
        break;
    }
    if (t.kind === 'word' && NAME.test(t.word.raw) && this.isOp(this.peek(1), '(') && this.isOp(this.peek(2), ')')) {
      return this.compound(() => this.parseFunction(stops));
    }
    return this.parseSimple();
  }

  private compound<T extends ShellCommand>(parse: () => T): T | null {
    if (this.depth >= MAX_DEPTH) {
      const t = this.peek();
      this.error(t, `commands nested more than ${MAX_DEPTH} deep; the rest of the text is not parsed`);
      this.aborted = true;
      return null;
    }
    this.depth++;
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private parseRedirects(): ShellRedirect[] {
    const out: ShellRedirect[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === 'ioNumber' || (t.kind === 'op' && isRedirectOperator(t.op))) out.push(this.parseRedirect());
      else return out;
    }
  }

  private parseRedirect(): ShellRedirect {
    let t = this.next();
    let fd: number | null = null;
    const start = t.start;
    if (t.kind === 'ioNumber') {
      fd = t.fd;
      t = this.next();
    }
    const op = (t.kind === 'op' ? t.op : '>') as RedirectOperator;
    const u = this.peek();
    let target: ShellWord | null = null;
    let hereDocument = null;
    if (u.kind === 'word') {
      this.next();
      target = u.word;
      hereDocument = u.hereDocument;
    } else {
      this.error(u.kind === 'eof' ? t : u, `expected a file name after \`${op}\`, found ${describe(u)}`);
    }
    return { type: 'Redirect', start, end: target ? target.end : t.end, fd, op, target, hereDocument };
  }

  private parseSimple(): SimpleCommand | null {
    const assignments: ShellAssignment[] = [];
    const words: ShellWord[] = [];
    const redirects: ShellRedirect[] = [];
    const start = this.peek().start;
    for (;;) {
      const t = this.peek();
      if (t.kind === 'ioNumber' || (t.kind === 'op' && isRedirectOperator(t.op))) {
        redirects.push(this.parseRedirect());
      } else if (t.kind === 'word') {
        this.next();
        const w = t.word;
        const m = words.length === 0 ? ASSIGNMENT.exec(w.raw) : null;
        if (m) {
          const nameLen = m[0].length;
          assignments.push({
            type: 'Assignment',
            start: w.start,
            end: w.end,
            name: m[0].slice(0, -1),
            word: w,
            value: w.value === null ? null : w.value.slice(nameLen),
            valueText: w.text.slice(nameLen),
          });
        } else {
          if (words.length === 0 && w.raw === '[[') {
            this.warnings.push({
              code: 'bash-test-keyword',
              start: w.start,
              end: w.end,
              message: '`[[` is bash syntax; /bin/sh (dash) has no `[[` command and fails with status 127',
            });
          }
          words.push(w);
        }
      } else break;
    }
    if (assignments.length + words.length + redirects.length === 0) return null;
    return { type: 'SimpleCommand', start, end: this.lastEnd(start), assignments, words, redirects };
  }

  private parseSubshell(stops: Stops): Subshell {
    const open = this.next();
    const body = this.parseList(this.withStops(stops, ')'));
    if (body.items.length === 0) this.error(open, 'empty `( )`: a subshell needs at least one command');
    const t = this.peek();
    if (this.isOp(t, ')')) this.next();
    else this.error(t.kind === 'eof' ? open : t, `expected \`)\` to close the \`(\`, found ${describe(t)}`);
    const redirects = this.parseRedirects();
    return { type: 'Subshell', start: open.start, end: this.lastEnd(open.end), body, redirects };
  }

  private parseBrace(stops: Stops): BraceGroup {
    const open = this.next();
    const body = this.parseList(this.withStops(stops, '}'));
    if (body.items.length === 0) this.error(open, 'empty `{ }`: a group needs at least one command');
    this.expect('}', open, 'to close the `{` (a `;` or newline must come before it)');
    const redirects = this.parseRedirects();
    return { type: 'BraceGroup', start: open.start, end: this.lastEnd(open.end), body, redirects };
  }

  private parseIf(stops: Stops): IfClause {
    const open = this.next();
    const inner = this.withStops(stops, 'then', 'elif', 'else', 'fi');
    const branches: IfBranch[] = [];
    let elseBody: ShellList | null = null;
    let keyword = open;
    for (;;) {
      const condition = this.parseList(inner);
      if (condition.items.length === 0)
        this.error(keyword, `expected a condition after \`${describe(keyword).slice(1, -1)}\``);
      if (!this.expect('then', open, 'after the condition')) {
        branches.push({ condition, body: emptyList(this.peek().start) });
        if (this.isWord(this.peek(), 'fi')) this.next();
        break;
      }
      const body = this.parseList(inner);
      if (body.items.length === 0) this.error(keyword, 'expected a command after `then`');
      branches.push({ condition, body });
      const t = this.peek();
      if (this.isWord(t, 'elif')) {
        keyword = this.next();
        continue;
      }
      if (this.isWord(t, 'else')) {
        const e = this.next();
        elseBody = this.parseList(inner);
        if (elseBody.items.length === 0) this.error(e, 'expected a command after `else`');
      }
      this.expect('fi', open, 'to close the `if`');
      break;
    }
    const redirects = this.parseRedirects();
    return { type: 'If', start: open.start, end: this.lastEnd(open.end), branches, elseBody, redirects };
  }

  private parseLoop(stops: Stops): LoopClause {
    const open = this.next() as WordToken;
    const inner = this.withStops(stops, 'do', 'done');
    const condition = this.parseList(inner);
    if (condition.items.length === 0) this.error(open, `expected a condition after \`${open.word.raw}\``);
    let body = emptyList(this.peek().start);
    if (this.expect('do', open, 'after the loop condition')) {
      body = this.parseList(inner);
      if (body.items.length === 0) this.error(open, 'expected a command after `do`');
      this.expect('done', open, `to close the \`${open.word.raw}\``);
    } else if (this.isWord(this.peek(), 'done')) this.next();
    const redirects = this.parseRedirects();
    const kind = open.word.raw === 'until' ? 'until' : 'while';
    return { type: 'Loop', kind, start: open.start, end: this.lastEnd(open.end), condition, body, redirects };
  }

  private parseFor(stops: Stops): ForClause {
    const open = this.next();
    let variable: ShellWord | null = null;
    let items: ShellWord[] | null = null;
    const v = this.peek();
    if (v.kind === 'word' && NAME.test(v.word.raw)) {
      this.next();
      variable = v.word;
    } else this.error(v.kind === 'eof' ? open : v, `expected a variable name after \`for\`, found ${describe(v)}`);
    this.skipNewlines();
    if (this.isWord(this.peek(), 'in')) {
      this.next();
      items = [];
      for (let t = this.peek(); t.kind === 'word'; t = this.peek()) {
        this.next();
        items.push(t.word);
      }
      const s = this.peek();
      if (this.isOp(s, ';') || s.kind === 'newline') this.next();
      else
        this.error(
          s.kind === 'eof' ? open : s,
          `expected \`;\` or a newline after the \`for\` word list, found ${describe(s)}`,
        );
    } else if (this.isOp(this.peek(), ';')) this.next();
    this.skipNewlines();
    let body = emptyList(this.peek().start);
    if (this.expect('do', open, 'in the `for` loop')) {
      body = this.parseList(this.withStops(stops, 'done'));
      if (body.items.length === 0) this.error(open, 'expected a command after `do`');
      this.expect('done', open, 'to close the `for`');
    }
    const redirects = this.parseRedirects();
    return { type: 'For', start: open.start, end: this.lastEnd(open.end), variable, items, body, redirects };
  }

  private parseCase(stops: Stops): CaseClause {
    const open = this.next();
    let subject: ShellWord | null = null;
    const s = this.peek();
    if (s.kind === 'word') {
      this.next();
      subject = s.word;
    } else {
      this.error(s.kind === 'eof' ? open : s, `expected a word after \`case\`, found ${describe(s)}`);
      return { type: 'Case', start: open.start, end: this.lastEnd(open.end), subject, items: [], redirects: [] };
    }
    this.skipNewlines();
    const items: CaseItem[] = [];
    if (!this.expect('in', open, 'after the `case` word')) {
      return { type: 'Case', start: open.start, end: this.lastEnd(open.end), subject, items, redirects: [] };
    }
    const inner = this.withStops(stops, ';;', 'esac');
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (this.isWord(t, 'esac')) {
        this.next();
        break;
      }
      if (t.kind === 'eof' || this.isStop(t, stops)) {
        this.error(t.kind === 'eof' ? open : t, `expected \`esac\` to close the \`case\`, found ${describe(t)}`);
        break;
      }
      const before = this.i;
      if (this.isOp(t, '(')) this.next();
      const patterns: ShellWord[] = [];
      for (;;) {
        const p = this.peek();
        if (p.kind !== 'word') {
          this.error(p, `expected a case pattern, found ${describe(p)}`);
          break;
        }
        this.next();
        patterns.push(p.word);
        if (!this.isOp(this.peek(), '|')) break;
        this.next();
      }
      const close = this.peek();
      if (this.isOp(close, ')')) this.next();
      else this.error(close, `expected \`)\` after the case pattern, found ${describe(close)}`);
      const body = this.parseList(inner);
      if (this.isOp(this.peek(), ';;')) this.next();
      if (patterns.length > 0) {
        items.push({
          start: patterns[0].start,
          end: this.lastEnd(patterns[0].end),
          patterns,
          body: body.items.length > 0 ? body : null,
        });
      }
      if (this.i === before) {
        // nothing consumed: skip the offending token so the loop ends
        if (this.peek().kind === 'eof') break;
        this.next();
      }
    }
    const redirects = this.parseRedirects();
    return { type: 'Case', start: open.start, end: this.lastEnd(open.end), subject, items, redirects };
  }

  private parseFunction(stops: Stops): FunctionDefinition {
    const name = (this.next() as WordToken).word;
    this.next();
    this.next();
    this.skipNewlines();
    const t = this.peek();
    let body: ShellCommand | null = null;
    if (this.canStartCommand(t) && !this.isStop(t, stops)) body = this.parseCommand(stops);
    // POSIX (and bash) want a compound command; dash accepts any command, so only a missing body is an error
    if (body === null)
      this.error(t.kind === 'eof' ? name : t, `expected a body for \`${name.raw}()\`, found ${describe(t)}`);
    return { type: 'FunctionDefinition', start: name.start, end: this.lastEnd(name.end), name, body };
  }
}

/** `$( ... )` inside `$( ... )` are checked this deep (keeps the total work linear: each level re-reads its text once). */
const MAX_SUBSTITUTION_DEPTH = 8;

/** Parses a /bin/sh command line (after PostgreSQL placeholder substitution, or with %p etc. still in it). Never throws. */
export function parseShell(text: string): ShellParseResult {
  return parseAt(text, 0);
}

function parseAt(text: string, substitutionDepth: number): ShellParseResult {
  const lexed = lexShell(text);
  const errors = [...lexed.errors];
  const warnings = [...lexed.warnings];
  // the shell parses command substitutions too, and rejects the line for a syntax error inside one
  if (substitutionDepth < MAX_SUBSTITUTION_DEPTH) {
    for (const sub of lexed.substitutions) {
      const inner = parseAt(text.slice(sub.start, sub.end), substitutionDepth + 1);
      for (const e of inner.errors) errors.push({ ...e, start: e.start + sub.start, end: e.end + sub.start });
      for (const w of inner.warnings) warnings.push({ ...w, start: w.start + sub.start, end: w.end + sub.start });
    }
  }
  const parser = new ShellParser(lexed.tokens, errors, warnings);
  let ast: ShellList | null = null;
  try {
    const list = parser.parseProgram();
    ast = list.items.length > 0 ? list : null;
  } catch (e) {
    // defensive: a bug must not take the linter down
    errors.push({
      start: 0,
      end: text.length,
      message: `internal parser error: ${e instanceof Error ? e.message : String(e)}`,
    });
  }
  errors.sort((a, b) => a.start - b.start);
  warnings.sort((a, b) => a.start - b.start);
  return { ast, errors, warnings };
}
