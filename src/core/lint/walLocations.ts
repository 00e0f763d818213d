// Where this configuration archives WAL to and restores it from, for the rules that compare them
// (restore-archive-mismatch, restored-copy-archives-into-source, archive-cleanup-prunes-archive).
import { activeTargets } from './recoveryTargets';
import { archiveModeEnabled } from './settingValues';
import { commandSetting } from './shellSettings';
import type { RuleContext } from './types';

/** This configuration restores a copy: recovery.signal without standby.signal, or a recovery target set (and no standby.signal). */
export function restoresACopy(ctx: RuleContext): string | null {
  if (ctx.dataDir?.hasStandbySignal) return null;
  if (ctx.dataDir?.hasRecoverySignal) return 'recovery.signal is present';
  const t = activeTargets(ctx)[0];
  return t ? `${t.item.name} is set` : null;
}

/** archive_mode is on and archive_command archives somewhere visible (not a no-op): its setting and facts */
export function archivingCommand(ctx: RuleContext) {
  if (!archiveModeEnabled(ctx.value('archive_mode'))) return undefined;
  const s = commandSetting(ctx, 'archive_command');
  return s && !s.facts.noOp && s.facts.archiveLocations.length > 0 ? s : undefined;
}
