// Wall-clock time in a named zone (IANA, through Intl): the axis' ticks at round local times
// (midnights are local midnights, across daylight-saving changes), their labels, the zone's
// offset, and moments written with it ("2026-11-24 10:31:05+01:00", the form the recovery wizard
// writes as recovery_target_time). No Date method that depends on the process' own zone is used.

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** A zone Intl knows, else 'UTC'. */
export function checkedZone(zone: string | undefined): string {
  if (!zone) return 'UTC';
  try {
    formatter(zone);
    return zone;
  } catch {
    return 'UTC';
  }
}

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Mon, Tue, ... */
  weekday: string;
  /** minutes east of UTC at that instant */
  offset: number;
}

/** The zone's offset at `ms` from Intl (slow: tens of microseconds). */
function intlOffset(ms: number, zone: string): number {
  const p: Record<string, string> = {};
  for (const part of formatter(zone).formatToParts(new Date(ms))) p[part.type] = part.value;
  const asUtc = Date.UTC(
    Number(p.year),
    Number(p.month) - 1,
    Number(p.day),
    Number(p.hour),
    Number(p.minute),
    Number(p.second),
  );
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

/** Offsets by zone and quarter hour: zones change offset on quarter hours of UTC, so one Intl call serves each. */
const offsets = new Map<string, Map<number, number>>();
const QUARTER = 900_000;

/** Minutes east of UTC in `zone` at `ms`. */
export function zoneOffset(ms: number, zone: string): number {
  let byQuarter = offsets.get(zone);
  if (!byQuarter || byQuarter.size > 50_000) offsets.set(zone, (byQuarter = new Map()));
  const q = Math.floor(ms / QUARTER);
  let o = byQuarter.get(q);
  if (o === undefined) byQuarter.set(q, (o = intlOffset(q * QUARTER, zone)));
  return o;
}

/** The wall clock of `zone` at `ms`. */
export function wallTime(ms: number, zone: string): WallTime {
  const offset = zoneOffset(ms, zone);
  const d = new Date(Math.floor(ms / 1000) * 1000 + offset * 60_000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: WEEKDAYS[d.getUTCDay()]!,
    offset,
  };
}

/** The instant a wall-clock time of `zone` names (for a time a change skips, the one after it). */
export function instantOf(zone: string, y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number {
  const guess = Date.UTC(y, mo - 1, d, h, mi, s);
  const first = guess - wallTime(guess, zone).offset * 60_000;
  const second = guess - wallTime(first, zone).offset * 60_000;
  return wallTime(second, zone).offset === wallTime(first, zone).offset ? second : Math.max(first, second);
}

/** "+01:00", "-03:30", "+00:00" */
export function formatOffset(minutes: number): string {
  const a = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2026-11-24 10:31:05+01:00": a moment in the zone, with its offset (recovery_target_time accepts it). */
export function formatMoment(ms: number, zone: string): string {
  const w = wallTime(ms, zone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${formatOffset(w.offset)}`;
}

/** "Tue 24 Nov 2026 10:31:05" without the offset, for labels that show the zone elsewhere. */
export function formatShort(ms: number, zone: string): string {
  const w = wallTime(ms, zone);
  return `${w.weekday} ${w.day} ${MONTHS[w.month - 1]} ${w.year} ${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
}

/** "3 h 20 min", "45 s", "12 days" */
export function formatDuration(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  return `${Math.round(h / 24)} days`;
}

type Unit = 'second' | 'minute' | 'hour' | 'day' | 'month' | 'year';
interface Step {
  unit: Unit;
  n: number;
  /** nominal length, to choose a step */
  ms: number;
}

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const STEPS: Step[] = [
  ...[1, 2, 5, 10, 15, 30].map((n) => ({ unit: 'second' as const, n, ms: n * S })),
  ...[1, 2, 5, 10, 15, 30].map((n) => ({ unit: 'minute' as const, n, ms: n * M })),
  ...[1, 2, 3, 6, 12].map((n) => ({ unit: 'hour' as const, n, ms: n * H })),
  ...[1, 2, 7, 14].map((n) => ({ unit: 'day' as const, n, ms: n * D })),
  ...[1, 3, 6].map((n) => ({ unit: 'month' as const, n, ms: n * 30 * D })),
  ...[1, 2, 5, 10].map((n) => ({ unit: 'year' as const, n, ms: n * 365 * D })),
];

export interface Tick {
  ms: number;
  /** "10:30", "10:30:15", "Tue 24", "Nov", "2027" */
  label: string;
  /** the first tick of a new day (month, year) at this step: the second row names it */
  major: string | null;
}

export interface Axis {
  ticks: Tick[];
  /** "Europe/Paris · UTC+01:00", or with the change: "Europe/Paris · UTC+01:00 → +02:00 (Sun 29 Mar 03:00)" */
  zoneLabel: string;
  /** the label of the leftmost day (month, year), for the start of the second row */
  firstMajor: string;
}

/** Round local times between `from` and `to` for `width` pixels (about one label per `spacing` px). */
export function axisTicks(from: number, to: number, width: number, zone: string, spacing = 110): Axis {
  const span = Math.max(1, to - from);
  const wanted = (span * spacing) / Math.max(1, width);
  const step = STEPS.find((s) => s.ms >= wanted) ?? STEPS[STEPS.length - 1]!;
  const ticks: Tick[] = [];
  let t = floorTo(from, step, zone);
  let prev: WallTime | null = null;
  for (let guard = 0; t <= to && guard < 1000; guard++) {
    if (t >= from) {
      const w = wallTime(t, zone);
      ticks.push({ ms: t, label: label(w, step), major: majorOf(w, prev, step) });
      prev = w;
    }
    const next = advance(t, step, zone);
    t = next > t ? next : t + step.ms;
  }
  const start = wallTime(from, zone);
  const end = wallTime(to, zone);
  let zoneLabel = `${zone} · UTC${formatOffset(start.offset)}`;
  if (end.offset !== start.offset) {
    // find the change by bisection (to the second)
    let lo = from;
    let hi = to;
    while (hi - lo > 1000) {
      const mid = Math.floor((lo + hi) / 2);
      if (wallTime(mid, zone).offset === start.offset) lo = mid;
      else hi = mid;
    }
    const w = wallTime(hi, zone);
    zoneLabel += ` → ${formatOffset(end.offset)} (${w.weekday} ${w.day} ${MONTHS[w.month - 1]} ${pad(w.hour)}:${pad(w.minute)})`;
  }
  return { ticks, zoneLabel, firstMajor: majorText(start, step) };
}

function floorTo(ms: number, step: Step, zone: string): number {
  const w = wallTime(ms, zone);
  switch (step.unit) {
    case 'second':
      return instantOf(zone, w.year, w.month, w.day, w.hour, w.minute, w.second - (w.second % step.n));
    case 'minute':
      return instantOf(zone, w.year, w.month, w.day, w.hour, w.minute - (w.minute % step.n));
    case 'hour':
      return instantOf(zone, w.year, w.month, w.day, w.hour - (w.hour % step.n));
    case 'day':
      return step.n === 7 || step.n === 14
        ? instantOf(zone, w.year, w.month, w.day - ((WEEKDAYS.indexOf(w.weekday) + 6) % 7))
        : instantOf(zone, w.year, w.month, w.day);
    case 'month':
      return instantOf(zone, w.year, w.month - ((w.month - 1) % step.n), 1);
    case 'year':
      return instantOf(zone, w.year - (w.year % step.n), 1, 1);
  }
}

function advance(ms: number, step: Step, zone: string): number {
  if (step.unit === 'second' || step.unit === 'minute') return ms + step.ms;
  const w = wallTime(ms, zone);
  switch (step.unit) {
    case 'hour':
      // by the clock: 6-hourly ticks stay at 00, 06, 12, 18 across a change
      return instantOf(zone, w.year, w.month, w.day, w.hour + step.n);
    case 'day':
      return instantOf(zone, w.year, w.month, w.day + step.n);
    case 'month':
      return instantOf(zone, w.year, w.month + step.n, 1);
    default:
      return instantOf(zone, w.year + step.n, 1, 1);
  }
}

function label(w: WallTime, step: Step): string {
  switch (step.unit) {
    case 'second':
      return `${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
    case 'minute':
    case 'hour':
      return `${pad(w.hour)}:${pad(w.minute)}`;
    case 'day':
      return `${w.weekday} ${w.day}`;
    case 'month':
      return MONTHS[w.month - 1]!;
    case 'year':
      return String(w.year);
  }
}

function majorText(w: WallTime, step: Step): string {
  if (step.unit === 'day') return `${MONTHS[w.month - 1]} ${w.year}`;
  if (step.unit === 'month' || step.unit === 'year') return String(w.year);
  return `${w.weekday} ${w.day} ${MONTHS[w.month - 1]} ${w.year}`;
}

function majorOf(w: WallTime, prev: WallTime | null, step: Step): string | null {
  if (!prev) return null;
  if (step.unit === 'day') return w.month !== prev.month || w.year !== prev.year ? majorText(w, step) : null;
  if (step.unit === 'month') return w.year !== prev.year ? String(w.year) : null;
  if (step.unit === 'year') return null;
  return w.day !== prev.day || w.month !== prev.month || w.year !== prev.year ? majorText(w, step) : null;
}
