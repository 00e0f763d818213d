// Renders metric families as OpenMetrics 1.0 text (application/openmetrics-text) and, for
// scrapers and tools that only read the older format (promtool check metrics), as Prometheus text
// 0.0.4. One model, two spellings: counters' `_total`, state sets, units and `# EOF` differ.

export type MetricType = 'gauge' | 'counter' | 'stateset' | 'info';

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

export interface MetricFamily {
  /** family name: counters without `_total`, info without `_info`; with a unit it ends in `_<unit>` */
  name: string;
  type: MetricType;
  help: string;
  /** OpenMetrics unit (seconds, bytes, timestamp seconds end in _seconds) */
  unit?: string;
  samples: Sample[];
}

export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(v);
}

function labelText(labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  return entries.length ? `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}` : '';
}

function sampleName(f: MetricFamily): string {
  return f.type === 'counter' ? `${f.name}_total` : f.type === 'info' ? `${f.name}_info` : f.name;
}

/** Families that would make invalid text (a bad name, a unit the name does not end in, a repeated label set): thrown as a programming error. */
export function validateFamilies(families: MetricFamily[]): void {
  const seen = new Set<string>();
  for (const f of families) {
    if (!NAME.test(f.name) || seen.has(f.name)) throw new Error(`metric family ${f.name}: invalid or repeated name`);
    seen.add(f.name);
    if (f.type === 'counter' && f.name.endsWith('_total'))
      throw new Error(`counter ${f.name}: the family name must not end in _total`);
    if (f.unit && !f.name.endsWith(`_${f.unit}`))
      throw new Error(`metric family ${f.name}: the name must end in _${f.unit}`);
    const sets = new Set<string>();
    for (const s of f.samples) {
      for (const k of Object.keys(s.labels))
        if (!LABEL.test(k)) throw new Error(`metric ${f.name}: invalid label name ${k}`);
      const key = labelText(s.labels);
      if (sets.has(key)) throw new Error(`metric ${f.name}: label set ${key} repeated`);
      sets.add(key);
      if (f.type === 'stateset' && !(f.name in s.labels))
        throw new Error(`state set ${f.name}: every sample needs the label ${f.name}`);
    }
  }
}

/** OpenMetrics text, ending in `# EOF`. Families without samples are left out. */
export function renderOpenMetrics(families: MetricFamily[]): string {
  validateFamilies(families);
  const lines: string[] = [];
  for (const f of families) {
    if (f.samples.length === 0) continue;
    lines.push(`# TYPE ${f.name} ${f.type}`);
    if (f.unit) lines.push(`# UNIT ${f.name} ${f.unit}`);
    lines.push(`# HELP ${f.name} ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}`);
    const name = sampleName(f);
    for (const s of f.samples) lines.push(`${name}${labelText(s.labels)} ${formatValue(s.value)}`);
  }
  lines.push('# EOF');
  return lines.join('\n') + '\n';
}

/** Prometheus text 0.0.4: state sets and infos as gauges, counters named with `_total`, no units. */
export function renderPrometheusText(families: MetricFamily[]): string {
  validateFamilies(families);
  const lines: string[] = [];
  for (const f of families) {
    if (f.samples.length === 0) continue;
    const name = sampleName(f);
    lines.push(`# HELP ${name} ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`);
    lines.push(`# TYPE ${name} ${f.type === 'counter' ? 'counter' : 'gauge'}`);
    for (const s of f.samples) lines.push(`${name}${labelText(s.labels)} ${formatValue(s.value)}`);
  }
  return lines.join('\n') + '\n';
}

/** Which format a scraper asked for: OpenMetrics when its Accept header names it (Prometheus does), else the older text. */
export function negotiateFormat(accept: string | undefined): 'openmetrics' | 'prometheus' {
  return /application\/openmetrics-text/i.test(accept ?? '') ? 'openmetrics' : 'prometheus';
}
