// Every rule, in the order findings are listed for one line.
//
// To add a rule:
//  1. one file here, exporting a `Rule` (id in kebab-case, severity, the majors it applies to, a message
//     that says what breaks and what to do; a fix only when it is unambiguous, and `preferred` only when
//     it is safe to apply blindly);
//  2. add it to RULES below, where its findings should sort;
//  3. examples in test/fixtures/ruleExamples.ts: one that fires and one that must not;
//  4. check the PostgreSQL behaviour it encodes on real servers (every major where it could differ);
//  5. `npx tsx scripts/generateRuleDocs.ts` regenerates docs/rules.md (a unit test compares them).
import type { Rule } from '../types';
import { archiveCleanupCommandPlaceholders } from './archiveCleanupCommandPlaceholders';
import { archiveCleanupPrunesArchive } from './archiveCleanupPrunesArchive';
import { archiveCommandAlwaysFails } from './archiveCommandAlwaysFails';
import { archiveCommandAlwaysSucceeds } from './archiveCommandAlwaysSucceeds';
import { archiveCommandAndLibrary } from './archiveCommandAndLibrary';
import { archiveCommandChangesDirectory } from './archiveCommandChangesDirectory';
import { archiveCommandCpI } from './archiveCommandCpI';
import { archiveCommandCpN } from './archiveCommandCpN';
import { archiveCommandGuardNotIdempotent } from './archiveCommandGuardNotIdempotent';
import { archiveCommandGuardWrongHost } from './archiveCommandGuardWrongHost';
import { archiveCommandHardcodedWalDir } from './archiveCommandHardcodedWalDir';
import { archiveCommandNoOverwriteGuard } from './archiveCommandNoOverwriteGuard';
import { archiveCommandNotDurable } from './archiveCommandNotDurable';
import { archiveCommandPipelineStatus } from './archiveCommandPipelineStatus';
import { archiveCommandPlaceholders } from './archiveCommandPlaceholders';
import { archiveDestinationInDataDir } from './archiveDestinationInDataDir';
import { archiveLibraryUnconfigured } from './archiveLibraryUnconfigured';
import { archiveModeOff } from './archiveModeOff';
import { archiveModeOnStandby } from './archiveModeOnStandby';
import { archiveNotConfigured } from './archiveNotConfigured';
import { archiveTimeoutDisabled } from './archiveTimeoutDisabled';
import { archiveTimeoutTooSmall } from './archiveTimeoutTooSmall';
import { backslashInString } from './backslashInString';
import { commandInlineCredentials } from './commandInlineCredentials';
import { customParameterTypo } from './customParameterTypo';
import { duplicateSetting } from './duplicateSetting';
import { fsyncOff } from './fsyncOff';
import { fullPageWritesOff } from './fullPageWritesOff';
import { maxWalSendersTooLow } from './maxWalSendersTooLow';
import { octalInteger } from './octalInteger';
import { pgbackrestStanzaMissing } from './pgbackrestStanzaMissing';
import { recoveryActionShutdown } from './recoveryActionShutdown';
import { recoveryConfPresent } from './recoveryConfPresent';
import { recoveryPauseWithoutHotStandby } from './recoveryPauseWithoutHotStandby';
import { recoverySettingsOnOldVersion } from './recoverySettingsOnOldVersion';
import { recoveryTargetInclusiveNoEffect } from './recoveryTargetInclusiveNoEffect';
import { recoveryTargetOnStandby } from './recoveryTargetOnStandby';
import { recoveryTargetTimelineValue } from './recoveryTargetTimelineValue';
import { recoveryTargetTimeAbbreviation, recoveryTargetTimeNoTimezone } from './recoveryTargetTimeZone';
import { recoveryTargetXidFormat } from './recoveryTargetXidFormat';
import { removedParameter } from './removedParameter';
import { restartRequired } from './restartRequired';
import { restoreArchiveMismatch } from './restoreArchiveMismatch';
import { restoreCommandAlwaysSucceeds } from './restoreCommandAlwaysSucceeds';
import { restoreCommandMissing } from './restoreCommandMissing';
import { restoreCommandPlaceholders } from './restoreCommandPlaceholders';
import { restoredCopyArchivesIntoSource } from './restoredCopyArchivesIntoSource';
import { staleRecoverySettings } from './staleRecoverySettings';
import { walLevelDeprecated } from './walLevelDeprecated';
import { walLevelMinimal } from './walLevelMinimal';
import { walLevelMinimalArchive } from './walLevelMinimalArchive';
import { walLevelMinimalSenders } from './walLevelMinimalSenders';
import { walLevelMinimalSummarize } from './walLevelMinimalSummarize';
import { walLogHintsOff } from './walLogHintsOff';

export const RULES: Rule[] = [
  removedParameter,
  recoverySettingsOnOldVersion,
  duplicateSetting,
  backslashInString,
  octalInteger,
  customParameterTypo,
  restartRequired,
  walLevelMinimalArchive,
  walLevelMinimalSenders,
  walLevelMinimalSummarize,
  walLevelMinimal,
  walLevelDeprecated,
  fsyncOff,
  fullPageWritesOff,
  walLogHintsOff,
  maxWalSendersTooLow,
  archiveModeOff,
  archiveNotConfigured,
  archiveCommandAndLibrary,
  archiveCommandPlaceholders,
  archiveCommandNoOverwriteGuard,
  archiveCommandGuardNotIdempotent,
  archiveCommandCpI,
  archiveCommandCpN,
  archiveCommandGuardWrongHost,
  archiveCommandNotDurable,
  archiveCommandAlwaysSucceeds,
  archiveCommandAlwaysFails,
  archiveCommandPipelineStatus,
  archiveCommandHardcodedWalDir,
  archiveCommandChangesDirectory,
  archiveDestinationInDataDir,
  archiveLibraryUnconfigured,
  archiveTimeoutDisabled,
  archiveTimeoutTooSmall,
  archiveModeOnStandby,
  recoveryConfPresent,
  recoveryTargetTimeNoTimezone,
  recoveryTargetTimeAbbreviation,
  recoveryTargetTimelineValue,
  recoveryTargetXidFormat,
  recoveryTargetInclusiveNoEffect,
  recoveryPauseWithoutHotStandby,
  recoveryActionShutdown,
  recoveryTargetOnStandby,
  staleRecoverySettings,
  restoreCommandMissing,
  restoreCommandPlaceholders,
  restoreCommandAlwaysSucceeds,
  archiveCleanupCommandPlaceholders,
  pgbackrestStanzaMissing,
  commandInlineCredentials,
  restoreArchiveMismatch,
  restoredCopyArchivesIntoSource,
  archiveCleanupPrunesArchive,
];
