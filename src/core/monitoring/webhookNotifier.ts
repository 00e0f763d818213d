// POSTs health transitions to a webhook (a generic JSON document, or Slack's {"text"}), one at a
// time in order, each retried with exponential backoff when the receiver is down or answers
// 5xx/408/429. notify() only queues: a slow or dead receiver never delays a check.
import type { HealthTransition } from './healthTransitions';
import { scrubSecrets } from './scrubSecrets';

export type NotifyFormat = 'json' | 'slack';

export interface NotifierOptions {
  format?: NotifyFormat;
  /** attempts per notification, the first included (default 6) */
  attempts?: number;
  /** delay before the first retry, doubled each time (default 1000 ms) */
  retryDelayMs?: number;
  /** longest delay between attempts (default 60 s) */
  maxRetryDelayMs?: number;
  /** per request (default 10 s) */
  requestTimeoutMs?: number;
  /** notifications kept waiting at most; the oldest is dropped beyond (default 1000) */
  maxQueue?: number;
  /** where delivery problems are reported (never with the body) */
  log?: (message: string) => void;
}

/** The documented JSON body (version 1). */
export function transitionBody(t: HealthTransition): Record<string, unknown> {
  return {
    version: 1,
    event: 'health-transition',
    server: t.server,
    connection: t.connection,
    from: t.from,
    to: t.to,
    time: t.time,
    reasons: t.reasons.map((r) => ({ id: r.id, severity: r.severity, message: scrubSecrets(r.message) })),
    summary: transitionSummary(t),
  };
}

/** "prod: ok → failing: archive_command is failing: …" */
export function transitionSummary(t: HealthTransition): string {
  const first = t.reasons[0];
  return scrubSecrets(`${t.server}: ${t.from ?? 'new'} → ${t.to}${first ? `: ${first.message}` : ''}`);
}

/** Slack's incoming-webhook body: one text with the server, the change and each reason. */
export function slackBody(t: HealthTransition): { text: string } {
  const icon = {
    ok: ':white_check_mark:',
    warning: ':warning:',
    failing: ':rotating_light:',
    unknown: ':grey_question:',
  }[t.to];
  const lines = [`${icon} *${t.server}*${t.connection ? ` (${t.connection})` : ''}: ${t.from ?? 'new'} → *${t.to}*`];
  for (const r of t.reasons) lines.push(`• ${r.severity} \`${r.id}\`: ${r.message}`);
  return { text: scrubSecrets(lines.join('\n')) };
}

export class WebhookNotifier {
  private readonly queue: HealthTransition[] = [];
  private worker: Promise<void> | null = null;
  private readonly stopping = new AbortController();
  /** notifications delivered, given up on, dropped from a full queue */
  readonly stats = { delivered: 0, failed: 0, dropped: 0 };

  constructor(
    private readonly url: string,
    private readonly opts: NotifierOptions = {},
  ) {}

  /** Queues a transition; returns at once. */
  notify(t: HealthTransition): void {
    if (this.stopping.signal.aborted) return;
    this.queue.push(t);
    if (this.queue.length > (this.opts.maxQueue ?? 1000)) {
      this.queue.shift();
      this.stats.dropped++;
      this.opts.log?.('pg-pitr: notification dropped: too many waiting (the receiver has been down for long)');
    }
    this.worker ??= this.drain().finally(() => (this.worker = null));
  }

  /** Resolves when everything queued was delivered or given up on. */
  async idle(): Promise<void> {
    while (this.worker) await this.worker;
  }

  /** Stops retrying; what is still queued is dropped. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.idle();
  }

  private async drain(): Promise<void> {
    for (let t = this.queue.shift(); t; t = this.queue.shift()) {
      if (await this.deliver(t)) this.stats.delivered++;
      else this.stats.failed++;
    }
  }

  private async deliver(t: HealthTransition): Promise<boolean> {
    const body = JSON.stringify(this.opts.format === 'slack' ? slackBody(t) : transitionBody(t));
    const attempts = this.opts.attempts ?? 6;
    let delay = this.opts.retryDelayMs ?? 1000;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      let why: string;
      try {
        const res = await fetch(this.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'pg-pitr' },
          body,
          signal: AbortSignal.any([AbortSignal.timeout(this.opts.requestTimeoutMs ?? 10_000), this.stopping.signal]),
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) return true;
        why = `HTTP ${res.status}`;
        if (res.status < 500 && res.status !== 408 && res.status !== 429) {
          this.opts.log?.(
            `pg-pitr: notification of ${t.server} (${t.from ?? 'new'} → ${t.to}) failed: the receiver answered ${why}; not retried`,
          );
          return false;
        }
      } catch (e) {
        why =
          (e as Error).name === 'TimeoutError'
            ? 'no answer in time'
            : ((e as Error & { cause?: Error }).cause?.message ?? (e as Error).message);
      }
      if (this.stopping.signal.aborted) return false;
      if (attempt === attempts) {
        this.opts.log?.(
          `pg-pitr: notification of ${t.server} (${t.from ?? 'new'} → ${t.to}) failed after ${attempts} attempts: ${why}`,
        );
        return false;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.stopping.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
      delay = Math.min(delay * 2, this.opts.maxRetryDelayMs ?? 60_000);
    }
    return false;
  }
}
