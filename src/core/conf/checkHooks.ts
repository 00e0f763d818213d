// Check hooks (guc_tables.c) that can refuse a value the type check accepted: the recovery-target
// strings of 12+ (xlogrecovery.c), DateStyle, TimeZone and log_timezone (dateTimeCheckHooks.ts),
// SLRU buffer counts (17+) and vacuum_buffer_usage_limit (16+). Other check hooks (search_path,
// locales, ...) are not modelled: their values are accepted.
import {
  checkDateStyle,
  checkLogTimeZone,
  checkRecoveryTargetTime,
  checkTimeZone,
  type DateTimeSession,
  newDateTimeSession,
  noteTimeZoneAbbreviations,
} from './dateTimeCheckHooks';

export { type DateTimeSession, newDateTimeSession } from './dateTimeCheckHooks';

export interface StringCheckFailure {
  detail?: string;
  hint?: string;
  /** the check raised an ERROR of its own (this message): startup ends at once */
  fatal?: string;
}

const RECOVERY_TARGETS = new Set([
  'recovery_target',
  'recovery_target_lsn',
  'recovery_target_name',
  'recovery_target_time',
  'recovery_target_xid',
]);

export function isRecoveryTarget(name: string): boolean {
  return RECOVERY_TARGETS.has(name);
}

/** PostgreSQL 17 started quoting parameter names in messages. */
export function q(name: string, major: number): string {
  return major >= 17 ? `"${name}"` : name;
}

const HEX = /^[0-9a-fA-F]{1,8}$/;

/** pg_lsn_in_internal: 1-8 hex digits, '/', 1-8 hex digits, nothing else. */
export function isValidLsn(s: string): boolean {
  const slash = s.indexOf('/');
  if (slash < 0) return false;
  return HEX.test(s.slice(0, slash)) && HEX.test(s.slice(slash + 1));
}

/**
 * Returns a failure when the server's check hook would reject the value; undefined otherwise.
 * `session` carries what earlier lines of the same read changed (TimeZone, timezone_abbreviations,
 * DateStyle), as the server applies settings in file order; a fresh one per read.
 */
export function checkStringValue(
  name: string,
  value: string,
  major: number,
  session: DateTimeSession = newDateTimeSession(),
): StringCheckFailure | undefined {
  switch (name) {
    case 'DateStyle':
      return checkDateStyle(value, major, session);
    case 'TimeZone':
      return checkTimeZone(value, major, session);
    case 'log_timezone':
      return checkLogTimeZone(value, major);
    case 'timezone_abbreviations':
      noteTimeZoneAbbreviations(value, session);
      return undefined;
  }
  if (major < 12) return undefined;
  switch (name) {
    case 'recovery_target':
      if (value !== 'immediate' && value !== '') return { detail: 'The only allowed value is "immediate".' };
      return undefined;
    case 'recovery_target_lsn':
      if (value !== '' && !isValidLsn(value)) return {};
      return undefined;
    case 'recovery_target_name':
      if (Buffer.byteLength(value, 'latin1') >= 64)
        return { detail: `${q('recovery_target_name', major)} is too long (maximum 63 characters).` };
      return undefined;
    case 'recovery_target_time':
      return checkRecoveryTargetTime(value, major, session);
    case 'recovery_target_xid': {
      // strtou64(..., 0) only fails on overflow
      const m = /^\s*[+-]?(0[xX][0-9a-fA-F]+|[0-9]+)/.exec(value);
      if (m) {
        const digits = m[1];
        const v = /^0[xX]/.test(digits)
          ? BigInt(digits)
          : /^0[0-7]+$/.test(digits)
            ? BigInt('0o' + digits.slice(1))
            : BigInt(digits.replace(/[89].*$/, '') || '0');
        if (v > 2n ** 64n - 1n) return {};
      }
      return undefined;
    }
    case 'recovery_target_timeline': {
      if (value === 'current' || value === 'latest') return undefined;
      const m = /^\s*[+-]?(0[xX][0-9a-fA-F]+|[0-9]+)/.exec(value);
      if (m) {
        const v = BigInt(
          /^0[0-7]+$/.test(m[1])
            ? '0o' + m[1].slice(1)
            : /^0[xX]/.test(m[1])
              ? m[1]
              : m[1].replace(/[89].*$/, '') || '0',
        );
        if (v > 2n ** 64n - 1n) return { detail: `${q('recovery_target_timeline', major)} is not a valid number.` };
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

const SLRU_BUFFERS = new Set([
  'commit_timestamp_buffers',
  'multixact_member_buffers',
  'multixact_offset_buffers',
  'notify_buffers',
  'serializable_buffers',
  'subtransaction_buffers',
  'transaction_buffers',
]);

/** Returns a failure when an integer parameter's check hook would reject the (parsed) value. */
export function checkIntegerValue(name: string, value: number, major: number): StringCheckFailure | undefined {
  // 18 ends these details with a period; 17 did not
  const stop = major >= 18 ? '.' : '';
  if (major >= 17 && SLRU_BUFFERS.has(name) && value % 16 !== 0)
    return { detail: `"${name}" must be a multiple of 16${stop}` };
  if (major >= 16 && name === 'vacuum_buffer_usage_limit' && value !== 0 && (value < 128 || value > 16777216)) {
    return { detail: `"vacuum_buffer_usage_limit" must be 0 or between 128 kB and 16777216 kB${stop}` };
  }
  return undefined;
}
