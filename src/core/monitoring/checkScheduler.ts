// Runs each server's check on its own schedule, in parallel (at most `concurrency` at once), each
// bounded by a deadline, and keeps the last result of every server. Readers (a scrape, /healthz)
// take what is there at once: they never wait for a check, so a dead server delays nobody.
import { type CheckOptions, checkServer } from '../server/checkServer';
import type { CheckResult, ServerProfile } from '../server/types';
import { unknownCheckResult } from '../server/unknownCheckResult';
import type { CheckRecord } from './checkMetrics';
import { evaluateObjectives, type Objectives } from './objectives';

export interface ScheduledServer {
  profile: ServerProfile;
  objectives?: Objectives;
  /** environment for this server's connection (PGPASSFILE for a configured passfile) */
  env?: NodeJS.ProcessEnv;
}

export interface SchedulerOptions {
  /** pause between the end of one check of a server and the start of its next (ms) */
  intervalMs: number;
  /** a check still running after this long ends as unknown (ms) */
  deadlineMs: number;
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
  archiveTimeoutMs?: number;
  /** checks running at once across all servers (default 8) */
  concurrency?: number;
  /** called after each check with the new record and the previous result (for notifications) */
  onResult?: (record: CheckRecord, previous: CheckResult | null) => void;
  /** seconds WAL may wait on a motionless archiver before archiving is stalled (health's default when absent) */
  stallSeconds?: number;
  /** the check itself (tests and the benchmark may pass a stand-in) */
  check?: (profile: ServerProfile, opts: CheckOptions) => Promise<CheckResult>;
}

/** Sleeps `ms`, or less when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export class CheckScheduler {
  private readonly latest = new Map<string, CheckRecord>();
  private readonly stopping = new AbortController();
  private loops: Promise<void>[] = [];
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly servers: ScheduledServer[],
    private readonly opts: SchedulerOptions,
  ) {}

  /** Starts every server's loop; the first checks begin at once. */
  start(): void {
    this.loops = this.servers.map((s) => this.loop(s));
  }

  /** Stops scheduling; resolves when the loops have ended (a check in flight is abandoned at its deadline at the latest). */
  async stop(): Promise<void> {
    this.stopping.abort();
    for (const w of this.waiting.splice(0)) w();
    await Promise.all(this.loops);
  }

  /** The last record of every server checked at least once, in configuration order. Never waits. */
  records(): CheckRecord[] {
    return this.servers.map((s) => this.latest.get(s.profile.name)).filter((r): r is CheckRecord => r !== undefined);
  }

  /** Runs one check of `server` now (outside the schedule) and records it. */
  async checkNow(server: ScheduledServer): Promise<CheckRecord> {
    const previous = this.latest.get(server.profile.name);
    const result = await this.runBounded(server, previous?.result ?? null);
    const record: CheckRecord = {
      result,
      checks: (previous?.checks ?? 0) + 1,
      errors: (previous?.errors ?? 0) + (result.status === null ? 1 : 0),
    };
    this.latest.set(server.profile.name, record);
    try {
      this.opts.onResult?.(record, previous?.result ?? null);
    } catch {
      // a listener's error must not stop the schedule
    }
    return record;
  }

  private async loop(server: ScheduledServer): Promise<void> {
    const signal = this.stopping.signal;
    while (!signal.aborted) {
      await this.acquire();
      if (signal.aborted) break;
      try {
        await this.checkNow(server);
      } finally {
        this.release();
      }
      await pause(this.opts.intervalMs, signal);
    }
  }

  private acquire(): Promise<void> {
    if (this.running < (this.opts.concurrency ?? 8)) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      this.waiting.push(() => {
        this.running++;
        resolve();
      }),
    );
  }

  private release(): void {
    this.running--;
    const next = this.waiting.shift();
    if (next) next();
  }

  /** One check with its deadline; never rejects. */
  private async runBounded(server: ScheduledServer, previous: CheckResult | null): Promise<CheckResult> {
    const started = Date.now();
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.opts.deadlineMs);
    const signal = AbortSignal.any([deadline.signal, this.stopping.signal]);
    const check = this.opts.check ?? checkServer;
    const objectives = server.objectives ?? {};
    try {
      const work = check(server.profile, {
        connectTimeoutMs: this.opts.connectTimeoutMs,
        statementTimeoutMs: this.opts.statementTimeoutMs,
        archiveTimeoutMs: this.opts.archiveTimeoutMs,
        env: server.env,
        signal,
        objectives,
        stallSeconds: this.opts.stallSeconds,
        previous: previous?.status
          ? {
              backlog: previous.backlog,
              oldestReady: previous.status.oldestReady,
              checkedAt: previous.checkedAt,
              archiver: previous.archiver,
              waitingSince: previous.waitingSince,
            }
          : null,
      });
      const result = await new Promise<CheckResult>((resolve, reject) => {
        const onAbort = () => {
          const why = this.stopping.signal.aborted
            ? 'the exporter is stopping'
            : `the check did not finish within ${Number((this.opts.deadlineMs / 1000).toFixed(1))} s`;
          const r = unknownCheckResult(server.profile.name, [
            { id: 'check-timeout', severity: 'unknown', message: why },
          ]);
          r.checkedAt = new Date(started).toISOString();
          r.objectives = evaluateObjectives(r, objectives);
          resolve(r);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
      });
      result.durationMs = Date.now() - started;
      return result;
    } catch (e) {
      const r = unknownCheckResult(server.profile.name, [
        { id: 'check-error', severity: 'unknown', message: `the check failed: ${(e as Error).message}` },
      ]);
      r.checkedAt = new Date(started).toISOString();
      r.durationMs = Date.now() - started;
      r.objectives = evaluateObjectives(r, objectives);
      return r;
    } finally {
      clearTimeout(timer);
    }
  }
}
