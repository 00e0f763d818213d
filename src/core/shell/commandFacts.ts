// The facts lint rules and the archive inference need about one archive/restore command, read
// once from the shell syntax tree (shellParser.ts) through the analysis helpers.
import {
  alwaysSucceedsReason,
  canExitNonZero,
  changesDirectory,
  commandInvocation,
  copyTargets,
  existenceGuards,
  hasDurableWrite,
  invokesScriptOnly,
  knownArchivingTool,
  lastStatusIsPipeline,
  placeholders,
  simpleCommands,
} from './commandAnalysis';
import type { ShellWord, SimpleCommand } from './shellAst';
import { parseShell } from './shellParser';

export interface CommandFacts {
  parseErrors: string[];
  /** every simple command, in source order */
  simple: SimpleCommand[];
  /** can the command as a whole exit non-zero (report a failure)? conservative: true unless proven otherwise */
  canFail: boolean;
  /** why it cannot, in words */
  alwaysSucceedsReason: string | null;
  /** the status comes from a pipeline of 2+ commands: failures before the last `|` are lost */
  endsInPipeline: boolean;
  pipefail: boolean;
  /** an archiving tool that guards, syncs and checks by itself (display name) */
  tool: string | null;
  /** the whole command is one call of a script or program we do not second-guess */
  wrapperScript: boolean;
  /** copy-like commands with their destination path */
  copies: Array<{ cmd: SimpleCommand; name: string; destination: string | null }>;
  /** existence tests that guard a copy, with the path they test */
  guards: Array<{ path: string }>;
  /** also handles "already archived with identical content" (a guard plus a content comparison) */
  comparesContent: boolean;
  /** false only when a local write is certainly never synced */
  durable: boolean;
  usesCpI: boolean;
  /** cd/pushd before a use of the relative path %p */
  changesDirectoryBeforeP: boolean;
}

const TOOL_NAMES: Record<string, string> = {
  pgbackrest: 'pgBackRest',
  'wal-g': 'WAL-G',
  'wal-e': 'WAL-E',
  pg_probackup: 'pg_probackup',
  'barman-wal-archive': 'Barman',
  'barman-wal-restore': 'Barman',
  'barman-cloud-wal-archive': 'Barman Cloud',
  'barman-cloud-wal-restore': 'Barman Cloud',
};

/** The program a simple command runs (through env, sudo, nice, envdir, ...) and its arguments. */
export function commandName(cmd: SimpleCommand): { name: string; args: readonly ShellWord[] } | null {
  const inv = commandInvocation(cmd);
  return inv ? { name: inv.name, args: inv.args } : null;
}

export function analyseCommand(commandText: string): CommandFacts {
  const { ast, errors } = parseShell(commandText);
  const simple = simpleCommands(ast).map((e) => e.command);
  const pipeline = lastStatusIsPipeline(ast);
  const tool = knownArchivingTool(ast);
  const guards = existenceGuards(ast);
  const usesCpI = simple.some((c) => {
    const inv = commandInvocation(c);
    return inv?.name === 'cp' && inv.args.some((a) => /^-[A-Za-z]*i/.test(a.raw) || a.raw === '--interactive');
  });
  return {
    parseErrors: errors.map((e) => `${e.message} at character ${e.start + 1}`),
    simple,
    canFail: canExitNonZero(ast),
    alwaysSucceedsReason: alwaysSucceedsReason(ast),
    endsInPipeline: pipeline.isPipeline,
    pipefail: pipeline.pipefailSet,
    tool: tool ? (TOOL_NAMES[tool] ?? tool) : null,
    wrapperScript: !tool && invokesScriptOnly(ast),
    copies: copyTargets(ast).map((c) => ({ cmd: c.command, name: c.tool, destination: c.destinationText })),
    guards: guards.guards.map((g) => ({ path: g.word.text })),
    comparesContent: guards.idempotentAware,
    durable: hasDurableWrite(ast).durable !== false,
    usesCpI,
    changesDirectoryBeforeP: changesDirectory(ast) !== null,
  };
}

export interface PlaceholderScan {
  letters: string[];
  /** %x other than the allowed letters, or a lone % at the end */
  invalid: string[];
}

/** replace_percent_placeholders: %% is a literal %, the given letters are placeholders. */
export function scanPlaceholders(value: string, allowed: string): PlaceholderScan {
  const occ = placeholders(value, allowed);
  return {
    letters: occ.filter((o) => o.kind === 'p' || o.kind === 'f' || o.kind === 'r').map((o) => o.kind),
    invalid: occ.filter((o) => o.kind === 'invalid' || o.kind === 'incomplete').map((o) => o.text),
  };
}
