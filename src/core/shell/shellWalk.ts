// Visiting every simple command of a parsed command line with where it sits: which if/loop/case
// part, which pipeline and and-or position, whether it runs in a subshell. Rules need the context
// because the same `cp` means different things in an if-condition, after `||`, or behind `&`.
import type {
  AndOr,
  AndOrOperator,
  BraceGroup,
  CaseClause,
  ForClause,
  FunctionDefinition,
  IfClause,
  LoopClause,
  Pipeline,
  ShellCommand,
  ShellList,
  ShellNode,
  SimpleCommand,
  Subshell,
} from './shellAst';

/** Where a command sits inside its list, and-or list and pipeline. */
export interface CommandPosition {
  /** the list holding the and-or list, and the item's index in it */
  readonly list: ShellList;
  readonly listIndex: number;
  readonly andOr: AndOr;
  /** index of the pipeline inside the and-or list */
  readonly andOrIndex: number;
  /** the operator before / after that pipeline (`test ! -f x && cp ...`: the cp has operatorBefore '&&') */
  readonly operatorBefore: AndOrOperator | null;
  readonly operatorAfter: AndOrOperator | null;
  readonly pipeline: Pipeline;
  /** index of the command inside the pipeline (pipeline.commands.length gives the length) */
  readonly pipelineIndex: number;
  /** the and-or list is followed by `&` (runs in the background; its status is never seen) */
  readonly background: boolean;
}

/** One enclosing construct, with the position of that construct in its own parent. */
export type ContextFrame =
  | { readonly kind: 'subshell'; readonly node: Subshell; readonly position: CommandPosition }
  | { readonly kind: 'group'; readonly node: BraceGroup; readonly position: CommandPosition }
  /** branch 0 is the `if`, 1.. the `elif`s */
  | {
      readonly kind: 'if-condition';
      readonly node: IfClause;
      readonly branch: number;
      readonly position: CommandPosition;
    }
  | { readonly kind: 'if-then'; readonly node: IfClause; readonly branch: number; readonly position: CommandPosition }
  | { readonly kind: 'if-else'; readonly node: IfClause; readonly position: CommandPosition }
  | { readonly kind: 'loop-condition'; readonly node: LoopClause; readonly position: CommandPosition }
  | { readonly kind: 'loop-body'; readonly node: LoopClause | ForClause; readonly position: CommandPosition }
  | { readonly kind: 'case-item'; readonly node: CaseClause; readonly item: number; readonly position: CommandPosition }
  | { readonly kind: 'function-body'; readonly node: FunctionDefinition; readonly position: CommandPosition };

export interface CommandContext extends CommandPosition {
  /** enclosing constructs, outermost first */
  readonly frames: readonly ContextFrame[];
  /** inside an if/elif/while/until condition (a failure there selects a branch; `set -e` ignores it) */
  readonly inCondition: boolean;
  /** runs in a subshell environment: inside ( ), as a member of a multi-command pipeline, or behind `&` */
  readonly inSubshell: boolean;
  /** inside { } */
  readonly inGroup: boolean;
  /** inside a function body (runs only if the function is called) */
  readonly inFunction: boolean;
  /** this command, or an enclosing construct, runs in the background */
  readonly inBackground: boolean;
  /**
   * The subshell environments the command runs in, outermost first, each identified by the node that
   * creates it (a Subshell, a pipeline member, or a background AndOr). A `cd` affects only later
   * commands whose environments start with the `cd`'s environments.
   */
  readonly environments: readonly ShellNode[];
}

export interface CommandEntry {
  readonly command: SimpleCommand;
  readonly context: CommandContext;
}

interface WalkState {
  frames: ContextFrame[];
  inCondition: boolean;
  inGroup: boolean;
  inFunction: boolean;
  inBackground: boolean;
  environments: ShellNode[];
}

/** Why: rules look at each command with where it sits (if-branch, after `||`, behind `&`, in a subshell); source order is execution order except for loops and functions. */
export function simpleCommands(ast: ShellList | null): CommandEntry[] {
  const out: CommandEntry[] = [];
  if (ast === null) return out;
  walkList(
    ast,
    { frames: [], inCondition: false, inGroup: false, inFunction: false, inBackground: false, environments: [] },
    out,
  );
  return out;
}

/** Why: some questions are about one subtree only (the left side of `||`, an if-branch); every simple command in it, in source order. */
export function simpleCommandsIn(node: ShellNode | ShellList): SimpleCommand[] {
  const out: SimpleCommand[] = [];
  const visit = (n: ShellNode | ShellList | null): void => {
    if (n === null) return;
    switch (n.type) {
      case 'List':
        for (const it of n.items) visit(it.andOr);
        return;
      case 'AndOr':
        for (const p of n.pipelines) visit(p);
        return;
      case 'Pipeline':
        for (const c of n.commands) visit(c);
        return;
      case 'SimpleCommand':
        out.push(n);
        return;
      case 'Subshell':
      case 'BraceGroup':
        visit(n.body);
        return;
      case 'If':
        for (const b of n.branches) {
          visit(b.condition);
          visit(b.body);
        }
        visit(n.elseBody);
        return;
      case 'Loop':
        visit(n.condition);
        visit(n.body);
        return;
      case 'For':
        visit(n.body);
        return;
      case 'Case':
        for (const it of n.items) visit(it.body);
        return;
      case 'FunctionDefinition':
        visit(n.body);
        return;
      default:
        return;
    }
  };
  visit(node);
  return out;
}

function walkList(list: ShellList, st: WalkState, out: CommandEntry[]): void {
  list.items.forEach((item, listIndex) => {
    const andOr = item.andOr;
    const background = item.separator === '&';
    const inner: WalkState = background ? { ...st, inBackground: true, environments: [...st.environments, andOr] } : st;
    andOr.pipelines.forEach((pipeline, andOrIndex) => {
      pipeline.commands.forEach((command, pipelineIndex) => {
        const position: CommandPosition = {
          list,
          listIndex,
          andOr,
          andOrIndex,
          operatorBefore: andOrIndex > 0 ? andOr.operators[andOrIndex - 1] : null,
          operatorAfter: andOrIndex < andOr.operators.length ? andOr.operators[andOrIndex] : null,
          pipeline,
          pipelineIndex,
          background,
        };
        const memberState: WalkState =
          pipeline.commands.length > 1 ? { ...inner, environments: [...inner.environments, command] } : inner;
        walkCommand(command, position, memberState, out);
      });
    });
  });
}

function walkCommand(command: ShellCommand, position: CommandPosition, st: WalkState, out: CommandEntry[]): void {
  const enter = (frame: ContextFrame, patch: Partial<WalkState> = {}): WalkState => ({
    ...st,
    ...patch,
    frames: [...st.frames, frame],
  });
  switch (command.type) {
    case 'SimpleCommand':
      out.push({
        command,
        context: {
          ...position,
          frames: st.frames,
          inCondition: st.inCondition,
          inSubshell: st.environments.length > 0,
          inGroup: st.inGroup,
          inFunction: st.inFunction,
          inBackground: st.inBackground,
          environments: st.environments,
        },
      });
      return;
    case 'Subshell':
      walkList(
        command.body,
        enter({ kind: 'subshell', node: command, position }, { environments: [...st.environments, command] }),
        out,
      );
      return;
    case 'BraceGroup':
      walkList(command.body, enter({ kind: 'group', node: command, position }, { inGroup: true }), out);
      return;
    case 'If':
      command.branches.forEach((b, branch) => {
        walkList(
          b.condition,
          enter({ kind: 'if-condition', node: command, branch, position }, { inCondition: true }),
          out,
        );
        walkList(b.body, enter({ kind: 'if-then', node: command, branch, position }), out);
      });
      if (command.elseBody) walkList(command.elseBody, enter({ kind: 'if-else', node: command, position }), out);
      return;
    case 'Loop':
      walkList(
        command.condition,
        enter({ kind: 'loop-condition', node: command, position }, { inCondition: true }),
        out,
      );
      walkList(command.body, enter({ kind: 'loop-body', node: command, position }), out);
      return;
    case 'For':
      walkList(command.body, enter({ kind: 'loop-body', node: command, position }), out);
      return;
    case 'Case':
      command.items.forEach((it, item) => {
        if (it.body) walkList(it.body, enter({ kind: 'case-item', node: command, item, position }), out);
      });
      return;
    case 'FunctionDefinition':
      if (command.body)
        walkCommand(
          command.body,
          position,
          enter({ kind: 'function-body', node: command, position }, { inFunction: true }),
          out,
        );
      return;
  }
}
