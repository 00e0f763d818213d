// Questions lint rules ask about archive_command / restore_command, answered on the parsed shell
// instead of on the raw string. Every helper is conservative: when the shell text does not let us
// know, the answer is "unknown" (null) or the safe default, never a guess. This module also
// re-exports the other helpers, so rules import everything shell-related from here.
import { type CommandInvocation, commandInvocation, commandName } from './commandInvocation';
import { type CopyTarget, copyTargets } from './copyTargets';
import type { ShellList, ShellWord, SimpleCommand } from './shellAst';
import { type CommandContext, type CommandEntry, simpleCommands } from './shellWalk';

export { basename, type CommandInvocation, commandInvocation, commandName, LAUNCHERS } from './commandInvocation';
export { type CopyTarget, copyTargets } from './copyTargets';
export {
  alwaysSucceedsReason,
  canExitNonZero,
  exitStatus,
  type ExitStatusReport,
  isHarmlessRedirect,
  lastStatusIsPipeline,
  type PipelineStatusReport,
  sourceOf,
} from './exitStatus';
export { type PlaceholderKind, type PlaceholderOccurrence, placeholders } from './placeholders';
export { type SetCommand, setCommandOptions, shellOptions, type ShellOptionsReport } from './shellOptions';
export {
  type CommandContext,
  type CommandEntry,
  type CommandPosition,
  type ContextFrame,
  simpleCommands,
  simpleCommandsIn,
} from './shellWalk';

/** All words of a command where a file name can appear: assignments, arguments, redirection targets. */
export function commandWords(cmd: SimpleCommand): ShellWord[] {
  return [
    ...cmd.assignments.map((a) => a.word),
    ...cmd.words,
    ...cmd.redirects.flatMap((r) => (r.target ? [r.target] : [])),
  ];
}

// ---------------------------------------------------------------------------------------------
// changesDirectory

export interface DirectoryChange {
  /** the `cd` / `pushd` / `popd` */
  readonly cd: SimpleCommand;
  /** the first later command using %p in the same (or an inner) shell environment */
  readonly use: SimpleCommand;
  /** the word holding %p */
  readonly word: ShellWord;
}

const CD_COMMANDS = new Set(['cd', 'pushd', 'popd', 'chdir']);

function startsWith(env: readonly unknown[], prefix: readonly unknown[]): boolean {
  if (prefix.length > env.length) return false;
  for (let i = 0; i < prefix.length; i++) if (env[i] !== prefix[i]) return false;
  return true;
}

/**
 * Why: %p is relative to the data directory, so after a `cd` the copy reads the wrong file (or none).
 * Finds a cd/pushd/popd (or `env -C`) followed, in the same shell environment, by a use of %p.
 * A `cd` inside ( ), a pipeline member or a background job does not affect commands outside it.
 */
export function changesDirectory(ast: ShellList | null): DirectoryChange | null {
  const cds: CommandEntry[] = [];
  for (const entry of simpleCommands(ast)) {
    const cmd = entry.command;
    const inv = commandInvocation(cmd);
    for (const cd of cds) {
      if (!startsWith(entry.context.environments, cd.context.environments)) continue;
      const word = commandWords(cmd).find((w) => w.placeholders.includes('p'));
      if (word) return { cd: cd.command, use: cmd, word };
    }
    const name = inv?.name ?? cmd.words[0]?.value ?? null;
    if (name !== null && CD_COMMANDS.has(name)) cds.push(entry);
    else if (
      cmd.words[0]?.value === 'env' &&
      cmd.words.some((w) => w.value === '-C' || w.value?.startsWith('--chdir'))
    ) {
      // `env -C dir cp %p ...` changes the directory of the command it runs
      const word = commandWords(cmd).find((w) => w.placeholders.includes('p'));
      if (word) return { cd: cmd, use: cmd, word };
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// existenceGuards

export interface ExistenceTest {
  readonly command: SimpleCommand;
  readonly context: CommandContext;
  readonly syntax: 'test' | '[' | '[[';
  /** the file test operator: -f, -e, -s, -r, -h or -L */
  readonly operator: string;
  /** the test succeeds when the file does NOT exist (`!` inside the test, or a `!` pipeline around it) */
  readonly negated: boolean;
  /** the word holding the tested path */
  readonly word: ShellWord;
  /** the tested path (for a test run through ssh, taken from the remote command) */
  readonly path: string;
  /** the host the test runs on (`ssh HOST test -f …`), or null for this machine */
  readonly host: string | null;
  /**
   * It guards what follows: `test ! -f X && ...`, `[ -f X ] || ...`, or the condition of an if
   * (whose branches then handle "exists" and "does not exist" separately).
   */
  readonly guard: boolean;
}

export interface ContentComparison {
  readonly command: SimpleCommand;
  readonly context: CommandContext;
  /** cmp, diff, sha256sum, md5sum, ..., or `test` when the comparison is `test "$(sha256sum ...)" = ...` */
  readonly tool: string;
  /** it mentions %p (the file being archived) */
  readonly mentionsSource: boolean;
}

export interface ExistenceGuardReport {
  /** every file-existence test, in source order */
  readonly tests: readonly ExistenceTest[];
  /** the tests that guard a copy (see ExistenceTest.guard) */
  readonly guards: readonly ExistenceTest[];
  /** content comparisons (cmp -s, diff -q, checksums) */
  readonly comparisons: readonly ContentComparison[];
  /**
   * The command also handles "the file already exists with identical content" (as after a crash
   * between copying and PostgreSQL recording success): a guard or existence test plus a comparison
   * that mentions %p or a tested path.
   */
  readonly idempotentAware: boolean;
}

const FILE_TESTS = new Set(['-f', '-e', '-s', '-r', '-h', '-L']);
const COMPARE_TOOLS = new Set([
  'cmp',
  'diff',
  'sha256sum',
  'sha1sum',
  'sha224sum',
  'sha384sum',
  'sha512sum',
  'md5sum',
  'b2sum',
  'cksum',
  'shasum',
  'b3sum',
  'xxhsum',
]);
const COMPARE_IN_SUBSTITUTION = /\b(?:cmp|diff|sha(?:1|224|256|384|512)?sum|md5sum|b[23]sum|cksum|xxhsum)\b/;

const SSH_WITH_ARG = new Set([
  '-p',
  '-i',
  '-l',
  '-o',
  '-F',
  '-J',
  '-E',
  '-b',
  '-c',
  '-D',
  '-e',
  '-I',
  '-L',
  '-m',
  '-O',
  '-Q',
  '-R',
  '-S',
  '-W',
  '-w',
  '-B',
]);

/** `ssh [options] HOST cmd args…`: the host and the remote command's words (one word split on blanks when quoted as one) */
function sshRemoteCommand(
  args: readonly ShellWord[],
): { host: string; words: Array<{ value: string | null; word: ShellWord }> } | null {
  let i = 0;
  while (i < args.length && args[i].text.startsWith('-')) i += SSH_WITH_ARG.has(args[i].text) ? 2 : 1;
  if (i >= args.length - 1) return null;
  const host = args[i].text;
  const rest = args.slice(i + 1);
  const words =
    rest.length === 1 && rest[0].value !== null && /\s/.test(rest[0].value)
      ? rest[0].value
          .trim()
          .split(/\s+/)
          .map((v) => ({ value: v, word: rest[0] }))
      : rest.map((w) => ({ value: w.value, word: w }));
  return { host, words };
}

function parseFileTest(entry: CommandEntry): ExistenceTest | null {
  const inv = commandInvocation(entry.command);
  if (inv === null) return null;
  let name = inv.name;
  let argWords: Array<{ value: string | null; word: ShellWord }> = inv.args.map((w) => ({ value: w.value, word: w }));
  let host: string | null = null;
  if (name === 'ssh') {
    // `ssh HOST test -f DIR/%f`: the test runs on the archive host
    const remote = sshRemoteCommand(inv.args);
    if (remote === null || remote.words.length === 0 || remote.words[0].value === null) return null;
    host = remote.host;
    name = remote.words[0].value;
    argWords = remote.words.slice(1);
  }
  const syntax = name === 'test' ? 'test' : name === '[' ? '[' : name === '[[' ? '[[' : null;
  if (syntax === null) return null;
  let args = argWords.map((w) => w.value);
  let words = argWords.map((w) => w.word);
  if (syntax !== 'test') {
    const close = syntax === '[' ? ']' : ']]';
    if (args[args.length - 1] !== close) return null;
    args = args.slice(0, -1);
    words = words.slice(0, -1);
  }
  let negated = false;
  let i = 0;
  while (args[i] === '!') {
    negated = !negated;
    i++;
  }
  if (args.length - i !== 2) return null;
  const op = args[i];
  if (op === null || !FILE_TESTS.has(op)) return null;
  const pipeline = entry.context.pipeline;
  if (pipeline.negated && pipeline.commands.length === 1) negated = !negated;
  const ctx = entry.context;
  const innermost = ctx.frames[ctx.frames.length - 1];
  const inIfCondition =
    innermost?.kind === 'if-condition' &&
    ctx.list === innermost.node.branches[innermost.branch].condition &&
    ctx.listIndex === ctx.list.items.length - 1;
  const guard =
    (negated && ctx.operatorAfter === '&&') ||
    (!negated && ctx.operatorAfter === '||') ||
    (inIfCondition && ctx.operatorAfter === null);
  return {
    command: entry.command,
    context: ctx,
    syntax,
    operator: op,
    negated,
    word: words[i + 1],
    path: args[i + 1] ?? words[i + 1].text,
    host,
    guard,
  };
}

/** Why: `test ! -f X && cp` refuses to overwrite, but without an identical-content check a retry after a crash fails forever. */
export function existenceGuards(ast: ShellList | null): ExistenceGuardReport {
  const tests: ExistenceTest[] = [];
  const comparisons: ContentComparison[] = [];
  for (const entry of simpleCommands(ast)) {
    const t = parseFileTest(entry);
    if (t) {
      tests.push(t);
      continue;
    }
    const inv = commandInvocation(entry.command);
    const words = commandWords(entry.command);
    const mentionsSource = words.some((w) => w.placeholders.includes('p'));
    if (inv && COMPARE_TOOLS.has(inv.name)) {
      comparisons.push({ command: entry.command, context: entry.context, tool: inv.name, mentionsSource });
      continue;
    }
    const m = words
      .map((w) => (w.flags.commandSubstitution ? COMPARE_IN_SUBSTITUTION.exec(w.raw) : null))
      .find((x) => x !== null);
    if (m)
      comparisons.push({ command: entry.command, context: entry.context, tool: inv?.name ?? m[0], mentionsSource });
  }
  const guards = tests.filter((t) => t.guard);
  const tested = new Set(tests.map((t) => t.path));
  const idempotentAware =
    tests.length > 0 &&
    comparisons.some(
      (c) =>
        c.mentionsSource ||
        commandWords(c.command).some(
          (w) => tested.has(w.text) || [...tested].some((p) => p.length >= 3 && w.raw.includes(p)),
        ),
    );
  return { tests, guards, comparisons, idempotentAware };
}

// ---------------------------------------------------------------------------------------------
// archiving tools and scripts

export interface ArchivingToolCall {
  /** pgbackrest, wal-g, wal-e, walg-daemon-client, pg_probackup, cloudnative_pg, barman-wal-archive, barman-wal-restore, barman-cloud-wal-archive, barman-cloud-wal-restore */
  readonly tool: string;
  /** archive-push / archive-get / wal-push / wal-fetch / wal-archive / wal-restore; null for the single-purpose barman tools */
  readonly subcommand: string | null;
  readonly command: SimpleCommand;
  readonly invocation: CommandInvocation;
}

const SINGLE_PURPOSE = new Set([
  'barman-wal-archive',
  'barman-wal-restore',
  'barman-cloud-wal-archive',
  'barman-cloud-wal-restore',
]);
const SUBCOMMANDS: Record<string, readonly string[]> = {
  pgbackrest: ['archive-push', 'archive-get'],
  'wal-g': ['wal-push', 'wal-fetch'],
  'wal-e': ['wal-push', 'wal-fetch'],
  'walg-daemon-client': ['wal-push', 'wal-fetch'],
  pg_probackup: ['archive-push', 'archive-get'],
  cloudnative_pg: ['wal-archive', 'wal-restore'],
};

function toolFamily(name: string, path: string | null): string {
  if (/^pg_probackup(?:-[a-z]+)?-[0-9]+$/.test(name)) return 'pg_probackup';
  if (/^wal-g-[a-z]+$/.test(name)) return 'wal-g';
  if (/^barman-(?:cloud-)?wal-(?:archive|restore)\.py$/.test(name)) return name.slice(0, -3);
  // CloudNativePG's instance manager: /controller/manager wal-archive|wal-restore
  if (name === 'manager' && (path === 'manager' || (path ?? '').endsWith('/controller/manager')))
    return 'cloudnative_pg';
  return name;
}

/** The first call of a dedicated WAL archiving tool (which handles fsync, retries and checks itself), or null. */
export function archivingToolCall(ast: ShellList | null): ArchivingToolCall | null {
  for (const { command } of simpleCommands(ast)) {
    const inv = commandInvocation(command);
    if (inv === null) continue;
    const family = toolFamily(inv.name, inv.nameWord.value);
    if (SINGLE_PURPOSE.has(family)) return { tool: family, subcommand: null, command, invocation: inv };
    const subs = Object.prototype.hasOwnProperty.call(SUBCOMMANDS, family) ? SUBCOMMANDS[family] : undefined;
    if (subs === undefined) continue;
    const sub = inv.args.find((w) => w.value !== null && subs.includes(w.value));
    if (sub) return { tool: family, subcommand: sub.value, command, invocation: inv };
  }
  return null;
}

/** Why: dedicated tools (pgbackrest archive-push, wal-g wal-push, barman-wal-archive, ...) are trusted to archive safely; returns the tool name or null. */
export function knownArchivingTool(ast: ShellList | null): string | null {
  return archivingToolCall(ast)?.tool ?? null;
}

/** Programs that are building blocks, not a wrapper script worth trusting. */
const PLAIN_COMMANDS = new Set([
  'cp',
  'mv',
  'rm',
  'ln',
  'install',
  'dd',
  'cat',
  'tee',
  'touch',
  'mkdir',
  'chmod',
  'chown',
  'ls',
  'find',
  'stat',
  'sync',
  'fsync',
  'gzip',
  'gunzip',
  'zcat',
  'pigz',
  'bzip2',
  'bunzip2',
  'xz',
  'unxz',
  'zstd',
  'unzstd',
  'lz4',
  'lzop',
  'tar',
  'openssl',
  'gpg',
  'rsync',
  'scp',
  'sftp',
  'ssh',
  'curl',
  'wget',
  'aws',
  'gsutil',
  'gcloud',
  'azcopy',
  'rclone',
  's3cmd',
  'mc',
  'test',
  '[',
  '[[',
  'true',
  'false',
  ':',
  'echo',
  'printf',
  'logger',
  'cmp',
  'diff',
  'sha256sum',
  'md5sum',
  'sleep',
  'cd',
  'exit',
  'set',
  'exec',
  'eval',
  'command',
  'copy',
  'xcopy',
  'move',
  'robocopy',
  'cmd',
  'cmd.exe',
  'powershell',
  'pwsh',
  'sh',
  'bash',
  'dash',
  'ksh',
  'zsh',
  'busybox',
  'env',
  'sudo',
  'su',
  'xargs',
  'basename',
  'dirname',
  'date',
]);

/**
 * Why: a command that is just `/path/to/archive_wal.sh %p %f` delegates everything to a script we
 * cannot see, so rules trust it instead of guessing. True when the whole line is one simple command
 * (redirections allowed, not backgrounded, not negated) whose program name is literal and is not a
 * plain utility or a shell (`bash -c '...'` is not a script call).
 */
export function invokesScriptOnly(ast: ShellList | null): boolean {
  if (ast === null || ast.items.length !== 1) return false;
  const item = ast.items[0];
  if (item.separator === '&' || item.andOr.pipelines.length !== 1) return false;
  const p = item.andOr.pipelines[0];
  if (p.negated || p.commands.length !== 1 || p.commands[0].type !== 'SimpleCommand') return false;
  const name = commandName(p.commands[0]);
  return name !== null && !PLAIN_COMMANDS.has(name);
}

// ---------------------------------------------------------------------------------------------
// hasDurableWrite

export interface DurabilityReport {
  /** true: what is written is synced (or written by a tool that syncs); false: a local write is never synced; null: unknown */
  readonly durable: boolean | null;
  readonly reason: string;
  /** the local writes found (copies whose destination is a local path) */
  readonly localWrites: readonly CopyTarget[];
}

const OBJECT_STORE = /^(?:s3|gs|az|azure|wasb|wasbs|abfs|abfss|swift|oss|cos|b2):\/\/|\.blob\.core\.windows\.net/i;

function syncsItself(t: CopyTarget): boolean {
  const words = t.command.words.map((w) => w.text);
  if (t.tool === 'dd')
    return words.some((w) => /^conv=.*\b(?:fsync|fdatasync)\b/.test(w) || /^oflag=.*\b(?:sync|dsync)\b/.test(w));
  if (t.tool === 'rsync') return words.includes('--fsync');
  return false;
}

function isSync(cmd: SimpleCommand): boolean {
  const inv = commandInvocation(cmd);
  if (inv === null) return false;
  if (inv.name === 'sync' || inv.name === 'fsync') return true;
  return inv.name === 'dd' && inv.args.some((w) => /^conv=.*\b(?:fsync|fdatasync)\b/.test(w.text));
}

/**
 * Why: PostgreSQL may recycle a WAL segment as soon as archive_command returns 0; if the copy sits
 * only in the OS cache, a crash of the archive host loses it. Durable when a dedicated archiving tool
 * is used, when every local write is followed by `sync`/`fsync` (or is `dd conv=fsync`/`oflag=sync`,
 * `rsync --fsync`), or when the only writes are object-store uploads. A later `mv` of an already
 * synced file is treated as a rename. Unknown for script calls, remote copies over ssh, and lines
 * whose commands cannot be named.
 */
export function hasDurableWrite(ast: ShellList | null): DurabilityReport {
  const call = archivingToolCall(ast);
  const tool = call?.tool ?? null;
  // pg_probackup --no-sync: "Do not sync copied WAL files to disk"
  if (tool === 'pg_probackup' && call!.invocation.args.some((w) => w.value === '--no-sync')) {
    return {
      durable: false,
      reason: 'pg_probackup --no-sync does not sync the WAL it archives to disk',
      localWrites: [],
    };
  }
  if (tool) return { durable: true, reason: `${tool} syncs what it writes`, localWrites: [] };
  if (ast === null) return { durable: null, reason: 'nothing was parsed', localWrites: [] };
  if (invokesScriptOnly(ast))
    return { durable: null, reason: 'the command calls a script whose behaviour is not visible', localWrites: [] };
  const entries = simpleCommands(ast);
  if (entries.some((e) => e.command.words.length > 0 && commandName(e.command) === null)) {
    return { durable: null, reason: 'a command name is computed at run time', localWrites: [] };
  }
  const targets = copyTargets(ast);
  const local = targets.filter((t) => !t.remote);
  let lastSync = -1;
  for (const e of entries) if (isSync(e.command)) lastSync = Math.max(lastSync, e.command.start);
  const synced = (t: CopyTarget): boolean => syncsItself(t) || lastSync >= t.command.end;
  // a mv of a file that an earlier write produced and that was synced is a rename, not a new write
  const syncedFiles = new Map<string, number>(); // destination -> end of the first synced write of it
  for (const t of local)
    if (t.destinationText !== null && synced(t) && !syncedFiles.has(t.destinationText))
      syncedFiles.set(t.destinationText, t.command.end);
  const isRename = (t: CopyTarget): boolean =>
    t.tool === 'mv' &&
    t.sourceTexts.length > 0 &&
    t.sourceTexts.every((src) => (syncedFiles.get(src) ?? Infinity) <= t.command.start);
  const writes = local.filter((t) => !isRename(t));
  const remoteUnsynced = unsyncedRemoteCopy(entries, targets);
  if (writes.length === 0) {
    if (targets.length === 0) return { durable: null, reason: 'no file write was recognised', localWrites: [] };
    if (remoteUnsynced) return { durable: false, reason: remoteUnsynced, localWrites: [] };
    if (targets.every((t) => t.destinationText !== null && OBJECT_STORE.test(t.destinationText))) {
      return { durable: true, reason: 'object-store uploads are durable once the upload succeeds', localWrites: [] };
    }
    return {
      durable: null,
      reason: 'the copy goes to another host; whether that host syncs it is not visible',
      localWrites: [],
    };
  }
  const unsynced = writes.find((t) => !synced(t));
  if (unsynced) {
    return {
      durable: false,
      reason:
        `nothing syncs ${unsynced.destinationText ?? 'the file'} after ${unsynced.tool} writes ` +
        `it; after a crash the archived copy can be empty or partial`,
      localWrites: writes,
    };
  }
  if (remoteUnsynced) return { durable: false, reason: remoteUnsynced, localWrites: writes };
  return {
    durable: true,
    reason: writes.every(syncsItself) ? `${writes[0].tool} syncs what it writes` : '`sync` runs after the copy',
    localWrites: writes,
  };
}

/** `scp` and `rsync` (without --fsync) to another host leave the file in that host's page cache; unless an `ssh host sync` follows. */
function unsyncedRemoteCopy(entries: readonly CommandEntry[], targets: readonly CopyTarget[]): string | null {
  for (const t of targets) {
    if (!t.remote || (t.tool !== 'scp' && t.tool !== 'rsync') || syncsItself(t)) continue;
    const host = /^(?:[^@/:]+@)?([^/:]+):/.exec(t.destinationText ?? '')?.[1] ?? 'the other host';
    const syncedLater = entries.some((e) => {
      if (e.command.start < t.command.end) return false;
      const inv = commandInvocation(e.command);
      return (
        inv?.name === 'ssh' && inv.args.some((w) => w.value === 'sync' || /(?:^|[\s;&|])sync(?:\s|$)/.test(w.text))
      );
    });
    if (syncedLater) continue;
    return t.tool === 'scp'
      ? `scp neither syncs the copy to disk on ${host} nor writes it under a temporary name, so a crash ` +
          `there can leave an empty or partial file that counts as archived`
      : `rsync writes to a temporary name and renames it, but syncs nothing to disk on ${host} unless given --fsync (rsync 3.2.4 or later on both ends)`;
  }
  return null;
}
