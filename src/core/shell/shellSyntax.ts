// A small POSIX sh parser for the commands PostgreSQL runs through `/bin/sh -c` (archive_command,
// restore_command, ...): lists, && / ||, pipelines, simple commands with quoting and redirections,
// subshells, { } groups, if/elif/else, and loops well enough not to derail. Never throws; linear.
// %p, %f, %r are ordinary characters here (PostgreSQL replaces them before the shell sees them).

export interface Word {
  /** as written */
  raw: string;
  /** after quote removal; null when the word has an expansion ($x, $(..), `..`) or a glob */
  value: string | null;
  start: number;
  end: number;
}

export interface Redirect {
  op: string;
  target: Word | null;
}

export interface SimpleCommand {
  type: 'simple';
  assigns: Word[];
  words: Word[];
  redirects: Redirect[];
  start: number;
  end: number;
}

export interface Subshell {
  type: 'subshell';
  body: ShellList;
}

export interface Group {
  type: 'group';
  body: ShellList;
}

export interface IfCommand {
  type: 'if';
  /** condition/branch pairs: if, then each elif */
  branches: Array<{ condition: ShellList; body: ShellList }>;
  elseBody: ShellList | null;
}

export interface LoopCommand {
  type: 'loop';
  keyword: 'while' | 'until' | 'for' | 'case';
  bodies: ShellList[];
}

export type Command = SimpleCommand | Subshell | Group | IfCommand | LoopCommand;

export interface Pipeline {
  type: 'pipeline';
  bang: boolean;
  commands: Command[];
}

export interface AndOr {
  type: 'andor';
  first: Pipeline;
  rest: Array<{ op: '&&' | '||'; pipeline: Pipeline }>;
  /** ended with & (runs in the background: its status is not the command's) */
  background: boolean;
}

export interface ShellList {
  type: 'list';
  items: AndOr[];
}

export interface ShellParseError {
  message: string;
  offset: number;
}

type Tok = { kind: 'word'; word: Word } | { kind: 'op'; op: string; start: number; end: number } | { kind: 'eof'; start: number; end: number };

const OPERATORS = ['&&', '||', ';;', '>>', '<<', '>&', '<&', '>|', '<>', '&', '|', ';', '(', ')', '<', '>', '\n'];

function lex(text: string, errors: ShellParseError[]): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '\\' && text[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === '#') {
      // a comment only at the start of a word
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    // io number: digits directly before < or >
    const io = /^[0-9]+(?=[<>])/.exec(text.slice(i, i + 12));
    if (io) {
      const opStart = i + io[0].length;
      const op = OPERATORS.find((o) => text.startsWith(o, opStart))!;
      toks.push({ kind: 'op', op, start: i, end: opStart + op.length });
      i = opStart + op.length;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op) {
      toks.push({ kind: 'op', op, start: i, end: i + op.length });
      i += op.length;
      continue;
    }
    // a word: until an unquoted blank or operator character
    const start = i;
    let value = '';
    let literal = true;
    while (i < n) {
      const d = text[i];
      if (d === ' ' || d === '\t' || d === '\r' || d === '\n' || ';&|()<>'.includes(d)) break;
      if (d === "'") {
        const close = text.indexOf("'", i + 1);
        if (close < 0) {
          errors.push({ message: 'unterminated single quote', offset: i });
          value += text.slice(i + 1);
          i = n;
          break;
        }
        value += text.slice(i + 1, close);
        i = close + 1;
        continue;
      }
      if (d === '"') {
        let j = i + 1;
        let closed = false;
        while (j < n) {
          if (text[j] === '\\' && j + 1 < n && '$`"\\\n'.includes(text[j + 1])) {
            value += text[j + 1];
            j += 2;
            continue;
          }
          if (text[j] === '"') {
            closed = true;
            break;
          }
          if (text[j] === '$' || text[j] === '`') literal = false;
          value += text[j];
          j++;
        }
        if (!closed) errors.push({ message: 'unterminated double quote', offset: i });
        i = closed ? j + 1 : n;
        continue;
      }
      if (d === '\\') {
        if (i + 1 < n) value += text[i + 1];
        i += 2;
        continue;
      }
      if (d === '$' || d === '`') {
        literal = false;
        // skip a $( ... ) or ` ... ` or ${ ... } as part of the word
        const open = d === '`' ? '`' : text[i + 1] === '(' ? '(' : text[i + 1] === '{' ? '{' : '';
        if (open) {
          const close = open === '`' ? '`' : open === '(' ? ')' : '}';
          let depth = 0;
          let j = d === '`' ? i + 1 : i + 2;
          if (open !== '`') depth = 1;
          while (j < n) {
            if (open === '`' && text[j] === '`') break;
            if (open !== '`' && text[j] === open) depth++;
            if (open !== '`' && text[j] === close && --depth === 0) break;
            j++;
          }
          if (j >= n) errors.push({ message: `unterminated ${d === '`' ? 'backquote' : '$' + open}`, offset: i });
          value += text.slice(i, Math.min(n, j + 1));
          i = Math.min(n, j + 1);
          continue;
        }
      }
      // globs expand: such a word has no single literal value
      if (d === '*' || d === '?') literal = false;
      value += d;
      i++;
    }
    toks.push({ kind: 'word', word: { raw: text.slice(start, i), value: literal ? value : null, start, end: i } });
  }
  toks.push({ kind: 'eof', start: n, end: n });
  return toks;
}

const RESERVED = new Set(['if', 'then', 'elif', 'else', 'fi', 'do', 'done', 'while', 'until', 'for', 'case', 'esac', '{', '}', '!', 'in']);

class Parser {
  private p = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly errors: ShellParseError[],
  ) {}

  private peek(): Tok {
    return this.toks[this.p];
  }

  private isWord(w: string): boolean {
    const t = this.peek();
    return t.kind === 'word' && t.word.raw === w;
  }

  private isOp(op: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.op === op;
  }

  private skipNewlines(): void {
    while (this.isOp('\n')) this.p++;
  }

  private fail(message: string): void {
    const t = this.peek();
    const offset = t.kind === 'word' ? t.word.start : t.start;
    if (!this.errors.some((e) => e.offset === offset)) this.errors.push({ message, offset });
  }

  /** list until one of the stop words (not consumed) or EOF / ')' */
  list(stops: string[]): ShellList {
    const items: AndOr[] = [];
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (t.kind === 'eof' || this.isOp(')') || (t.kind === 'word' && stops.includes(t.word.raw)) || this.isOp(';;')) break;
      const before = this.p;
      const ao = this.andOr();
      if (ao) items.push(ao);
      if (this.isOp(';') || this.isOp('\n')) this.p++;
      else if (this.isOp('&')) {
        if (ao) ao.background = true;
        this.p++;
      }
      if (this.p === before) {
        // nothing consumed: report and skip the token so parsing always advances
        this.fail(`unexpected ${t.kind === 'op' ? `"${t.op}"` : `"${t.kind === 'word' ? t.word.raw : ''}"`}`);
        this.p++;
      }
    }
    return { type: 'list', items };
  }

  private andOr(): AndOr | null {
    const first = this.pipeline();
    if (!first) return null;
    const ao: AndOr = { type: 'andor', first, rest: [], background: false };
    while (this.isOp('&&') || this.isOp('||')) {
      const op = (this.peek() as { op: '&&' | '||' }).op;
      this.p++;
      this.skipNewlines();
      const next = this.pipeline();
      if (!next) {
        this.fail(`a command must follow "${op}"`);
        break;
      }
      ao.rest.push({ op, pipeline: next });
    }
    return ao;
  }

  private pipeline(): Pipeline | null {
    let bang = false;
    if (this.isWord('!')) {
      bang = true;
      this.p++;
    }
    const first = this.command();
    if (!first) return null;
    const commands = [first];
    while (this.isOp('|')) {
      this.p++;
      this.skipNewlines();
      const c = this.command();
      if (!c) {
        this.fail('a command must follow "|"');
        break;
      }
      commands.push(c);
    }
    return { type: 'pipeline', bang, commands };
  }

  private expectWord(w: string): void {
    if (this.isWord(w)) this.p++;
    else this.fail(`expected "${w}"`);
  }

  private command(): Command | null {
    const t = this.peek();
    if (this.isOp('(')) {
      this.p++;
      const body = this.list([]);
      if (this.isOp(')')) this.p++;
      else this.fail('expected ")"');
      this.redirectsAfterCompound();
      return { type: 'subshell', body };
    }
    if (t.kind !== 'word') return null;
    switch (t.word.raw) {
      case '{': {
        this.p++;
        const body = this.list(['}']);
        this.expectWord('}');
        this.redirectsAfterCompound();
        return { type: 'group', body };
      }
      case 'if': {
        this.p++;
        const branches: IfCommand['branches'] = [];
        let elseBody: ShellList | null = null;
        const condition = this.list(['then']);
        this.expectWord('then');
        branches.push({ condition, body: this.list(['elif', 'else', 'fi']) });
        while (this.isWord('elif')) {
          this.p++;
          const c = this.list(['then']);
          this.expectWord('then');
          branches.push({ condition: c, body: this.list(['elif', 'else', 'fi']) });
        }
        if (this.isWord('else')) {
          this.p++;
          elseBody = this.list(['fi']);
        }
        this.expectWord('fi');
        this.redirectsAfterCompound();
        return { type: 'if', branches, elseBody };
      }
      case 'while':
      case 'until': {
        this.p++;
        const cond = this.list(['do']);
        this.expectWord('do');
        const body = this.list(['done']);
        this.expectWord('done');
        return { type: 'loop', keyword: t.word.raw as 'while', bodies: [cond, body] };
      }
      case 'for': {
        this.p++;
        while (!this.isWord('do') && this.peek().kind !== 'eof') this.p++;
        this.expectWord('do');
        const body = this.list(['done']);
        this.expectWord('done');
        return { type: 'loop', keyword: 'for', bodies: [body] };
      }
      case 'case': {
        this.p++;
        const bodies: ShellList[] = [];
        while (!this.isWord('esac') && this.peek().kind !== 'eof') {
          if (this.isOp(')')) {
            this.p++;
            bodies.push(this.list(['esac']));
            if (this.isOp(';;')) this.p++;
          } else this.p++;
        }
        this.expectWord('esac');
        return { type: 'loop', keyword: 'case', bodies };
      }
      default:
        if (RESERVED.has(t.word.raw) && t.word.raw !== '!') return null;
        return this.simple();
    }
  }

  private redirectsAfterCompound(): void {
    while (this.peek().kind === 'op' && /[<>]/.test((this.peek() as { op: string }).op)) {
      this.p++;
      if (this.peek().kind === 'word') this.p++;
    }
  }

  private simple(): SimpleCommand | null {
    const cmd: SimpleCommand = { type: 'simple', assigns: [], words: [], redirects: [], start: 0, end: 0 };
    let first = true;
    for (;;) {
      const t = this.peek();
      if (t.kind === 'word') {
        if (first && /^[A-Za-z_][A-Za-z0-9_]*=/.test(t.word.raw) && cmd.words.length === 0) cmd.assigns.push(t.word);
        else {
          cmd.words.push(t.word);
          first = false;
        }
        if (cmd.start === 0 && cmd.words.length + cmd.assigns.length === 1) cmd.start = t.word.start;
        cmd.end = t.word.end;
        this.p++;
        continue;
      }
      if (t.kind === 'op' && /^[0-9]*(>>|<<|>&|<&|>\||<>|<|>)$/.test(t.op)) {
        this.p++;
        const target = this.peek().kind === 'word' ? (this.peek() as { word: Word }).word : null;
        if (target) this.p++;
        else this.fail(`a file name must follow "${t.op}"`);
        cmd.redirects.push({ op: t.op, target });
        continue;
      }
      break;
    }
    if (cmd.words.length === 0 && cmd.assigns.length === 0 && cmd.redirects.length === 0) return null;
    return cmd;
  }
}

/** Parses a command line as /bin/sh would; never throws. */
export function parseShell(text: string): { ast: ShellList; errors: ShellParseError[] } {
  const errors: ShellParseError[] = [];
  const toks = lex(text, errors);
  const parser = new Parser(toks, errors);
  const ast = parser.list([]);
  return { ast, errors };
}
