// Where a command line copies a file from and to. Rules about overwriting, durability, remote
// targets and %p/%f usage need the destination as the tool sees it: the last operand of cp, the
// `of=` of dd, the `>` target of `gzip -c`, the second operand of `aws s3 cp`, and so on.
import { type CommandInvocation, commandInvocation } from './commandInvocation';
import type { ShellList, ShellWord, SimpleCommand } from './shellAst';
import { type CommandContext, simpleCommands } from './shellWalk';

export interface CopyTarget {
  /** the tool as recognised: cp, mv, install, rsync, scp, dd, cat, gzip, ..., `aws s3 cp`, `gsutil cp`, azcopy, copy (Windows) */
  readonly tool: string;
  readonly command: SimpleCommand;
  readonly context: CommandContext;
  /** source words (operands, the `if=` operand, or the `<` target); empty when the data comes from stdin */
  readonly sources: readonly ShellWord[];
  /** source paths: the words' text with any `if=` prefix removed */
  readonly sourceTexts: readonly string[];
  /** the destination word (last operand, `of=` operand, `-o` argument or `>` target); null when not found */
  readonly destination: ShellWord | null;
  /** the destination path: the word's text with any `of=` prefix removed */
  readonly destinationText: string | null;
  /** where the destination came from */
  readonly via: 'operand' | 'option' | 'redirect';
  /** the data is read from stdin (`-`, no file operand, or `<`); with context.pipelineIndex > 0 it comes from the previous pipeline member */
  readonly stdin: boolean;
  /** the destination is not a local path: `host:path` for rsync/scp, or a URL (s3://, gs://, https://, ...) */
  readonly remote: boolean;
}

const URL = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
/** rsync/scp remote: `host:path`, `user@host:path`, `host::module` (a `/` before the `:` means a local path) */
const HOST_PATH = /^[^/:]+:/;

/** positional operands after getopt-style options; `withArg` options take the next word unless glued */
interface OptionArg {
  /** the word holding the argument (the option word itself when glued: `--x=y`, `-tDIR`) */
  readonly word: ShellWord;
  /** the argument text, prefix removed */
  readonly text: string;
}

function operands(
  args: readonly ShellWord[],
  withArg: ReadonlySet<string>,
): { operands: ShellWord[]; option: (name: string) => OptionArg | null } {
  const out: ShellWord[] = [];
  const opts = new Map<string, OptionArg | null>();
  let i = 0;
  for (; i < args.length; i++) {
    const v = args[i].text;
    if (v === '--') {
      i++;
      break;
    }
    if (v.startsWith('-') && v !== '-') {
      const eq = v.indexOf('=');
      if (v.startsWith('--') && eq > 0) {
        opts.set(v.slice(0, eq), { word: args[i], text: v.slice(eq + 1) });
        continue;
      }
      if (withArg.has(v)) {
        const next = args[i + 1];
        opts.set(v, next ? { word: next, text: next.text } : null);
        i++;
        continue;
      }
      // glued short option argument: -tDIR
      const short = v.slice(0, 2);
      if (!v.startsWith('--') && v.length > 2 && withArg.has(short)) {
        opts.set(short, { word: args[i], text: v.slice(2) });
        continue;
      }
      opts.set(v, null);
      continue;
    }
    out.push(args[i]);
  }
  for (; i < args.length; i++) out.push(args[i]);
  return { operands: out, option: (name) => opts.get(name) ?? null };
}

const CP_LIKE: Record<string, string[]> = {
  cp: ['-S', '--suffix', '-t', '--target-directory'],
  mv: ['-S', '--suffix', '-t', '--target-directory'],
  install: [
    '-m',
    '--mode',
    '-o',
    '--owner',
    '-g',
    '--group',
    '-S',
    '--suffix',
    '-t',
    '--target-directory',
    '--strip-program',
  ],
  rsync: [
    '-e',
    '--rsh',
    '-f',
    '--filter',
    '-T',
    '--temp-dir',
    '-B',
    '--block-size',
    '--port',
    '--exclude',
    '--include',
    '--chmod',
    '--chown',
    '-M',
    '--remote-option',
    '--timeout',
    '--contimeout',
    '--bwlimit',
    '--log-file',
    '--password-file',
    '--compare-dest',
    '--copy-dest',
    '--link-dest',
    '--backup-dir',
    '--suffix',
    '--max-size',
    '--min-size',
    '--partial-dir',
    '--rsync-path',
    '--usermap',
    '--groupmap',
  ],
  scp: ['-P', '-i', '-o', '-F', '-c', '-l', '-S', '-J', '-D', '-X'],
};

/** tools that copy stdin or their file operands to stdout */
const STREAM_TOOLS = new Set([
  'cat',
  'gzip',
  'gunzip',
  'zcat',
  'pigz',
  'unpigz',
  'bzip2',
  'bunzip2',
  'bzcat',
  'pbzip2',
  'xz',
  'unxz',
  'xzcat',
  'lzma',
  'zstd',
  'unzstd',
  'zstdcat',
  'lz4',
  'lz4cat',
  'lzop',
  'brotli',
  'openssl',
  'gpg',
  'gpg2',
  'age',
  'pv',
  'curl',
  'wget',
]);

interface Found {
  tool: string;
  sources: ShellWord[];
  sourceTexts?: string[];
  destination: ShellWord | null;
  destinationText?: string | null;
  via: CopyTarget['via'];
  stdin?: boolean;
}

function stdoutRedirect(cmd: SimpleCommand): ShellWord | null {
  let target: ShellWord | null = null;
  for (const r of cmd.redirects) {
    if ((r.op === '>' || r.op === '>>' || r.op === '>|') && (r.fd === null || r.fd === 1) && r.target) {
      target = r.target.value === '/dev/null' ? null : r.target;
    }
  }
  return target;
}

function stdinRedirect(cmd: SimpleCommand): ShellWord | null {
  let source: ShellWord | null = null;
  for (const r of cmd.redirects) if (r.op === '<' && (r.fd === null || r.fd === 0) && r.target) source = r.target;
  return source;
}

function cpLike(tool: string, args: readonly ShellWord[]): Found | null {
  const { operands: ops, option } = operands(args, new Set(CP_LIKE[tool]));
  const t = option('-t') ?? option('--target-directory');
  if (t) {
    return { tool, sources: ops, destination: t.word, destinationText: t.text, via: 'option' };
  }
  if (ops.length < 2) return null;
  return { tool, sources: ops.slice(0, -1), destination: ops[ops.length - 1], via: 'operand' };
}

function dd(cmd: SimpleCommand, args: readonly ShellWord[]): Found {
  let src: ShellWord | null = null;
  let dst: ShellWord | null = null;
  for (const a of args) {
    if (a.text.startsWith('if=')) src = a;
    else if (a.text.startsWith('of=')) dst = a;
  }
  const input = src ?? stdinRedirect(cmd);
  const found: Found = {
    tool: 'dd',
    sources: input ? [input] : [],
    sourceTexts: input ? [input === src ? input.text.slice(3) : input.text] : [],
    destination: dst,
    destinationText: dst ? dst.text.slice(3) : null,
    via: 'operand',
    stdin: input === null,
  };
  if (!dst) {
    const out = stdoutRedirect(cmd);
    if (out) return { ...found, destination: out, destinationText: out.text, via: 'redirect' };
  }
  return found;
}

function stream(tool: string, cmd: SimpleCommand, args: readonly ShellWord[]): Found | null {
  const withArg = new Set([
    '-o',
    '--output',
    '-O',
    '--output-document',
    '-S',
    '--suffix',
    '-b',
    '-T',
    '--threads',
    '--upload-file',
    '-H',
    '--header',
    '-u',
    '--user',
    '-K',
    '-r',
    '--recipient',
    '-in',
    '-out',
    '-pass',
    '-d',
  ]);
  if (tool === 'openssl' || tool === 'gpg' || tool === 'gpg2' || tool === 'age') {
    // crypto tools: -in/-out, -o/--output; positional operands are commands or files: too varied, only the options
    const { option } = operands(args, withArg);
    const outOpt = option('-out') ?? option('-o') ?? option('--output');
    const inOpt = option('-in');
    const redirect = stdoutRedirect(cmd);
    if (!outOpt && !redirect) return null;
    const input = inOpt ? inOpt.word : stdinRedirect(cmd);
    return {
      tool,
      sources: input ? [input] : [],
      sourceTexts: inOpt ? [inOpt.text] : input ? [input.text] : [],
      destination: outOpt ? outOpt.word : redirect,
      destinationText: outOpt ? outOpt.text : redirect ? redirect.text : null,
      via: outOpt ? 'option' : 'redirect',
      stdin: input === null,
    };
  }
  if (tool === 'curl') {
    const { operands: ops, option } = operands(args, withArg);
    const upload = option('-T') ?? option('--upload-file');
    if (upload && ops.length > 0) {
      return {
        tool,
        sources: [upload.word],
        sourceTexts: [upload.text],
        destination: ops[ops.length - 1],
        via: 'operand',
        stdin: upload.text === '-',
      };
    }
  }
  if (tool === 'gzip' || tool === 'pigz' || tool === 'bzip2' || tool === 'xz' || tool === 'lzma' || tool === 'pbzip2')
    withArg.delete('-d');
  const { operands: ops, option } = operands(args, withArg);
  const outOpt = tool === 'wget' ? (option('-O') ?? option('--output-document')) : (option('-o') ?? option('--output'));
  const files = ops.filter((w) => w.text !== '-');
  if (tool === 'lz4' && !outOpt && files.length === 2 && !stdoutRedirect(cmd)) {
    return { tool, sources: [files[0]], destination: files[1], via: 'operand' };
  }
  const redirect = stdoutRedirect(cmd);
  if (!outOpt && !redirect) return null;
  const stdinFile = stdinRedirect(cmd);
  const input = files.length > 0 ? files : stdinFile ? [stdinFile] : [];
  return {
    tool,
    sources: input,
    destination: outOpt ? outOpt.word : redirect,
    destinationText: outOpt ? outOpt.text : redirect ? redirect.text : null,
    via: outOpt ? 'option' : 'redirect',
    stdin: input.length === 0,
  };
}

/** words after the subcommand path (e.g. `s3 cp`), skipping global options before it */
function afterSubcommand(
  args: readonly ShellWord[],
  path: string[],
  globalWithArg: ReadonlySet<string>,
): readonly ShellWord[] | null {
  let i = 0;
  let k = 0;
  while (i < args.length && k < path.length) {
    const v = args[i].value;
    if (v === null) return null;
    if (v === path[k]) {
      k++;
      i++;
    } else if (v.startsWith('-')) i += globalWithArg.has(v) ? 2 : 1;
    else return null;
  }
  return k === path.length ? args.slice(i) : null;
}

const AWS_FLAGS = new Set([
  '--quiet',
  '--no-progress',
  '--only-show-errors',
  '--recursive',
  '--dryrun',
  '--follow-symlinks',
  '--no-follow-symlinks',
  '--no-guess-mime-type',
  '--force-glacier-transfer',
  '--ignore-glacier-warnings',
  '--no-verify-ssl',
  '--no-paginate',
  '--debug',
  '--no-sign-request',
  '--no-overwrite',
  '--checksum-mode',
]);

function aws(args: readonly ShellWord[]): Found | null {
  const globalWithArg = new Set([
    '--profile',
    '--region',
    '--endpoint-url',
    '--output',
    '--query',
    '--cli-read-timeout',
    '--cli-connect-timeout',
    '--ca-bundle',
    '--color',
  ]);
  let sub = afterSubcommand(args, ['s3', 'cp'], globalWithArg);
  let tool = 'aws s3 cp';
  if (sub === null) {
    sub = afterSubcommand(args, ['s3', 'mv'], globalWithArg);
    tool = 'aws s3 mv';
  }
  if (sub === null) return null;
  const ops: ShellWord[] = [];
  for (let i = 0; i < sub.length; i++) {
    const v = sub[i].text;
    if (v.startsWith('--')) {
      if (v.includes('=') || AWS_FLAGS.has(v)) continue;
      if (v === '--sse') {
        const next = sub[i + 1]?.text;
        if (next === 'AES256' || next === 'aws:kms' || next === 'aws:kms:dsse') i++;
        continue;
      }
      i++; // an option with a value
      continue;
    }
    ops.push(sub[i]);
  }
  if (ops.length < 2) return null;
  return { tool, sources: [ops[0]], destination: ops[1], via: 'operand', stdin: ops[0].text === '-' };
}

function lastTwo(tool: string, ops: readonly ShellWord[]): Found | null {
  if (ops.length < 2) return null;
  const src = ops.slice(0, -1);
  return {
    tool,
    sources: src,
    destination: ops[ops.length - 1],
    via: 'operand',
    stdin: src.length === 1 && src[0].text === '-',
  };
}

function recognise(inv: CommandInvocation, cmd: SimpleCommand): Found | null {
  const { name, args } = inv;
  if (Object.prototype.hasOwnProperty.call(CP_LIKE, name)) return cpLike(name, args);
  if (name === 'dd') return dd(cmd, args);
  if (STREAM_TOOLS.has(name)) return stream(name, cmd, args);
  if (name === 'tee') {
    const files = operands(args, new Set()).operands;
    if (files.length === 0) return null;
    return { tool: 'tee', sources: [], destination: files[0], via: 'operand', stdin: true };
  }
  if (name === 'aws') return aws(args);
  if (name === 'gsutil') {
    const sub =
      afterSubcommand(args, ['cp'], new Set(['-o', '-h', '-u'])) ??
      afterSubcommand(args, ['mv'], new Set(['-o', '-h', '-u']));
    if (sub === null) return null;
    return lastTwo('gsutil cp', operands(sub, new Set(['-z', '-j', '-a', '-L', '-s', '-A', '-I', '-x'])).operands);
  }
  if (name === 'gcloud') {
    const sub = afterSubcommand(args, ['storage', 'cp'], new Set(['--project', '--account', '--configuration']));
    if (sub === null) return null;
    return lastTwo('gcloud storage cp', operands(sub, new Set()).operands);
  }
  if (name === 'azcopy') {
    const sub = afterSubcommand(args, ['copy'], new Set()) ?? afterSubcommand(args, ['cp'], new Set());
    if (sub === null) return null;
    return lastTwo('azcopy copy', operands(sub, new Set()).operands);
  }
  if (name === 'rclone') {
    for (const verb of ['copyto', 'moveto', 'copy', 'move', 'rcat']) {
      const sub = afterSubcommand(args, [verb], new Set(['--config']));
      if (sub === null) continue;
      const ops = operands(
        sub,
        new Set([
          '--config',
          '--transfers',
          '--checkers',
          '--retries',
          '--low-level-retries',
          '--log-file',
          '--log-level',
          '--s3-storage-class',
        ]),
      ).operands;
      if (verb === 'rcat')
        return ops.length >= 1
          ? { tool: 'rclone rcat', sources: [], destination: ops[0], via: 'operand', stdin: true }
          : null;
      return lastTwo(`rclone ${verb}`, ops);
    }
    return null;
  }
  if (name === 's3cmd') {
    const sub =
      afterSubcommand(args, ['put'], new Set(['-c', '--config'])) ??
      afterSubcommand(args, ['get'], new Set(['-c', '--config']));
    return sub === null
      ? null
      : lastTwo('s3cmd', operands(sub, new Set(['-c', '--config', '--storage-class'])).operands);
  }
  if (name === 'mc') {
    const sub = afterSubcommand(args, ['cp'], new Set(['--config-dir', '-C']));
    return sub === null ? null : lastTwo('mc cp', operands(sub, new Set()).operands);
  }
  if (name === 'copy' || name === 'xcopy') {
    // Windows cmd.exe: switches are /X
    const ops = args.filter((w) => !/^\/-?[A-Za-z]$/.test(w.text));
    return lastTwo(name, ops);
  }
  return null;
}

function isRemote(tool: string, text: string): boolean {
  if (URL.test(text)) return true;
  return (tool === 'rsync' || tool === 'scp' || tool.startsWith('rclone')) && HOST_PATH.test(text);
}

/** Every copy the command line makes, in source order (tools listed on CopyTarget.tool; others are not guessed at). */
export function copyTargets(ast: ShellList | null): CopyTarget[] {
  const out: CopyTarget[] = [];
  for (const { command, context } of simpleCommands(ast)) {
    const inv = commandInvocation(command);
    if (inv === null) continue;
    const f = recognise(inv, command);
    if (f === null) continue;
    const destinationText = f.destinationText !== undefined ? f.destinationText : (f.destination?.text ?? null);
    out.push({
      tool: f.tool,
      command,
      context,
      sources: f.sources,
      sourceTexts: f.sourceTexts ?? f.sources.map((w) => w.text),
      destination: f.destination,
      destinationText,
      via: f.via,
      stdin: f.stdin ?? false,
      remote: destinationText !== null && isRemote(f.tool, destinationText),
    });
  }
  return out;
}
