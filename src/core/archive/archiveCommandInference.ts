// Where an archive_command puts WAL, and the restore_command that reads it back. Used to inspect
// the archive of a server without asking the user, and by the recovery wizard.
import { analyseCommand, commandName } from '../shell/commandFacts';
import { shellQuote } from '../shell/shellQuote';

export type ArchiveKind = 'local' | 'remote-host' | 's3' | 'tool' | 'unknown';

export interface ArchiveInference {
  kind: ArchiveKind;
  /** a folder, host:folder, s3://bucket/prefix, or null */
  location: string | null;
  /** certain: one plain copy to <dir>/%f; likely: a recognisable pattern with variations; guess: otherwise */
  confidence: 'certain' | 'likely' | 'guess';
  tool: string | null;
  /** the mirror restore_command, or null when it cannot be derived safely */
  restoreCommand: string | null;
  /** compression of the archived files, when the command compresses */
  compression: string | null;
  reason: string;
}

const shellQuoteIfNeeded = shellQuote;

/** `f=/mnt/a/%f; ... "$f"` → /mnt/a/%f */
function expandAssignments(command: string, word: string): string {
  const vars = new Map<string, string>();
  for (const m of command.matchAll(/(?:^|[;&|\s])([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^\s;&|]+)/g))
    vars.set(m[1], m[2].replace(/^["']|["']$/g, ''));
  return word.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (all, name: string) => vars.get(name) ?? all);
}

export function inferArchive(archiveCommand: string): ArchiveInference {
  const facts = analyseCommand(archiveCommand);
  const none = (reason: string): ArchiveInference => ({
    kind: 'unknown',
    location: null,
    confidence: 'guess',
    tool: null,
    restoreCommand: null,
    compression: null,
    reason,
  });
  if (archiveCommand.trim() === '') return none('archive_command is empty');

  // archiving tools: the mirror command is the tool's own
  for (const cmd of facts.simple) {
    const cn = commandName(cmd);
    if (!cn) continue;
    const args = cn.args.map((w) => w.value ?? w.raw);
    const i = args.indexOf('archive-push');
    if (cn.name === 'pgbackrest' && i >= 0) {
      const opts = args.slice(0, i).filter((a) => a.startsWith('--'));
      return {
        kind: 'tool',
        location: null,
        confidence: 'certain',
        tool: 'pgBackRest',
        restoreCommand: ['pgbackrest', ...opts, 'archive-get', '%f', '"%p"'].join(' '),
        compression: null,
        reason: 'pgBackRest archive-push: the repository is configured in pgbackrest.conf',
      };
    }
    if (cn.name === 'wal-g' && args.includes('wal-push')) {
      const opts = args.slice(0, args.indexOf('wal-push'));
      return {
        kind: 'tool',
        location: null,
        confidence: 'certain',
        tool: 'WAL-G',
        restoreCommand: ['wal-g', ...opts, 'wal-fetch', '%f', '%p'].join(' '),
        compression: null,
        reason: 'WAL-G wal-push: the storage is configured in its environment (WALG_S3_PREFIX, ...)',
      };
    }
    if (cn.name === 'barman-wal-archive') {
      const pos = args.filter((a) => !a.startsWith('-') && a !== '%p');
      const opts = args.filter((a) => a.startsWith('-'));
      return {
        kind: 'tool',
        location: pos[0] ?? null,
        confidence: 'certain',
        tool: 'Barman',
        restoreCommand: ['barman-wal-restore', ...opts, ...pos, '%f', '%p'].join(' '),
        compression: null,
        reason: 'barman-wal-archive: WAL goes to the Barman server',
      };
    }
    if (cn.name === 'barman-cloud-wal-archive') {
      const pos = args.filter((a) => !a.startsWith('-') && a !== '%p');
      const opts = args.filter((a) => a.startsWith('-'));
      return {
        kind: pos[0]?.startsWith('s3://') ? 's3' : 'tool',
        location: pos[0] ?? null,
        confidence: 'certain',
        tool: 'Barman Cloud',
        restoreCommand: ['barman-cloud-wal-restore', ...opts, ...pos, '%f', '%p'].join(' '),
        compression: null,
        reason: 'barman-cloud-wal-archive: WAL goes to the object store',
      };
    }
    if (/^pg_probackup/.test(cn.name) && args.includes('archive-push')) {
      return {
        kind: 'tool',
        location: null,
        confidence: 'certain',
        tool: 'pg_probackup',
        restoreCommand: [cn.name, ...args.map((a) => (a === 'archive-push' ? 'archive-get' : a))].join(' '),
        compression: null,
        reason: 'pg_probackup archive-push',
      };
    }
  }
  if (facts.wrapperScript)
    return none(
      'archive_command calls a script: pg-pitr does not guess what it does; set the archive location for this server',
    );

  for (const c of facts.copies) {
    if (!c.destination) continue;
    const dest = expandAssignments(archiveCommand, c.destination).replace(/\.tmp$/, '');
    const m = /^(.*)\/%f(\.[a-z0-9]+)?$/.exec(dest);
    if (!m) continue;
    const dir = m[1];
    const ext = m[2] ?? '';
    const compression = ext ? ext.slice(1) : null;
    const sure = facts.copies.length === 1 || facts.comparesContent ? 'certain' : 'likely';
    if (dir.startsWith('s3://')) {
      const restore =
        compression === 'gz'
          ? `aws s3 cp ${dir}/%f.gz - | gunzip > %p`
          : `aws s3 cp ${shellQuoteIfNeeded(dir + '/%f')} %p`;
      return {
        kind: 's3',
        location: dir,
        confidence: sure,
        tool: null,
        restoreCommand: restore,
        compression,
        reason: `${c.name} uploads to ${dir}`,
      };
    }
    const remote = /^([A-Za-z0-9_.@-]+):(.*)$/.exec(dir);
    if (remote) {
      return {
        kind: 'remote-host',
        location: dir,
        confidence: sure,
        tool: null,
        restoreCommand: compression ? null : `${c.name === 'rsync' ? 'rsync' : 'scp'} ${dir}/%f %p`,
        compression,
        reason: `${c.name} copies to host ${remote[1]}`,
      };
    }
    if (dir.startsWith('/')) {
      const q = shellQuoteIfNeeded(`${dir}/%f${ext}`);
      const restore =
        compression === 'gz'
          ? `gunzip < ${q} > %p`
          : compression === 'zst'
            ? `zstd -dc ${q} > %p`
            : compression === 'xz'
              ? `xz -dc ${q} > %p`
              : compression === 'bz2'
                ? `bzip2 -dc ${q} > %p`
                : compression === 'lz4'
                  ? `lz4 -dc ${q} > %p`
                  : compression
                    ? null
                    : `cp ${q} %p`;
      return {
        kind: 'local',
        location: dir,
        confidence: sure,
        tool: null,
        restoreCommand: restore,
        compression,
        reason: `${c.name} writes to ${dir}`,
      };
    }
  }
  return none('no copy to a "<folder>/%f" destination was recognised in archive_command');
}
