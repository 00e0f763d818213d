// Makes a restored copy safe to start on this host: it must never reach production. What the copy
// inherited from production is taken out (standby.signal and primary_conninfo of a `-R` backup, the
// archive_cleanup_command / recovery_end_command that would run here, paths into production's
// folders), and a block of drill settings at the end of postgresql.auto.conf makes it listen only
// on a Unix socket inside the scratch folder, log to the scratch folder and trust only that
// socket (its own pg_hba.conf). Lines are commented out with a marker, never deleted; the
// recovery settings themselves are written by pg-pitr's recovery generator (src/core/recovery).
import * as fs from 'node:fs';
import * as path from 'node:path';

import { settingLine } from '../recovery/confValue';
import { readDataDirSettings } from '../recovery/earlierSettings';
import { nodeRecoveryFileSystem } from '../recovery/recoveryFileSystem';
import type { RunUser } from './runAsUser';
import type { Scratch } from './scratchFolder';
import { DrillError } from './types';

export const DRILL_BLOCK_BEGIN = '# pg-pitr drill settings begin';
export const DRILL_BLOCK_END = '# pg-pitr drill settings end';
export const NEUTRALISED_MARKER = '# neutralised by pg-pitr drill: ';

/** Settings in the copy's files that would reach production or run production's commands here. */
const NEUTRALISED = new Set([
  'primary_conninfo',
  'primary_slot_name',
  'archive_cleanup_command',
  'recovery_end_command',
  'promote_trigger_file',
  'trigger_file',
  'data_directory',
  'hba_file',
  'ident_file',
  'external_pid_file',
  'recovery_min_apply_delay',
]);

/** Settings the drill decides; --set may not change them. */
export const DRILL_OWNED = new Set([
  ...NEUTRALISED,
  'listen_addresses',
  'port',
  'unix_socket_directories',
  'archive_mode',
  'archive_command',
  'archive_library',
  'restore_command',
  'recovery_target',
  'recovery_target_time',
  'recovery_target_xid',
  'recovery_target_lsn',
  'recovery_target_name',
  'recovery_target_inclusive',
  'recovery_target_timeline',
  'recovery_target_action',
  'logging_collector',
  'log_destination',
  'config_file',
]);

/** The drill's own settings, in writing order, for a major. */
export function drillSettings(
  major: number,
  scratch: Scratch,
  port: number,
  extra: [string, string][] = [],
): [string, string][] {
  const s: [string, string][] = [
    ['listen_addresses', ''],
    ['port', String(port)],
    ['unix_socket_directories', scratch.socketDir],
    ['hba_file', path.join(scratch.root, 'pg_hba.drill.conf')],
    ['ident_file', path.join(scratch.root, 'pg_ident.drill.conf')],
    // an empty external_pid_file makes the postmaster try to write a file named "" (seen on 13): point it into the scratch folder
    ['external_pid_file', path.join(scratch.root, 'postmaster.external.pid')],
    ['ssl', 'off'],
    ['hot_standby', 'on'],
    ['logging_collector', 'off'],
    ['log_destination', 'stderr'],
    ['log_min_messages', 'warning'],
    ['log_line_prefix', '%m [%p] '],
    ['lc_messages', 'C'],
  ];
  // 10-14 keep statistics files in stats_temp_directory, often a shared folder of production (/var/run/postgresql)
  if (major <= 14) s.push(['stats_temp_directory', 'pg_stat_tmp']);
  // 12+ read these from postgresql.conf; on 10-11 they live in recovery.conf, which the generator writes whole
  if (major >= 12) {
    s.push(
      ['primary_conninfo', ''],
      ['primary_slot_name', ''],
      ['archive_cleanup_command', ''],
      ['recovery_end_command', ''],
      ['recovery_min_apply_delay', '0'],
    );
    if (major <= 15) s.push(['promote_trigger_file', '']);
  }
  return [...s, ...extra];
}

/** --set NAME=VALUE pairs: a usage problem is returned as text (the CLI turns it into exit 2). */
export function validateUserSettings(pairs: [string, string][]): string | null {
  for (const [name, value] of pairs) {
    if (!/^[A-Za-z_][A-Za-z0-9_.$]*$/.test(name)) return `--set ${name}=...: "${name}" is not a parameter name`;
    if (DRILL_OWNED.has(name.toLowerCase()))
      return `--set ${name}: the drill sets ${name} itself (to keep the copy away from production, or from the target options)`;
    if (/[\x00-\x1f\x7f]/.test(value))
      return `--set ${name}: the value holds a line break or another control character`;
  }
  return null;
}

function chown(p: string, user: RunUser): void {
  if (user.switchTo) fs.chownSync(p, user.uid, user.gid);
}

function writeOwned(file: string, text: string, user: RunUser): void {
  fs.writeFileSync(file, text, { mode: 0o600 });
  chown(file, user);
}

/**
 * Before the recovery generator runs: removes standby.signal, comments out every neutralised
 * setting in the copy's own configuration files, and gives the copy a postgresql.conf when it has
 * none (a Debian-style backup keeps it in /etc). A neutralised setting in an included file outside
 * the copy is overridden by the drill block (12+), or refused when it cannot be (data_directory).
 */
export function neutraliseCopy(dataDir: string, user: RunUser): string[] {
  const notes: string[] = [];
  const conf = path.join(dataDir, 'postgresql.conf');
  if (!fs.existsSync(conf)) {
    writeOwned(
      conf,
      '# written by pg-pitr drill: the backup had no postgresql.conf (it lives outside the data directory on this layout)\n',
      user,
    );
    notes.push(
      'the backup has no postgresql.conf: the copy got an empty one (its settings are PostgreSQL defaults plus postgresql.auto.conf)',
    );
  }
  const standby = path.join(dataDir, 'standby.signal');
  if (fs.existsSync(standby)) {
    fs.rmSync(standby);
    notes.push(
      'standby.signal removed (a -R backup): the copy recovers from the archive and never follows the primary',
    );
  }
  const items = readDataDirSettings(dataDir, nodeRecoveryFileSystem());
  const byFile = new Map<string, number[]>();
  for (const item of items) {
    const name = (item.name ?? '').toLowerCase();
    if (!NEUTRALISED.has(name)) continue;
    const file =
      item.file === null || item.file === 'postgresql.auto.conf'
        ? path.join(dataDir, 'postgresql.auto.conf')
        : item.file;
    if (!path.resolve(file).startsWith(path.resolve(dataDir) + path.sep)) {
      if (name === 'data_directory') {
        throw new DrillError(
          'refused',
          `${name} is set in ${file} line ${item.line}, outside the copy: the drill cannot take it out ` +
            `and the copy would use it; remove that include from the backup's postgresql.conf`,
        );
      }
      notes.push(`${name} in ${file} line ${item.line} (outside the copy) is overridden by the drill's settings`);
      continue;
    }
    byFile.set(file, [...(byFile.get(file) ?? []), item.line]);
    notes.push(`${path.relative(dataDir, file)} line ${item.line}: ${item.name} commented out (${describe(name)})`);
  }
  for (const [file, lines] of byFile) {
    const text = fs.readFileSync(file, 'utf8').split('\n');
    for (const l of lines)
      if (l - 1 < text.length && !text[l - 1].startsWith(NEUTRALISED_MARKER))
        text[l - 1] = NEUTRALISED_MARKER + text[l - 1];
    const st = fs.statSync(file);
    fs.writeFileSync(file, text.join('\n'));
    fs.chmodSync(file, st.mode & 0o7777);
  }
  return notes;
}

function describe(name: string): string {
  if (name === 'primary_conninfo' || name === 'primary_slot_name') return 'the copy must never connect to the primary';
  if (name === 'archive_cleanup_command' || name === 'recovery_end_command')
    return 'it would run on this host, e.g. pg_archivecleanup on the real archive';
  if (name === 'recovery_min_apply_delay') return "a delayed standby's delay would hold replay back";
  return 'it names a path of production';
}

/** After the recovery generator: the drill block at the end of postgresql.auto.conf, and the copy's own pg_hba.conf / pg_ident.conf. */
export function writeDrillSettings(
  major: number,
  scratch: Scratch,
  port: number,
  user: RunUser,
  extra: [string, string][] = [],
): [string, string][] {
  const settings = drillSettings(major, scratch, port, extra);
  const auto = path.join(scratch.dataDir, 'postgresql.auto.conf');
  let text = fs.existsSync(auto) ? fs.readFileSync(auto, 'utf8') : '';
  if (text !== '' && !text.endsWith('\n')) text += '\n';
  const block = [
    `${DRILL_BLOCK_BEGIN} (a scratch copy: Unix socket only, production's links taken out)`,
    ...settings.map(([n, v]) => settingLine(n, v)),
    DRILL_BLOCK_END,
    '',
  ].join('\n');
  writeOwned(auto, text + block, user);
  // only the run user (and root) can reach the socket folder, so trust on it admits no one else
  writeOwned(
    path.join(scratch.root, 'pg_hba.drill.conf'),
    '# pg-pitr drill: local connections only, through the socket in this private folder\nlocal all all trust\n',
    user,
  );
  writeOwned(path.join(scratch.root, 'pg_ident.drill.conf'), '', user);
  return settings;
}
