// Time zone names and abbreviations as each major's server knows them (data/timezones.json,
// generated from real servers by scripts/generateTimeZoneData.ts), and pg_tzset: which names
// and POSIX-style specifications a server accepts as a zone. Read on first use.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface TimeZoneData {
  /** server_version per major the data was read from */
  servers: Record<string, string>;
  /** zone name (canonical spelling) -> majors accepting it, e.g. "10-18", "13-18" */
  zones: Record<string, string>;
  /** the Default abbreviation table of the newest major: abbreviation -> [UTC offset in seconds, daylight saving] */
  abbreviations: Record<string, [number, boolean]>;
  /** differences of older majors' Default tables (null: absent there) */
  abbreviationsByMajor: Record<string, Record<string, [number, boolean] | null>>;
  /** abbreviations with several meanings in the timezonesets files (CST, IST, ...) */
  ambiguous: string[];
  /** PostgreSQL 18: the abbreviations each zone uses */
  zoneAbbreviations18: Record<string, string[]>;
}

let data: TimeZoneData | null = null;
const zoneIndex = new Map<number, Map<string, string>>();

/** pg_toupper in the C locale: ASCII letters only */
export function asciiUpper(s: string): string {
  return s.replace(/[a-z]+/g, (m) => m.toUpperCase());
}

function load(): TimeZoneData {
  data ??= JSON.parse(fs.readFileSync(path.join(__dirname, 'data', 'timezones.json'), 'utf8')) as TimeZoneData;
  return data;
}

function inRanges(r: string, major: number): boolean {
  return r.split(',').some((part) => {
    const [lo, hi] = part.split('-').map(Number);
    return major >= lo && major <= (hi ?? lo);
  });
}

/** upper-cased zone name -> canonical spelling, for one major */
function zones(major: number): Map<string, string> {
  let z = zoneIndex.get(major);
  if (!z) {
    z = new Map();
    for (const [name, r] of Object.entries(load().zones)) if (inRanges(r, major)) z.set(asciiUpper(name), name);
    zoneIndex.set(major, z);
  }
  return z;
}

/** The canonical spelling of a zone name this major knows (case-insensitive, as pg_open_tzfile), or null. */
export function zoneName(name: string, major: number): string | null {
  return zones(major).get(asciiUpper(name)) ?? null;
}

/** The Default table's meaning of an abbreviation on this major, or null. */
export function abbreviation(
  abbrev: string,
  major: number,
): { offset: number; dst: boolean; ambiguous: boolean } | null {
  const d = load();
  const key = asciiUpper(abbrev);
  const over = d.abbreviationsByMajor[String(major)];
  const v = over && key in over ? over[key] : d.abbreviations[key];
  return v ? { offset: v[0], dst: v[1], ambiguous: d.ambiguous.includes(key) } : null;
}

/** PostgreSQL 18: does the zone (canonical name) use this abbreviation? */
export function zoneUsesAbbreviation(zone: string, abbrev: string): boolean {
  return (load().zoneAbbreviations18[zone] ?? []).includes(asciiUpper(abbrev));
}

// ---------------------------------------------------------------------------------------------
// tzparse (src/timezone/localtime.c): POSIX TZ strings such as EST5EDT, JST-9, <+03>-3,
// CET-1CEST,M3.5.0,M10.5.0/3. Only whether the server accepts the string is modelled.

const TZ_STRLEN_MAX = 255;
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** getnum: digits within [min, max]; the index after them, or -1 */
function getnum(s: string, i: number, min: number, max: number): number {
  if (!isDigit(s[i])) return -1;
  let num = 0;
  while (isDigit(s[i])) {
    num = num * 10 + (s.charCodeAt(i) - 48);
    if (num > max) return -1;
    i++;
  }
  return num < min ? -1 : i;
}

/** getsecs: hh[:mm[:ss]] with hh up to 24*7-1 */
function getsecs(s: string, i: number): number {
  i = getnum(s, i, 0, 24 * 7 - 1);
  if (i < 0) return -1;
  if (s[i] === ':') {
    i = getnum(s, i + 1, 0, 59);
    if (i < 0) return -1;
    if (s[i] === ':') i = getnum(s, i + 1, 0, 60);
  }
  return i;
}

function getoffset(s: string, i: number): number {
  if (s[i] === '-' || s[i] === '+') i++;
  return getsecs(s, i);
}

/** getzname: up to a digit, ',', '-', '+' or the end */
function getzname(s: string, i: number): number {
  while (i < s.length && !isDigit(s[i]) && s[i] !== ',' && s[i] !== '-' && s[i] !== '+') i++;
  return i;
}

function getrule(s: string, i: number): number {
  if (s[i] === 'J') i = getnum(s, i + 1, 1, 365);
  else if (s[i] === 'M') {
    i = getnum(s, i + 1, 1, 12);
    if (i < 0 || s[i++] !== '.') return -1;
    i = getnum(s, i, 1, 5);
    if (i < 0 || s[i++] !== '.') return -1;
    i = getnum(s, i, 0, 6);
  } else if (isDigit(s[i])) i = getnum(s, i, 0, 365);
  else return -1;
  if (i < 0) return -1;
  if (s[i] === '/') i = getoffset(s, i + 1);
  return i;
}

/** Does tzparse(name, lastditch = false) accept the string? */
export function isPosixTimeZone(name: string): boolean {
  const s = name;
  let i = 0;
  let stdlen: number;
  if (s[i] === '<') {
    const start = ++i;
    while (i < s.length && s[i] !== '>') i++;
    if (s[i] !== '>') return false;
    stdlen = i - start;
    i++;
  } else {
    const start = i;
    i = getzname(s, i);
    stdlen = i - start;
  }
  if (i >= s.length) return false; // an offset is required
  i = getoffset(s, i);
  if (i < 0) return false;
  let charcnt = stdlen + 1;
  if (i < s.length) {
    let dstlen: number;
    if (s[i] === '<') {
      const start = ++i;
      while (i < s.length && s[i] !== '>') i++;
      if (s[i] !== '>') return false;
      dstlen = i - start;
      i++;
    } else {
      const start = i;
      i = getzname(s, i);
      dstlen = i - start;
    }
    if (dstlen === 0) return false;
    charcnt += dstlen + 1;
    if (i < s.length && s[i] !== ',' && s[i] !== ';') {
      i = getoffset(s, i);
      if (i < 0) return false;
    }
    if (i >= s.length) return charcnt <= 2 * (TZ_STRLEN_MAX + 1); // default rules
    if (s[i] !== ',' && s[i] !== ';') return false;
    i = getrule(s, i + 1);
    if (i < 0 || s[i++] !== ',') return false;
    i = getrule(s, i);
    if (i < 0 || i !== s.length) return false;
  } else if (i !== s.length) return false;
  return charcnt <= 2 * (TZ_STRLEN_MAX + 1);
}

/** pg_tzset: a zone name (case-insensitive), "GMT", or a POSIX TZ string. */
export function acceptsTimeZone(name: string, major: number): boolean {
  if (Buffer.byteLength(name, 'latin1') > TZ_STRLEN_MAX) return false;
  const upper = asciiUpper(name);
  if (upper === 'GMT') return true;
  // tzload skips one leading ':' (the POSIX "implementation-defined" form); tzparse then refuses it
  if (zoneName(name.startsWith(':') ? name.slice(1) : name, major) !== null) return true;
  return upper[0] !== ':' && isPosixTimeZone(upper);
}
