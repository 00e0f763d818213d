// Turns a stream of check results into health transitions: one per change of a server's health
// (ok → failing, failing → ok, ok → unknown …), none while it stays the same. The first result of
// a server is a transition only when it is not ok (an exporter started on a broken server says so).
import type { CheckResult, Health, HealthReason } from '../server/types';

/** What a notification tells. */
export interface HealthTransition {
  server: string;
  /** user@host:port/db, never a password */
  connection: string | null;
  /** null for the first check of a server */
  from: Health | null;
  to: Health;
  /** the reasons of the new state (info left out) */
  reasons: HealthReason[];
  /** when the check that saw the change finished (ISO 8601) */
  time: string;
}

export class HealthTransitions {
  private readonly last = new Map<string, Health>();

  /** The transition `result` makes, or null when the server's health did not change. */
  record(result: CheckResult): HealthTransition | null {
    const before = this.last.get(result.server) ?? null;
    this.last.set(result.server, result.health);
    if (before === result.health || (before === null && result.health === 'ok')) return null;
    const finished = new Date(Date.parse(result.checkedAt) + result.durationMs).toISOString();
    return {
      server: result.server,
      connection: result.connection,
      from: before,
      to: result.health,
      reasons: result.reasons.filter((r) => r.severity !== 'info'),
      time: finished,
    };
  }

  /** Forget a server (removed from the configuration). */
  forget(server: string): void {
    this.last.delete(server);
  }
}
