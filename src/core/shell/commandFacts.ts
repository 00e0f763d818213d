// Facts about an archive/restore command, read from its shell syntax tree: what it runs, whether
// its exit status can report a failure, guards, copies, syncs, and known archiving tools.
import { parseShell, type AndOr, type Command, type Pipeline, type ShellList, type SimpleCommand, type Word } from './shellSyntax';

export interface CommandFacts {
  parseErrors: string[];
  simple: SimpleCommand[];
  /** can the command as a whole exit non-zero (report a failure)? */
  canFail: boolean;
  /** why it cannot, in words */
  alwaysSucceedsReason: string | null;
  /** the status comes from a pipeline of 2+ commands: failures before the last `|` are lost */
  endsInPipeline: boolean;
  pipefail: boolean;
  /** an archiving tool that guards, syncs and checks by itself */
  tool: string | null;
  /** the whole command is one call of a script or program we do not second-guess */
  wrapperScript: boolean;
  /** copy-like commands with their destination word */
  copies: Array<{ cmd: SimpleCommand; name: string; destination: string | null }>;
  /** `test ! -f X`-style guards (or `if [ -f X ]` with the copy in else) and what they test */
  guards: Array<{ path: string }>;
  /** compares the existing archive file with the new one (cmp, diff, checksums) */
  comparesContent: boolean;
  /** syncs what it wrote (sync, fsync, dd conv=fsync, rsync --fsync, uploads to object stores) */
  durable: boolean;
  usesCpI: boolean;
  /** cd/pushd before the first use of %p */
  changesDirectoryBeforeP: boolean;
}

const ALWAYS_ZERO = new Set(['true', ':', 'echo', 'printf', 'logger']);
const COPY_COMMANDS = new Set(['cp', 'mv', 'rsync', 'scp', 'install', 'dd', 'cat', 'gzip', 'bzip2', 'xz', 'zstd', 'lz4', 'pigz', 'ln']);
const OBJECT_STORE = new Set(['aws', 'gsutil', 'gcloud', 'azcopy', 'rclone', 's3cmd', 'mc', 'az']);
const COREUTILS = new Set([...COPY_COMMANDS, 'test', '[', '[[', 'true', 'false', ':', 'echo', 'printf', 'sync', 'cmp', 'diff', 'sh', 'bash', 'exit', 'cd', 'mkdir', 'rm', 'chmod', 'chown', 'logger', 'set', 'env', 'exec', 'sleep', 'find', 'ls', 'touch', 'sha256sum', 'md5sum', 'sha1sum', 'fsync', 'mountpoint', 'ssh', 'curl', 'wget', ...OBJECT_STORE]);

const TOOLS: Array<[RegExp, string]> = [
  [/^pgbackrest$/, 'pgBackRest'],
  [/^wal-g$/, 'WAL-G'],
  [/^wal-e$/, 'WAL-E'],
  [/^barman-wal-archive$|^barman-wal-restore$/, 'Barman'],
  [/^barman-cloud-wal-archive$|^barman-cloud-wal-restore$/, 'Barman Cloud'],
  [/^pg_probackup(-\d+)?$/, 'pg_probackup'],
  [/^pg_receivewal$/, 'pg_receivewal'],
];

function basename(w: string): string {
  const i = w.lastIndexOf('/');
  return i < 0 ? w : w.slice(i + 1);
}

/** The program a simple command runs, skipping env / exec / command / nice / timeout / sudo prefixes. */
export function commandName(cmd: SimpleCommand): { name: string; args: Word[] } | null {
  const words = cmd.words;
  let i = 0;
  while (i < words.length) {
    const w = words[i].value ?? words[i].raw;
    const b = basename(w);
    if (b === 'env' || b === 'exec' || b === 'command' || b === 'nice' || b === 'nohup' || b === 'ionice') {
      i++;
      while (i < words.length && (/^-/.test(words[i].raw) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i].raw))) i++;
      continue;
    }
    if (b === 'timeout') {
      i++;
      while (i < words.length && /^-/.test(words[i].raw)) i++;
      i++; // the duration
      continue;
    }
    if (b === 'sudo') {
      i++;
      while (i < words.length && /^-/.test(words[i].raw)) i += /^-[ugCh]$/.test(words[i].raw) ? 2 : 1;
      continue;
    }
    return { name: b, args: words.slice(i + 1) };
  }
  return null;
}

type Status = { zero: boolean; nonzero: boolean };

function simpleStatus(cmd: SimpleCommand): Status {
  const c = commandName(cmd);
  if (!c) return { zero: true, nonzero: cmd.redirects.length > 0 };
  if (c.name === 'exit') {
    const code = c.args[0]?.value;
    if (code === undefined || code === null) return { zero: true, nonzero: true };
    return code === '0' ? { zero: true, nonzero: false } : /^[0-9]+$/.test(code) ? { zero: false, nonzero: true } : { zero: true, nonzero: true };
  }
  if (c.name === 'false') return { zero: false, nonzero: true };
  if (ALWAYS_ZERO.has(c.name)) return { zero: true, nonzero: false };
  return { zero: true, nonzero: true };
}

function commandStatus(cmd: Command): Status {
  switch (cmd.type) {
    case 'simple':
      return simpleStatus(cmd);
    case 'subshell':
    case 'group':
      return listStatus(cmd.body);
    case 'if': {
      const out: Status = { zero: cmd.elseBody === null, nonzero: false };
      for (const b of cmd.branches) {
        const s = listStatus(b.body);
        out.zero ||= s.zero;
        out.nonzero ||= s.nonzero;
      }
      if (cmd.elseBody) {
        const s = listStatus(cmd.elseBody);
        out.zero ||= s.zero;
        out.nonzero ||= s.nonzero;
      }
      if (!out.zero && !out.nonzero) out.zero = true;
      return out;
    }
    case 'loop':
      return { zero: true, nonzero: true };
  }
}

function pipelineStatus(p: Pipeline): Status {
  const s = commandStatus(p.commands[p.commands.length - 1]);
  return p.bang ? { zero: s.nonzero, nonzero: s.zero } : s;
}

function andOrStatus(ao: AndOr): Status {
  let s = pipelineStatus(ao.first);
  for (const { op, pipeline } of ao.rest) {
    const next = pipelineStatus(pipeline);
    if (op === '&&' && s.zero) s = { zero: next.zero, nonzero: s.nonzero || next.nonzero };
    else if (op === '||' && s.nonzero) s = { zero: s.zero || next.zero, nonzero: next.nonzero };
  }
  return s;
}

function isUnconditionalExit(ao: AndOr): boolean {
  if (ao.rest.length > 0 || ao.first.commands.length !== 1) return false;
  const c = ao.first.commands[0];
  return c.type === 'simple' && commandName(c)?.name === 'exit';
}

function listStatus(list: ShellList): Status {
  const items = list.items.filter((i) => !i.background);
  if (items.length === 0) return { zero: true, nonzero: false };
  for (const item of items) if (isUnconditionalExit(item)) return andOrStatus(item);
  return andOrStatus(items[items.length - 1]);
}

function walkCommands(list: ShellList, visit: (c: Command, ctx: { inElseOf: SimpleCommand[] }) => void, inElseOf: SimpleCommand[] = []): void {
  for (const ao of list.items) {
    for (const p of [ao.first, ...ao.rest.map((r) => r.pipeline)]) {
      for (const c of p.commands) {
        visit(c, { inElseOf });
        if (c.type === 'subshell' || c.type === 'group') walkCommands(c.body, visit, inElseOf);
        else if (c.type === 'if') {
          const conds: SimpleCommand[] = [];
          for (const b of c.branches) {
            walkCommands(b.condition, (x) => x.type === 'simple' && conds.push(x));
            walkCommands(b.condition, visit, inElseOf);
            walkCommands(b.body, visit, inElseOf);
          }
          if (c.elseBody) walkCommands(c.elseBody, visit, [...inElseOf, ...conds]);
        } else if (c.type === 'loop') c.bodies.forEach((b) => walkCommands(b, visit, inElseOf));
      }
    }
  }
}

function text(w: Word | undefined): string {
  if (!w) return '';
  // a word with an expansion has no literal value: show it without its double quotes
  return w.value ?? w.raw.replace(/^"(.*)"$/, '$1');
}

/** The path a test / [ command checks, with its negation. */
function testedPath(cmd: SimpleCommand): { path: string; negated: boolean } | null {
  const c = commandName(cmd);
  if (!c || !['test', '[', '[['].includes(c.name)) return null;
  const args = c.args.map(text).filter((a) => a !== ']' && a !== ']]');
  if (args[0] === '!' && /^-[efs]$/.test(args[1] ?? '') && args[2]) return { path: args[2], negated: true };
  if (/^-[efs]$/.test(args[0] ?? '') && args[1]) return { path: args[1], negated: false };
  return null;
}

function destinationOf(name: string, cmd: SimpleCommand, args: Word[]): string | null {
  const out = cmd.redirects.find((r) => r.op === '>' || r.op === '>>' || r.op === '>|');
  if (out?.target) return text(out.target);
  if (name === 'dd') {
    const of = args.map(text).find((a) => a.startsWith('of='));
    return of ? of.slice(3) : null;
  }
  const plain = args.map(text).filter((a) => !a.startsWith('-'));
  if (OBJECT_STORE.has(name)) return plain[plain.length - 1] ?? null;
  return plain.length >= 2 ? plain[plain.length - 1] : null;
}

export function analyseCommand(commandText: string): CommandFacts {
  const { ast, errors } = parseShell(commandText);
  const simple: SimpleCommand[] = [];
  walkCommands(ast, (c) => c.type === 'simple' && simple.push(c));
  const status = listStatus(ast);
  const facts: CommandFacts = {
    parseErrors: errors.map((e) => `${e.message} at character ${e.offset + 1}`),
    simple,
    canFail: status.nonzero,
    alwaysSucceedsReason: null,
    endsInPipeline: false,
    pipefail: false,
    tool: null,
    wrapperScript: false,
    copies: [],
    guards: [],
    comparesContent: false,
    durable: false,
    usesCpI: false,
    changesDirectoryBeforeP: false,
  };
  if (!status.nonzero) facts.alwaysSucceedsReason = explainAlwaysZero(ast);

  const last = ast.items.filter((i) => !i.background).pop();
  if (last) {
    const finalPipeline = last.rest.length ? last.rest[last.rest.length - 1].pipeline : last.first;
    facts.endsInPipeline = finalPipeline.commands.length > 1;
  }
  let sawP = false;
  walkCommands(ast, (c, ctx) => {
    if (c.type !== 'simple') return;
    const cn = commandName(c);
    const words = c.words.map(text).join(' ');
    if (!cn) return;
    if (cn.name === 'set' && /pipefail/.test(words)) facts.pipefail = true;
    // tools are often behind wrappers (envdir DIR wal-e ..., su -c ...): look at every word
    for (const w of c.words) for (const [re, tool] of TOOLS) if (re.test(basename(text(w)))) facts.tool = tool;
    if ((cn.name === 'cd' || cn.name === 'pushd') && !sawP) facts.changesDirectoryBeforeP = true;
    if (c.words.some((w) => w.raw.includes('%p')) || c.redirects.some((r) => r.target?.raw.includes('%p'))) sawP = true;
    if (cn.name === 'sync' || cn.name === 'fsync') facts.durable = true;
    if (cn.name === 'dd' && /conv=\S*f(data)?sync|oflag=\S*d?sync/.test(words)) facts.durable = true;
    if (cn.name === 'rsync' && /--fsync/.test(words)) facts.durable = true;
    if (OBJECT_STORE.has(cn.name)) facts.durable = true;
    if (['cmp', 'diff', 'sha256sum', 'sha1sum', 'md5sum', 'b2sum'].includes(cn.name)) facts.comparesContent = true;
    if (cn.name === 'cp' && cn.args.some((a) => /^-[A-Za-z]*i/.test(a.raw) || a.raw === '--interactive')) facts.usesCpI = true;
    const t = testedPath(c);
    if (t && t.negated && !facts.guards.some((g) => g.path === t.path)) facts.guards.push({ path: t.path });
    if (COPY_COMMANDS.has(cn.name) || OBJECT_STORE.has(cn.name)) {
      const isCopy = OBJECT_STORE.has(cn.name) ? /\bcp\b|\bcopy\b|\bput\b/.test(words) : true;
      if (isCopy && (cn.name !== 'cat' || c.redirects.some((r) => r.op.includes('>')))) facts.copies.push({ cmd: c, name: cn.name, destination: destinationOf(cn.name, c, cn.args) });
    }
    // a copy in the else branch of `if [ -f X ]` is guarded by that test
    if (ctx.inElseOf.length && COPY_COMMANDS.has(cn.name)) {
      for (const cond of ctx.inElseOf) {
        const tp = testedPath(cond);
        if (tp && !tp.negated && !facts.guards.some((g) => g.path === tp.path)) facts.guards.push({ path: tp.path });
      }
    }
  });
  if (simple.length === 1 && ast.items.length === 1 && !facts.tool && ast.items[0].first.commands.length === 1) {
    const cn = commandName(simple[0]);
    if (cn && !COREUTILS.has(cn.name)) facts.wrapperScript = true;
  }
  return facts;
}

function explainAlwaysZero(ast: ShellList): string {
  const items = ast.items.filter((i) => !i.background);
  const last = items[items.length - 1];
  if (!last) return 'the command is empty';
  const exit = items.find(isUnconditionalExit);
  if (exit) return `\`${render(exit.first)}\` ends the command with status 0 whatever happened before`;
  if (last.rest.length > 0) {
    const tail = last.rest[last.rest.length - 1];
    if (tail.op === '||') return `\`|| ${render(tail.pipeline)}\` turns every failure into success`;
  }
  if (items.length > 1) return `the last command, \`${render(last.first)}\`, always succeeds and hides the status of the commands before it`;
  return `\`${render(last.first)}\` always succeeds`;
}

function render(p: Pipeline): string {
  return p.commands
    .map((c) => (c.type === 'simple' ? c.words.map((w) => w.raw).join(' ') : c.type === 'if' ? 'if ... fi' : c.type === 'loop' ? c.keyword + ' ...' : '( ... )'))
    .join(' | ');
}

export interface PlaceholderScan {
  letters: string[];
  /** %x other than those allowed, or a lone % at the end */
  invalid: string[];
}

/** replace_percent_placeholders: %% is a literal %, the given letters are placeholders. */
export function scanPlaceholders(value: string, allowed: string): PlaceholderScan {
  const letters: string[] = [];
  const invalid: string[] = [];
  for (let i = 0; i < value.length; i++) {
    if (value[i] !== '%') continue;
    const c = value[i + 1];
    if (c === undefined) invalid.push('%');
    else if (c === '%') {
      /* literal */
    } else if (allowed.includes(c)) letters.push(c);
    else invalid.push('%' + c);
    i++;
  }
  return { letters, invalid };
}
