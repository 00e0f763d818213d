// Paths of an archive_command that end with status 0 although nothing was archived: `test ! -f
// /var/lib/pgsql/backup_in_progress || (…)` ("archive only while a backup runs"), `[ -d /mnt/nfs ]
// || exit 0; cp …`, an `if` without `else`. PostgreSQL then recycles the segment as archived.
// Conservative: only tests that do not look at the WAL file, no-ops and `exit 0` count as idle;
// every other command (copies, tools, scripts, unknown programs) counts as archiving work.
import { commandInvocation } from './commandInvocation';
import { sourceOf } from './exitStatus';
import type { AndOr, IfClause, ListItem, Pipeline, ShellCommand, ShellList, SimpleCommand } from './shellAst';

/** How a path may end: idle = no archiving work was done on it; busy = some was. */
interface Ends {
  idle: boolean;
  busy: boolean;
  /** for an idle end with status 0: the condition that leads there, in words */
  why: string | null;
}

interface Outcome {
  zero: Ends;
  nonZero: Ends;
  exitZero: Ends;
  exitNonZero: Ends;
}

const none = (): Ends => ({ idle: false, busy: false, why: null });
const idleEnd = (why: string | null = null): Ends => ({ idle: true, busy: false, why });
const busyEnd = (): Ends => ({ idle: false, busy: true, why: null });

function empty(): Outcome {
  return { zero: none(), nonZero: none(), exitZero: none(), exitNonZero: none() };
}

function mergeEnds(a: Ends, b: Ends): Ends {
  return { idle: a.idle || b.idle, busy: a.busy || b.busy, why: a.idle && a.why ? a.why : b.why };
}

function merge(a: Outcome, b: Outcome): Outcome {
  return {
    zero: mergeEnds(a.zero, b.zero),
    nonZero: mergeEnds(a.nonZero, b.nonZero),
    exitZero: mergeEnds(a.exitZero, b.exitZero),
    exitNonZero: mergeEnds(a.exitNonZero, b.exitNonZero),
  };
}

/** the outcome of running `o` after archiving work was already done: every idle end becomes busy */
function afterWork(o: Outcome): Outcome {
  const b = (e: Ends): Ends => ({ idle: false, busy: e.idle || e.busy, why: null });
  return { zero: b(o.zero), nonZero: b(o.nonZero), exitZero: b(o.exitZero), exitNonZero: b(o.exitNonZero) };
}

/** `o` reached through an end `e` of a previous step (idle and/or busy) */
function through(e: Ends, o: Outcome, why: string | null): Outcome {
  let r = empty();
  if (e.idle) {
    const withWhy = (x: Ends): Ends => (x.idle && !x.why ? { ...x, why } : x);
    r = merge(r, {
      zero: withWhy(o.zero),
      nonZero: o.nonZero,
      exitZero: withWhy(o.exitZero),
      exitNonZero: o.exitNonZero,
    });
  }
  if (e.busy) r = merge(r, afterWork(o));
  return r;
}

const NO_OPS = new Set([
  'true',
  ':',
  'echo',
  'printf',
  'logger',
  'set',
  'export',
  'sleep',
  'date',
  'hostname',
  'umask',
  'shift',
  'unset',
  'readonly',
]);
const PREPARATION = new Set(['mkdir', 'cd', 'chdir', 'test', '[', '[[', 'pushd', 'popd']);

function mentionsWalFile(cmd: SimpleCommand): boolean {
  return [...cmd.words, ...cmd.redirects.flatMap((r) => (r.target ? [r.target] : []))].some(
    (w) => w.placeholders.length > 0,
  );
}

function simple(cmd: SimpleCommand): Outcome {
  const o = empty();
  if (cmd.words.length === 0) {
    o.zero = idleEnd();
    if (cmd.assignments.some((a) => a.word.flags.commandSubstitution)) o.nonZero = idleEnd();
    return o;
  }
  const first = cmd.words[0].value;
  if (first === 'exit') {
    const arg = cmd.words[1];
    if (arg === undefined || arg.value === null || !/^[0-9]+$/.test(arg.value)) {
      o.exitZero = idleEnd();
      o.exitNonZero = idleEnd();
    } else if (Number(arg.value) % 256 === 0) o.exitZero = idleEnd();
    else o.exitNonZero = idleEnd();
    return o;
  }
  const inv = commandInvocation(cmd);
  const name = inv?.name ?? null;
  if (name !== null && inv !== null && inv.wrappers.length === 0) {
    if (name === 'false') {
      o.nonZero = idleEnd();
      return o;
    }
    if (NO_OPS.has(name)) {
      o.zero = idleEnd();
      return o;
    }
    if (PREPARATION.has(name) && !mentionsWalFile(cmd)) {
      o.zero = idleEnd();
      o.nonZero = idleEnd();
      return o;
    }
  }
  o.zero = busyEnd();
  o.nonZero = busyEnd();
  return o;
}

class IdleAnalyzer {
  list(list: ShellList): Outcome {
    let cur: Outcome | null = null;
    for (const item of list.items) {
      const o = this.item(item);
      if (cur === null) {
        cur = o;
        continue;
      }
      const prev: Outcome = cur;
      // the next item runs after the previous one ended normally, whatever its status
      cur = merge(merge(through(prev.zero, o, null), through(prev.nonZero, o, null)), {
        zero: none(),
        nonZero: none(),
        exitZero: prev.exitZero,
        exitNonZero: prev.exitNonZero,
      });
    }
    if (cur === null) {
      const o = empty();
      o.zero = idleEnd();
      return o;
    }
    return cur;
  }

  private item(item: ListItem): Outcome {
    if (item.separator === '&') {
      // runs in the background: the status is 0 at once, whatever it does
      const o = empty();
      o.zero = busyEnd();
      return o;
    }
    return this.andOr(item.andOr);
  }

  private andOr(node: AndOr): Outcome {
    let cur = this.pipeline(node.pipelines[0]);
    for (let k = 0; k < node.operators.length; k++) {
      const left = node.pipelines.slice(0, k + 1);
      const leftText = left.length === 1 ? sourceOf(left[0]) : null;
      const rhs = this.pipeline(node.pipelines[k + 1]);
      const exits = { zero: none(), nonZero: none(), exitZero: cur.exitZero, exitNonZero: cur.exitNonZero };
      if (node.operators[k] === '&&') {
        const skipped = { ...empty(), nonZero: cur.nonZero };
        cur = merge(merge(through(cur.zero, rhs, leftText ? `\`${leftText}\` succeeds` : null), skipped), exits);
      } else {
        const skipZero =
          cur.zero.idle && !cur.zero.why && leftText ? { ...cur.zero, why: `\`${leftText}\` succeeds` } : cur.zero;
        const skipped = { ...empty(), zero: skipZero };
        cur = merge(merge(through(cur.nonZero, rhs, leftText ? `\`${leftText}\` fails` : null), skipped), exits);
      }
    }
    return cur;
  }

  private pipeline(p: Pipeline): Outcome {
    let o: Outcome;
    if (p.commands.length === 1) o = this.command(p.commands[0]);
    else {
      // members run in subshells; any member doing work makes the whole pipeline "busy"
      const members = p.commands.map((c) => this.command(c));
      const anyBusy = members.some((m) => m.zero.busy || m.nonZero.busy || m.exitZero.busy || m.exitNonZero.busy);
      o = empty();
      o.zero = anyBusy ? busyEnd() : idleEnd();
      o.nonZero = anyBusy ? busyEnd() : idleEnd();
    }
    if (p.negated)
      return { zero: { ...o.nonZero, why: null }, nonZero: o.zero, exitZero: o.exitZero, exitNonZero: o.exitNonZero };
    return o;
  }

  private command(c: ShellCommand): Outcome {
    switch (c.type) {
      case 'SimpleCommand':
        return simple(c);
      case 'Subshell': {
        const o = this.list(c.body);
        return {
          zero: mergeEnds(o.zero, o.exitZero),
          nonZero: mergeEnds(o.nonZero, o.exitNonZero),
          exitZero: none(),
          exitNonZero: none(),
        };
      }
      case 'BraceGroup':
        return this.list(c.body);
      case 'If':
        return this.ifClause(c);
      case 'Case': {
        let o = empty();
        o.zero = idleEnd('no `case` pattern matches');
        for (const it of c.items) if (it.body) o = merge(o, this.list(it.body));
        return o;
      }
      case 'Loop':
      case 'For': {
        const o = empty();
        o.zero = busyEnd();
        o.nonZero = busyEnd();
        o.exitZero = busyEnd();
        o.exitNonZero = busyEnd();
        return o;
      }
      case 'FunctionDefinition': {
        const o = empty();
        o.zero = idleEnd();
        return o;
      }
    }
  }

  private ifClause(c: IfClause): Outcome {
    let res = empty();
    let reach: Ends = idleEnd();
    for (const b of c.branches) {
      const condText =
        b.condition.items.length === 1 ? sourceOf(b.condition.items[0].andOr.pipelines[0]) : 'the condition';
      const cond = through(reach, this.list(b.condition), reach.why);
      res = merge(res, { zero: none(), nonZero: none(), exitZero: cond.exitZero, exitNonZero: cond.exitNonZero });
      res = merge(res, through(cond.zero, this.list(b.body), `\`${condText}\` holds`));
      reach = { ...cond.nonZero, why: cond.nonZero.idle ? `\`${condText}\` does not hold` : null };
      if (!reach.idle && !reach.busy) return res;
    }
    if (c.elseBody) return merge(res, through(reach, this.list(c.elseBody), reach.why));
    const noElse = empty();
    noElse.zero = {
      idle: reach.idle,
      busy: reach.busy,
      why: reach.idle ? `${reach.why ?? 'no condition holds'} (an \`if\` without \`else\` then succeeds)` : null,
    };
    return merge(res, noElse);
  }
}

export interface IdleSuccessReport {
  /** the command line can end with status 0 on a path where no archiving command ran */
  readonly possible: boolean;
  /** the condition that leads to that path, in words */
  readonly when: string | null;
  /** some path does archiving work (false for pure no-ops such as `/bin/true`, which other checks report) */
  readonly doesWork: boolean;
}

/** Why: status 0 tells PostgreSQL "archived"; a success path that archived nothing loses that segment for good. */
export function idleSuccess(ast: ShellList | null): IdleSuccessReport {
  if (ast === null) return { possible: false, when: null, doesWork: false };
  const o = new IdleAnalyzer().list(ast);
  const doesWork = [o.zero, o.nonZero, o.exitZero, o.exitNonZero].some((e) => e.busy);
  const idle = o.zero.idle ? o.zero : o.exitZero.idle ? o.exitZero : null;
  return { possible: idle !== null, when: idle?.why ?? null, doesWork };
}
