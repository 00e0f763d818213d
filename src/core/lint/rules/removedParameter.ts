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
  { name: 'old_snapshot_threshold', removedIn: 17, advice: 'removed in 17 (the "snapshot too old" feature is gone).' },
  { name: 'db_user_namespace', removedIn: 17, advice: 'removed in 17.' },
  {
    name: 'trace_recovery_messages',
    removedIn: 17,
    advice: 'removed in 17: use log_min_messages = debug1 (or lower) to see recovery progress.',
  },
  {
    name: 'vacuum_cleanup_index_scale_factor',
    removedIn: 14,
    advice: 'removed in 14 (its behaviour became automatic).',
  },
  {
    name: 'lc_collate',
    removedIn: 16,
    advice: 'removed as a setting in 16: the collation is chosen per database (CREATE DATABASE ... LC_COLLATE).',
  },
  {
    name: 'lc_ctype',
    removedIn: 16,
    advice:
      'removed as a setting in 16: the character classification is chosen per database (CREATE DATABASE ... LC_CTYPE).',
  },
  // renamed or removed before 10: common in configurations carried over for years
  {
    name: 'unix_socket_directory',
    removedIn: 9.3,
    advice: 'renamed unix_socket_directories in 9.3 (a comma-separated list).',
    fix: (_ctx, item) => ({
      title: 'Rename to unix_socket_directories',
      newLine: `unix_socket_directories = ${quoteLike(item)}`,
    }),
  },
  {
    name: 'replication_timeout',
    removedIn: 9.3,
    advice: 'renamed wal_sender_timeout in 9.3.',
    fix: (_ctx, item) => ({
      title: 'Rename to wal_sender_timeout',
      newLine: `wal_sender_timeout = ${quoteLike(item)}`,
    }),
  },
  {
    name: 'max_standby_delay',
    removedIn: 9.1,
    advice: 'split in 9.1 into max_standby_archive_delay and max_standby_streaming_delay.',
  },
  {
    name: 'min_parallel_relation_size',
    removedIn: 10,
    advice: 'renamed min_parallel_table_scan_size in 10.',
    fix: (_ctx, item) => ({
      title: 'Rename to min_parallel_table_scan_size',
      newLine: `min_parallel_table_scan_size = ${quoteLike(item)}`,
    }),
  },
  {
    name: 'sql_inheritance',
    removedIn: 10,
    advice: 'removed in 10 (inheritance is always on; write ONLY to exclude children).',
  },
  { name: 'ssl_renegotiation_limit', removedIn: 9.5, advice: 'removed in 9.5 (renegotiation is gone).' },
  { name: 'max_fsm_pages', removedIn: 8.4, advice: 'removed in 8.4: the free space map sizes itself.' },
  { name: 'max_fsm_relations', removedIn: 8.4, advice: 'removed in 8.4: the free space map sizes itself.' },
  {
    name: 'silent_mode',
    removedIn: 9.2,
    advice: 'removed in 9.2: start the server with pg_ctl -l or logging_collector instead.',
  },
  {
    name: 'custom_variable_classes',
    removedIn: 9.2,
    advice: 'removed in 9.2: any prefix.name is accepted without declaring the prefix.',
  },
  { name: 'add_missing_from', removedIn: 9.0, advice: 'removed in 9.0.' },
  { name: 'regex_flavor', removedIn: 9.0, advice: 'removed in 9.0 (always "advanced").' },
  {
    name: 'krb_srvname',
    removedIn: 9.4,
    advice: 'removed in 9.4 with Kerberos 5 support: use GSSAPI (krb_server_keyfile).',
  },
  { name: 'wal_sender_delay', removedIn: 9.2, advice: 'removed in 9.2: WAL senders wake up when WAL is written.' },
  {
    name: 'redirect_stderr',
    removedIn: 8.3,
    advice: 'renamed logging_collector in 8.3.',
    fix: (_ctx, item) => ({ title: 'Rename to logging_collector', newLine: `logging_collector = ${quoteLike(item)}` }),
  },
  { name: 'stats_command_string', removedIn: 8.3, advice: 'renamed track_activities in 8.3.' },
  {
    name: 'stats_start_collector',
    removedIn: 8.3,
    advice: 'removed in 8.3: the statistics collector always runs (track_counts).',
  },
  { name: 'stats_block_level', removedIn: 8.3, advice: 'replaced by track_counts in 8.3.' },
  { name: 'stats_row_level', removedIn: 8.3, advice: 'replaced by track_counts in 8.3.' },
  { name: 'explain_pretty_print', removedIn: 8.4, advice: 'removed in 8.4.' },
  {
    name: 'bgwriter_all_percent',
    removedIn: 8.3,
    advice: 'removed in 8.3: use bgwriter_lru_maxpages and bgwriter_lru_multiplier.',
  },
  {
    name: 'bgwriter_all_maxpages',
    removedIn: 8.3,
    advice: 'removed in 8.3: use bgwriter_lru_maxpages and bgwriter_lru_multiplier.',
  },
  { name: 'bgwriter_lru_percent', removedIn: 8.3, advice: 'removed in 8.3: use bgwriter_lru_multiplier.' },
  {
    name: 'autocommit',
    removedIn: 7.4,
    advice: 'removed in 7.4: autocommit is a client setting (psql \\set AUTOCOMMIT).',
  },
];

/** the value as written in the file (quoted or not), for a rename that keeps it */
function quoteLike(item: ConfItem): string {
  return item.rawValue ?? "''";
}

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
