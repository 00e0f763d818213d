// pg_settings reports integer/real settings as a number of base units ('8kB', 'MB', 's', ...).
// These helpers turn that pair into bytes, or into a value a configuration file accepts.

const MEMORY_UNIT_BYTES: Record<string, number> = { B: 1, kB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };
const TIME_UNITS = new Set(['us', 'ms', 's', 'min', 'h', 'd']);

/** A pg_settings unit split into a multiplier and a unit a file may use: '8kB' -> [8, 'kB'], '16MB' -> [16, 'MB']. */
function splitUnit(unit: string): { factor: number; base: string } | null {
  const m = /^(\d*)(B|kB|MB|GB|TB|us|ms|s|min|h|d)$/.exec(unit);
  if (!m) return null;
  return { factor: m[1] ? Number(m[1]) : 1, base: m[2] };
}

/** Bytes of a memory setting (wal_segment_size is 2048 x '8kB' on 10, 16777216 x 'B' on 11+); null when not a memory setting. */
export function settingBytes(setting: string, unit: string | null): number | null {
  const n = Number(setting);
  if (!Number.isFinite(n) || setting.trim() === '') return null;
  if (unit === null || unit === '') return null;
  const u = splitUnit(unit);
  if (!u || !(u.base in MEMORY_UNIT_BYTES)) return null;
  return n * u.factor * MEMORY_UNIT_BYTES[u.base];
}

/**
 * The value to write in postgresql.conf for a pg_settings (setting, unit) pair: the number times
 * the unit's multiplier with a unit every major accepts ('16384' x '8kB' -> '131072kB'). Zero and
 * negative numbers are written bare: they are the "off"/"unlimited" sentinels and mean the same
 * in every unit. Values without a unit (strings, enums, booleans) are returned unchanged.
 */
export function settingFileValue(setting: string, unit: string | null): string {
  if (unit === null || unit === '') return setting;
  const u = splitUnit(unit);
  const n = Number(setting);
  if (!u || setting.trim() === '' || !Number.isFinite(n)) return setting;
  if (n <= 0) return setting;
  // a bare number is read in the parameter's base unit, which is exactly what 'B' means
  if (u.base === 'B') return setting;
  if (!(u.base in MEMORY_UNIT_BYTES) && !TIME_UNITS.has(u.base)) return setting;
  return `${n * u.factor}${u.base}`;
}
