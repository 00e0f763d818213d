// Durations as people type them for --timeout and settings: 90s, 30m, 2h, 1h30m, 1d (a bare
// number is seconds). Never throws: null for anything else.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds, or null when `text` is not a positive duration. */
export function parseDuration(text: string): number | null {
  const s = text.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) > 0 ? Math.round(Number(s) * 1000) : null;
  const re = /(\d+(?:\.\d+)?)\s*(ms|min|s|m|h|d)/gy;
  let total = 0;
  let at = 0;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    total += Number(m[1]) * UNIT_MS[m[2]];
    at = re.lastIndex;
  }
  if (at !== s.length || total <= 0) return null;
  return Math.round(total);
}

/** 0.4 s, 42 s, 3 min 20 s, 2 h 5 min */
export function formatSeconds(seconds: number): string {
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}
