// The message of Test Server Connection: version, role and health (with the reasons), or why the
// server could not be reached, escaped (a server's error text may hold anything). No vscode here.
import { sortReasons } from '../../core/server/health';
import type { CheckResult } from '../../core/server/types';
import { escapeInline, line } from '../../core/text/safeText';

/** One line for a notification. */
export function connectionTestMessage(r: CheckResult): string {
  const reasons = sortReasons(r.reasons).filter((x) => x.severity !== 'info');
  if (r.health === 'unknown') return line`${r.server}: ${reasons[0]?.message ?? 'no answer'}`;
  const role = r.inRecovery === null ? '' : r.inRecovery ? ' · standby' : ' · primary';
  const head = line`${r.server}: PostgreSQL ${r.version ?? '?'}${role} · ${r.health}`;
  return reasons.length ? `${head} — ${reasons.map((x) => escapeInline(x.message)).join('; ')}` : head;
}
