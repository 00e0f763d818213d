import type { ConfItem } from '../../conf/parser';
import { intValue } from '../settingValues';
import type { Finding, Rule, RuleContext } from '../types';

interface Removal {
  name: string;
  /** first major without it */
  removedIn: number;
  advice: string;
  fix?: (ctx: RuleContext, item: ConfItem) => { title: string; newLine: string } | null;
}

const REMOVALS: Removal[] = [
  {
    name: 'wal_keep_segments',
    removedIn: 13,
    advice: 'PostgreSQL 13 replaced it with wal_keep_size (in MB): segments × wal_segment_size (16 MB by default).',
    fix: (ctx, item) => {
      const n = intValue(item.value ?? '', null, ctx.major);
      return n === undefined
        ? null
        : { title: `Replace with wal_keep_size = '${n * 16}MB'`, newLine: `wal_keep_size = '${n * 16}MB'` };
    },
  },
  {
    name: 'checkpoint_segments',
    removedIn: 9.5,
    advice: 'removed in 9.5: use max_wal_size (about 3 × checkpoint_segments × 16 MB) and min_wal_size.',
    fix: (ctx, item) => {
      const n = intValue(item.value ?? '', null, ctx.major);
      return n === undefined
        ? null
        : { title: `Replace with max_wal_size = '${3 * n * 16}MB'`, newLine: `max_wal_size = '${3 * n * 16}MB'` };
    },
  },
  {
    name: 'standby_mode',
    removedIn: 12,
    advice: 'removed in 12: create the file standby.signal in the data directory instead.',
  },
  {
    name: 'trigger_file',
    removedIn: 12,
    advice:
      'renamed promote_trigger_file in 12 (and removed in 16): promote with pg_ctl promote or SELECT pg_promote().',
  },
  {
    name: 'promote_trigger_file',
    removedIn: 16,
    advice: 'removed in 16: promote with pg_ctl promote or SELECT pg_promote().',
  },
  { name: 'pause_at_recovery_target', removedIn: 9.5, advice: "removed in 9.5: use recovery_target_action = 'pause'." },
  {
    name: 'vacuum_defer_cleanup_age',
    removedIn: 16,
    advice: 'removed in 16: use hot_standby_feedback or replication slots.',
  },
  { name: 'force_parallel_mode', removedIn: 16, advice: 'renamed debug_parallel_query in 16.' },
  { name: 'operator_precedence_warning', removedIn: 14, advice: 'removed in 14.' },
  { name: 'stats_temp_directory', removedIn: 15, advice: 'removed in 15: statistics live in shared memory.' },
  { name: 'replacement_sort_tuples', removedIn: 11, advice: 'removed in 11.' },
];

export const REMOVED_NAMES = new Set(REMOVALS.map((r) => r.name));

// The server only says "unrecognized configuration parameter"; this says what replaced it.
export const removedParameter: Rule = {
  id: 'removed-parameter',
  severity: 'error',
  summary: 'a parameter that this major no longer has, with its replacement',
  docPage: 'release.html',
  check(ctx) {
    const out: Finding[] = [];
    for (const item of ctx.config.items) {
      if (item.name === null) continue;
      const r = REMOVALS.find((x) => x.name === item.name!.toLowerCase());
      if (!r || ctx.major < r.removedIn || ctx.effective(item.name)?.param) continue;
      const f = r.fix?.(ctx, item) ?? null;
      const lr = ctx.lineRange(item);
      out.push(
        ctx.finding(
          this,
          item,
          `The server will not start: "${item.name}" does not exist in PostgreSQL ${ctx.major} (unrecognized configuration parameter); ${r.advice}`,
          {
            range: ctx.nameRange(item),
            fix: f
              ? {
                  title: f.title,
                  edits: [{ file: item.file ?? ctx.config.configFile, range: lr, newText: f.newLine }],
                  preferred: true,
                }
              : { title: `Comment out ${item.name}`, edits: [ctx.commentOut(item)] },
          },
        ),
      );
    }
    return out;
  },
};
