// A target outside the recoverable range is refused before anything is written: before the base
// backup's end the copy is not consistent yet; beyond the last archived WAL the server ends
// recovery early (13+: FATAL "recovery ended before configured recovery target was reached").
import { parseLsn } from '../wal/lsn';
import { instantMs } from './targetTime';
import { RecoveryRefusedError, type RecoveryRequest, type RecoveryWindowPoint } from './types';

function describePoint(p: RecoveryWindowPoint): string {
  if (p.lsn && p.time) return `${p.lsn} (${p.time})`;
  return p.lsn ?? p.time ?? '?';
}

export function describeWindow(w: { from: RecoveryWindowPoint; to: RecoveryWindowPoint }): string {
  return `the reachable range is ${describePoint(w.from)} to ${describePoint(w.to)}`;
}

/** Throws when the target is known to lie outside the window; targets it cannot place (xid, name) pass. */
export function checkTargetInWindow(req: RecoveryRequest, targetText: string, targetMs: number | null): void {
  const w = req.window;
  if (!w) return;
  const t = req.target;
  let before = false;
  let beyond = false;
  if (t.kind === 'time' && targetMs !== null) {
    const from = instantMs(w.from.time);
    const to = instantMs(w.to.time);
    before = from !== null && targetMs < from;
    beyond = to !== null && targetMs > to;
  } else if (t.kind === 'lsn') {
    const target = parseLsn(targetText);
    const from = w.from.lsn ? parseLsn(w.from.lsn) : null;
    const to = w.to.lsn ? parseLsn(w.to.lsn) : null;
    before = target !== null && from !== null && target < from;
    beyond = target !== null && to !== null && target > to;
  }
  if (before)
    throw new RecoveryRefusedError(
      `recovery target ${targetText} is before the end of the base backup (${describePoint(w.from)}): ${describeWindow(w)}`,
    );
  if (beyond)
    throw new RecoveryRefusedError(
      `recovery target ${targetText} is beyond the last archived WAL (${describePoint(w.to)}): ${describeWindow(w)}`,
    );
}
