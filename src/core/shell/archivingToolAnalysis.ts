// What a dedicated WAL archiving tool needs in archive_command / restore_command (pgBackRest,
// WAL-G, WAL-E, Barman, Barman Cloud, CloudNativePG, pg_probackup): these tools name the archived
// file themselves, so they take only %p or only %f; and which repository they use, so that the
// archive and restore commands can be compared.
import { type ArchivingToolCall, archivingToolCall } from './commandAnalysis';
import type { ShellList, ShellWord, SimpleCommand } from './shellAst';

export type ToolDirection = 'archive' | 'restore';

export interface ToolPlaceholderNeed {
  readonly letter: 'p' | 'f';
  /** what the tool does with it, for messages */
  readonly role: string;
}

export interface ArchivingToolUsage {
  readonly call: ArchivingToolCall;
  /** the tool as people name it: pgBackRest, WAL-G, Barman, ... */
  readonly displayName: string;
  /** how the tool is invoked, for messages: `pgbackrest archive-push`, `barman-wal-restore` */
  readonly form: string;
  readonly direction: ToolDirection;
  /** placeholders the tool needs here that the command does not pass */
  readonly missing: readonly ToolPlaceholderNeed[];
  /**
   * The repository the tool reads or writes, as a comparable key (`pgbackrest stanza=main`,
   * `barman backup/pg`), or null when it comes from files or variables not visible here.
   */
  readonly repository: string | null;
  /** pgBackRest's stanza when written on the command line (null: none, so it must come from the environment) */
  readonly stanza: string | null;
}

const DISPLAY: Record<string, string> = {
  pgbackrest: 'pgBackRest',
  'wal-g': 'WAL-G',
  'wal-e': 'WAL-E',
  'walg-daemon-client': 'the WAL-G daemon',
  pg_probackup: 'pg_probackup',
  cloudnative_pg: 'CloudNativePG',
  'barman-wal-archive': 'Barman',
  'barman-wal-restore': 'Barman',
  'barman-cloud-wal-archive': 'Barman Cloud',
  'barman-cloud-wal-restore': 'Barman Cloud',
};

const ARCHIVE_VERBS = new Set(['archive-push', 'wal-push', 'wal-archive']);
const RESTORE_VERBS = new Set(['archive-get', 'wal-fetch', 'wal-restore']);

const PATH_TO_ARCHIVE: ToolPlaceholderNeed = { letter: 'p', role: 'the path of the segment to archive' };
const RESTORE_NAME: ToolPlaceholderNeed = { letter: 'f', role: 'the name of the file recovery asks for' };
const RESTORE_PATH: ToolPlaceholderNeed = { letter: 'p', role: 'the path to restore it to' };

function direction(call: ArchivingToolCall): ToolDirection | null {
  if (call.subcommand !== null)
    return ARCHIVE_VERBS.has(call.subcommand) ? 'archive' : RESTORE_VERBS.has(call.subcommand) ? 'restore' : null;
  return call.tool.endsWith('-archive') ? 'archive' : call.tool.endsWith('-restore') ? 'restore' : null;
}

/** What each tool needs, by direction. pg_probackup names the archived file with --wal-file-name=%f and finds it in pg_wal. */
function needs(tool: string, dir: ToolDirection): ToolPlaceholderNeed[] {
  if (dir === 'restore') return [RESTORE_NAME, RESTORE_PATH];
  if (tool === 'pg_probackup')
    return [{ letter: 'f', role: 'the name of the segment to archive (--wal-file-name=%f)' }];
  return [PATH_TO_ARCHIVE];
}

function placeholderLetters(cmd: SimpleCommand): Set<string> {
  const letters = new Set<string>();
  for (const w of [
    ...cmd.words,
    ...cmd.assignments.map((a) => a.word),
    ...cmd.redirects.flatMap((r) => (r.target ? [r.target] : [])),
  ]) {
    for (const l of w.placeholders) letters.add(l);
  }
  return letters;
}

/** `--name=value` or `--name value` (also a short alias), the first occurrence */
function optionValue(words: readonly ShellWord[], names: readonly string[]): string | null {
  for (let i = 0; i < words.length; i++) {
    const t = words[i].text;
    for (const n of names) {
      if (t === n) return words[i + 1]?.text ?? null;
      if (n.startsWith('--') && t.startsWith(n + '=')) return t.slice(n.length + 1);
    }
  }
  return null;
}

/** operands that are not options or option values; `withArg` lists options that take the next word */
function positionals(words: readonly ShellWord[], withArg: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const t = words[i].text;
    if (t.startsWith('-') && t !== '-') {
      if (!t.includes('=') && withArg.has(t)) i++;
      continue;
    }
    out.push(t);
  }
  return out;
}

/** the envdir / env assignments that configure a tool: `envdir DIR`, `VAR=value`, `env VAR=value` */
function environmentOf(cmd: SimpleCommand, names: readonly string[]): string | null {
  const parts: string[] = [];
  for (const a of cmd.assignments) if (names.includes(a.name)) parts.push(`${a.name}=${a.valueText}`);
  const words = cmd.words;
  for (let i = 0; i < words.length; i++) {
    const t = words[i].text;
    if (t === 'envdir' || t.endsWith('/envdir')) {
      const dir = words[i + 1]?.text;
      if (dir) parts.push(`envdir=${dir.replace(/\/+$/, '')}`);
    }
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(t);
    if (m && names.includes(m[1])) parts.push(`${m[1]}=${m[2]}`);
  }
  return parts.length > 0 ? parts.sort().join(' ') : null;
}

const BARMAN_WITH_ARG = new Set([
  '-U',
  '--user',
  '--port',
  '-c',
  '--config',
  '-s',
  '--sleep',
  '-p',
  '--parallel',
  '--spool-dir',
  '--compression-level',
]);
const BARMAN_CLOUD_WITH_ARG = new Set([
  '--cloud-provider',
  '--endpoint-url',
  '-P',
  '--aws-profile',
  '--profile',
  '--read-timeout',
  '--azure-credential',
  '--credential',
  '-e',
  '--encryption',
  '--sse-kms-key-id',
  '--kms-key-name',
  '--compression-level',
  '--tags',
  '--history-tags',
  '--tag',
  '--history-tag',
  '--max-archive-size',
  '--min-chunk-size',
  '--max-bandwidth',
  '--snapshot-instance',
  '--snapshot-zone',
  '--gcp-project',
]);

function repositoryOf(call: ArchivingToolCall, cmd: SimpleCommand): { key: string | null; stanza: string | null } {
  const args = call.invocation.args;
  switch (call.tool) {
    case 'pgbackrest': {
      const stanza =
        optionValue(args, ['--stanza']) ??
        cmd.assignments.find((a) => a.name === 'PGBACKREST_STANZA')?.valueText ??
        null;
      const config = optionValue(args, ['--config']);
      return {
        key: stanza === null ? null : `pgbackrest stanza=${stanza}${config ? ` config=${config}` : ''}`,
        stanza,
      };
    }
    case 'wal-g':
    case 'wal-e': {
      const config = optionValue(args, [
        '--config',
        '--s3-prefix',
        '--wabs-prefix',
        '--gs-prefix',
        '--swift-prefix',
        '--file-prefix',
      ]);
      const env = environmentOf(cmd, [
        'WALG_S3_PREFIX',
        'WALE_S3_PREFIX',
        'WALG_GS_PREFIX',
        'WALE_GS_PREFIX',
        'WALG_AZ_PREFIX',
        'WALE_WABS_PREFIX',
        'WALG_FILE_PREFIX',
        'WALG_SWIFT_PREFIX',
        'WALE_SWIFT_PREFIX',
      ]);
      return { key: `${call.tool} ${config ?? env ?? 'environment'}`, stanza: null };
    }
    case 'walg-daemon-client':
      return { key: `walg-daemon ${args[0]?.text ?? ''}`, stanza: null };
    case 'barman-wal-archive':
    case 'barman-wal-restore': {
      const pos = positionals(args, BARMAN_WITH_ARG);
      return { key: pos.length >= 2 ? `barman ${pos[0]}/${pos[1]}` : null, stanza: null };
    }
    case 'barman-cloud-wal-archive':
    case 'barman-cloud-wal-restore': {
      const pos = positionals(args, BARMAN_CLOUD_WITH_ARG);
      return { key: pos.length >= 2 ? `barman-cloud ${pos[0].replace(/\/+$/, '')}/${pos[1]}` : null, stanza: null };
    }
    case 'cloudnative_pg':
      return { key: 'cloudnative_pg', stanza: null };
    case 'pg_probackup': {
      const dir = optionValue(args, ['-B', '--backup-path']);
      const instance = optionValue(args, ['--instance']);
      return {
        key: dir && instance ? `pg_probackup ${dir.replace(/\/+$/, '')} instance=${instance}` : null,
        stanza: null,
      };
    }
    default:
      return { key: null, stanza: null };
  }
}

/** The first archiving tool call of the command line with what it needs and where it stores WAL; null when there is none. */
export function archivingToolUsage(ast: ShellList | null): ArchivingToolUsage | null {
  const call = archivingToolCall(ast);
  if (call === null) return null;
  const dir = direction(call);
  if (dir === null) return null;
  const present = placeholderLetters(call.command);
  let missing = needs(call.tool, dir).filter((n) => !present.has(n.letter));
  // the WAL-G daemon client is documented with %f (the daemon reads pg_wal/%f itself); %p works as well
  if (call.tool === 'walg-daemon-client' && dir === 'archive' && (present.has('f') || present.has('p'))) missing = [];
  const repo = repositoryOf(call, call.command);
  const verb = call.subcommand ? ` ${call.subcommand}` : '';
  const form = `${call.tool === 'cloudnative_pg' ? '/controller/manager' : call.invocation.name}${verb}`;
  return {
    call,
    displayName: DISPLAY[call.tool] ?? call.tool,
    form,
    direction: dir,
    missing,
    repository: repo.key,
    stanza: repo.stanza,
  };
}
