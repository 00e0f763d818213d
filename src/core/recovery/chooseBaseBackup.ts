// The base backup to restore for a target (as pgBackRest and Barman choose for time and LSN
// targets): the newest one that ends before the target. A restore point recorded by pg-pitr is
// placed by its LSN (or time). A transaction id cannot be placed, so it is refused.
import type { BackupInfo } from '../archive/backupCatalog';
import { parseLsn } from '../wal/lsn';
import { instantMs, parseTargetTime } from './targetTime';
import { RecoveryRefusedError, type RecoveryTarget } from './types';

export interface RecordedRestorePoint {
  name: string;
  lsn: string;
  time: string;
}

export type BaseBackupChoice = { backup: BackupInfo } | { refused: string };

const lsnOf = (b: BackupInfo) => (b.stopLsn ? parseLsn(b.stopLsn) : null);
const timeOf = (b: BackupInfo) => instantMs(b.stopTime);

function describeEnd(b: BackupInfo): string {
  const parts = [b.stopLsn, b.stopTime].filter((x): x is string => !!x);
  return `${b.label} ends at ${parts.length ? parts.join(', ') : 'an unknown point'}`;
}

/** newest first: by stop LSN when both are known, else by stop time */
function newerFirst(a: BackupInfo, b: BackupInfo): number {
  const la = lsnOf(a);
  const lb = lsnOf(b);
  if (la !== null && lb !== null && la !== lb) return la > lb ? -1 : 1;
  return (timeOf(b) ?? -Infinity) - (timeOf(a) ?? -Infinity);
}

export function chooseBaseBackup(
  backups: BackupInfo[],
  target: RecoveryTarget,
  opts?: { restorePoints?: RecordedRestorePoint[]; timeline?: number; timeZone?: string },
): BaseBackupChoice {
  const tl = opts?.timeline;
  const pool = (tl === undefined ? backups : backups.filter((b) => b.timeline === tl)).slice().sort(newerFirst);
  if (pool.length === 0)
    return {
      refused:
        tl === undefined ? 'no base backup is known: take one first' : `no base backup on timeline ${tl} is known`,
    };

  let lsn: bigint | null = null;
  let ms: number | null = null;
  let what: string;
  switch (target.kind) {
    case 'immediate':
    case 'latest':
      return { backup: pool[0] };
    case 'xid':
      return {
        refused: `a transaction id cannot be placed among the base backups: choose the backup by the time or LSN at which transaction ${target.xid} committed`,
      };
    case 'lsn':
      lsn = parseLsn(target.lsn.trim());
      if (lsn === null)
        return { refused: `recovery target LSN "${target.lsn}" is not an LSN (X/Y in hexadecimal, such as 0/3000060)` };
      what = target.lsn.trim();
      break;
    case 'time':
      try {
        ms = parseTargetTime(target.time, opts?.timeZone).epochMs;
      } catch (e) {
        if (e instanceof RecoveryRefusedError) return { refused: e.message };
        throw e;
      }
      what = target.time;
      break;
    case 'name': {
      const rp = (opts?.restorePoints ?? []).filter((p) => p.name === target.name).pop();
      if (!rp)
        return {
          refused: `restore point "${target.name}" is not recorded by pg-pitr: choose the base backup by the time or LSN of the restore point`,
        };
      lsn = parseLsn(rp.lsn);
      ms = instantMs(rp.time);
      what = `restore point "${target.name}" (${rp.lsn}, ${rp.time})`;
      break;
    }
    default:
      return { refused: `unknown recovery target kind "${(target as { kind: string }).kind}"` };
  }
  const endsBefore = (b: BackupInfo): boolean => {
    if (lsn !== null) {
      const s = lsnOf(b);
      if (s !== null) return s <= lsn;
    }
    // compare by time when the LSN cannot decide (the target has none, or the backup records none)
    const s = timeOf(b);
    return ms !== null && s !== null && s <= ms;
  };
  const chosen = pool.find(endsBefore);
  if (chosen) return { backup: chosen };
  const earliest = pool[pool.length - 1];
  return {
    refused: `no base backup ends before ${what}: the earliest, ${describeEnd(earliest)}, so the reachable range starts at ${earliest.stopLsn ?? earliest.stopTime ?? 'its end'}`,
  };
}
