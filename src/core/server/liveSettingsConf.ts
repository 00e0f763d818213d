// The lint rules on a running server's settings: the collected pg_settings rows are written as a
// postgresql.conf in memory and linted by the same engine as a file, so a server gets the same
// PITR findings as the file it was started from.
import { getCatalog, isSupportedMajor } from '../catalog/catalogs';
import { quoteConfString as quoteValue, quoteConfStringEscaped } from '../conf/confQuote';
import { memoryFileSystem } from '../conf/fileSystem';
import { lintConfiguration } from '../lint/lintEngine';
import { TARGET_PARAMETERS } from '../lint/recoveryTargets';
import { settingFileValue } from './settingUnits';
import type { ServerStatus } from './types';

export interface LiveFinding {
  id: string;
  severity: string;
  message: string;
}

/** Where the in-memory file pretends to live when the role may not read data_directory. */
const UNKNOWN_DATA_DIR = '/pg-pitr-unknown-data-directory';

const HIDDEN = '(hidden from this role)';

// Values that were not set by anyone: the rules fall back to the catalog's defaults, exactly as
// for a file that does not mention them. 'override' rows are computed by the server
// (data_directory, wal_segment_size, ...), never written by a user.
const UNWRITTEN_SOURCES = new Set(['default', 'override']);

/**
 * Findings that only make sense for a file on disk, dropped for a live server:
 * - the reader's errors (syntax, include, unknown/internal parameter, invalid values, multiple
 *   targets, and the recovery-target value errors it reports under the rules' ids): the server
 *   accepted every value it runs with, so any of these would be an artefact of the translation;
 * - restart-required: the live value is the running one by definition;
 * - duplicate-setting, backslash-in-string, octal-integer: about how a file spells a value;
 *   pg_settings gives one canonical value per parameter.
 */
export const FILE_ONLY_RULES: ReadonlySet<string> = new Set([
  'syntax-error',
  'include-error',
  'unknown-parameter',
  'internal-parameter',
  'invalid-value',
  'multiple-recovery-targets',
  'recovery-target-value',
  'recovery-target-lsn-format',
  'recovery-target-name-too-long',
  'recovery-target-time-invalid',
  'restart-required',
  'duplicate-setting',
  'backslash-in-string',
  'octal-integer',
]);

/** A live value as a file line: a file's '\n' arrives as a real newline, which a quoted value may not hold. */
const quoteLive = quoteConfStringEscaped;

/** The postgresql.conf text equivalent to the settings that were set (one line each, sorted by name). */
export function liveSettingsConfText(status: ServerStatus): string {
  const catalog = isSupportedMajor(status.version.major) ? getCatalog(status.version.major) : null;
  const lines = ['# settings of a running server (pg_settings), written by pg-pitr for its lint rules'];
  for (const name of Object.keys(status.settings).sort()) {
    const s = status.settings[name];
    if (UNWRITTEN_SOURCES.has(s.source)) continue;
    if (catalog?.parameters[name]?.context === 'internal') continue;
    lines.push(`${name} = ${quoteLive(settingFileValue(s.setting, s.unit))}`);
  }
  // primary_conninfo is superuser-only (12+): hidden is not empty, and the rules must not
  // conclude that a standby has no way to reach its primary
  if (status.version.major >= 12 && status.settings.primary_conninfo === undefined)
    lines.push(`primary_conninfo = ${quoteValue(HIDDEN)}`);
  return lines.join('\n') + '\n';
}

/**
 * What the data directory would hold, as far as SQL tells. 12+ only (before 12 the rules that look
 * at it do not apply): a server in recovery is taken for a standby (standby.signal) when it has a
 * primary_conninfo, has received WAL by streaming, or has no recovery target; otherwise for a
 * targeted recovery (recovery.signal). A server not in recovery has neither.
 */
function signalFiles(status: ServerStatus): string[] {
  if (status.version.major < 12 || !status.inRecovery) return [];
  const value = (n: string) => status.settings[n]?.setting ?? '';
  const hasTarget = TARGET_PARAMETERS.some((n) => value(n) !== '');
  const standby = value('primary_conninfo') !== '' || status.wal.receiveLsn !== null || !hasTarget;
  return [standby ? 'standby.signal' : 'recovery.signal'];
}

/** The lint findings for a running server's settings, with the catalog of its major (none for an unsupported major). */
export function lintLiveSettings(status: ServerStatus): LiveFinding[] {
  if (!isSupportedMajor(status.version.major)) return [];
  const dataDir = (status.dataDirectory ?? UNKNOWN_DATA_DIR).replace(/\/+$/, '') || '/';
  const configFile = `${dataDir === '/' ? '' : dataDir}/postgresql.conf`;
  const files: Record<string, string> = { [configFile]: liveSettingsConfText(status) };
  for (const f of signalFiles(status)) files[`${dataDir === '/' ? '' : dataDir}/${f}`] = '';
  const findings = lintConfiguration({
    configFile,
    dataDir,
    catalog: getCatalog(status.version.major),
    fs: memoryFileSystem(files),
  });
  return findings
    .filter((f) => !FILE_ONLY_RULES.has(f.rule))
    .map((f) => ({ id: f.rule, severity: f.severity, message: f.message }));
}
