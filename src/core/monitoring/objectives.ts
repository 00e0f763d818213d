// Recoverability objectives: "I must be able to recover the last 7 days, from a base backup no
// older than 26 h, with 2 backups to fall back on and at most 5 minutes of data loss". Read from
// CLI flags, a server profile's `objectives` or the exporter's config (tolerantly: a bad value is
// a problem to report, never a throw), and judged against one check's archive and RPO.
import type { CheckResult, HealthReason } from '../server/types';
import { formatByteSize, formatDuration, parseDuration, parseQuantity, type Quantity } from './objectiveValues';
import { recoverability } from './recoverability';

export type ObjectiveId = 'minWindow' | 'maxBackupAge' | 'minBackups' | 'maxRpo';
export const OBJECTIVE_IDS: readonly ObjectiveId[] = ['minWindow', 'maxBackupAge', 'minBackups', 'maxRpo'];

/** The health reason each objective raises when violated. */
export const OBJECTIVE_REASONS: Record<ObjectiveId, string> = {
  minWindow: 'window-too-short',
  maxBackupAge: 'backup-too-old',
  minBackups: 'too-few-backups',
  maxRpo: 'rpo-exceeded',
};

/** CLI flag of each objective (also its label in metrics: objective="min-window"). */
export const OBJECTIVE_FLAGS: Record<ObjectiveId, string> = {
  minWindow: 'min-window',
  maxBackupAge: 'max-backup-age',
  minBackups: 'min-backups',
  maxRpo: 'max-rpo',
};

export type ObjectiveSeverity = 'warning' | 'failing';

export interface Objective {
  /** what the user wrote: "7d", "2", "5min" */
  text: string;
  /** seconds (windows, ages, RPO in time), bytes (RPO in WAL) or a count (backups) */
  quantity: Quantity | { kind: 'count'; value: number; text: string };
  severity: ObjectiveSeverity;
}

export type Objectives = Partial<Record<ObjectiveId, Objective>>;

/** One objective judged. */
export interface ObjectiveResult {
  id: ObjectiveId;
  /** the health reason raised when violated */
  reason: string;
  objective: string;
  /** the objective's value in its unit */
  limit: number;
  unit: 'seconds' | 'bytes' | 'count';
  status: 'met' | 'violated' | 'unknown' | 'not-applicable';
  /** the measured value in the objective's unit (seconds, bytes or a count); null when unknown */
  measured: number | null;
  severity: ObjectiveSeverity;
  message: string;
}

function readOne(
  id: ObjectiveId,
  raw: unknown,
  severity: ObjectiveSeverity,
  where: string,
  problems: string[],
): Objective | undefined {
  let value = raw;
  let sev = severity;
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const o = raw as Record<string, unknown>;
    value = o.value;
    if (o.severity === 'warning' || o.severity === 'failing') sev = o.severity;
    else if (o.severity !== undefined)
      problems.push(
        `${where}.${id}.severity must be "warning" or "failing" (got ${JSON.stringify(o.severity)}); warning is used`,
      );
  }
  if (typeof value === 'number') value = String(value);
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push(
      `${where}.${id} must be ${id === 'minBackups' ? 'a count such as 2' : id === 'maxRpo' ? 'a duration such as "5min" or a size such as "16MB"' : 'a duration such as "7d" or "26h"'} (got ${JSON.stringify(value)}); ignored`,
    );
    return undefined;
  }
  const text = value.trim();
  if (id === 'minBackups') {
    if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 10000) {
      problems.push(
        `${where}.minBackups must be a whole number of base backups, 1 or more (got ${JSON.stringify(text)}); ignored`,
      );
      return undefined;
    }
    return { text, quantity: { kind: 'count', value: Number(text), text }, severity: sev };
  }
  const q = id === 'maxRpo' ? parseQuantity(text) : parseDuration(text);
  if ('error' in q) {
    problems.push(`${where}.${id}: ${q.error}; ignored`);
    return undefined;
  }
  const quantity: Quantity = 'kind' in q ? q : { kind: 'seconds', value: q.seconds, text };
  if (quantity.value <= 0) {
    problems.push(`${where}.${id} must be more than 0 (got ${JSON.stringify(text)}); ignored`);
    return undefined;
  }
  return { text, quantity, severity: sev };
}

/**
 * Objectives from a settings object: `{ "minWindow": "7d", "maxRpo": { "value": "5min", "severity": "failing" } }`.
 * `severity` beside the objectives sets the default for all of them. Unknown keys and bad values
 * are listed in `problems` and skipped.
 */
export function readObjectives(raw: unknown, where = 'objectives'): { objectives: Objectives; problems: string[] } {
  const problems: string[] = [];
  const objectives: Objectives = {};
  if (raw === undefined || raw === null) return { objectives, problems };
  if (typeof raw !== 'object' || Array.isArray(raw))
    return { objectives, problems: [`${where} must be an object such as { "minWindow": "7d" }`] };
  const o = raw as Record<string, unknown>;
  let severity: ObjectiveSeverity = 'warning';
  if (o.severity === 'failing' || o.severity === 'warning') severity = o.severity;
  else if (o.severity !== undefined)
    problems.push(
      `${where}.severity must be "warning" or "failing" (got ${JSON.stringify(o.severity)}); warning is used`,
    );
  for (const key of Object.keys(o)) {
    if (key === 'severity') continue;
    if (!(OBJECTIVE_IDS as readonly string[]).includes(key)) {
      problems.push(`${where}.${key} is not an objective (known: ${OBJECTIVE_IDS.join(', ')}); ignored`);
      continue;
    }
    const one = readOne(key as ObjectiveId, o[key], severity, where, problems);
    if (one) objectives[key as ObjectiveId] = one;
  }
  return { objectives, problems };
}

/** The objectives' settings form again (for the exporter's /healthz and JSON output). */
export function objectivesToSetting(o: Objectives): Record<string, { value: string; severity: ObjectiveSeverity }> {
  const out: Record<string, { value: string; severity: ObjectiveSeverity }> = {};
  for (const id of OBJECTIVE_IDS) if (o[id]) out[id] = { value: o[id].text, severity: o[id].severity };
  return out;
}

/** Judges each configured objective against a finished check. Nothing is judged on a server that could not be read. */
export function evaluateObjectives(r: CheckResult, objectives: Objectives): ObjectiveResult[] {
  const out: ObjectiveResult[] = [];
  const now = Date.parse(r.status?.collectedAt ?? r.checkedAt);
  const rec = recoverability(r.archive);
  const archiveWhy = !r.status
    ? 'the server could not be read'
    : !r.archive
      ? 'the archive location is unknown'
      : r.archive.error
        ? `the archive could not be read (${r.archive.error})`
        : null;
  for (const id of OBJECTIVE_IDS) {
    const o = objectives[id];
    if (!o) continue;
    const target = `${o.text} (${id})`;
    const base = {
      id,
      reason: OBJECTIVE_REASONS[id],
      objective: o.text,
      limit: o.quantity.value,
      unit: o.quantity.kind,
      severity: o.severity,
    };
    const unknown = (why: string): ObjectiveResult => ({
      ...base,
      status: 'unknown',
      measured: null,
      message: `objective ${id} ${o.text} not evaluated: ${why}`,
    });
    const shown = (v: number) =>
      !Number.isFinite(v)
        ? 'none'
        : base.unit === 'count'
          ? String(v)
          : base.unit === 'bytes'
            ? formatByteSize(v)
            : formatDuration(v);
    // a met objective says so; a violated one says what was measured against what
    const judge = (measured: number, violated: boolean, message: string): ObjectiveResult => ({
      ...base,
      status: violated ? 'violated' : 'met',
      measured,
      message: violated ? message : `objective ${id} ${o.text} met: ${shown(measured)}`,
    });

    if (id === 'maxRpo') {
      const rpo = r.rpo;
      if (!rpo) out.push(unknown(archiveWhy ?? 'the RPO was not measured'));
      else if (!rpo.applicable)
        out.push({
          ...base,
          status: 'not-applicable',
          measured: null,
          message: `objective maxRpo ${o.text} does not apply: ${rpo.note}`,
        });
      else if (o.quantity.kind === 'bytes') {
        if (rpo.bytes === null) out.push(unknown(rpo.note ?? 'the WAL position is unknown'));
        else
          out.push(
            judge(
              rpo.bytes,
              rpo.bytes > o.quantity.value,
              `RPO is ${formatByteSize(rpo.bytes)} of WAL not archived, more than the objective ${target}`,
            ),
          );
      } else if (rpo.seconds === null) out.push(unknown(rpo.note ?? 'the age of the unarchived WAL is unknown'));
      else {
        const bytes = rpo.bytes !== null ? ` (${formatByteSize(rpo.bytes)} of WAL not archived)` : '';
        out.push(
          judge(
            rpo.seconds,
            rpo.seconds > o.quantity.value,
            `RPO is ${formatDuration(rpo.seconds)}${bytes}, more than the objective ${target}`,
          ),
        );
      }
      continue;
    }
    if (!rec) {
      out.push(unknown(archiveWhy ?? 'the archive was not read'));
      continue;
    }
    if (id === 'minWindow') {
      const length = rec.oldestStart ? Math.max(0, Math.round((now - Date.parse(rec.oldestStart)) / 1000)) : 0;
      const msg = rec.oldestStart
        ? `the recoverable window is ${formatDuration(length)} (from ${rec.oldestStart}), shorter than the objective ${target}`
        : `nothing can be recovered to the present: no base backup has an unbroken WAL path to the newest archived segment; the objective is ${target}`;
      out.push(judge(length, length < o.quantity.value, msg));
    } else if (id === 'maxBackupAge') {
      if (rec.newestIntactBackupEnd === null)
        out.push(
          judge(
            Number.POSITIVE_INFINITY,
            true,
            `no usable base backup (none with an unbroken WAL path to the newest archived segment); the objective is ${target}`,
          ),
        );
      else {
        const age = Math.max(0, Math.round((now - Date.parse(rec.newestIntactBackupEnd)) / 1000));
        out.push(
          judge(
            age,
            age > o.quantity.value,
            `the newest usable base backup ended ${formatDuration(age)} ago (${rec.newestIntactBackupEnd}), older than the objective ${target}`,
          ),
        );
      }
    } else {
      const n = rec.intactBackups;
      out.push(
        judge(
          n,
          n < o.quantity.value,
          `${n} base backup${n === 1 ? '' : 's'} with an unbroken WAL path to the newest archived segment, fewer than the objective ${target}`,
        ),
      );
    }
  }
  return out;
}

/** The health reasons of judged objectives: one per violation; an objective that could not be judged is an info. */
export function objectiveReasons(results: ObjectiveResult[]): HealthReason[] {
  const reasons: HealthReason[] = [];
  for (const o of results) {
    if (o.status === 'violated') reasons.push({ id: o.reason, severity: o.severity, message: o.message });
    else if (o.status === 'unknown') reasons.push({ id: 'objective-unknown', severity: 'info', message: o.message });
  }
  return reasons;
}
