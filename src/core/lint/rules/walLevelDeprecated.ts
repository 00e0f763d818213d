import type { Rule } from '../types';

// 9.6 merged archive and hot_standby into replica; the old spellings are still accepted, hidden.
export const walLevelDeprecated: Rule = {
  id: 'wal-level-deprecated',
  severity: 'information',
  summary: 'wal_level = archive / hot_standby are old spellings of replica',
  docPage: 'runtime-config-wal.html#GUC-WAL-LEVEL',
  check(ctx) {
    return ctx
      .occurrences('wal_level')
      .filter((item) => ['archive', 'hot_standby'].includes((item.value ?? '').toLowerCase()))
      .map((item) =>
        ctx.finding(
          this,
          item,
          `wal_level = ${item.value} is an old spelling of replica (merged in 9.6); it still works but is no longer documented.`,
          {
            range: ctx.valueRange(item),
            fix: { title: "Write wal_level = 'replica'", edits: [ctx.replaceValue(item, 'replica')], preferred: true },
          },
        ),
      );
  },
};
