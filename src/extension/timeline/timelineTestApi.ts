// The timeline's test hooks. Its command, pgPitr.showTimeline, is in the command table for every
// workspace: the command itself decides what Restricted Mode allows (a local folder: yes; a server
// or an S3 archive: no), see showTimelineCommand.ts.
import { type PickOutcome, TimelinePanel } from './timelinePanel';

/** What the real-editor tests read. */
export interface TimelineTestApi {
  /** every pick the open panels answered, oldest first */
  picks(): readonly PickOutcome[];
}

export function timelineTestApi(): TimelineTestApi {
  return { picks: () => TimelinePanel.pickLog() };
}
