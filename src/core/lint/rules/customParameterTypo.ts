import type { Finding, Rule } from '../types';

// Parameters of common contrib modules. The server accepts any dotted name as a placeholder, so a
// typo is silently ignored (15+ drops it with a WARNING once the module is loaded).
const MODULE_PARAMETERS: Record<string, string[]> = {
  pg_stat_statements: ['max', 'track', 'track_utility', 'track_planning', 'save'],
  auto_explain: [
    'log_min_duration',
    'log_parameter_max_length',
    'log_analyze',
    'log_settings',
    'log_buffers',
    'log_wal',
    'log_triggers',
    'log_timing',
    'log_verbose',
    'log_format',
    'log_level',
    'log_nested_statements',
    'sample_rate',
  ],
  basic_archive: ['archive_directory'],
  plpgsql: ['variable_conflict', 'print_strict_params', 'check_asserts', 'extra_warnings', 'extra_errors'],
  pg_prewarm: ['autoprewarm', 'autoprewarm_interval'],
  pg_trgm: ['similarity_threshold', 'word_similarity_threshold', 'strict_word_similarity_threshold'],
  auth_delay: ['milliseconds'],
  sepgsql: ['permissive', 'debug_audit'],
};

function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

export const customParameterTypo: Rule = {
  id: 'custom-parameter-typo',
  severity: 'warning',
  summary: 'a misspelled parameter of a known module is silently ignored',
  docPage: 'runtime-config-custom.html',
  check(ctx) {
    const out: Finding[] = [];
    for (const item of ctx.config.items) {
      if (item.name === null || !item.name.includes('.')) continue;
      const [prefix, suffix] = item.name.toLowerCase().split('.');
      const known = MODULE_PARAMETERS[prefix];
      if (!known || known.includes(suffix)) continue;
      // only near names can be suggested (distance <= 3), and the distance is at least the
      // difference in length: a name 100,000 letters long is not compared letter by letter
      const near = known.filter((k) => Math.abs(k.length - suffix.length) <= 3);
      const best = near.map((k) => [k, distance(k, suffix)] as const).sort((x, y) => x[1] - y[1])[0];
      const suggestion = best && best[1] <= 3 ? `${prefix}.${best[0]}` : null;
      const r = ctx.nameRange(item);
      out.push(
        ctx.finding(
          this,
          item,
          `${item.name} is not a parameter of ${prefix}; the server keeps it as an unused placeholder ` +
            `without complaint, so the setting has no effect.${suggestion ? ` Did you mean ${suggestion}?` : ''}`,
          {
            range: r,
            fix: suggestion
              ? {
                  title: `Rename to ${suggestion}`,
                  edits: [{ file: item.file ?? ctx.config.configFile, range: r, newText: suggestion }],
                  preferred: true,
                }
              : null,
          },
        ),
      );
    }
    return out;
  },
};
