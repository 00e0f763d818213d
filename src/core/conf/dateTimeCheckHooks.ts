// Check hooks of the date/time settings: DateStyle (check_datestyle), TimeZone (check_timezone),
// log_timezone (check_log_timezone) and the zone part of recovery_target_time (12+, parsed by
// ParseDateTime/DecodeDateTime while the configuration is read). Zone names come from the real
// servers of each major (src/core/catalog/data/timezones.json).
//
// At that moment the abbreviation table (timezone_abbreviations) is not loaded unless the file set
// it earlier, so `JST` or `CEST` make the server refuse to start while `EST`, `CET` or `UTC` (which
// are also zone names) pass; PostgreSQL 18 also knows the abbreviations of a TimeZone set earlier.
import { abbreviation, acceptsTimeZone, asciiUpper, zoneName, zoneUsesAbbreviation } from '../catalog/timeZones';
import { cStrtod } from './valueValidation';

export interface DateTimeFailure {
  detail?: string;
  /** an ERROR raised inside the parse (12-15: "time zone "x" not recognized"): startup ends at once */
  fatal?: string;
}

/** What earlier lines of the file being read changed, as the server applies them in order. */
export interface DateTimeSession {
  /** timezone_abbreviations was set (the table is loaded) */
  abbreviationsLoaded: boolean;
  /** the TimeZone in effect: a zone name (canonical), a POSIX spec (upper case), or null for the boot value GMT */
  timeZone: string | null;
  /** DateStyle's reset value (what DEFAULT stands for): the boot value, or the last accepted file value */
  dateStyleReset: string;
}

export function newDateTimeSession(): DateTimeSession {
  return { abbreviationsLoaded: false, timeZone: null, dateStyleReset: 'ISO, MDY' };
}

// ---------------------------------------------------------------------------------------------
// DateStyle

const isScannerSpace = (c: string | undefined): boolean =>
  c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';

/** SplitIdentifierString(value, ','): unquoted names are down-cased, "quoted" ones kept; null on a syntax error. */
export function splitIdentifierList(value: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  while (isScannerSpace(value[i])) i++;
  if (i >= value.length) return out;
  for (;;) {
    let name: string;
    if (value[i] === '"') {
      name = '';
      i++;
      for (;;) {
        const end = value.indexOf('"', i);
        if (end < 0) return null;
        name += value.slice(i, end);
        if (value[end + 1] !== '"') {
          i = end + 1;
          break;
        }
        name += '"';
        i = end + 2;
      }
    } else {
      const start = i;
      while (i < value.length && value[i] !== ',' && !isScannerSpace(value[i])) i++;
      if (i === start) return null;
      name = value.slice(start, i).replace(/[A-Z]+/g, (m) => m.toLowerCase());
    }
    while (isScannerSpace(value[i])) i++;
    // NAMEDATALEN - 1 bytes
    out.push(Buffer.from(name, 'latin1').subarray(0, 63).toString('latin1'));
    if (value[i] === ',') {
      i++;
      while (isScannerSpace(value[i])) i++;
    } else if (i >= value.length) return out;
    else return null;
  }
}

type Style = 'ISO' | 'SQL' | 'POSTGRES' | 'GERMAN';
type Order = 'YMD' | 'DMY' | 'MDY';

type DateStyleResult = { ok: true; style: Style; order: Order } | { ok: false; detail?: string };

function parseDateStyle(value: string, reset: string, depth: number): DateStyleResult {
  const list = splitIdentifierList(value);
  if (list === null) return { ok: false, detail: 'List syntax is invalid.' };
  let style: Style = 'ISO';
  let order: Order = 'MDY';
  let haveStyle = false;
  let haveOrder = false;
  let ok = true;
  const setStyle = (s: Style): void => {
    if (haveStyle && style !== s) ok = false;
    style = s;
    haveStyle = true;
  };
  const setOrder = (o: Order): void => {
    if (haveOrder && order !== o) ok = false;
    order = o;
    haveOrder = true;
  };
  for (const tok of list) {
    const t = tok.toLowerCase();
    if (t === 'iso') setStyle('ISO');
    else if (t === 'sql') setStyle('SQL');
    else if (t.startsWith('postgres')) setStyle('POSTGRES');
    else if (t === 'german') {
      setStyle('GERMAN');
      if (!haveOrder) order = 'DMY';
    } else if (t === 'ymd') setOrder('YMD');
    else if (t === 'dmy' || t.startsWith('euro')) setOrder('DMY');
    else if (t === 'mdy' || t === 'us' || t.startsWith('noneuro')) setOrder('MDY');
    else if (t === 'default' && depth < 2) {
      const sub = parseDateStyle(reset, 'ISO, MDY', depth + 1);
      if (!sub.ok) {
        ok = false;
        break;
      }
      if (!haveStyle) style = sub.style;
      if (!haveOrder) order = sub.order;
    } else return { ok: false, detail: `Unrecognized key word: "${tok}".` };
  }
  if (!ok) return { ok: false };
  return { ok: true, style, order };
}

/** check_datestyle */
export function checkDateStyle(value: string, major: number, session: DateTimeSession): DateTimeFailure | undefined {
  const r = parseDateStyle(value, session.dateStyleReset, 0);
  if (r.ok) {
    session.dateStyleReset = value;
    return undefined;
  }
  return r.detail !== undefined
    ? { detail: r.detail }
    : { detail: `Conflicting "${major >= 18 ? 'DateStyle' : 'datestyle'}" specifications.` };
}

// ---------------------------------------------------------------------------------------------
// TimeZone and log_timezone

/** check_timezone: a number of hours, INTERVAL '…' (not modelled: accepted), or a zone for pg_tzset */
export function checkTimeZone(value: string, major: number, session: DateTimeSession): DateTimeFailure | undefined {
  if (/^interval/i.test(value)) return undefined;
  const num = cStrtod(value);
  if (num.end > 0 && num.end === value.length) {
    // pg_tzset_offset: the seconds (truncated) must fit tzparse's hh <= 167
    const seconds = Math.trunc(-num.value * 3600);
    if (!Number.isFinite(num.value) || Math.abs(seconds) >= 168 * 3600)
      return { detail: 'UTC timezone offset is out of range.' };
    session.timeZone = null;
    return undefined;
  }
  if (!acceptsTimeZone(value, major)) return {};
  session.timeZone = zoneName(value, major) ?? asciiUpper(value);
  return undefined;
}

/** check_log_timezone: pg_tzset only */
export function checkLogTimeZone(value: string, major: number): DateTimeFailure | undefined {
  return acceptsTimeZone(value, major) ? undefined : {};
}

/** check_timezone_abbreviations: only whether the table gets loaded (file names are not checked here) */
export function noteTimeZoneAbbreviations(value: string, session: DateTimeSession): void {
  if (/^[A-Za-z]+$/.test(value)) session.abbreviationsLoaded = true;
}

// ---------------------------------------------------------------------------------------------
// recovery_target_time

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const FULL_MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
  'sept',
];
const DAYS = [
  'sun',
  'mon',
  'tue',
  'tues',
  'wed',
  'wednes',
  'thu',
  'thur',
  'thurs',
  'fri',
  'sat',
  'sunday',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
];
/** datetktbl words that are not zones and are fine inside a timestamp */
const NON_ZONE_WORDS = new Set(['am', 'pm', 'ad', 'bc', 't', 'allballs', 'on', 'at']);
/** datetktbl UNITS words (ISO 8601 "y2024m01..." forms): not modelled, and never a zone */
const UNIT_WORDS = new Set(['y', 'm', 'd', 'h', 'mm', 's', 'j']);
const SPECIAL = new Set([
  'now',
  'today',
  'tomorrow',
  'yesterday',
  'epoch',
  'infinity',
  '-infinity',
  'invalid',
  'current',
]);

interface Field {
  kind: 'number' | 'date' | 'time' | 'tz' | 'string' | 'alpha-date';
  text: string;
}

/** ParseDateTime's split of a timestamp into fields (lower-cased); null on a character it refuses */
function fieldsOf(value: string): Field[] | null {
  const out: Field[] = [];
  const s = value;
  let i = 0;
  const isD = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
  const isA = (c: string | undefined) => c !== undefined && /[A-Za-z]/.test(c);
  while (i < s.length) {
    const c = s[i];
    if (isD(c)) {
      const start = i;
      while (isD(s[i])) i++;
      if (s[i] === ':') {
        while (isD(s[i]) || s[i] === ':' || s[i] === '.') i++;
        out.push({ kind: 'time', text: s.slice(start, i) });
      } else if (s[i] === '-' || s[i] === '/' || s[i] === '.') {
        const delim = s[i++];
        if (isD(s[i])) {
          // second part all digits: no text month; three parts need matching delimiters
          while (isD(s[i])) i++;
          if (s[i] === delim) {
            i++;
            while (isD(s[i]) || s[i] === delim) i++;
          } else if (delim === '.') {
            out.push({ kind: 'number', text: s.slice(start, i) });
            continue;
          }
        } else while (isD(s[i]) || isA(s[i]) || s[i] === delim) i++;
        out.push({ kind: 'date', text: s.slice(start, i).toLowerCase() });
      } else out.push({ kind: 'number', text: s.slice(start, i) });
    } else if (c === '+' || c === '-') {
      const start = i++;
      while (s[i] === ' ') i++;
      if (isD(s[i])) {
        while (isD(s[i]) || s[i] === ':' || s[i] === '.') i++;
        out.push({ kind: 'tz', text: s.slice(start, i).replace(/ /g, '') });
      } else if (isA(s[i])) {
        while (isA(s[i])) i++;
        out.push({ kind: 'string', text: s.slice(start, i).toLowerCase() });
      } else return null;
    } else if (isA(c)) {
      const start = i;
      while (isA(s[i])) i++;
      const word = s.slice(start, i).toLowerCase();
      const next = s[i];
      const zoneLike =
        next === '/' ||
        next === '-' ||
        next === '.' ||
        ((next === '+' || isD(next)) && !NON_ZONE_WORDS.has(word) && !UNIT_WORDS.has(word) && !MONTHS.includes(word));
      if (zoneLike) {
        while (
          i < s.length &&
          (s[i] === '+' ||
            s[i] === '-' ||
            s[i] === '/' ||
            s[i] === '_' ||
            s[i] === '.' ||
            s[i] === ':' ||
            isD(s[i]) ||
            isA(s[i]))
        )
          i++;
        out.push({ kind: 'alpha-date', text: s.slice(start, i) });
      } else out.push({ kind: 'string', text: word });
    } else if (
      c === ' ' ||
      c === '\t' ||
      c === '\n' ||
      c === '\r' ||
      c === '\f' ||
      c === '\v' ||
      /[!-/:-@[-`{-~]/.test(c)
    )
      i++;
    else return null;
  }
  return out;
}

function daysIn(month: number, year: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function validDate(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= daysIn(m, y);
}

function validTime(t: string): boolean {
  const m = /^(\d+):(\d+)(?::(\d+)(?:\.\d*)?)?$/.exec(t);
  if (!m) return false;
  const [h, mi, se] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  return mi < 60 && se <= 60 && (h < 24 || (h === 24 && mi === 0 && se === 0));
}

/** DecodeTimezone: +hh, +hhmm, +hh:mm[:ss] with hh <= 15 */
function validOffset(t: string): boolean {
  const m = /^[+-](\d+)(?::(\d+)(?::(\d+))?)?(?:\.\d+)?$/.exec(t);
  if (!m) return false;
  let h = Number(m[1]);
  let mi = Number(m[2] ?? 0);
  if (m[2] === undefined && m[1].length > 2) {
    h = Math.floor(Number(m[1]) / 100);
    mi = Number(m[1]) % 100;
    if (m[1].length > 4) return false;
  }
  return h <= 15 && mi < 60 && Number(m[3] ?? 0) < 60;
}

/** The server knows this zone word while reading the file: abbreviation table, 18's current zone, or a zone name. */
function knownZoneWord(word: string, major: number, session: DateTimeSession): boolean {
  if (session.abbreviationsLoaded && abbreviation(word, major) !== null) return true;
  if (major >= 18) {
    const upper = asciiUpper(word);
    if (upper === 'GMT' && session.timeZone === null) return true;
    const tz = session.timeZone;
    if (tz !== null && (zoneUsesAbbreviation(tz, upper) || tz.split(/[^A-Z]+/).includes(upper))) return true;
  }
  return zoneName(word, major) !== null;
}

/** What is wrong with recovery_target_time for a server of this major reading it now; undefined when accepted (or not modelled). */
export function checkRecoveryTargetTime(
  value: string,
  major: number,
  session: DateTimeSession,
): DateTimeFailure | undefined {
  if (value === '') return undefined;
  if (['now', 'today', 'tomorrow', 'yesterday'].includes(value)) return {};
  const fields = fieldsOf(value);
  if (fields === null) return {};
  let date = false;
  let zones = 0;
  let monthName = false;
  let numbers = 0;
  for (const f of fields) {
    switch (f.kind) {
      case 'date': {
        const p = f.text.split(/[-/.]/);
        if (p.length !== 3 || p.some((x) => !/^\d+$/.test(x))) {
          if (p.some((x) => MONTHS.includes(x.slice(0, 3)))) {
            date = true;
            break;
          }
          return undefined; // a form not modelled: leave it to the server
        }
        const [a, b, c] = p.map(Number);
        const ok =
          p[0].length >= 3
            ? validDate(a, b, c)
            : f.text.includes('.')
              ? validDate(c, b, a)
              : validDate(c, a, b) || validDate(c, b, a);
        if (!ok || date) return {};
        date = true;
        break;
      }
      case 'time':
        if (!validTime(f.text)) return {};
        break;
      case 'tz':
        if (!validOffset(f.text)) return {};
        zones++;
        break;
      case 'number':
        if (f.text.length === 8 && !date) {
          if (!validDate(Number(f.text.slice(0, 4)), Number(f.text.slice(4, 6)), Number(f.text.slice(6)))) return {};
          date = true;
        } else numbers++;
        break;
      case 'string':
        if (SPECIAL.has(f.text) || UNIT_WORDS.has(f.text)) return {};
        if (MONTHS.includes(f.text) || FULL_MONTHS.includes(f.text)) monthName = true;
        else if (DAYS.includes(f.text) || NON_ZONE_WORDS.has(f.text)) break;
        else if (knownZoneWord(f.text, major, session)) zones++;
        else return {};
        break;
      case 'alpha-date':
        // 12-15 raise an ERROR for an unknown zone name with punctuation; 16+ report a soft error
        if (!acceptsTimeZone(f.text, major))
          return major <= 15 && date
            ? { fatal: `time zone "${f.text.replace(/[A-Z]+/g, (m) => m.toLowerCase())}" not recognized` }
            : {};
        zones++;
        break;
    }
  }
  if (monthName && numbers >= 2) date = true;
  // a stray number after a complete date is an error
  if (!monthName && numbers > 0) return {};
  if (!date || zones > 1) return {};
  return undefined;
}

/** A zone word in recovery_target_time that stops the server, with its Default-table meaning (for messages). */
export function refusedZoneWord(
  value: string,
  major: number,
  session: DateTimeSession = newDateTimeSession(),
): { word: string; offset: number | null; ambiguous: boolean } | null {
  const fields = fieldsOf(value) ?? [];
  for (const f of fields) {
    if (
      f.kind !== 'string' ||
      SPECIAL.has(f.text) ||
      UNIT_WORDS.has(f.text) ||
      MONTHS.includes(f.text) ||
      FULL_MONTHS.includes(f.text) ||
      DAYS.includes(f.text) ||
      NON_ZONE_WORDS.has(f.text)
    )
      continue;
    if (knownZoneWord(f.text, major, session)) continue;
    const a = abbreviation(f.text, major);
    return { word: asciiUpper(f.text), offset: a ? a.offset : null, ambiguous: a ? a.ambiguous : false };
  }
  return null;
}

/** The zone written in a timestamp (a numeric offset or a zone word), or null when it has none. */
export function zoneOfTimestamp(value: string): { kind: 'offset' | 'word'; text: string } | null {
  for (const f of fieldsOf(value) ?? []) {
    if (f.kind === 'tz') return { kind: 'offset', text: f.text };
    if (f.kind === 'alpha-date') return { kind: 'word', text: f.text };
    if (
      f.kind === 'string' &&
      !SPECIAL.has(f.text) &&
      !UNIT_WORDS.has(f.text) &&
      !MONTHS.includes(f.text) &&
      !FULL_MONTHS.includes(f.text) &&
      !DAYS.includes(f.text) &&
      !NON_ZONE_WORDS.has(f.text)
    ) {
      return { kind: 'word', text: f.text };
    }
  }
  return null;
}

/** The ISO date (year, month, day) a timestamp starts with, when it has one. */
export function dateOfTimestamp(value: string): { year: number; month: number; day: number } | null {
  const m = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})/.exec(value);
  return m ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) } : null;
}
