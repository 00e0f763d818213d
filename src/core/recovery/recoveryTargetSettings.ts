// The recovery_target* settings for one request, validated as the server would read them, in the
// order they are written. Only what applies is written: inclusive for time/xid/lsn, an action
// when there is a target, 'current' timeline for an immediate target on 12+.
import { formatLsn, parseLsn } from '../wal/lsn';
import { type ParsedTargetTime, parseTargetTime } from './targetTime';
import { RecoveryRefusedError, type RecoveryRequest } from './types';

export interface TargetSettings {
  /** [name, value] in writing order */
  settings: [string, string][];
  warnings: string[];
  /** the target's value as written (null for latest) */
  value: string | null;
  /** for a time target: the parsed instant (window checks) */
  time: ParsedTargetTime | null;
}

/** MAXFNAMELEN - 1: the check hook refuses a name of 64 bytes or more */
export const MAX_RESTORE_POINT_NAME_BYTES = 63;

const UINT64_MAX = 0xffff_ffff_ffff_ffffn;

/** The server reads the xid with strtoul(..., 0): decimal, 0x hex, and (leading 0) octal. */
export function normalizeXid(input: string): string {
  const s = input.trim();
  let v: bigint;
  if (/^0[xX][0-9a-fA-F]+$/.test(s)) v = BigInt(s);
  else if (/^[0-9]+$/.test(s)) {
    if (s.length > 1 && s.startsWith('0'))
      throw new RecoveryRefusedError(
        `recovery target xid "${input}" starts with 0: PostgreSQL would read it as an octal number; write the transaction id without leading zeros`,
      );
    v = BigInt(s);
  } else
    throw new RecoveryRefusedError(
      `recovery target xid "${input}" is not a transaction id (a number such as 1234, as txid_current() or pg_current_xact_id() shows it)`,
    );
  if (v > UINT64_MAX) throw new RecoveryRefusedError(`recovery target xid "${input}" is out of range`);
  // 0, 1, 2 are the invalid, bootstrap and frozen ids: no transaction commits with them
  if ((v & 0xffff_ffffn) < 3n)
    throw new RecoveryRefusedError(`recovery target xid "${input}" is not a normal transaction id (3 or more)`);
  return v.toString();
}

export function recoveryTargetSettings(req: RecoveryRequest): TargetSettings {
  const t = req.target;
  const settings: [string, string][] = [];
  const warnings: string[] = [];
  let time: ParsedTargetTime | null = null;
  switch (t.kind) {
    case 'time':
      time = parseTargetTime(t.time, req.timeZone);
      settings.push(['recovery_target_time', time.text]);
      break;
    case 'xid':
      settings.push(['recovery_target_xid', normalizeXid(t.xid)]);
      break;
    case 'lsn': {
      const lsn = parseLsn(t.lsn.trim());
      if (lsn === null)
        throw new RecoveryRefusedError(
          `recovery target LSN "${t.lsn}" is not an LSN (X/Y in hexadecimal, such as 0/3000060)`,
        );
      settings.push(['recovery_target_lsn', formatLsn(lsn)]);
      break;
    }
    case 'name': {
      const bytes = Buffer.byteLength(t.name, 'utf8');
      if (t.name === '') throw new RecoveryRefusedError('recovery target name is empty');
      if (bytes > MAX_RESTORE_POINT_NAME_BYTES)
        throw new RecoveryRefusedError(
          `recovery target name "${t.name}" is ${bytes} bytes long; a restore point name has at most ${MAX_RESTORE_POINT_NAME_BYTES} bytes`,
        );
      settings.push(['recovery_target_name', t.name]);
      break;
    }
    case 'immediate':
      settings.push(['recovery_target', 'immediate']);
      break;
    case 'latest':
      break;
    default:
      throw new RecoveryRefusedError(`unknown recovery target kind "${(t as { kind: string }).kind}"`);
  }

  const value = t.kind === 'latest' ? null : settings[0][1];
  const inclusiveApplies = t.kind === 'time' || t.kind === 'xid' || t.kind === 'lsn';
  if (inclusiveApplies) settings.push(['recovery_target_inclusive', req.inclusive === false ? 'off' : 'on']);
  else if (req.inclusive !== undefined)
    warnings.push(
      `recovery_target_inclusive applies only to time, xid and LSN targets: it is not written for ${t.kind === 'immediate' ? 'an' : 'a'} ${t.kind} target`,
    );

  if (t.kind !== 'latest') {
    const action = req.action ?? 'pause';
    if (!['pause', 'promote', 'shutdown'].includes(action))
      throw new RecoveryRefusedError(`recovery target action "${action}" is not one of pause, promote, shutdown`);
    settings.push(['recovery_target_action', action]);
  } else if (req.action !== undefined) {
    warnings.push(
      'recovery_target_action applies only when there is a recovery target: with "latest" the server ' +
        'replays all archived WAL and then ends recovery (promotes)',
    );
  }

  const tl = req.timeline;
  if (t.kind === 'immediate' && req.major >= 12) {
    // latest (the 12+ default) could follow a newer timeline past the backup's end
    if (tl !== undefined && tl !== 'current')
      warnings.push(
        `recovery_target_timeline = '${tl}' replaced by 'current': an immediate target stops at the end of the base backup, on the backup's own timeline`,
      );
    settings.push(['recovery_target_timeline', 'current']);
  } else if (typeof tl === 'number') {
    if (!Number.isInteger(tl) || tl < 1 || tl > 0xffff_ffff)
      throw new RecoveryRefusedError(`recovery target timeline ${tl} is not a timeline number (1 or more)`);
    settings.push(['recovery_target_timeline', String(tl)]);
  } else if (tl === 'latest') {
    settings.push(['recovery_target_timeline', 'latest']);
  } else if (tl === 'current') {
    // 10-11 know only 'latest' or a number, and read 'current' as 0, which means latest there;
    // the backup's own timeline is their default, so nothing is written
    if (req.major >= 12) settings.push(['recovery_target_timeline', 'current']);
  } else if (tl !== undefined) {
    throw new RecoveryRefusedError(
      `recovery target timeline "${String(tl)}" is not latest, current or a timeline number`,
    );
  } else if (req.major >= 12 && t.kind !== 'latest') {
    // the drills lose rows this way as soon as the archive holds a promoted copy's timeline
    warnings.push(
      'recovery_target_timeline is not set, so PostgreSQL 12+ follows the newest timeline in the archive: ' +
        'if a promoted copy or standby archived a newer timeline there, recovery follows it to the target instead ' +
        "of staying on the backup's timeline; choose 'current' to stay, 'latest' to follow on purpose",
    );
  }
  return { settings, warnings, value, time };
}
