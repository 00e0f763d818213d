// The servers' state and their checks: each configured server is checked in parallel and its row
// updated as soon as its own result arrives, so one slow or dead server never holds up the others.
// A new refresh of all servers supersedes (aborts) the one running.
import * as vscode from 'vscode';

import { storedPassword } from '../../core/server/serverProfiles';
import type { CheckResult, ServerProfile } from '../../core/server/types';
import { unknownCheckResult } from '../../core/server/unknownCheckResult';
import { loadBackend } from '../backendLoader';
import { log } from '../log';
import { settings } from '../settings';
import { HealthAlerts } from './healthAlerts';
import type { ServerEntry } from './serverTreeModel';
import { WebhookNotifications } from './webhookNotifications';

export interface CheckTimeouts {
  /** pgPitr.connectTimeoutSeconds: used when the server's connection names no connect_timeout */
  defaultConnectTimeoutMs: number;
  statementTimeoutMs: number;
}

/** An abort or a hang inside a check still ends: after this long the row says so. */
const CHECK_DEADLINE_MS = 120_000;

export class ServerChecks implements vscode.Disposable {
  private entries: ServerEntry[] = [];
  private running: { controller: AbortController; done: Promise<void> } | null = null;
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  /** fires a server's name when its row changed, undefined when the list changed */
  readonly onDidChange = this.changed.event;
  private readonly alerts = new HealthAlerts();
  /** pgPitr.notifyUrl: one POST per health change */
  private readonly webhook = new WebhookNotifications((m) => console.warn(m));
  /** the newest check of each entry; an older one finishing late changes nothing */
  private readonly tickets = new WeakMap<ServerEntry, number>();

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly timeouts: () => CheckTimeouts,
    /** called once when a server goes from ok or warning to failing */
    private readonly onNewFailure: (result: CheckResult) => void,
  ) {}

  list(): readonly ServerEntry[] {
    return this.entries;
  }

  get(name: string): ServerEntry | undefined {
    return this.entries.find((e) => e.profile.name === name);
  }

  get refreshing(): boolean {
    return this.running !== null;
  }

  /** Replaces the profiles; a server whose profile did not change keeps its last result. Returns the names that are new or changed. */
  setProfiles(profiles: ServerProfile[]): string[] {
    const before = new Map(this.entries.map((e) => [e.profile.name, e]));
    const fresh: string[] = [];
    this.entries = profiles.map((p) => {
      const old = before.get(p.name);
      if (old && JSON.stringify(old.profile) === JSON.stringify(p)) return old;
      fresh.push(p.name);
      return { profile: p, result: null, checking: false };
    });
    for (const name of before.keys())
      if (!this.get(name)) {
        this.alerts.forget(name);
        this.webhook.forget(name);
      }
    this.changed.fire(undefined);
    return fresh;
  }

  /** Checks every server (or the named ones) in parallel; resolves when all have answered or the refresh was cancelled. */
  refresh(names?: string[], token?: vscode.CancellationToken): Promise<void> {
    const targets = this.entries.filter((e) => !names || names.includes(e.profile.name));
    if (!names) this.running?.controller.abort();
    const controller = new AbortController();
    token?.onCancellationRequested(() => controller.abort());
    const done = Promise.all(targets.map((e) => this.checkEntry(e, controller.signal))).then(() => undefined);
    if (!names) {
      const run = { controller, done };
      this.running = run;
      void done.finally(() => {
        if (this.running === run) this.running = null;
      });
    }
    return done;
  }

  /** Checks one server now and returns its result (the row is updated too). */
  async checkOne(name: string, token?: vscode.CancellationToken): Promise<CheckResult | undefined> {
    const entry = this.get(name);
    if (!entry) return undefined;
    const controller = new AbortController();
    token?.onCancellationRequested(() => controller.abort());
    return this.checkEntry(entry, controller.signal);
  }

  private async checkEntry(entry: ServerEntry, signal: AbortSignal): Promise<CheckResult | undefined> {
    const ticket = (this.tickets.get(entry) ?? 0) + 1;
    this.tickets.set(entry, ticket);
    entry.checking = true;
    this.changed.fire(entry.profile.name);
    const previous = entry.result;
    let result: CheckResult;
    try {
      const { password, withheld } = await storedPassword(this.secrets, entry.profile);
      const { checkServer } = loadBackend();
      const check = checkServer(entry.profile, {
        ...this.timeouts(),
        password,
        signal,
        previous: previous?.status
          ? {
              backlog: previous.backlog,
              oldestReady: previous.status.oldestReady,
              checkedAt: previous.checkedAt,
              archiver: previous.archiver,
              waitingSince: previous.waitingSince,
            }
          : null,
        drillMaxAgeDays: settings.drillMaxAgeDays(),
      });
      result = await withDeadline(check, signal, entry.profile.name);
      if (withheld) result.reasons.push({ id: 'password-withheld', severity: 'info', message: withheld });
    } catch (e) {
      result = unknownResult(entry.profile.name, (e as Error).message);
    }
    // the profile was edited or removed meanwhile, or a newer check runs: this result is not shown
    if (this.get(entry.profile.name) !== entry || this.tickets.get(entry) !== ticket) return result;
    entry.checking = false;
    if (signal.aborted && result.health === 'unknown') {
      // a cancelled check says nothing about the server: keep what was known
      this.changed.fire(entry.profile.name);
      return result;
    }
    entry.result = result;
    logCheck(result);
    this.changed.fire(entry.profile.name);
    if (this.alerts.record(entry.profile.name, result.health)) this.onNewFailure(result);
    this.webhook.record(result, settings.notifyUrl());
    return result;
  }

  dispose(): void {
    this.running?.controller.abort();
    this.webhook.dispose();
    this.changed.dispose();
  }
}

function withDeadline(check: Promise<CheckResult>, signal: AbortSignal, name: string): Promise<CheckResult> {
  return new Promise((resolve) => {
    const timer = setTimeout(
      () => resolve(unknownResult(name, `the check did not finish within ${CHECK_DEADLINE_MS / 1000} s`)),
      CHECK_DEADLINE_MS,
    );
    const onAbort = () => resolve(unknownResult(name, 'the check was cancelled'));
    signal.addEventListener('abort', onAbort, { once: true });
    check
      .then(
        (r) => resolve(r),
        (e: Error) => resolve(unknownResult(name, e.message)),
      )
      .finally(() => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
      });
  });
}

/** One log line per check that is not ok: the server, its health and every reason. */
function logCheck(result: CheckResult): void {
  if (result.health === 'ok') {
    log().debug(`${result.server}: ok`);
    return;
  }
  const reasons = result.reasons.map((r) => `${r.severity} ${r.id}: ${r.message}`).join('; ');
  const line = `${result.server}: ${result.health}${reasons ? ` (${reasons})` : ''}`;
  if (result.health === 'failing' || result.health === 'unknown') log().error(line);
  else log().warn(line);
}

/** What the row shows when no check result could be had at all (the backend failed to load, a deadline passed). */
export function unknownResult(server: string, message: string): CheckResult {
  return unknownCheckResult(server, [{ id: 'check-failed', severity: 'unknown', message }]);
}
