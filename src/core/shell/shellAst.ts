// The syntax tree of a POSIX sh command line, as /bin/sh -c would parse it. PostgreSQL hands
// archive_command / restore_command (after %-placeholder substitution) to /bin/sh -c, so rules
// reason about these nodes instead of matching regexes against the raw setting.
// All offsets are UTF-16 offsets into the text given to parseShell (end is exclusive).

/** A half-open range [start, end) of the parsed text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A syntax error: /bin/sh would refuse the whole line (dash exits with status 2 and runs nothing). */
export interface ShellParseError extends Span {
  readonly message: string;
}

/** Something that parses, but behaves differently between shells (e.g. bash-only syntax under dash). */
export interface ShellWarning extends Span {
  readonly code:
    | 'bash-redirect-both'
    | 'bash-pipe-both'
    | 'bash-here-string'
    | 'bash-test-keyword'
    | 'ansi-c-quote'
    | 'heredoc-at-eof';
  readonly message: string;
}

/** PostgreSQL placeholders that can appear inside a word (`%%` is not listed: it becomes a plain `%`). */
export type PlaceholderLetter = 'p' | 'f' | 'r';

/** What a word contains besides literal characters. */
export interface WordFlags {
  /** some character was quoted ('...', "...", or a backslash) */
  readonly quoted: boolean;
  /** $name, ${...}, $1, $?, ... */
  readonly parameter: boolean;
  /** $(...) or `...` */
  readonly commandSubstitution: boolean;
  /** $((...)) */
  readonly arithmetic: boolean;
  /** an unquoted *, ? or [...] (pathname expansion) */
  readonly glob: boolean;
  /** a leading unquoted ~ (tilde expansion) */
  readonly tilde: boolean;
  /** $'...': ANSI-C quoting in bash, a literal $ followed by a quoted string in dash */
  readonly ansiC: boolean;
}

export interface ShellWord extends Span {
  readonly type: 'Word';
  /** the word exactly as written */
  readonly raw: string;
  /**
   * The word after quote removal, or null when it contains an expansion, a glob or a tilde
   * (its run-time value is then not known statically). %p, %f, %r, %% are kept as written.
   */
  readonly value: string | null;
  /** best effort: quote removal applied, expansions kept verbatim (e.g. `/a/$HOST/%f`); always set */
  readonly text: string;
  readonly flags: WordFlags;
  /** the PostgreSQL placeholders inside the word, in order (from a scan of the whole setting, so `%%p` is not %p) */
  readonly placeholders: readonly PlaceholderLetter[];
}

/** `NAME=value` before the command name. */
export interface ShellAssignment extends Span {
  readonly type: 'Assignment';
  readonly name: string;
  /** the whole `NAME=value` word */
  readonly word: ShellWord;
  /** the value after quote removal, or null when it contains an expansion */
  readonly value: string | null;
  /** best-effort value text (see ShellWord.text) */
  readonly valueText: string;
}

export type RedirectOperator = '<' | '>' | '>>' | '>|' | '<>' | '<&' | '>&' | '<<' | '<<-';

export interface HereDocument extends Span {
  /** the body, as written (no expansion performed) */
  readonly text: string;
  /** the delimiter was quoted, so the body is not expanded */
  readonly quoted: boolean;
  /** `<<-`: leading tabs are stripped */
  readonly stripTabs: boolean;
  /** the delimiter line was found (false: the body runs to the end of the text) */
  readonly terminated: boolean;
}

export interface ShellRedirect extends Span {
  readonly type: 'Redirect';
  /** the explicit file descriptor (`2>`), or null for the default (0 for <, 1 for >) */
  readonly fd: number | null;
  readonly op: RedirectOperator;
  /** the file name, fd number (`>&2`) or here-document delimiter; null when missing (a syntax error) */
  readonly target: ShellWord | null;
  readonly hereDocument: HereDocument | null;
}

export interface SimpleCommand extends Span {
  readonly type: 'SimpleCommand';
  readonly assignments: readonly ShellAssignment[];
  /** the command name and its arguments, in order */
  readonly words: readonly ShellWord[];
  readonly redirects: readonly ShellRedirect[];
}

/** `( list )`: runs in a subshell, so `cd`, `exit`, `set` inside do not leak out. */
export interface Subshell extends Span {
  readonly type: 'Subshell';
  readonly body: ShellList;
  readonly redirects: readonly ShellRedirect[];
}

/** `{ list; }`: runs in the current shell. */
export interface BraceGroup extends Span {
  readonly type: 'BraceGroup';
  readonly body: ShellList;
  readonly redirects: readonly ShellRedirect[];
}

export interface IfBranch {
  readonly condition: ShellList;
  readonly body: ShellList;
}

/** `if c; then b; [elif c; then b;]* [else b;] fi`; branches[0] is the `if`, the rest are `elif`s. */
export interface IfClause extends Span {
  readonly type: 'If';
  readonly branches: readonly IfBranch[];
  readonly elseBody: ShellList | null;
  readonly redirects: readonly ShellRedirect[];
}

/** `while c; do b; done` / `until c; do b; done` */
export interface LoopClause extends Span {
  readonly type: 'Loop';
  readonly kind: 'while' | 'until';
  readonly condition: ShellList;
  readonly body: ShellList;
  readonly redirects: readonly ShellRedirect[];
}

/** `for name [in words]; do b; done`; items is null without `in` (iterates "$@"). */
export interface ForClause extends Span {
  readonly type: 'For';
  readonly variable: ShellWord | null;
  readonly items: readonly ShellWord[] | null;
  readonly body: ShellList;
  readonly redirects: readonly ShellRedirect[];
}

export interface CaseItem extends Span {
  readonly patterns: readonly ShellWord[];
  readonly body: ShellList | null;
}

export interface CaseClause extends Span {
  readonly type: 'Case';
  readonly subject: ShellWord | null;
  readonly items: readonly CaseItem[];
  readonly redirects: readonly ShellRedirect[];
}

/** `name() compound-command` */
export interface FunctionDefinition extends Span {
  readonly type: 'FunctionDefinition';
  readonly name: ShellWord;
  readonly body: ShellCommand | null;
}

export type CompoundCommand = Subshell | BraceGroup | IfClause | LoopClause | ForClause | CaseClause;
export type ShellCommand = SimpleCommand | CompoundCommand | FunctionDefinition;

/** Commands joined by `|`; the status is the last command's (negated by a leading `!`). */
export interface Pipeline extends Span {
  readonly type: 'Pipeline';
  readonly negated: boolean;
  readonly commands: readonly ShellCommand[];
}

export type AndOrOperator = '&&' | '||';

/** Pipelines joined by `&&` / `||`; operators[i] sits between pipelines[i] and pipelines[i + 1]. */
export interface AndOr extends Span {
  readonly type: 'AndOr';
  readonly pipelines: readonly Pipeline[];
  readonly operators: readonly AndOrOperator[];
}

/** `;`, `&` (run in the background) or a newline; null after the last item when nothing follows. */
export type ListSeparator = ';' | '&' | '\n';

export interface ListItem {
  readonly andOr: AndOr;
  readonly separator: ListSeparator | null;
}

/** And-or lists run one after another; `parseShell` returns one of these as the root. */
export interface ShellList extends Span {
  readonly type: 'List';
  readonly items: readonly ListItem[];
}

export type ShellNode = ShellList | AndOr | Pipeline | ShellCommand | ShellWord | ShellAssignment | ShellRedirect;
