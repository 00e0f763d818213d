// The message of Test Server Connection: version, role and health (with the reasons), or why the
// server could not be reached. No vscode here (unit-tested).
import { sortReasons } from '../../core/server/health';
import type { CheckResult } from '../../core/server/types';

export function connectionTestMessage(r: CheckResult): string {
  const reasons = sortReasons(r.reasons).filter((x) => x.severity !== 'info');
  if (r.health === 'unknown') return `${r.server}: ${reasons[0]?.message ?? 'no answer'}`;
  const role = r.inRecovery === null ? '' : r.inRecovery ? ' · standby' : ' · primary';
  const head = `${r.server}: PostgreSQL ${r.version ?? '?'}${role} · ${r.health}`;
  return reasons.length ? `${head} — ${reasons.map((x) => x.message).join('; ')}` : head;
}
