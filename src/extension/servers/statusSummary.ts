// The status-bar summary of every configured server's health: `PITR: 2 ok · 1 failing`.
// No vscode here (unit-tested).
import type { Health } from '../../core/server/types';

export interface StatusSummary {
  /** with a leading codicon, e.g. `$(error) PITR: 1 ok · 1 failing` */
  text: string;
  /** the worst health seen, or null while nothing has been checked */
  worst: Health | null;
}

const ORDER: Health[] = ['ok', 'warning', 'failing', 'unknown'];

/** `healths`: one entry per configured server; undefined while its first check runs. */
export function summariseStatus(healths: (Health | undefined)[]): StatusSummary {
  const counts = new Map<Health, number>();
  let pending = 0;
  for (const h of healths) {
    if (h === undefined) pending++;
    else counts.set(h, (counts.get(h) ?? 0) + 1);
  }
  if (counts.size === 0) return { text: pending > 0 ? '$(sync~spin) PITR: checking' : 'PITR: no servers', worst: null };
  const parts = ORDER.filter((h) => counts.has(h)).map((h) => {
    const n = counts.get(h)!;
    return h === 'warning' ? `${n} warning${n === 1 ? '' : 's'}` : `${n} ${h}`;
  });
  if (pending > 0) parts.push(`${pending} checking`);
  const worst: Health = counts.has('failing')
    ? 'failing'
    : counts.has('warning')
      ? 'warning'
      : counts.has('unknown')
        ? 'unknown'
        : 'ok';
  const icon = { failing: '$(error)', warning: '$(warning)', unknown: '$(question)', ok: '$(pass)' }[worst];
  return { text: `${icon} PITR: ${parts.join(' · ')}`, worst };
}
