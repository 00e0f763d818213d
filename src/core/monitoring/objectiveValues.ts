// Reads and prints the quantities recoverability objectives are written in: durations such as
// `7d`, `26h`, `5min`, `90s` and byte sizes such as `16MB`, `1GB` (PostgreSQL's units, 1024-based).
// Never throws: a value that cannot be read comes back as an error message.

const DURATION_UNITS: Record<string, number> = {
  ms: 0.001,
  s: 1,
  sec: 1,
  min: 60,
  h: 3600,
  d: 86400,
  w: 604800,
};

const BYTE_UNITS: Record<string, number> = {
  B: 1,
  kB: 1024,
  KB: 1024,
  KiB: 1024,
  MB: 1024 ** 2,
  MiB: 1024 ** 2,
  GB: 1024 ** 3,
  GiB: 1024 ** 3,
  TB: 1024 ** 4,
  TiB: 1024 ** 4,
};

/** A parsed objective quantity: seconds or bytes, with the text it came from. */
export type Quantity =
  { kind: 'seconds'; value: number; text: string } | { kind: 'bytes'; value: number; text: string };

const NUMBER_UNIT = /^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]+)\s*$/;

/** `7d`, `26h`, `5min`, `90s`, `1.5h` → seconds; units ms, s, min, h, d, w (`m` is refused: minutes or MB?). */
export function parseDuration(text: string): { seconds: number } | { error: string } {
  const m = NUMBER_UNIT.exec(text);
  if (!m) return { error: `"${text}" is not a duration: write a number and a unit, e.g. 7d, 26h, 5min, 90s` };
  const factor = DURATION_UNITS[m[2]!];
  if (factor === undefined) {
    const hint = m[2] === 'm' ? ' (write min for minutes)' : '';
    return { error: `"${text}": unknown duration unit "${m[2]}"${hint}; use ms, s, min, h, d or w` };
  }
  return { seconds: Number(m[1]) * factor };
}

/** `16MB`, `1GB`, `512kB` → bytes (1024-based, as PostgreSQL's memory units). */
export function parseByteSize(text: string): { bytes: number } | { error: string } {
  const m = NUMBER_UNIT.exec(text);
  if (!m) return { error: `"${text}" is not a size: write a number and a unit, e.g. 16MB, 1GB` };
  const factor = BYTE_UNITS[m[2]!];
  if (factor === undefined) return { error: `"${text}": unknown size unit "${m[2]}"; use B, kB, MB, GB or TB` };
  return { bytes: Math.round(Number(m[1]) * factor) };
}

/** A duration or a byte size (for maxRpo, which takes either). */
export function parseQuantity(text: string): Quantity | { error: string } {
  const d = parseDuration(text);
  if ('seconds' in d) return { kind: 'seconds', value: d.seconds, text: text.trim() };
  const b = parseByteSize(text);
  if ('bytes' in b) return { kind: 'bytes', value: b.bytes, text: text.trim() };
  const m = NUMBER_UNIT.exec(text);
  if (m?.[2] === 'm') return { error: `"${text}": "m" is ambiguous: write min for minutes or MB for megabytes` };
  return { error: `"${text}" is neither a duration (5min, 1h) nor a size (16MB)` };
}

/** 90 → "1.5 min", 93600 → "1.1 d": the largest unit that keeps the number at 1 or more. */
export function formatDuration(seconds: number): string {
  const s = Math.abs(seconds);
  const [unit, size] = s >= 86400 ? ['d', 86400] : s >= 3600 ? ['h', 3600] : s >= 60 ? ['min', 60] : ['s', 1];
  const v = seconds / (size as number);
  return `${Number.isInteger(v) ? v : Number(v.toFixed(1))} ${unit}`;
}

/** 16777216 → "16 MB" (1024-based). */
export function formatByteSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${Number.isInteger(v) ? v : Number(v.toFixed(1))} ${units[u]}`;
}
