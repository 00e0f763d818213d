// The heavy half of the extension (node-postgres, the AWS SDK and what uses them), built as its own
// bundle dist/backend.js and loaded on first use (servers/backendLoader.ts), so activation stays
// small. Keep this a plain list of re-exports.
export { checkServer } from '../core/server/checkServer';
export { resolveConnection } from '../core/server/resolveConnection';
export { openConnection } from '../core/server/openConnection';
// recovery, base backups, restore points (src/extension/recovery, backup, restorePoints, sqlLens)
export {
  buildBaseBackupCommand,
  parsePgBasebackupVersion,
  baseBackupPreflight,
  walSendersInUseQuery,
} from '../core/basebackup/baseBackupArgs';
export { buildVerifyBackupCommand } from '../core/basebackup/verifyBackupArgs';
export { suggestRestorePointName, validateRestorePointName, createRestorePoint } from '../core/server/restorePoints';
export { RestorePointLog } from '../core/recovery/restorePointLog';
export { findDestructiveStatements } from '../core/sql/destructiveStatements';
export { planRecovery } from '../core/recovery/planRecovery';
export { applyRecoveryPlan, runningPostmaster } from '../core/recovery/applyRecoveryPlan';
export { proveArchiving } from '../core/server/archivingProbe';
export { openArchiveSource } from '../core/archive/openSource';
export { inferArchive } from '../core/archive/archiveCommandInference';
export { analyseArchive } from '../core/archive/archiveAnalysis';
export { chooseBaseBackup } from '../core/recovery/chooseBaseBackup';
