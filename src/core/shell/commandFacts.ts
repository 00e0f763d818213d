// The facts lint rules and the archive inference need about one archive/restore command, read
// once from the shell syntax tree (shellParser.ts) through the analysis helpers.
import { type ArchivingToolUsage, archivingToolUsage } from './archivingToolAnalysis';
import {
  changesDirectory,
  commandInvocation,
  copyTargets,
  existenceGuards,
  exitStatus,
  hasDurableWrite,
  invokesScriptOnly,
  knownArchivingTool,
  lastStatusIsPipeline,
  placeholders,
  simpleCommands,
} from './commandAnalysis';
import { idleSuccess } from './idleSuccessAnalysis';
import { inlineCredentials } from './inlineCredentials';
import { nestedCommand } from './nestedShell';
import type { Pipeline, ShellWord, SimpleCommand } from './shellAst';
import { parseShell } from './shellParser';
import { archiveLocations, cleanupLocation, restoreLocation, type WalLocation } from './walLocationAnalysis';

export interface CommandFacts {
  parseErrors: string[];
  /** the command hands a string to another shell (`bash -c`, `su -c`): the other facts describe that string */
  via: string | null;
  /** every simple command, in source order */
  simple: SimpleCommand[];
  /** can the command as a whole exit non-zero (report a failure)? conservative: true unless proven otherwise */
  canFail: boolean;
  /** can it exit 0 at all? false for `false`, `exit 1` and lines /bin/sh refuses to parse */
  canSucceed: boolean;
  /** why it cannot fail, in words */
  alwaysSucceedsReason: string | null;
  /** it does no archiving work on any path (`/bin/true`, `:`, `cd .`, `exit 0`, `false`) */
  noOp: boolean;
  /** a success path on which nothing is archived, while other paths do archive (`test ! -f FLAG || cp …`) */
  idleSuccess: { when: string | null } | null;
  /** the status comes from a pipeline of 2+ commands: failures before the last `|` are lost */
  endsInPipeline: boolean;
  pipefail: boolean;
  /** an archiving tool that guards, syncs and checks by itself (display name) */
  tool: string | null;
  /** that tool's call: what it needs and which repository it uses */
  toolUsage: ArchivingToolUsage | null;
  /** the whole command is one call of a script or program we do not second-guess */
  wrapperScript: boolean;
  /** copy-like commands with their destination path */
  copies: Array<{ cmd: SimpleCommand; name: string; destination: string | null; remote: boolean }>;
  /** existence tests that guard a copy, with the path they test and the host they run on (null: this one) */
  guards: Array<{ path: string; host: string | null }>;
  /** also handles "already archived with identical content" (a guard plus a content comparison) */
  comparesContent: boolean;
  /** false only when a write is certainly never synced */
  durable: boolean;
  /** why the copy is not durable (set when durable is false) */
  notDurableReason: string | null;
  usesCpI: boolean;
  /** `cp -n` / `--no-clobber` / `--update=none`: skips an existing file and still exits 0 (GNU cp up to 9.1 and again later) */
  usesCpN: boolean;
  /** cd/pushd before a use of the relative path %p */
  changesDirectoryBeforeP: boolean;
  /** secrets written into the command (names only) */
  credentials: string[];
  /** where it writes WAL when used as archive_command (every copy destination folder or tool repository) */
  archiveLocations: WalLocation[];
  /** where it reads WAL from when used as restore_command */
  restoreLocation: WalLocation | null;
  /** the folder it prunes when used as archive_cleanup_command (pg_archivecleanup) */
  cleanupLocation: WalLocation | null;
}

const TOOL_NAMES: Record<string, string> = {
  pgbackrest: 'pgBackRest',
  'wal-g': 'WAL-G',
  'wal-e': 'WAL-E',
  'walg-daemon-client': 'WAL-G',
  pg_probackup: 'pg_probackup',
  cloudnative_pg: 'CloudNativePG',
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

const MAX_NESTING = 3;

function endsInComparison(p: Pipeline): boolean {
  const last = p.commands[p.commands.length - 1];
  if (last.type !== 'SimpleCommand') return false;
  const inv = commandInvocation(last);
  return (inv?.name === 'cmp' || inv?.name === 'diff') && last.words.some((w) => w.placeholders.includes('p'));
}

function cpOption(cmd: SimpleCommand, test: (raw: string) => boolean): boolean {
  const inv = commandInvocation(cmd);
  if (inv?.name !== 'cp') return false;
  for (const a of inv.args) {
    if (a.raw === '--') break;
    if (test(a.raw)) return true;
  }
  return false;
}

export function analyseCommand(commandText: string): CommandFacts {
  return analyseAt(commandText, 0, null);
}

function analyseAt(commandText: string, depth: number, via: string | null): CommandFacts {
  const { ast, errors } = parseShell(commandText);
  const nested = depth < MAX_NESTING && errors.length === 0 ? nestedCommand(ast) : null;
  if (nested) {
    const inner = analyseAt(nested.text, depth + 1, via ? `${via}, ${nested.via}` : nested.via);
    const outer = inlineCredentials(ast).map((c) => c.name);
    return { ...inner, credentials: [...new Set([...outer, ...inner.credentials])] };
  }
  const simple = simpleCommands(ast).map((e) => e.command);
  const pipeline = lastStatusIsPipeline(ast);
  const tool = knownArchivingTool(ast);
  const guards = existenceGuards(ast);
  const status = exitStatus(ast);
  const idle = idleSuccess(ast);
  const durability = hasDurableWrite(ast);
  // /bin/sh refuses a line with a syntax error: it runs nothing and exits 2 (bash-only syntax
  // such as `function f {` or `<(…)` is left out: where /bin/sh is bash it runs)
  const parseFails = errors.length > 0 && !/\bfunction\s|[<>]\(/.test(commandText);
  return {
    parseErrors: errors.map((e) => `${e.message} at character ${e.start + 1}`),
    via,
    simple,
    canFail: parseFails || status.canFail,
    canSucceed: !parseFails && status.canSucceed,
    alwaysSucceedsReason: parseFails ? null : status.alwaysSucceedsReason,
    noOp: ast !== null && !idle.doesWork,
    idleSuccess: idle.possible && idle.doesWork && status.canFail ? { when: idle.when } : null,
    // `ssh host cat X | cmp -s - %p`: an earlier failure only makes the comparison fail
    endsInPipeline: pipeline.isPipeline && !pipeline.pipelines.every(endsInComparison),
    pipefail: pipeline.pipefailSet,
    tool: tool ? (TOOL_NAMES[tool] ?? tool) : null,
    toolUsage: archivingToolUsage(ast),
    wrapperScript: !tool && invokesScriptOnly(ast),
    copies: copyTargets(ast).map((c) => ({
      cmd: c.command,
      name: c.tool,
      destination: c.destinationText,
      remote: c.remote,
    })),
    guards: guards.guards.map((g) => ({ path: g.path, host: g.host })),
    comparesContent: guards.idempotentAware,
    durable: durability.durable !== false,
    notDurableReason: durability.durable === false ? durability.reason : null,
    usesCpI: simple.some((c) => cpOption(c, (r) => /^-[A-Za-z]*i/.test(r) || r === '--interactive')),
    usesCpN: simple.some((c) =>
      cpOption(c, (r) => /^-[A-Za-z]*n/.test(r) || r === '--no-clobber' || r === '--update=none'),
    ),
    changesDirectoryBeforeP: changesDirectory(ast) !== null,
    credentials: inlineCredentials(ast).map((c) => c.name),
    archiveLocations: archiveLocations(ast),
    restoreLocation: restoreLocation(ast),
    cleanupLocation: cleanupLocation(ast),
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
