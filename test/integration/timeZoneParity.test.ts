// The time zone model (src/core/catalog/timeZones.ts + data/timezones.json, src/core/conf/
// dateTimeCheckHooks.ts) against real PostgreSQL 10-18: every zone name and every abbreviation of
// the Default table as TimeZone, log_timezone and (12+) the zone of recovery_target_time, plus
// POSIX-style zones, numeric offsets and DateStyle spellings. One `postgres -C` per batch: each
// line uses another letter-case spelling of the parameter name, so the server checks every one.
import { strict as assert } from 'node:assert';

import { getCatalog } from '../../src/core/catalog/catalogs';
import type { TimeZoneData } from '../../src/core/catalog/timeZones';
import { compareStartup, describeScenario, writeScenario } from '../support/parityOracle';
import { type Cluster, createCluster, MAJORS, requireServer } from '../support/postgresServers';

const DATA = require('../../src/core/catalog/data/timezones.json') as TimeZoneData;

/** the n-th letter-case spelling of a name (bit i of n upper-cases letter i) */
function spelling(name: string, n: number): string {
  let bit = 0;
  return name.replace(/[a-z]/g, (c) => ((n >> bit++) & 1 ? c.toUpperCase() : c));
}

function quote(v: string): string {
  return "'" + v.replace(/'/g, "''") + "'";
}

/** files of at most `max` lines, each `name = 'value'` with its own spelling of the name */
function batches(name: string, values: readonly string[], max: number, prefix = ''): string[] {
  const out: string[] = [];
  for (let i = 0; i < values.length; i += max) {
    out.push(
      prefix +
        values
          .slice(i, i + max)
          .map((v, k) => `${spelling(name, k)} = ${quote(v)}`)
          .join('\n') +
        '\n',
    );
  }
  return out;
}

/** the lines only one side printed (messages are compared as multisets) */
function lineDiff(ours: string, server: string): string {
  const count = (t: string) => t.split('\n').reduce((m, l) => m.set(l, (m.get(l) ?? 0) + 1), new Map<string, number>());
  const a = count(ours);
  const b = count(server);
  const out: string[] = [];
  for (const [l, n] of a) for (let i = 0; i < n - (b.get(l) ?? 0); i++) out.push(`only pg-pitr: ${l}`);
  for (const [l, n] of b) for (let i = 0; i < n - (a.get(l) ?? 0); i++) out.push(`only server:  ${l}`);
  return out.length > 0 ? out.join('\n') : '(same lines, another order)';
}

const ABBREVIATIONS = Object.keys(DATA.abbreviations);
const EXTRA_ZONES = [
  'utc',
  'Utc',
  'gmt',
  'Z',
  'z',
  'UT',
  'posixrules',
  'localtime',
  'Factory',
  'America',
  'America/',
  'america/new_york',
  'AMERICA/NEW_YORK',
  'Europe//Paris',
  '../etc/passwd',
  'EST5EDT',
  'JST-9',
  'CEST-2',
  'XYZ3',
  'AB3',
  'A3',
  '3',
  '+3',
  '-3.5',
  '3 ',
  ' 3',
  '1e1',
  '167',
  '168',
  '-167.99',
  '0x10',
  'nan',
  'inf',
  'UTC+3',
  'GMT+0',
  'Etc/GMT+3',
  'Etc/GMT-14',
  '<+03>-3',
  '<+0330>-3:30',
  'EST5EDT,M3.2.0,M11.1.0',
  'CET-1CEST,M3.5.0,M10.5.0/3',
  'CET-1CEST,M3.5.0',
  'CET-1CEST,M13.5.0,M10.5.0',
  'XX-1YY,J60,J300',
  'XX-1YY,0,365',
  'XX-1YY,366,1',
  ':UTC',
  '',
  ' ',
  'Foo/Bar',
  'W-SU',
  'Zulu',
  'ZULU',
];
const TIMESTAMPS = [
  '2024-01-01 10:00:00',
  '2024-01-01',
  '2024-01-01T10:00:00',
  '2024-01-01T10:00:00Z',
  '2024-01-01 10:00:00Z',
  '2024-01-01 10:00:00+02',
  '2024-01-01 10:00:00+0530',
  '2024-01-01 10:00:00+05:30',
  '2024-01-01 10:00:00+16',
  '2024-01-01 10:00:00-15',
  '2024-01-01 10:00:00.123456+00',
  '2024-02-30 10:00:00',
  '2024-02-29 10:00:00',
  '2023-02-29 10:00:00',
  '2024-13-01 10:00:00',
  '2024-01-01 25:00:00',
  '2024-01-01 24:00:00',
  '2024-01-01 10:60:00',
  '2024/01/02 10:00',
  '01/02/2024 10:00',
  '02.01.2024 10:00',
  'Jan 1 2024 10:00 CET',
  '1 January 2024 10:00:00 UTC',
  'Mon Jan 1 10:00:00 2024 EST',
  '20240101 10:00',
  'yesterday',
  'now',
  'today',
  'epoch',
  'infinity',
  '2024-01-01 10:00:00 UTC UTC',
  '2024-01-01 10:00:00 +02 CET',
  'abc',
  '10:00:00',
  '2024-01-01 10:00 pm',
  '2024-01-01 10:00:00 America/New_York',
  '2024-01-01 10:00:00 EST5EDT',
  '2024-01-01 10:00:00 JST-9',
  '2024-01-01 10:00:00 UTC+3',
];
const DATESTYLES = [
  'iso, mdy',
  'ISO, DMY',
  'sql, dmy',
  'postgres, mdy',
  'postgresql',
  'german',
  'german, ymd',
  'iso',
  'mdy',
  'ymd',
  'dmy',
  'euro',
  'european',
  'noneuropean',
  'us',
  'default',
  'default, iso',
  'sql, default',
  'iso, sql',
  'ymd, dmy',
  'hot_standby',
  'iso mdy',
  'iso,,mdy',
  '',
  ' ',
  'iso,',
  ',iso',
  '"ISO", "MDY"',
  '"iso',
  'Iso , Mdy ',
  'POSTGRES',
  'euro, us',
  'german, german',
  'iso, iso',
  'x'.repeat(70),
];

for (const major of MAJORS) {
  describe(`time zones and DateStyle parity with PostgreSQL ${major}`, function () {
    this.timeout(20 * 60 * 1000);
    let cluster: Cluster | undefined;
    const catalog = getCatalog(major);
    const zones = Object.entries(DATA.zones)
      .filter(([, r]) =>
        r.split(',').some((p) => {
          const [lo, hi] = p.split('-').map(Number);
          return major >= lo && major <= (hi ?? lo);
        }),
      )
      .map(([z]) => z);

    before(async function () {
      if (!requireServer(major, this)) return;
      cluster = await createCluster(major);
    });
    after(async () => {
      await cluster?.destroy();
    });

    async function agree(files: string[]): Promise<void> {
      const failures: string[] = [];
      for (const main of files) {
        const sc = { main: Buffer.from(main, 'utf8').toString('latin1'), auto: null, files: {} };
        writeScenario(cluster!.dataDir, sc);
        const m = await compareStartup(cluster!, catalog);
        if (m)
          failures.push(
            `${m.what}\n${lineDiff(m.ours, m.server)}\n--- files ---\n${describeScenario(sc).slice(0, 2000)}`,
          );
      }
      assert.equal(failures.length, 0, failures.join('\n\n'));
    }

    it(`every zone name, Default abbreviation and odd spelling as TimeZone`, async () => {
      await agree(batches('timezone', [...zones, ...ABBREVIATIONS, ...EXTRA_ZONES], 256));
    });

    it('the same as log_timezone', async () => {
      await agree(batches('log_timezone', [...zones, ...ABBREVIATIONS, ...EXTRA_ZONES], 4000));
    });

    it('DateStyle spellings', async () => {
      await agree(batches('datestyle', DATESTYLES, 500));
    });

    if (major >= 12) {
      it('every zone name and Default abbreviation as the zone of recovery_target_time', async () => {
        const values = [...zones, ...ABBREVIATIONS].map((z) => `2024-01-01 10:00:00 ${z}`);
        await agree(batches('recovery_target_time', [...values, ...TIMESTAMPS], 5000));
        // 12-15 stop reading at an unknown zone name with punctuation (FATAL): one file each
        const odd = EXTRA_ZONES.filter((z) => z.trim() !== '' && !/^[-+0-9. ]/.test(z)).map(
          (z) => `2024-01-01 10:00:00 ${z}`,
        );
        await agree(odd.map((v) => `recovery_target_time = ${quote(v)}\n`));
      });

      it('abbreviations load when timezone_abbreviations is set earlier in the file', async () => {
        const values = ABBREVIATIONS.map((a) => `2024-01-01 10:00:00 ${a}`);
        await agree(batches('recovery_target_time', values, 5000, "timezone_abbreviations = 'Default'\n"));
      });

      it('the abbreviations of a TimeZone set earlier (18 knows them, older majors do not)', async () => {
        const sample = [
          'Asia/Tokyo',
          'Europe/Paris',
          'America/New_York',
          'Asia/Kolkata',
          'Europe/London',
          'Australia/Sydney',
          'Europe/Moscow',
          'America/Los_Angeles',
          'JST-9',
          'CET-1CEST',
        ];
        const files = sample.map((tz) => {
          const abbrevs = [
            ...new Set([
              ...(DATA.zoneAbbreviations18[tz] ?? []),
              'JST',
              'CEST',
              'IST',
              'PST',
              'BST',
              'MSK',
              'EDT',
              'AEST',
              'LMT',
            ]),
          ];
          return (
            `timezone = ${quote(tz)}\n` +
            abbrevs
              .map((a, k) => `${spelling('recovery_target_time', k)} = ${quote(`2024-01-01 10:00:00 ${a}`)}`)
              .join('\n') +
            '\n'
          );
        });
        await agree(files);
      });
    }
  });
}
