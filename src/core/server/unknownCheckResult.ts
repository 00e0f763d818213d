// The check result of a server nothing could be read from yet: health "unknown" with the reasons.
// Light on purpose (types only), so the editor can build it without loading the backend.
import type { CheckResult, HealthReason } from './types';

export function unknownCheckResult(server: string, reasons: HealthReason[]): CheckResult {
  return {
    server,
    connection: null,
    version: null,
    major: null,
    inRecovery: null,
    health: 'unknown',
    reasons,
    archiver: null,
    wal: null,
    backlog: null,
    slots: [],
    archive: null,
    status: null,
    findings: [],
    rpo: null,
    objectives: [],
    waitingSince: null,
    checkedAt: new Date().toISOString(),
    durationMs: 0,
  };
}
