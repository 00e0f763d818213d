// What exit status a command line can end with. PostgreSQL treats status 0 of archive_command as
// "this WAL file is safely archived" and then may recycle it, so a command that reports success
// whatever happened (`cp ... || true`, `cp ...; echo done`, `cp ... &`) silently loses WAL.
//
// The analysis is an over-approximation: every node gets the set of ways it can end (normally with
// 0 / non-0, or through `exit` with 0 / non-0). Anything not understood can end every way, so
// "cannot exit non-zero" is only claimed when it is proven under this model (redirection failures,
// `set -e`, `${x?}` and `set -u` aborts, special built-in errors and `set -o pipefail` are all
// accounted for; signals and out-of-memory are not).
import { commandInvocation, commandName } from './commandInvocation';
import type {
  AndOr,
  CaseClause,
  IfClause,
  ListItem,
  Pipeline,
  ShellCommand,
  ShellList,
  ShellNode,
  ShellRedirect,
  ShellWord,
  SimpleCommand,
} from './shellAst';
import { setCommandOptions } from './shellOptions';
import { simpleCommands, simpleCommandsIn } from './shellWalk';

type Why = (() => string) | null;

interface Outcome {
  zero: boolean;
  nonZero: boolean;
  exitZero: boolean;
  exitNonZero: boolean;
  /** why the node cannot end with a non-zero status; only set when that is the case */
  why: Why;
}

interface Opts {
  errexit: boolean;
  pipefail: boolean;
  nounset: boolean;
}

function outcome(zero: boolean, nonZero: boolean, exitZero = false, exitNonZero = false, why: Why = null): Outcome {
  return { zero, nonZero, exitZero, exitNonZero, why };
}

const UNKNOWN = (): Outcome => outcome(true, true);

function canFail(o: Outcome): boolean {
  return o.nonZero || o.exitNonZero;
}

function toNormal(o: Outcome): Outcome {
  return outcome(o.zero || o.exitZero, o.nonZero || o.exitNonZero, false, false, o.why);
}

/** POSIX special built-ins: their errors (including redirection errors) end a non-interactive shell. */
const SPECIAL_BUILTINS = new Set([
  ':',
  '.',
  'break',
  'continue',
  'eval',
  'exec',
  'exit',
  'export',
  'readonly',
  'return',
  'set',
  'shift',
  'times',
  'trap',
  'unset',
]);
/** commands that cannot fail */
const ALWAYS_SUCCEED = new Set(['true', ':']);
/** output-only commands treated as unable to fail (strictly, a closed stdout could make them fail) */
const REPORTERS = new Set(['echo', 'printf', 'logger']);
const HARMLESS_TARGETS = new Set(['/dev/null', '/dev/stdout', '/dev/stderr', '/dev/stdin', '/dev/tty']);

/** A redirection that cannot fail: to /dev/null, a dup of fd 0-2, a close, or a here-document. */
export function isHarmlessRedirect(r: ShellRedirect): boolean {
  if (r.op === '<<' || r.op === '<<-') return true;
  const v = r.target?.value;
  if (v === undefined || v === null) return false;
  if (r.op === '>&' || r.op === '<&')
    return v === '0' || v === '1' || v === '2' || v === '-' || HARMLESS_TARGETS.has(v);
  return HARMLESS_TARGETS.has(v);
}

function mayAbort(w: ShellWord, opts: Opts): boolean {
  return w.flags.parameter && (opts.nounset || /\$\{[^}]*\?/.test(w.raw));
}

function quoteList(names: string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

const NO_OPTS: Opts = { errexit: false, pipefail: false, nounset: false };

/** names of the simple commands inside the nodes (only those that can fail, when onlyFailing) */
function namesIn(nodes: readonly (ShellNode | ShellList)[], onlyFailing: boolean): string {
  const names: string[] = [];
  for (const n of nodes) {
    for (const sc of simpleCommandsIn(n)) {
      if (onlyFailing && !canFail(simpleOutcome(sc, { ...NO_OPTS }))) continue;
      const name = commandName(sc) ?? sc.words[0]?.raw ?? 'a redirection';
      if (!names.includes(name)) names.push(name);
      if (names.length > 3) break;
    }
  }
  return quoteList(names.slice(0, 3));
}

/** A short rendering of a node for messages: words as written, compound bodies elided. */
export function sourceOf(n: ShellCommand | Pipeline): string {
  switch (n.type) {
    case 'Pipeline':
      return (n.negated ? '! ' : '') + n.commands.map(sourceOf).join(' | ');
    case 'SimpleCommand':
      return [
        ...n.assignments.map((a) => a.word.raw),
        ...n.words.map((w) => w.raw),
        ...n.redirects.map((r) => `${r.fd ?? ''}${r.op}${r.target?.raw ?? ''}`),
      ].join(' ');
    case 'Subshell':
      return '( ... )';
    case 'BraceGroup':
      return '{ ...; }';
    case 'If':
      return 'if ... fi';
    case 'Loop':
      return `${n.kind} ... done`;
    case 'For':
      return 'for ... done';
    case 'Case':
      return 'case ... esac';
    case 'FunctionDefinition':
      return `${n.name.raw}() ...`;
  }
}

function simpleOutcome(cmd: SimpleCommand, opts: Opts): Outcome {
  const words = cmd.words;
  let o: Outcome;
  let special = false;
  if (words.length === 0) {
    const subst = cmd.assignments.some((a) => a.word.flags.commandSubstitution);
    o = outcome(
      true,
      subst,
      false,
      false,
      subst
        ? null
        : () =>
            cmd.assignments.length > 0 ? 'a variable assignment always succeeds' : 'a bare redirection always succeeds',
    );
  } else if (words[0].value === null) {
    o = UNKNOWN();
  } else {
    const first = words[0].value;
    special = SPECIAL_BUILTINS.has(first);
    if (first === 'exit') {
      const arg = words[1];
      if (arg === undefined || arg.value === null || !/^[0-9]+$/.test(arg.value)) o = outcome(false, false, true, true);
      else if (Number(arg.value) % 256 === 0)
        o = outcome(false, false, true, false, () => `\`${sourceOf(cmd)}\` ends the shell with status 0`);
      else o = outcome(false, false, false, true);
    } else if (first === 'set') {
      const s = setCommandOptions(cmd);
      if (s) {
        for (const name of s.enables)
          if (name === 'errexit' || name === 'pipefail' || name === 'nounset') opts[name] = true;
      }
      o =
        s && s.nonPortable.length > 0
          ? outcome(true, false, false, true)
          : outcome(true, false, false, false, () => '`set` only changes shell options and succeeds');
    } else if (first === 'exec') {
      if (words.length === 1)
        o = outcome(true, false, false, false, () => '`exec` without a command only applies redirections');
      else {
        const name = commandInvocation(cmd)?.name;
        if (name !== undefined && ALWAYS_SUCCEED.has(name) && words.length >= 2 && words[1].value === name)
          o = outcome(false, false, true, false, () => `\`${sourceOf(cmd)}\` always succeeds`);
        else o = outcome(false, false, true, true);
      }
    } else if (first === 'eval' || first === '.' || first === 'source') {
      o = outcome(true, true, true, true);
    } else {
      const inv = commandInvocation(cmd);
      const name = inv?.name ?? null;
      const direct = inv !== null && inv.wrappers.length === 0;
      if (direct && name !== null && ALWAYS_SUCCEED.has(name))
        o = outcome(true, false, false, false, () => `\`${inv.nameWord.raw}\` always succeeds`);
      else if (
        direct &&
        name === 'cd' &&
        inv.args.length === 1 &&
        (inv.args[0].value === '.' || inv.args[0].value === './')
      )
        o = outcome(
          true,
          false,
          false,
          false,
          () => `\`${sourceOf(cmd)}\` changes to the directory it is already in and always succeeds`,
        );
      else if (direct && name === 'false') o = outcome(false, true);
      else if (direct && name !== null && REPORTERS.has(name))
        o = outcome(true, false, false, false, () => `\`${name}\` always succeeds`);
      else o = outcome(true, true, false, special);
    }
  }
  let extraFailure = false;
  for (const r of cmd.redirects) {
    if (!isHarmlessRedirect(r)) {
      if (special) o.exitNonZero = true;
      else o.nonZero = true;
      extraFailure = true;
    }
  }
  const all = [
    ...cmd.assignments.map((a) => a.word),
    ...words,
    ...cmd.redirects.flatMap((r) => (r.target ? [r.target] : [])),
  ];
  if (all.some((w) => mayAbort(w, opts))) {
    o.exitNonZero = true;
    extraFailure = true;
  }
  if (extraFailure) o.why = null;
  return o;
}

class StatusAnalyzer {
  readonly opts: Opts = { errexit: false, pipefail: false, nounset: false };

  list(list: ShellList, inCondition: boolean): Outcome {
    const items = list.items;
    if (items.length === 0) return outcome(true, false, false, false, () => 'the command is empty and does nothing');
    let exitZero = false;
    let exitNonZero = false;
    let cur: Outcome | null = null;
    let last = -1;
    for (let idx = 0; idx < items.length; idx++) {
      if (cur !== null) {
        if (!cur.zero && !cur.nonZero) break; // the rest is unreachable
        if (this.opts.errexit && !inCondition && cur.nonZero) exitNonZero = true;
      }
      const o = this.item(items[idx], inCondition);
      exitZero ||= o.exitZero;
      exitNonZero ||= o.exitNonZero;
      cur = o;
      last = idx;
    }
    const final = cur as Outcome;
    const res = outcome(final.zero, final.nonZero, exitZero, exitNonZero);
    const lastCommand = items[last].andOr.pipelines[0].commands[0];
    const background = items.slice(0, last).filter((it) => it.separator === '&');
    if (
      !canFail(res) &&
      background.length > 0 &&
      lastCommand.type === 'SimpleCommand' &&
      lastCommand.words.length === 0 &&
      lastCommand.assignments.length === 0
    ) {
      // `cmd &>file` under dash: `cmd &` then `>file`
      res.why = () =>
        `\`&\` runs ${
          namesIn(
            background.map((it) => it.andOr),
            false,
          ) || 'the command'
        } in the background, so the shell reports success without waiting for it (\`&>\` is bash syntax; /bin/sh reads \`cmd &>file\` as \`cmd &\` followed by \`>file\`)`;
    } else if (!canFail(res) && final.why) {
      const base = final.why;
      const earlier = items.slice(0, last).map((it) => it.andOr);
      res.why = () => {
        const names = namesIn(earlier, true);
        return names ? `${base()}, so a failure of ${names} is not reported` : base();
      };
    }
    return res;
  }

  private item(item: ListItem, inCondition: boolean): Outcome {
    if (item.separator === '&') {
      return outcome(
        true,
        false,
        false,
        false,
        () =>
          `\`&\` runs ${namesIn([item.andOr], false) || 'the command'} in the background, so the shell reports success without waiting for it`,
      );
    }
    return this.andOr(item.andOr, inCondition);
  }

  private andOr(node: AndOr, inCondition: boolean): Outcome {
    let cur = this.pipeline(node.pipelines[0], inCondition);
    for (let k = 0; k < node.operators.length; k++) {
      const p = node.pipelines[k + 1];
      if (node.operators[k] === '&&') {
        if (!cur.zero) continue;
        const rhs = this.pipeline(p, inCondition);
        const next = outcome(
          rhs.zero,
          cur.nonZero || rhs.nonZero,
          cur.exitZero || rhs.exitZero,
          cur.exitNonZero || rhs.exitNonZero,
        );
        if (!canFail(next)) next.why = rhs.why;
        cur = next;
      } else {
        if (!cur.nonZero) continue;
        const rhs = this.pipeline(p, inCondition);
        const next = outcome(
          cur.zero || rhs.zero,
          rhs.nonZero,
          cur.exitZero || rhs.exitZero,
          cur.exitNonZero || rhs.exitNonZero,
        );
        if (!canFail(next)) {
          const left = node.pipelines.slice(0, k + 1);
          next.why = () =>
            `\`|| ${sourceOf(p)}\` makes the command succeed even when ${namesIn(left, true) || 'the command before it'} fails`;
        }
        cur = next;
      }
    }
    return cur;
  }

  private pipeline(p: Pipeline, inCondition: boolean): Outcome {
    let o: Outcome;
    if (p.commands.length === 1) o = this.command(p.commands[0], inCondition || p.negated);
    else {
      // every member runs in a subshell: its `exit` only ends that member
      const members = p.commands.map((c) => toNormal(this.command(c, inCondition || p.negated)));
      const last = members[members.length - 1];
      const nonZero = last.nonZero || (this.opts.pipefail && members.some((m) => m.nonZero));
      o = outcome(last.zero, nonZero);
      if (!nonZero && last.why) {
        const why = last.why;
        o.why = () => `only the last command of a pipeline decides its status, and ${why()}`;
      }
    }
    if (p.negated) {
      const neg = outcome(o.nonZero, o.zero, o.exitZero, o.exitNonZero);
      if (!canFail(neg))
        neg.why = () => `\`!\` turns the failure of \`${sourceOf({ ...p, negated: false })}\` into success`;
      return neg;
    }
    return o;
  }

  private command(c: ShellCommand, inCondition: boolean): Outcome {
    switch (c.type) {
      case 'SimpleCommand':
        return simpleOutcome(c, this.opts);
      case 'Subshell':
        return this.redirects(toNormal(this.list(c.body, inCondition)), c.redirects);
      case 'BraceGroup':
        return this.redirects(this.list(c.body, inCondition), c.redirects);
      case 'If':
        return this.redirects(this.ifClause(c, inCondition), c.redirects);
      case 'Case':
        return this.redirects(this.caseClause(c, inCondition), c.redirects);
      case 'Loop':
      case 'For':
        // loops are not modelled (their status is the last iteration's, or 0): assume anything
        for (const sc of simpleCommandsIn(c)) simpleOutcome(sc, this.opts); // still pick up `set`
        return outcome(true, true, true, true);
      case 'FunctionDefinition':
        return outcome(true, false, false, false, () => 'defining a function always succeeds');
    }
  }

  private redirects(o: Outcome, redirects: readonly ShellRedirect[]): Outcome {
    if (redirects.every(isHarmlessRedirect)) return o;
    // POSIX: a redirection error on a compound command ends a non-interactive shell; bash continues
    return outcome(o.zero, true, o.exitZero, true);
  }

  private ifClause(c: IfClause, inCondition: boolean): Outcome {
    const res = outcome(false, false);
    let elseReachable = true;
    for (const b of c.branches) {
      const cond = this.list(b.condition, true);
      res.exitZero ||= cond.exitZero;
      res.exitNonZero ||= cond.exitNonZero;
      if (cond.zero) merge(res, this.list(b.body, inCondition));
      if (!cond.nonZero) {
        elseReachable = false;
        break;
      }
    }
    if (elseReachable) {
      if (c.elseBody) merge(res, this.list(c.elseBody, inCondition));
      else res.zero = true;
    }
    if (!canFail(res)) {
      res.why = () =>
        c.elseBody
          ? 'every branch of the `if` always succeeds'
          : 'every branch of the `if` always succeeds, and an `if` without `else` succeeds when no condition holds';
    }
    return res;
  }

  private caseClause(c: CaseClause, inCondition: boolean): Outcome {
    const res = outcome(true, false); // no pattern matched: status 0
    for (const it of c.items) if (it.body) merge(res, this.list(it.body, inCondition));
    if (!canFail(res))
      res.why = () => 'every branch of the `case` always succeeds (and a `case` where nothing matches succeeds too)';
    return res;
  }
}

function merge(into: Outcome, o: Outcome): void {
  into.zero ||= o.zero;
  into.nonZero ||= o.nonZero;
  into.exitZero ||= o.exitZero;
  into.exitNonZero ||= o.exitNonZero;
}

export interface ExitStatusReport {
  /** the command line can end with status 0 */
  readonly canSucceed: boolean;
  /** the command line can end with a non-zero status (true unless proven otherwise) */
  readonly canFail: boolean;
  /** when canFail is false: why, in plain words */
  readonly alwaysSucceedsReason: string | null;
}

/** Why: the exit status is all PostgreSQL sees of the command; this says which statuses are possible (see the file comment for the model). */
export function exitStatus(ast: ShellList | null): ExitStatusReport {
  if (ast === null) return { canSucceed: true, canFail: true, alwaysSucceedsReason: null };
  const o = new StatusAnalyzer().list(ast, false);
  const fails = canFail(o);
  return {
    canSucceed: o.zero || o.exitZero,
    canFail: fails,
    alwaysSucceedsReason: fails ? null : (o.why?.() ?? 'the command always succeeds'),
  };
}

/** Why: PostgreSQL takes status 0 as "archived" and may recycle the WAL file; false means a failed copy is still reported as success. Unknown -> true. */
export function canExitNonZero(ast: ShellList | null): boolean {
  return exitStatus(ast).canFail;
}

/** Why: a rule message must say what hides the failure, e.g. "`|| true` makes the command succeed even when cp fails"; null if the command can fail. */
export function alwaysSucceedsReason(ast: ShellList | null): string | null {
  return exitStatus(ast).alwaysSucceedsReason;
}

export interface PipelineStatusReport {
  /** a pipeline of two or more commands decides the final status (or whether the last commands run) */
  readonly isPipeline: boolean;
  /** those pipelines, in source order */
  readonly pipelines: readonly Pipeline[];
  /** `set -o pipefail` (or `-euo pipefail`) runs before the first of them; not portable: dash 0.5.12 exits with status 2 on it */
  readonly pipefailSet: boolean;
  /** isPipeline and not pipefailSet: a failure of an earlier pipeline member goes unnoticed */
  readonly failuresLost: boolean;
}

/** Why: with `gzip < %p | aws s3 cp - ...` only the last member's status reaches PostgreSQL, so a failed gzip looks like success. */
export function lastStatusIsPipeline(ast: ShellList | null): PipelineStatusReport {
  const pipelines: Pipeline[] = [];
  const finalOf = (list: ShellList): void => {
    const last = list.items[list.items.length - 1];
    if (last === undefined || last.separator === '&') return;
    for (const p of last.andOr.pipelines) {
      if (p.commands.length >= 2) pipelines.push(p);
      else finalOfCommand(p.commands[0]);
    }
  };
  const finalOfCommand = (c: ShellCommand): void => {
    switch (c.type) {
      case 'Subshell':
      case 'BraceGroup':
        finalOf(c.body);
        return;
      case 'If':
        for (const b of c.branches) finalOf(b.body);
        if (c.elseBody) finalOf(c.elseBody);
        return;
      case 'Case':
        for (const it of c.items) if (it.body) finalOf(it.body);
        return;
      case 'Loop':
      case 'For':
        finalOf(c.body);
        return;
      default:
        return;
    }
  };
  if (ast) finalOf(ast);
  const first = pipelines[0];
  let pipefailSet = false;
  if (first) {
    // a `set -o pipefail` counts only in the pipeline's own shell environment or an enclosing one
    const entries = simpleCommands(ast);
    const inside = entries.find((e) => e.command.start >= first.start && e.command.end <= first.end);
    const envs = inside ? inside.context.environments : [];
    const at = envs.indexOf(first.commands[0]);
    const outer = at >= 0 ? envs.slice(0, at) : envs;
    for (const { command, context } of entries) {
      if (command.start >= first.start) break;
      const own = context.environments;
      if (own.length > outer.length || own.some((e, i) => outer[i] !== e)) continue;
      if (setCommandOptions(command)?.enables.includes('pipefail')) pipefailSet = true;
    }
  }
  const isPipeline = pipelines.length > 0;
  return { isPipeline, pipelines, pipefailSet, failuresLost: isPipeline && !pipefailSet };
}
