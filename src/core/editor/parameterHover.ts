// Markdown shown when hovering a parameter name: what the server of the chosen major knows about it.
import { findParameter, getCatalog } from '../catalog/catalogs';
import type { CatalogParameter } from '../catalog/types';
import { docUrl } from '../lint/types';
import { formatMajors, parameterHistory } from './parameterHistory';

const REPLACEMENTS: Record<string, string> = {
  wal_keep_segments: '`wal_keep_size` (13+)',
  checkpoint_segments: '`max_wal_size` and `min_wal_size`',
  standby_mode: 'the file `standby.signal` (12+)',
  trigger_file: '`promote_trigger_file` (12–15), then `pg_promote()` (16+)',
  promote_trigger_file: '`pg_ctl promote` or `pg_promote()` (16+)',
  force_parallel_mode: '`debug_parallel_query` (16+)',
};

const CONTEXT_TEXT: Record<CatalogParameter['context'], string> = {
  internal: 'read-only: set at initdb or build time, cannot be changed in a file',
  postmaster: 'needs a server restart',
  sighup: 'reload (`pg_ctl reload` or `SELECT pg_reload_conf()`)',
  'superuser-backend': 'new sessions after a reload (superusers may set it at connection start)',
  backend: 'new sessions after a reload (may be set at connection start)',
  superuser: 'reload; superusers may also `SET` it',
  user: 'reload; any user may also `SET` it',
};

function range(p: CatalogParameter): string | null {
  if (p.type === 'enum') return (p.enumValues ?? []).map((v) => `\`${v}\``).join(', ');
  if (p.type === 'bool') return '`on`, `off` (also `true`/`false`, `yes`/`no`, `1`/`0`)';
  if ((p.type === 'integer' || p.type === 'real') && p.min !== null && p.max !== null)
    return `${p.min} .. ${p.max}${p.unit ? ` (unit ${p.unit})` : ''}`;
  return null;
}

/** Markdown for a hovered name, or null when the name is not a parameter of any supported major. */
export function parameterHoverMarkdown(name: string, major: number): string | null {
  const catalog = getCatalog(major);
  const p = findParameter(catalog, name);
  const history = parameterHistory(name);
  if (!p) {
    if (history.majors.length === 0) return null;
    const repl = REPLACEMENTS[name.toLowerCase()];
    return [
      `**${name}** — not a parameter of PostgreSQL ${major}`,
      '',
      `Exists in PostgreSQL ${formatMajors(history.majors)}.${repl ? ` Replaced by ${repl}.` : ''}`,
    ].join('\n');
  }
  const lines = [
    `**${p.name}** (${p.type}${p.unit ? `, unit ${p.unit}` : ''}) — PostgreSQL ${major}`,
    '',
    p.description,
    '',
  ];
  const r = range(p);
  if (r) lines.push(`- Allowed: ${r}`);
  lines.push(
    `- Default: \`${p.default === null || p.default === '' ? "''" : p.default}\`${p.unit ? ` ${p.unit}` : ''}`,
  );
  lines.push(`- Takes effect: ${CONTEXT_TEXT[p.context]}`);
  lines.push(`- Exists in PostgreSQL ${formatMajors(history.majors)}`);
  if (p.buildDependentValues.length > 0)
    lines.push(`- Only on some builds: ${p.buildDependentValues.map((v) => `\`${v}\``).join(', ')}`);
  if (name.toLowerCase() !== p.name) lines.push(`- \`${name}\` is an alias of \`${p.name}\``);
  lines.push('', `[PostgreSQL ${major} documentation](${docUrl(major, `runtime-config.html`)})`);
  return lines.join('\n');
}
