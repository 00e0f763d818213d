// What the Servers view shows for one server, built from its latest CheckResult: the row (health
// icon, "PG 16 · primary · ok", tooltip) and the sections Archiving, WAL, Backups, Archive,
// Problems. Plain data with no vscode in it, so it is unit-tested with CheckResult fixtures and
// the view only maps it onto TreeItems. Every text built from names, settings, archive files or a
// server's answers is escaped here (core/text/safeText), once for the view.
import type { ObjectiveResult } from '../../core/monitoring/objectives';
import { formatByteSize, formatDuration } from '../../core/monitoring/objectiveValues';
import { sortReasons } from '../../core/server/health';
import type { CheckResult, Health, HealthReason, ServerProfile } from '../../core/server/types';
import { escapeInline } from '../../core/text/safeText';

export interface TreeIcon {
  /** codicon id (ThemeIcon) */
  id: string;
  /** theme color id (ThemeColor) */
  color?: string;
}

export interface TreeNode {
  /** unique and stable across refreshes, so the view keeps what the user expanded */
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  icon?: TreeIcon;
  state: 'expanded' | 'collapsed' | 'none';
  /** for menus: `server`, `section`, `detail`, `reason` */
  contextValue: string;
  children: TreeNode[];
}

/** One configured server and what the view knows about it. */
export interface ServerEntry {
  profile: ServerProfile;
  result: CheckResult | null;
  /** a check is running for it right now */
  checking: boolean;
}

export const HEALTH_ICONS: Record<Health, TreeIcon> = {
  ok: { id: 'pass', color: 'testing.iconPassed' },
  warning: { id: 'warning', color: 'problemsWarningIcon.foreground' },
  failing: { id: 'error', color: 'problemsErrorIcon.foreground' },
  unknown: { id: 'question', color: 'disabledForeground' },
};

const SEVERITY_ICONS: Record<HealthReason['severity'], TreeIcon> = {
  failing: HEALTH_ICONS.failing,
  warning: HEALTH_ICONS.warning,
  unknown: HEALTH_ICONS.unknown,
  info: { id: 'info' },
};

export function serverNodeId(name: string): string {
  return `server:${encodeURIComponent(name)}`;
}

/** The server a row belongs to, from its id (`server:NAME` and its rows `server:NAME/...`), or undefined. */
export function serverNameOfNodeId(id: string): string | undefined {
  if (!id.startsWith('server:')) return undefined;
  try {
    return decodeURIComponent(id.slice('server:'.length).split('/')[0]!);
  } catch {
    return undefined;
  }
}

export function serverNode(entry: ServerEntry, now: Date = new Date()): TreeNode {
  const { profile, result, checking } = entry;
  const id = serverNodeId(profile.name);
  if (!result) {
    return {
      id,
      label: escapeInline(profile.name),
      description: checking ? 'checking…' : 'not checked yet',
      tooltip: `${escapeInline(profile.name)}\n${checking ? 'Checking…' : 'Not checked yet: run Refresh.'}`,
      icon: checking ? { id: 'loading~spin' } : { id: 'circle-outline' },
      state: 'none',
      contextValue: 'server',
      children: [],
    };
  }
  return {
    id,
    label: escapeInline(profile.name),
    description: escapeInline(serverDescription(result)) + (checking ? ' · checking…' : ''),
    tooltip: serverTooltip(result, now),
    icon: HEALTH_ICONS[result.health],
    state: 'collapsed',
    contextValue: 'server',
    children: sections(id, result, now),
  };
}

/** "PG 16 · primary · ok"; only the health when the server could not be read. */
export function serverDescription(r: CheckResult): string {
  const parts: string[] = [];
  if (r.major !== null) parts.push(`PG ${r.major}`);
  if (r.inRecovery !== null) parts.push(r.inRecovery ? 'standby' : 'primary');
  parts.push(r.health);
  return parts.join(' · ');
}

function serverTooltip(r: CheckResult, now: Date): string {
  const lines = [r.connection ? `${r.server} — ${r.connection}` : r.server];
  if (r.version) lines.push(`${r.version}${r.inRecovery === null ? '' : r.inRecovery ? ' (standby)' : ' (primary)'}`);
  lines.push(`Health: ${r.health}`);
  for (const reason of sortReasons(r.reasons)) lines.push(`• ${reason.message}`);
  lines.push(`Checked ${formatWhen(r.checkedAt, now)} in ${r.durationMs} ms`);
  // one line per fact: a newline inside a server name or a message stays inside its line
  return lines.map(escapeInline).join('\n');
}

function sections(serverId: string, r: CheckResult, now: Date): TreeNode[] {
  const out: TreeNode[] = [];
  if (r.status || r.archiver) out.push(archivingSection(serverId, r, now));
  if (r.wal) out.push(walSection(serverId, r));
  if (r.status) out.push(backupsSection(serverId, r, now));
  if (r.status || r.archive) out.push(archiveSection(serverId, r, now));
  if (r.rpo || r.objectives?.length) out.push(recoverabilitySection(serverId, r));
  out.push(problemsSection(serverId, r));
  return out;
}

function detail(
  parentId: string,
  key: string,
  label: string,
  description?: string,
  icon?: TreeIcon,
  /** lines of the tooltip: each escaped on its own, so no value can add a line */
  tooltip?: string | string[],
): TreeNode {
  label = escapeInline(label);
  if (description !== undefined) description = escapeInline(description);
  return {
    id: `${parentId}/${key}`,
    label,
    description,
    icon,
    tooltip:
      tooltip !== undefined
        ? (Array.isArray(tooltip) ? tooltip : [tooltip]).map(escapeInline).join('\n')
        : description
          ? `${label}: ${description}`
          : label,
    state: 'none',
    contextValue: 'detail',
    children: [],
  };
}

function section(
  parentId: string,
  key: string,
  label: string,
  icon: TreeIcon,
  description: string | undefined,
  build: (id: string) => TreeNode[],
  expanded = false,
): TreeNode {
  const id = `${parentId}/${key}`;
  const children = build(id);
  return {
    id,
    label: escapeInline(label),
    description: description === undefined ? undefined : escapeInline(description),
    icon,
    state: children.length === 0 ? 'none' : expanded ? 'expanded' : 'collapsed',
    contextValue: 'section',
    children,
  };
}

function archivingSection(serverId: string, r: CheckResult, now: Date): TreeNode {
  const a = r.archiver;
  const s = r.status?.settings ?? {};
  const failingNow =
    a !== null &&
    a.lastFailedTime !== null &&
    (a.lastArchivedTime === null || Date.parse(a.lastFailedTime) > Date.parse(a.lastArchivedTime));
  const desc = a
    ? [
        `${a.archivedCount} archived`,
        `${a.failedCount} failed`,
        ...(r.backlog !== null ? [`${r.backlog} waiting`] : []),
      ].join(' · ')
    : 'statistics not readable';
  return section(
    serverId,
    'archiving',
    'Archiving',
    { id: failingNow ? 'error' : 'cloud-upload', color: failingNow ? HEALTH_ICONS.failing.color : undefined },
    desc,
    (id) => {
      const rows: TreeNode[] = [];
      for (const name of ['archive_mode', 'archive_command', 'archive_library', 'archive_timeout', 'wal_level']) {
        const v = s[name];
        if (v && (name !== 'archive_library' || v.setting !== ''))
          rows.push(
            detail(
              id,
              name,
              name,
              v.setting === '' ? '(empty)' : v.setting + (v.unit && /^\d+$/.test(v.setting) ? ` ${v.unit}` : ''),
            ),
          );
      }
      if (a) {
        rows.push(
          detail(
            id,
            'last-archived',
            'Last archived',
            a.lastArchivedWal ? `${a.lastArchivedWal} · ${formatWhen(a.lastArchivedTime, now)}` : 'never',
          ),
        );
        rows.push(
          detail(
            id,
            'last-failed',
            'Last failed',
            a.lastFailedWal ? `${a.lastFailedWal} · ${formatWhen(a.lastFailedTime, now)}` : 'never',
            failingNow ? HEALTH_ICONS.failing : undefined,
            failingNow
              ? `Archiving of ${a.lastFailedWal} failed ${formatWhen(a.lastFailedTime, now)}, after the last success`
              : undefined,
          ),
        );
        if (a.statsReset) rows.push(detail(id, 'stats-reset', 'Statistics reset', formatWhen(a.statsReset, now)));
      }
      const readyDesc =
        r.backlog === null
          ? 'unknown'
          : r.status?.oldestReady
            ? `${r.backlog} · oldest ${r.status.oldestReady}`
            : String(r.backlog);
      rows.push(detail(id, 'backlog', 'Waiting to be archived (.ready)', readyDesc));
      return rows;
    },
  );
}

function walSection(serverId: string, r: CheckResult): TreeNode {
  const w = r.wal!;
  return section(serverId, 'wal', 'WAL', { id: 'pulse' }, w.currentWal ?? undefined, (id) => {
    const rows: TreeNode[] = [];
    if (r.inRecovery) {
      rows.push(detail(id, 'receive', 'Received', w.receiveLsn ?? 'not streaming'));
      rows.push(detail(id, 'replay', 'Replayed', w.replayLsn ?? 'unknown'));
    } else {
      rows.push(detail(id, 'lsn', 'Current LSN', w.currentLsn ?? 'unknown'));
    }
    rows.push(detail(id, 'file', 'Current file', w.currentWal ?? 'unknown'));
    rows.push(detail(id, 'timeline', 'Timeline', w.timeline === null ? 'unknown' : String(w.timeline)));
    rows.push(detail(id, 'segment-size', 'Segment size', formatBytes(w.segmentSize)));
    for (const slot of r.slots) {
      const holding = !slot.active && slot.retainedBytes !== null && slot.retainedBytes > 0;
      const parts = [slot.type, slot.active ? 'active' : 'inactive'];
      if (slot.retainedBytes !== null) parts.push(`holds ${formatBytes(slot.retainedBytes)}`);
      if (slot.walStatus) parts.push(slot.walStatus);
      rows.push(
        detail(
          id,
          `slot:${slot.name}`,
          `Slot ${slot.name}`,
          parts.join(' · '),
          holding ? HEALTH_ICONS.warning : { id: 'plug' },
        ),
      );
    }
    return rows;
  });
}

function backupsSection(serverId: string, r: CheckResult, now: Date): TreeNode {
  const backups = r.archive?.backups ?? [];
  const running = r.status?.baseBackups ?? [];
  const desc =
    r.archive && r.archive.error === null
      ? `${backups.length} in the archive${running.length ? ` · ${running.length} running` : ''}`
      : running.length
        ? `${running.length} running`
        : 'archive not read';
  return section(serverId, 'backups', 'Backups', { id: 'package' }, desc, (id) => {
    const rows: TreeNode[] = [];
    for (const b of [...backups].reverse()) {
      rows.push(
        detail(
          id,
          `backup:${b.label}:${b.startWal}`,
          b.label,
          [`timeline ${b.timeline}`, b.stopTime ? `ended ${formatWhen(b.stopTime, now)}` : `from ${b.startWal}`].join(
            ' · ',
          ),
          { id: 'archive' },
        ),
      );
    }
    for (const p of running) {
      const pct =
        p.backupTotal && p.backupStreamed !== null ? ` · ${Math.floor((100 * p.backupStreamed) / p.backupTotal)}%` : '';
      rows.push(detail(id, `running:${p.pid}`, `In progress (pid ${p.pid})`, `${p.phase}${pct}`, { id: 'sync~spin' }));
    }
    if (r.status && r.status.baseBackups === null)
      rows.push(detail(id, 'running-unknown', 'In progress', 'not shown before PostgreSQL 13'));
    // only checks that read the drill history (checkServer) carry `drill`: null when there is none
    if (r.drill !== undefined) rows.push(lastDrillRow(id, r, now));
    return rows;
  });
}

function archiveSection(serverId: string, r: CheckResult, now: Date): TreeNode {
  const a = r.archive;
  const hasLostGap =
    a?.timelines.some((t) => t.gaps.some((g) => g.class === 'lost' || g.class === 'wrong-size')) ?? false;
  const icon: TreeIcon =
    a?.error || hasLostGap ? HEALTH_ICONS.failing : { id: a?.location.startsWith('s3://') ? 'cloud' : 'folder' };
  // its own context value: the Recoverability Timeline button sits on the archive row too
  const node = section(serverId, 'archive', 'Archive', icon, a ? a.location : 'location unknown', (id) => {
    if (!a)
      return [
        detail(
          id,
          'none',
          'No archive location',
          'set "archive" for this server, or use an archive_command pg-pitr can read (cp, rsync, aws s3 cp)',
        ),
      ];
    const rows: TreeNode[] = [detail(id, 'location', 'Location', `${a.location} (${a.source})`)];
    if (a.error) {
      rows.push(detail(id, 'error', 'Cannot read the archive', a.error, HEALTH_ICONS.failing));
      return rows;
    }
    if (a.layout) rows.push(detail(id, 'layout', 'Layout', a.layout));
    for (const t of a.timelines) {
      const gaps = t.gaps.length;
      rows.push(
        detail(
          id,
          `timeline:${t.timeline}`,
          `Timeline ${t.timeline}`,
          `${t.first} … ${t.last} · ${t.segments} segments${gaps ? ` · ${gaps} gap${gaps === 1 ? '' : 's'}` : ''}`,
          { id: 'git-commit' },
        ),
      );
      for (const g of t.gaps) {
        rows.push(
          detail(
            id,
            `gap:${t.timeline}:${g.from}`,
            `Gap ${g.from} … ${g.to}`,
            `${g.missing} ${g.class === 'wrong-size' ? 'of the wrong size' : 'missing'} · ${g.class}`,
            g.class === 'lost' || g.class === 'wrong-size' ? HEALTH_ICONS.failing : { id: 'circle-slash' },
          ),
        );
      }
    }
    for (const w of a.windows) {
      const from = w.from.time ? formatWhen(w.from.time, now) : (w.from.lsn ?? '?');
      rows.push(
        detail(id, `window:${w.backup}`, 'Recoverable', `${from} → ${w.to.wal} (from ${w.backup})`, HEALTH_ICONS.ok),
      );
    }
    if (a.windows.length === 0)
      rows.push(detail(id, 'no-window', 'Recoverable', 'no window: no usable base backup', HEALTH_ICONS.warning));
    for (const [i, p] of a.problems.entries())
      rows.push(detail(id, `problem:${i}`, p, undefined, HEALTH_ICONS.warning));
    return rows;
  });
  return a ? { ...node, contextValue: 'archive' } : node;
}

/** "0 s · 96 B not archived · worst case 1 min"; why not, when it does not apply. */
export function rpoDescription(rpo: NonNullable<CheckResult['rpo']>): string {
  if (!rpo.applicable) return `not applicable: ${rpo.note}`;
  const parts = [rpo.seconds === null ? 'unknown' : formatDuration(rpo.seconds)];
  if (rpo.bytes !== null) parts.push(`${formatByteSize(rpo.bytes)} not archived${rpo.idle ? ' (idle)' : ''}`);
  const worst = rpo.worstCaseSeconds;
  if (worst !== null)
    parts.push(`worst case ${worst === 'unbounded' ? 'unbounded (archive_timeout = 0)' : formatDuration(worst)}`);
  return parts.join(' · ');
}

function measured(o: ObjectiveResult): string {
  if (o.measured === null) return 'unknown';
  if (!Number.isFinite(o.measured)) return 'none';
  return o.unit === 'count'
    ? String(o.measured)
    : o.unit === 'bytes'
      ? formatByteSize(o.measured)
      : formatDuration(o.measured);
}

/** RPO and the configured objectives: met, violated (warning or failing as configured), unknown. */
function recoverabilitySection(serverId: string, r: CheckResult): TreeNode {
  const objectives = r.objectives ?? [];
  const violated = objectives.filter((o) => o.status === 'violated');
  const judged = objectives.filter((o) => o.status === 'met' || o.status === 'violated');
  const worst = violated.some((o) => o.severity === 'failing')
    ? HEALTH_ICONS.failing
    : violated.length
      ? HEALTH_ICONS.warning
      : { id: 'shield' };
  const desc = [
    ...(r.rpo?.applicable && r.rpo.seconds !== null ? [`RPO ${formatDuration(r.rpo.seconds)}`] : []),
    ...(objectives.length ? [`${judged.length - violated.length}/${objectives.length} objectives met`] : []),
  ].join(' · ');
  return section(serverId, 'recoverability', 'Recoverability', worst, desc || undefined, (id) => {
    const rows: TreeNode[] = [];
    if (r.rpo) rows.push(detail(id, 'rpo', 'RPO', rpoDescription(r.rpo), { id: 'history' }));
    for (const o of objectives) {
      const icon =
        o.status === 'met'
          ? HEALTH_ICONS.ok
          : o.status === 'violated'
            ? SEVERITY_ICONS[o.severity]
            : HEALTH_ICONS.unknown;
      const status = o.status === 'not-applicable' ? 'not applicable' : o.status;
      rows.push(
        detail(
          id,
          `objective:${o.id}`,
          `${o.id} ${o.objective}`,
          `${status} · ${measured(o)}`,
          icon,
          o.status === 'met' ? undefined : o.message,
        ),
      );
    }
    return rows;
  });
}

function problemsSection(serverId: string, r: CheckResult): TreeNode {
  const reasons = sortReasons(r.reasons);
  const worst = reasons[0]?.severity;
  const icon: TreeIcon = worst && worst !== 'info' ? SEVERITY_ICONS[worst] : HEALTH_ICONS.ok;
  const count = reasons.filter((x) => x.severity !== 'info').length;
  return section(
    serverId,
    'problems',
    'Problems',
    icon,
    count === 0 ? 'none' : String(count),
    (id) => [
      ...reasons.map((reason, i): TreeNode => ({
        ...detail(
          id,
          `reason:${i}:${reason.id}`,
          reason.message,
          reason.id,
          SEVERITY_ICONS[reason.severity],
          `${reason.severity}: ${reason.message} (${reason.id})`,
        ),
        contextValue: 'reason',
      })),
      ...r.findings.map((f, i) =>
        detail(
          id,
          `finding:${i}:${f.id}`,
          f.message,
          f.id,
          f.severity === 'error'
            ? HEALTH_ICONS.failing
            : f.severity === 'warning'
              ? HEALTH_ICONS.warning
              : { id: 'info' },
        ),
      ),
      ...(r.status?.limitations ?? []).map((l, i) => detail(id, `limitation:${i}`, l, 'not readable', { id: 'lock' })),
    ],
    count > 0,
  );
}

/** "14:03:05 (2 min ago)" for today, "2026-11-23 14:03 (1 d ago)" otherwise; the input when it is not a time. */
/** "Last drill: ok 3 h ago · 42 s to recover" (pg-pitr drill's history, matched by system identifier). */
export function lastDrillRow(parentId: string, r: CheckResult, now: Date): TreeNode {
  const d = r.drill;
  if (!d)
    return detail(
      parentId,
      'last-drill',
      'Last drill',
      'none recorded',
      { id: 'beaker' },
      'Last drill: no restore drill of this cluster is recorded (run pg-pitr: Run Restore Drill…)',
    );
  const secs = d.lastTimeToRecoverSeconds;
  const description = `${d.lastOk ? 'ok' : 'FAILED'} ${formatAge(now.getTime() - Date.parse(d.lastAt))} · ${secs < 10 ? secs.toFixed(1) : Math.round(secs)} s to recover`;
  const lines = [`Last drill: ${description}`];
  if (d.lastOkAt && !d.lastOk) lines.push(`Last successful drill: ${d.lastOkAt}`);
  if (r.rto && r.rto.estimateSeconds !== null)
    lines.push(`Estimated time to recover now: ${Math.round(r.rto.estimateSeconds)} s (${r.rto.basis})`);
  return detail(
    parentId,
    'last-drill',
    'Last drill',
    description,
    d.lastOk ? { id: 'beaker' } : HEALTH_ICONS.failing,
    lines,
  );
}

export function formatWhen(iso: string | null, now: Date): string {
  if (iso === null) return 'never';
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  const sameDay =
    t.getFullYear() === now.getFullYear() && t.getMonth() === now.getMonth() && t.getDate() === now.getDate();
  const clock = `${pad(t.getHours())}:${pad(t.getMinutes())}`;
  const abs = sameDay
    ? `${clock}:${pad(t.getSeconds())}`
    : `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())} ${clock}`;
  return `${abs} (${formatAge(now.getTime() - t.getTime())})`;
}

function formatAge(ms: number): string {
  if (ms < 0) return 'in the future';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

export function formatBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[u]}`;
}
