// How the drills write a recovery configuration: pg-pitr's own planRecovery + applyRecoveryPlan,
// exactly as the wizard and `pg-pitr recovery-config --write` do. Nothing is fixed up afterwards
// (no chown, no extra line): whatever the generator gets wrong, the recovered server shows.
import * as fs from 'node:fs';

import { applyRecoveryPlan } from '../../../src/core/recovery/applyRecoveryPlan';
import { planRecovery } from '../../../src/core/recovery/planRecovery';
import type { RecoveryPlan, RecoveryRequest } from '../../../src/core/recovery/types';

export type DrillRecovery = RecoveryRequest;

/** Plans and writes the configuration; throws when the generator refuses or writes nothing. */
export function writeRecoveryConfig(req: DrillRecovery): { plan: RecoveryPlan; written: string[]; backups: string[] } {
  const plan = planRecovery(req);
  const { written, backups } = applyRecoveryPlan(plan);
  if (written.length !== plan.changes.length)
    throw new Error(`applyRecoveryPlan wrote ${written.length} of ${plan.changes.length} planned files`);
  const leftovers = fs.readdirSync(req.dataDir).filter((f) => f.includes('.pg-pitr-tmp-'));
  if (leftovers.length > 0) throw new Error(`temporary files left in the data directory: ${leftovers.join(', ')}`);
  return { plan, written, backups };
}
