// Generates src/core/catalog/data/timezones.json from real servers (npm run timezones [majors...]):
// the time zone names each major accepts (pg_timezone_names of a running server), its Default
// abbreviation table (pg_timezone_abbrevs), the abbreviations with several meanings in its
// share/timezonesets/*.txt, and for 18 the abbreviations each zone uses (read from the server's
// own tz files: 18 accepts those of the TimeZone set earlier in the file). The parity test
// test/integration/timeZoneParity.test.ts checks the result against `postgres -C`.
//
// Usage: tsx scripts/generateTimeZoneData.ts [10 11 ...]   (default: all of 10..18)
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { TimeZoneData } from '../src/core/catalog/timeZones';
import { binDir, createCluster, MAJORS, requireServer } from '../test/support/postgresServers';

const OUT = path.resolve(__dirname, '..', 'src', 'core', 'catalog', 'data', 'timezones.json');

interface PerMajor {
  version: string;
  zones: string[];
  abbreviations: Record<string, [number, boolean]>;
  ambiguous: string[];
  zoneAbbreviations: Record<string, string[]>;
}

function shareDir(major: number): string {
  return path.join(binDir(major), '..', 'share', 'postgresql');
}

/** Abbreviations listed with more than one UTC offset across the server's timezonesets/*.txt. */
function ambiguousAbbreviations(major: number): string[] {
  const dir = path.join(shareDir(major), 'timezonesets');
  const offsets = new Map<string, Set<string>>();
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.txt'))) {
    for (const line of fs.readFileSync(path.join(dir, f), 'latin1').split('\n')) {
      const m = /^\s*([A-Z][A-Z0-9]*)\s+(-?[0-9]+)\b/.exec(line);
      if (!m) continue;
      const set = offsets.get(m[1]) ?? new Set<string>();
      set.add(m[2]);
      offsets.set(m[1], set);
    }
  }
  return [...offsets]
    .filter(([, s]) => s.size > 1)
    .map(([a]) => a)
    .sort();
}

/** The abbreviations a compiled tz file uses (TZif v1/v2/v3 data plus its POSIX footer). */
function tzifAbbreviations(file: string): string[] {
  const b = fs.readFileSync(file);
  if (b.length < 44 || b.toString('latin1', 0, 4) !== 'TZif') return [];
  const counts = (at: number) => [0, 1, 2, 3, 4, 5].map((i) => b.readUInt32BE(at + 20 + 4 * i));
  let at = 0;
  let [isut, isstd, leap, time, type, char] = counts(at);
  let size = 4;
  if (b[4] !== 0) {
    // skip the 32-bit block; read the 64-bit one
    at = 44 + time * 5 + type * 6 + char + leap * 8 + isstd + isut;
    [isut, isstd, leap, time, type, char] = counts(at);
    size = 8;
  }
  const body = at + 44;
  const types = body + time * size + time;
  const chars = types + type * 6;
  const out = new Set<string>();
  for (let i = 0; i < type; i++) {
    const idx = b[types + i * 6 + 5];
    const end = b.indexOf(0, chars + idx);
    out.add(b.toString('latin1', chars + idx, end));
  }
  if (size === 8) {
    const footer = b.toString('latin1', chars + char + leap * 12 + isstd + isut).trim();
    for (const m of footer.matchAll(/<([^>]*)>|([A-Za-z]{3,})/g)) out.add(m[1] ?? m[2]);
  }
  return [...out].filter((a) => /^[A-Za-z]+$/.test(a)).sort();
}

async function collect(major: number): Promise<PerMajor> {
  const cluster = await createCluster(major);
  try {
    await cluster.start();
    const version = (await cluster.query<{ v: string }>("SELECT current_setting('server_version') AS v"))[0].v;
    const zones = (await cluster.query<{ name: string }>('SELECT name FROM pg_timezone_names ORDER BY name')).map(
      (r) => r.name,
    );
    await cluster.query("ALTER DATABASE postgres SET timezone = 'UTC'");
    const rows = await cluster.query<{ abbrev: string; off: number; is_dst: boolean }>(
      'SELECT abbrev, extract(epoch FROM utc_offset)::int AS off, is_dst FROM pg_timezone_abbrevs ORDER BY abbrev',
    );
    const abbreviations: Record<string, [number, boolean]> = {};
    for (const r of rows) abbreviations[r.abbrev] = [r.off, r.is_dst];
    const zoneAbbreviations: Record<string, string[]> = {};
    if (major >= 18) {
      const dir = path.join(shareDir(major), 'timezone');
      for (const z of zones) {
        const list = tzifAbbreviations(path.join(dir, z));
        if (list.length > 0) zoneAbbreviations[z] = list;
      }
    }
    return { version, zones, abbreviations, ambiguous: ambiguousAbbreviations(major), zoneAbbreviations };
  } finally {
    await cluster.destroy();
  }
}

/** "10-12,14-18" for a sorted list of majors */
function ranges(majors: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < majors.length; i++) {
    let j = i;
    while (j + 1 < majors.length && majors[j + 1] === majors[j] + 1) j++;
    out.push(i === j ? `${majors[i]}` : `${majors[i]}-${majors[j]}`);
    i = j;
  }
  return out.join(',');
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).map(Number);
  const majors = wanted.length > 0 ? wanted : [...MAJORS];
  const previous: TimeZoneData | null = fs.existsSync(OUT)
    ? (JSON.parse(fs.readFileSync(OUT, 'utf8')) as TimeZoneData)
    : null;
  const per = new Map<number, PerMajor>();
  for (const m of majors) {
    if (!requireServer(m)) throw new Error(`PostgreSQL ${m} binaries are missing (devDependency pg${m})`);
    per.set(m, await collect(m));
    console.log(
      `PostgreSQL ${m}: ${per.get(m)!.zones.length} zones, ${Object.keys(per.get(m)!.abbreviations).length} abbreviations`,
    );
  }
  if (per.size !== MAJORS.length && previous === null) throw new Error('the first run must cover every major');
  const all = [...MAJORS];
  const zoneMajors = new Map<string, number[]>();
  const abbrevByMajor: Record<string, Record<string, [number, boolean]>> = {};
  const ambiguousByMajor: Record<string, string[]> = {};
  for (const m of all) {
    const p = per.get(m);
    const zones = p
      ? p.zones
      : Object.entries(previous!.zones)
          .filter(([, r]) => inRanges(r, m))
          .map(([z]) => z);
    for (const z of zones) zoneMajors.set(z, [...(zoneMajors.get(z) ?? []), m]);
    abbrevByMajor[m] = p
      ? p.abbreviations
      : withOverrides(previous!.abbreviations, previous!.abbreviationsByMajor[m] ?? {});
    ambiguousByMajor[m] = p ? p.ambiguous : previous!.ambiguous;
  }
  // the newest major's table is the base; older majors list only their differences
  const base = abbrevByMajor[18];
  const abbreviationsByMajor: Record<string, Record<string, [number, boolean] | null>> = {};
  for (const m of all) {
    const diff: Record<string, [number, boolean] | null> = {};
    for (const [a, v] of Object.entries(abbrevByMajor[m]))
      if (JSON.stringify(base[a]) !== JSON.stringify(v)) diff[a] = v;
    for (const a of Object.keys(base)) if (!(a in abbrevByMajor[m])) diff[a] = null;
    if (Object.keys(diff).length > 0) abbreviationsByMajor[m] = diff;
  }
  const data: TimeZoneData = {
    servers: Object.fromEntries(all.map((m) => [String(m), per.get(m)?.version ?? previous!.servers[m]])),
    zones: Object.fromEntries(
      [...zoneMajors].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([z, ms]) => [z, ranges(ms)]),
    ),
    abbreviations: base,
    abbreviationsByMajor,
    ambiguous: [...new Set(Object.values(ambiguousByMajor).flat())].sort(),
    zoneAbbreviations18: per.get(18)?.zoneAbbreviations ?? previous!.zoneAbbreviations18,
  };
  fs.writeFileSync(OUT, JSON.stringify(data, null, 1) + '\n');
  console.log(`wrote ${OUT}`);
}

function withOverrides(
  base: Record<string, [number, boolean]>,
  over: Record<string, [number, boolean] | null>,
): Record<string, [number, boolean]> {
  const out = { ...base };
  for (const [a, v] of Object.entries(over)) {
    if (v === null) delete out[a];
    else out[a] = v;
  }
  return out;
}

function inRanges(r: string, major: number): boolean {
  return r.split(',').some((part) => {
    const [lo, hi] = part.split('-').map(Number);
    return major >= lo && major <= (hi ?? lo);
  });
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
