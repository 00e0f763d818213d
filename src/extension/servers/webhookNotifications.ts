// pgPitr.notifyUrl for the Servers view: one POST per change of a server's health, the same
// document `pg-pitr serve --notify-url` sends. Queued and retried in the background: never delays
// a check or the view. No vscode here.
import { HealthTransitions } from '../../core/monitoring/healthTransitions';
import { WebhookNotifier } from '../../core/monitoring/webhookNotifier';
import type { CheckResult } from '../../core/server/types';

export class WebhookNotifications {
  private readonly transitions = new HealthTransitions();
  private notifier: WebhookNotifier | null = null;
  private url = '';

  constructor(private readonly log: (message: string) => void) {}

  /** Records a shown result; POSTs when its health changed and a URL is set. */
  record(result: CheckResult, url: string): void {
    const t = this.transitions.record(result);
    if (url !== this.url) {
      void this.notifier?.stop();
      this.notifier = /^https?:\/\//.test(url) ? new WebhookNotifier(url, { log: this.log }) : null;
      this.url = url;
    }
    if (t && this.notifier) this.notifier.notify(t);
  }

  /** Forget a removed or renamed server. */
  forget(server: string): void {
    this.transitions.forget(server);
  }

  dispose(): void {
    void this.notifier?.stop();
  }
}
