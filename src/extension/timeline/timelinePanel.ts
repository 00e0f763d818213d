// The Recoverability Timeline webview panel: one per archive (opening it again reveals and
// refreshes it). It posts the model to its script and answers picks: a recoverable moment opens the
// recovery wizard prefilled with the time, the lane's timeline and the base backup to restore; any
// other moment gets the reason it cannot be reached. A pick is judged here again, from the model
// the panel holds, never from what the webview says about it.
import * as path from 'node:path';

import * as vscode from 'vscode';

import { judgeMoment } from '../../core/timeline/momentText';
import { formatMoment } from '../../core/timeline/timeAxis';
import type { TimelineModel } from '../../core/timeline/timelineTypes';
import { makeNonce, timelinePage } from './timelineHtml';
import { readFromWebview, type ToWebview } from './timelineMessages';

export const TIMELINE_VIEW_TYPE = 'pgPitr.timeline';
const GENERATE_RECOVERY_CONFIG_COMMAND = 'pgPitr.generateRecoveryConfig';

/** What the panel shows and for whom. */
export interface TimelineSubject {
  /** a stable key: the archive location */
  key: string;
  /** "orders (PG 17)" or the folder */
  title: string;
  model: TimelineModel;
  /** the server whose archive_command the wizard mirrors, when the timeline was opened from one */
  server?: string;
}

/** The argument the wizard receives from a pick (GenerateRecoveryConfigArgument's prefill fields). */
export interface RecoveryPrefill {
  time: string;
  timeline: number;
  backup: { label: string; startWal: string | null; stopTime: string | null };
  server?: string;
}

/** What a pick did, for the real-editor tests. */
export type PickOutcome =
  { kind: 'wizard'; argument: RecoveryPrefill } | { kind: 'explained'; text: string; reason: string };

export class TimelinePanel {
  private static readonly open = new Map<string, TimelinePanel>();
  private static readonly picks: PickOutcome[] = [];
  private readonly panel: vscode.WebviewPanel;
  private subject: TimelineSubject;
  private ready = false;

  /** Shows (or refreshes) the panel of `subject`. */
  static show(context: vscode.ExtensionContext, subject: TimelineSubject): TimelinePanel {
    const existing = TimelinePanel.open.get(subject.key);
    if (existing) {
      existing.update(subject);
      existing.panel.reveal();
      return existing;
    }
    const p = new TimelinePanel(context, subject);
    TimelinePanel.open.set(subject.key, p);
    return p;
  }

  /** Every pick answered so far (tests). */
  static pickLog(): readonly PickOutcome[] {
    return TimelinePanel.picks;
  }

  /** The open panels' subjects (tests). */
  static subjects(): TimelineSubject[] {
    return [...TimelinePanel.open.values()].map((p) => p.subject);
  }

  private constructor(context: vscode.ExtensionContext, subject: TimelineSubject) {
    this.subject = subject;
    const root = vscode.Uri.file(path.join(context.extensionPath, 'dist', 'webview'));
    this.panel = vscode.window.createWebviewPanel(
      TIMELINE_VIEW_TYPE,
      `Timeline: ${subject.title}`,
      vscode.ViewColumn.Active,
      { enableScripts: true, localResourceRoots: [root] },
    );
    const nonce = makeNonce();
    const m = subject.model;
    this.panel.webview.html = timelinePage({
      nonce,
      cspSource: this.panel.webview.cspSource,
      scriptUri: this.panel.webview.asWebviewUri(vscode.Uri.joinPath(root, 'timeline.js')).toString(),
      title: `Recoverability timeline · ${subject.title}`,
      subtitle: m.location,
      problems: m.problems,
      notes: m.notes,
    });
    this.panel.webview.onDidReceiveMessage((raw) => void this.receive(raw), undefined, context.subscriptions);
    this.panel.onDidDispose(() => TimelinePanel.open.delete(subject.key), undefined, context.subscriptions);
  }

  private post(m: ToWebview): void {
    void this.panel.webview.postMessage(m);
  }

  private update(subject: TimelineSubject): void {
    this.subject = subject;
    if (this.ready) this.post({ type: 'model', model: subject.model, keepView: true });
  }

  private async receive(raw: unknown): Promise<void> {
    const m = readFromWebview(raw);
    if (!m) return;
    if (m.type === 'ready') {
      this.ready = true;
      this.post({ type: 'model', model: this.subject.model, keepView: true });
      return;
    }
    const verdict = judgeMoment(this.subject.model, m.timeline, m.ms, m.zone);
    if (verdict.kind === 'unreachable') {
      TimelinePanel.picks.push({ kind: 'explained', text: verdict.message, reason: verdict.reason });
      this.post({ type: 'explain', text: verdict.message, ok: false });
      return;
    }
    const b = this.subject.model.backups[verdict.backup]!;
    const argument: RecoveryPrefill = {
      time: formatMoment(verdict.ms, m.zone),
      timeline: verdict.timeline,
      backup: { label: b.label, startWal: b.startWal, stopTime: b.stop ? new Date(b.stop.ms).toISOString() : null },
      ...(this.subject.server ? { server: this.subject.server } : {}),
    };
    if (!vscode.workspace.isTrusted) {
      const text =
        `${verdict.message} Writing a recovery configuration needs a trusted workspace (it ` +
        `reads the server and writes files): trust this workspace to continue from here.`;
      TimelinePanel.picks.push({ kind: 'explained', text, reason: 'untrusted' });
      this.post({ type: 'explain', text, ok: true });
      return;
    }
    TimelinePanel.picks.push({ kind: 'wizard', argument });
    this.post({ type: 'explain', text: `${verdict.message} Opening the recovery wizard…`, ok: true });
    // the wizard runs its own questions; its outcome is its own business
    void vscode.commands.executeCommand(GENERATE_RECOVERY_CONFIG_COMMAND, argument).then(undefined, () => undefined);
  }
}
