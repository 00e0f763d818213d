// Decides when to warn by notification: once when a server goes from ok (or warning) to
// failing, and not again until it has recovered. An unknown result (the server could not be
// reached) neither recovers nor arms the alert: ok -> unknown -> failing still warns.
// No vscode here (unit-tested).
import type { Health } from '../../core/server/types';

export class HealthAlerts {
  private readonly lastKnown = new Map<string, Health>();
  private readonly alerted = new Set<string>();

  /** Records a server's new health; true when the user should be warned now. */
  record(server: string, health: Health): boolean {
    if (health === 'unknown') return false;
    const before = this.lastKnown.get(server);
    this.lastKnown.set(server, health);
    if (health !== 'failing') {
      this.alerted.delete(server);
      return false;
    }
    if (this.alerted.has(server) || (before !== 'ok' && before !== 'warning')) return false;
    this.alerted.add(server);
    return true;
  }

  /** Forget a removed or renamed server. */
  forget(server: string): void {
    this.lastKnown.delete(server);
    this.alerted.delete(server);
  }
}
