// The heavy half of the extension (node-postgres, the AWS SDK and what uses them), built as its own
// bundle dist/backend.js and loaded on first use (backendLoader.ts), so activation stays
// small. Keep this a plain list of re-exports.
export { checkServer } from '../core/server/checkServer';
export { openConnection } from '../core/server/openConnection';
export { resolveConnection } from '../core/server/resolveConnection';
// recovery, base backups, restore points (src/extension/recovery, backup, restorePoints, sqlLens)
export { analyseArchive } from '../core/archive/archiveAnalysis';
export { inferArchive } from '../core/archive/archiveCommandInference';
export { openArchiveSource } from '../core/archive/openSource';
export {
  baseBackupPreflight,
  buildBaseBackupCommand,
  parsePgBasebackupVersion,
  walSendersInUseQuery,
} from '../core/basebackup/baseBackupArgs';
export { buildVerifyBackupCommand } from '../core/basebackup/verifyBackupArgs';
export { applyRecoveryPlan, runningPostmaster } from '../core/recovery/applyRecoveryPlan';
export { chooseBaseBackup } from '../core/recovery/chooseBaseBackup';
export { planRecovery } from '../core/recovery/planRecovery';
export { RestorePointLog } from '../core/recovery/restorePointLog';
export { proveArchiving } from '../core/server/archivingProbe';
export { createRestorePoint, suggestRestorePointName, validateRestorePointName } from '../core/server/restorePoints';
export { findDestructiveStatements } from '../core/sql/destructiveStatements';
// restore drills (src/extension/drill)
export { appendDrillRecord, defaultHistoryFile } from '../core/drill/drillHistory';
export { renderDrillReport } from '../core/drill/drillReportText';
export { runDrill } from '../core/drill/runDrill';
// the recoverability timeline (src/extension/timeline)
export { archiveTimeline } from '../core/timeline/archiveTimeline';
export { defaultDrillLogFile, readDrillLog } from '../core/timeline/drillLog';
