// TEMPORARY stand-in for planRecovery + applyRecoveryPlan (src/core/recovery/, being written in
// parallel): writes the recovery settings the drills need, so the drill machinery can be proven
// first. Replaced by the real generator as soon as it lands.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chownTreeToServerUser } from '../../support/pitrDrill';

export type DrillTarget =
  | { kind: 'time'; time: string }
  | { kind: 'xid'; xid: string }
  | { kind: 'lsn'; lsn: string }
  | { kind: 'name'; name: string }
  | { kind: 'immediate' }
  | { kind: 'latest' };

export interface DrillRecovery {
  major: number;
  dataDir: string;
  target: DrillTarget;
  inclusive?: boolean;
  timeline?: 'latest' | 'current' | number;
  restoreCommand: string;
  timeZone?: string;
  recoveredArchiving?: { mode: 'off' } | { mode: 'elsewhere'; archiveCommand: string };
}

const q = (v: string) => `'${v.replace(/'/g, "''")}'`;

export function writeRecoveryConfig(req: DrillRecovery): void {
  const lines = [`restore_command = ${q(req.restoreCommand)}`];
  const t = req.target;
  if (t.kind === 'time') lines.push(`recovery_target_time = ${q(req.timeZone ? `${t.time} ${req.timeZone}` : t.time)}`);
  if (t.kind === 'xid') lines.push(`recovery_target_xid = ${q(t.xid)}`);
  if (t.kind === 'lsn') lines.push(`recovery_target_lsn = ${q(t.lsn)}`);
  if (t.kind === 'name') lines.push(`recovery_target_name = ${q(t.name)}`);
  if (t.kind === 'immediate') lines.push(`recovery_target = 'immediate'`);
  if (req.inclusive !== undefined) lines.push(`recovery_target_inclusive = ${req.inclusive}`);
  if (t.kind !== 'latest') lines.push(`recovery_target_action = 'promote'`);
  const timeline = req.timeline ?? (t.kind === 'immediate' && req.major >= 12 ? 'current' : undefined);
  if (timeline !== undefined) lines.push(`recovery_target_timeline = ${q(String(timeline))}`);
  const archiving = req.recoveredArchiving ?? { mode: 'off' };
  const archiveLines = archiving.mode === 'off' ? [`archive_mode = 'off'`] : [`archive_command = ${q(archiving.archiveCommand)}`];
  const auto = path.join(req.dataDir, 'postgresql.auto.conf');
  if (req.major >= 12) {
    fs.appendFileSync(auto, [...lines, ...archiveLines].join('\n') + '\n');
    fs.writeFileSync(path.join(req.dataDir, 'recovery.signal'), '');
  } else {
    fs.writeFileSync(path.join(req.dataDir, 'recovery.conf'), lines.join('\n') + '\n');
    fs.appendFileSync(auto, archiveLines.join('\n') + '\n');
  }
  chownTreeToServerUser(req.dataDir);
}
