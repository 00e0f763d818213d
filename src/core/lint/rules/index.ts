// Every rule, in the order findings are listed for one line.
import { archiveCommandPlaceholders } from './archiveCommandPlaceholders';
import { archiveCommandNoOverwriteGuard } from './archiveCommandNoOverwriteGuard';
import { archiveCommandGuardNotIdempotent } from './archiveCommandGuardNotIdempotent';
import { archiveCommandCpI } from './archiveCommandCpI';
import { archiveCommandNotDurable } from './archiveCommandNotDurable';
import { archiveCommandAlwaysSucceeds } from './archiveCommandAlwaysSucceeds';
import { archiveCommandPipelineStatus } from './archiveCommandPipelineStatus';
import { archiveCommandHardcodedWalDir } from './archiveCommandHardcodedWalDir';
import { archiveCommandChangesDirectory } from './archiveCommandChangesDirectory';
import { archiveDestinationInDataDir } from './archiveDestinationInDataDir';
import { restoreCommandPlaceholders } from './restoreCommandPlaceholders';
import { restoreCommandAlwaysSucceeds } from './restoreCommandAlwaysSucceeds';
import { archiveCleanupCommandPlaceholders } from './archiveCleanupCommandPlaceholders';
import { archiveCommandAndLibrary } from './archiveCommandAndLibrary';
import { archiveLibraryUnconfigured } from './archiveLibraryUnconfigured';
import { archiveModeOff } from './archiveModeOff';
import { archiveModeOnStandby } from './archiveModeOnStandby';
import { archiveNotConfigured } from './archiveNotConfigured';
import { archiveTimeoutDisabled } from './archiveTimeoutDisabled';
import { archiveTimeoutTooSmall } from './archiveTimeoutTooSmall';
import { backslashInString } from './backslashInString';
import { customParameterTypo } from './customParameterTypo';
import { duplicateSetting } from './duplicateSetting';
import { fsyncOff } from './fsyncOff';
import { fullPageWritesOff } from './fullPageWritesOff';
import { maxWalSendersTooLow } from './maxWalSendersTooLow';
import { octalInteger } from './octalInteger';
import { recoveryActionShutdown } from './recoveryActionShutdown';
import { recoveryConfPresent } from './recoveryConfPresent';
import { recoveryPauseWithoutHotStandby } from './recoveryPauseWithoutHotStandby';
import { recoverySettingsOnOldVersion } from './recoverySettingsOnOldVersion';
import { recoveryTargetInclusiveNoEffect } from './recoveryTargetInclusiveNoEffect';
import { recoveryTargetOnStandby } from './recoveryTargetOnStandby';
import { recoveryTargetTimeAbbreviation, recoveryTargetTimeNoTimezone } from './recoveryTargetTimeZone';
import { recoveryTargetTimelineValue } from './recoveryTargetTimelineValue';
import { recoveryTargetXidFormat } from './recoveryTargetXidFormat';
import { removedParameter } from './removedParameter';
import { restartRequired } from './restartRequired';
import { restoreCommandMissing } from './restoreCommandMissing';
import { staleRecoverySettings } from './staleRecoverySettings';
import type { Rule } from '../types';
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
  archiveCommandNotDurable,
  archiveCommandAlwaysSucceeds,
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
];
