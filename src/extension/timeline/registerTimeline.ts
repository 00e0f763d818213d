// Registers pgPitr.showTimeline in every workspace: the command itself decides what Restricted Mode
// allows (a local folder: yes; a server or an S3 archive: no), see showTimelineCommand.ts.
import * as vscode from 'vscode';

import { SHOW_TIMELINE_COMMAND, showTimelineCommand, type ShowTimelineResult } from './showTimelineCommand';
import { type PickOutcome, TimelinePanel } from './timelinePanel';

/** What the real-editor tests read. */
export interface TimelineTestApi {
  /** every pick the open panels answered, oldest first */
  picks(): readonly PickOutcome[];
}

export function registerTimeline(context: vscode.ExtensionContext): TimelineTestApi {
  context.subscriptions.push(
    vscode.commands.registerCommand(
      SHOW_TIMELINE_COMMAND,
      async (arg?: unknown): Promise<ShowTimelineResult | undefined> => {
        try {
          return await showTimelineCommand(context, arg);
        } catch (e) {
          void vscode.window.showErrorMessage(`pg-pitr: showing the timeline failed: ${(e as Error).message}`);
          return undefined;
        }
      },
    ),
  );
  return { picks: () => TimelinePanel.pickLog() };
}
