// parse_bool / parse_int / parse_real / config_enum_lookup_by_name and the range checks of
// parse_and_validate_value (guc.c), with the differences between majors that real servers show.
import type { CatalogParameter } from '../catalog/types';
import { formatG } from './cFormat';

export interface ValueError {
  message: string;
  hint?: string;
  /** the value is valid only on some builds of this major (e.g. lz4): information, not an error */
  buildDependent?: boolean;
}

export type ValidationResult = { ok: true; normalized: string | number | boolean } | { ok: false; error: ValueError };

const MEMORY_HINT = 'Valid units for this parameter are "B", "kB", "MB", "GB", and "TB".';
const MEMORY_HINT_OLD = 'Valid units for this parameter are "kB", "MB", "GB", and "TB".';
const TIME_HINT = 'Valid units for this parameter are "us", "ms", "s", "min", "h", and "d".';
const TIME_HINT_OLD = 'Valid units for this parameter are "ms", "s", "min", "h", and "d".';

const MEMORY_UNITS = new Set(['B', 'kB', 'MB', '8kB']);

// multipliers from each written unit to bytes / milliseconds
const MEMORY_IN_BYTES: Array<[string, number]> = [
  ['TB', 1024 ** 4],
  ['GB', 1024 ** 3],
  ['MB', 1024 ** 2],
  ['kB', 1024],
  ['B', 1],
];
const TIME_IN_MS: Array<[string, number]> = [
  ['d', 86400000],
  ['h', 3600000],
  ['min', 60000],
  ['s', 1000],
  ['ms', 1],
  ['us', 0.001],
];

function baseUnitSize(unit: string): number {
  switch (unit) {
    case 'B':
      return 1;
    case 'kB':
      return 1024;
    case 'MB':
      return 1024 * 1024;
    case '8kB':
      return 8192;
    case 'ms':
      return 1;
    case 's':
      return 1000;
    case 'min':
      return 60000;
    default:
      return 1;
  }
}

function isCSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
}

/** C strtol(s, &end, 0) on a 64-bit long. */
export function cStrtol(s: string): { value: number; big: bigint; end: number; overflow: boolean } {
  let i = 0;
  while (i < s.length && isCSpace(s[i])) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') {
    neg = s[i] === '-';
    i++;
  }
  let base = 10;
  let digitsStart = i;
  if (s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && /[0-9a-fA-F]/.test(s[i + 2] ?? '')) {
    base = 16;
    digitsStart = i + 2;
  } else if (s[i] === '0') {
    base = 8;
  }
  let j = digitsStart;
  const re = base === 16 ? /[0-9a-fA-F]/ : base === 8 ? /[0-7]/ : /[0-9]/;
  while (j < s.length && re.test(s[j])) j++;
  if (j === digitsStart) return { value: 0, big: 0n, end: 0, overflow: false };
  let big =
    base === 16
      ? BigInt('0x' + s.slice(digitsStart, j))
      : base === 8
        ? BigInt('0o' + s.slice(digitsStart, j))
        : BigInt(s.slice(digitsStart, j));
  if (neg) big = -big;
  const max = 2n ** 63n - 1n;
  const min = -(2n ** 63n);
  let overflow = false;
  if (big > max) {
    big = max;
    overflow = true;
  } else if (big < min) {
    big = min;
    overflow = true;
  }
  return { value: Number(big), big, end: j, overflow };
}

/** C strtod: decimal and hex floats, inf/infinity/nan. */
export function cStrtod(s: string): { value: number; end: number; overflow: boolean } {
  let i = 0;
  while (i < s.length && isCSpace(s[i])) i++;
  const rest = s.slice(i);
  const m =
    /^[+-]?(?:0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?[0-9]+)?|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf(?:inity)?|nan(?:\([0-9A-Za-z_]*\))?)/i.exec(
      rest,
    );
  if (!m) return { value: 0, end: 0, overflow: false };
  const t = m[0];
  let v: number;
  const neg = t.startsWith('-');
  const body = t.replace(/^[+-]/, '');
  if (/^inf/i.test(body)) v = Infinity;
  else if (/^nan/i.test(body)) v = NaN;
  else if (/^0x/i.test(body)) v = parseHexFloat(body);
  else v = Number(body);
  if (neg) v = -v;
  const overflow = Number.isFinite(v) === false && !/^[+-]?(inf|nan)/i.test(t);
  // glibc sets ERANGE on underflow: a subnormal result, or zero from a non-zero literal
  const underflow =
    (v !== 0 && Number.isFinite(v) && Math.abs(v) < 2.2250738585072014e-308) ||
    (v === 0 && /[1-9]/.test(body.replace(/[eE].*$/, '')) && !/^0x/i.test(body));
  return { value: v, end: i + t.length, overflow: overflow || underflow };
}

function parseHexFloat(body: string): number {
  const m = /^0x([0-9a-f]*)\.?([0-9a-f]*)(?:p([+-]?[0-9]+))?$/i.exec(body);
  if (!m) return NaN;
  const mant = (m[1] || '0') + (m[2] || '');
  const exp = (m[3] ? parseInt(m[3], 10) : 0) - 4 * (m[2] || '').length;
  return Number(BigInt('0x' + mant)) * Math.pow(2, exp);
}

/** rint(): round half to even, as the C library does in the default rounding mode. */
export function rint(x: number): number {
  if (!Number.isFinite(x)) return x;
  const f = Math.floor(x);
  const diff = x - f;
  if (diff < 0.5) return f;
  if (diff > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/** parse_bool_with_len */
export function parseBool(value: string): boolean | null {
  const len = value.length;
  if (len === 0) return null;
  const lower = value.replace(/[A-Z]/g, (c) => c.toLowerCase());
  switch (lower[0]) {
    case 't':
      return 'true'.startsWith(lower) ? true : null;
    case 'f':
      return 'false'.startsWith(lower) ? false : null;
    case 'y':
      return 'yes'.startsWith(lower) ? true : null;
    case 'n':
      return 'no'.startsWith(lower) ? false : null;
    case 'o':
      // 'o' alone is not unique: "on" exactly, or a prefix of "off" of at least two letters
      if (lower === 'on') return true;
      if (len >= 2 && 'off'.startsWith(lower)) return false;
      return null;
    case '1':
      return len === 1 ? true : null;
    case '0':
      return len === 1 ? false : null;
    default:
      return null;
  }
}

interface UnitParse {
  ok: boolean;
  value: number;
}

function splitUnit(rest: string): string | null {
  // unit: up to MAX_UNIT_LEN (3) non-space chars, then only whitespace
  let i = 0;
  let unit = '';
  while (i < rest.length && !isCSpace(rest[i]) && unit.length < 3) unit += rest[i++];
  while (i < rest.length && isCSpace(rest[i])) i++;
  if (i < rest.length) return null;
  return unit;
}

/** convert_to_base_unit (PG12+: double arithmetic with rounding to the next smaller unit). */
function convertToBaseUnit(value: number, unitText: string, baseUnit: string, major: number): UnitParse {
  const unit = splitUnit(unitText);
  if (unit === null) return { ok: false, value: 0 };
  const memory = MEMORY_UNITS.has(baseUnit);
  const table = memory ? MEMORY_IN_BYTES : TIME_IN_MS;
  const base = baseUnitSize(baseUnit);
  const idx = table.findIndex(([u]) => u === unit);
  if (idx < 0) return { ok: false, value: 0 };
  if (memory && unit === 'B' && major < 11) return { ok: false, value: 0 };
  if (!memory && unit === 'us' && major < 12) return { ok: false, value: 0 };
  // units smaller than the base unit exist in the table only from PG12 (B, us) or where listed
  const mult = table[idx][1] / base;
  if (major >= 12) {
    let cvalue = value * mult;
    const next = table[idx + 1];
    if (next) {
      const nextMult = next[1] / base;
      cvalue = rint(cvalue / nextMult) * nextMult;
    }
    return { ok: true, value: cvalue };
  }
  // PG10/11: int64 arithmetic; a unit smaller than the base unit divides (truncating)
  if (table[idx][1] < base) {
    if (table[idx][1] === 0.001) return { ok: false, value: 0 };
    return { ok: true, value: Math.trunc(value / (base / table[idx][1])) };
  }
  return { ok: true, value: value * mult };
}

function unitHint(baseUnit: string, major: number): string {
  if (MEMORY_UNITS.has(baseUnit)) return major >= 11 ? MEMORY_HINT : MEMORY_HINT_OLD;
  return major >= 12 ? TIME_HINT : TIME_HINT_OLD;
}

/** parse_int */
export function parseInt32(
  value: string,
  unit: string | null,
  major: number,
): { ok: true; value: number } | { ok: false; hint?: string } {
  if (major >= 12) {
    let r = cStrtol(value);
    let val: number = r.value;
    let end = r.end;
    let overflow = r.overflow;
    const stop = value[end];
    if (stop === '.' || stop === 'e' || stop === 'E' || overflow) {
      const d = cStrtod(value);
      val = d.value;
      end = d.end;
      overflow = d.overflow;
    }
    if (end === 0 || overflow) return { ok: false };
    if (Number.isNaN(val)) return { ok: false };
    let i = end;
    while (i < value.length && isCSpace(value[i])) i++;
    if (i < value.length) {
      if (!unit) return { ok: false };
      const c = convertToBaseUnit(val, value.slice(i), unit, major);
      if (!c.ok) return { ok: false, hint: unitHint(unit, major) };
      val = c.value;
    }
    val = rint(val);
    if (val > 2147483647 || val < -2147483648) return { ok: false, hint: 'Value exceeds integer range.' };
    return { ok: true, value: val };
  }
  // PG10/11
  const r = cStrtol(value);
  if (r.end === 0) return { ok: false };
  if (r.overflow || r.big > 2147483647n || r.big < -2147483648n)
    return { ok: false, hint: 'Value exceeds integer range.' };
  let val = r.value;
  let i = r.end;
  while (i < value.length && isCSpace(value[i])) i++;
  if (i < value.length) {
    if (!unit) return { ok: false };
    const c = convertToBaseUnit(val, value.slice(i), unit, major);
    if (!c.ok) return { ok: false, hint: unitHint(unit, major) };
    val = c.value;
    if (val > 2147483647 || val < -2147483648) return { ok: false, hint: 'Value exceeds integer range.' };
  }
  return { ok: true, value: val };
}

/** parse_real */
export function parseReal(
  value: string,
  unit: string | null,
  major: number,
): { ok: true; value: number } | { ok: false; hint?: string } {
  const d = cStrtod(value);
  if (d.end === 0 || d.overflow) return { ok: false };
  let val = d.value;
  if (Number.isNaN(val)) return { ok: false };
  let i = d.end;
  while (i < value.length && isCSpace(value[i])) i++;
  if (i < value.length) {
    if (!unit || major < 12) return { ok: false };
    const c = convertToBaseUnit(val, value.slice(i), unit, major);
    if (!c.ok) return { ok: false, hint: unitHint(unit, major) };
    val = c.value;
  }
  return { ok: true, value: val };
}

/** PostgreSQL 18 names the parameter as its catalog does; earlier majors repeat what the file says. */
export function messageName(param: CatalogParameter, writtenName: string, major: number): string {
  return major >= 18 ? param.name : writtenName;
}

/** Validates one value of a known parameter; messages are worded as the server words them. */
export function validateValue(
  param: CatalogParameter,
  writtenName: string,
  value: string,
  major: number,
): ValidationResult {
  const name = messageName(param, writtenName, major);
  const invalid = (hint?: string): ValidationResult => ({
    ok: false,
    error: { message: `invalid value for parameter "${name}": "${value}"`, hint },
  });
  switch (param.type) {
    case 'bool': {
      const b = parseBool(value);
      if (b === null) return { ok: false, error: { message: `parameter "${name}" requires a Boolean value` } };
      // e.g. bonjour = on: refused by builds without Bonjour support
      if (param.buildDependentValues.includes(b ? 'on' : 'off')) {
        return { ok: false, error: { message: `parameter "${name}" requires a Boolean value`, buildDependent: true } };
      }
      return { ok: true, normalized: b };
    }
    case 'integer': {
      const r = parseInt32(value, param.unit, major);
      if (!r.ok) return invalid(r.hint);
      const min = param.min ?? -2147483648;
      const max = param.max ?? 2147483647;
      if (r.value < min || r.value > max) {
        const unit = major >= 12 && param.unit ? ' ' + param.unit : '';
        const boundUnit = major >= 17 ? unit : '';
        return {
          ok: false,
          error: {
            message: `${r.value}${unit} is outside the valid range for parameter "${name}" (${min}${boundUnit} .. ${max}${boundUnit})`,
          },
        };
      }
      return { ok: true, normalized: r.value };
    }
    case 'real': {
      const r = parseReal(value, param.unit, major);
      // before 12, reals had no units and a plainer message
      if (!r.ok)
        return major >= 12
          ? invalid(r.hint)
          : { ok: false, error: { message: `parameter "${name}" requires a numeric value` } };
      const min = param.min ?? -Infinity;
      const max = param.max ?? Infinity;
      if (r.value < min || r.value > max) {
        const unit = major >= 12 && param.unit ? ' ' + param.unit : '';
        const boundUnit = major >= 17 ? unit : '';
        return {
          ok: false,
          error: {
            message: `${formatG(r.value, major)}${unit} is outside the valid range for parameter "${name}" (${formatG(min, major)}${boundUnit} .. ${formatG(max, major)}${boundUnit})`,
          },
        };
      }
      return { ok: true, normalized: r.value };
    }
    case 'enum': {
      const lower = value.replace(/[A-Z]/g, (c) => c.toLowerCase());
      const all = [...(param.enumValues ?? []), ...param.hiddenEnumValues];
      const hit = all.find((v) => v.replace(/[A-Z]/g, (c) => c.toLowerCase()) === lower);
      if (hit !== undefined) return { ok: true, normalized: hit };
      const dep = param.buildDependentValues.find((v) => v.toLowerCase() === lower);
      const hint = `Available values: ${(param.enumValues ?? []).join(', ')}.`;
      if (dep !== undefined) {
        return {
          ok: false,
          error: { message: `invalid value for parameter "${name}": "${value}"`, hint, buildDependent: true },
        };
      }
      return invalid(hint);
    }
    case 'string':
      return { ok: true, normalized: value };
  }
}
