// The timeline's test hooks. Its command, pgPitr.showTimeline, is in the command table for every
// workspace: the command itself decides what Restricted Mode allows (a local folder: yes; a server
// or an S3 archive: no), see showTimelineCommand.ts.
import type * as vscode from 'vscode';

import { restorePointLogFile } from '../restorePoints/restorePointLogFile';
import { type PickOutcome, TimelinePanel } from './timelinePanel';

/** What the real-editor tests read. */
export interface TimelineTestApi {
  /** every pick the open panels answered, oldest first */
  picks(): readonly PickOutcome[];
  /** the restore point log the timeline reads (a suite sets it aside, so other suites' points stay out) */
  restorePointLogFile: string;
}

export function timelineTestApi(context: vscode.ExtensionContext): TimelineTestApi {
  return { picks: () => TimelinePanel.pickLog(), restorePointLogFile: restorePointLogFile(context) };
}
