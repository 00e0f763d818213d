import * as path from 'node:path';

import { zoneName } from '../../catalog/timeZones';
import { dateOfTimestamp, zoneOfTimestamp } from '../../conf/dateTimeCheckHooks';
import type { Finding, Rule } from '../types';

// Without an offset the time is read in the server's timezone setting at recovery start.
export const recoveryTargetTimeNoTimezone: Rule = {
  id: 'recovery-target-time-no-timezone',
  severity: 'warning',
  summary: "recovery_target_time without a time zone is read in the server's timezone setting",
  docPage: 'runtime-config-wal.html#GUC-RECOVERY-TARGET-TIME',
  check(ctx) {
    const e = ctx.effective('recovery_target_time');
    if (!e || e.value === '' || zoneOfTimestamp(e.value) !== null) return [];
    return [
      ctx.finding(
        this,
        e.item,
        `recovery_target_time = '${e.value}' has no time zone: the server reads it in its timezone setting ` +
          `when recovery starts, which may not be the zone you meant. Write an explicit offset, e.g. '${e.value.trim()}+00'.`,
        { range: ctx.valueRange(e.item) },
      ),
    ];
  },
};

/** The n-th (1-based; 0 = last) Sunday of a month, as a day of the month. */
function sunday(year: number, month: number, n: number): number {
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const sundays: number[] = [];
  for (let d = 1; d <= days; d++) if (new Date(Date.UTC(year, month - 1, d)).getUTCDay() === 0) sundays.push(d);
  return n === 0 ? sundays[sundays.length - 1] : sundays[n - 1];
}

/** Is the date within United States daylight-saving time (2007+: March, 2nd Sunday - November, 1st Sunday; before: April 1st - October last)? */
function usDaylightSaving(d: { year: number; month: number; day: number }): boolean {
  const [startMonth, startDay, endMonth, endDay] =
    d.year >= 2007
      ? [3, sunday(d.year, 3, 2), 11, sunday(d.year, 11, 1)]
      : [4, sunday(d.year, 4, 1), 10, sunday(d.year, 10, 0)];
  const v = d.month * 100 + d.day;
  return v >= startMonth * 100 + startDay && v < endMonth * 100 + endDay;
}

const US_STANDARD: Record<string, { zone: string; daylight: string; offset: string }> = {
  EST: { zone: 'America/New_York', daylight: 'EDT', offset: '-04' },
  CST: { zone: 'America/Chicago', daylight: 'CDT', offset: '-05' },
  MST: { zone: 'America/Denver', daylight: 'MDT', offset: '-06' },
  PST: { zone: 'America/Los_Angeles', daylight: 'PDT', offset: '-07' },
};

// An abbreviation is a fixed offset: EST is UTC-5 all year, although New York is on EDT (UTC-4)
// in summer; and some abbreviations mean different zones (IST: India, Israel, Ireland). On 12+
// abbreviations that are not also zone names stop the server (recovery-target-time-invalid).
export const recoveryTargetTimeAbbreviation: Rule = {
  id: 'recovery-target-time-abbreviation',
  severity: 'warning',
  summary: 'recovery_target_time with a US standard-time abbreviation on a summer date (EST is UTC-5 all year)',
  docPage: 'runtime-config-wal.html#GUC-RECOVERY-TARGET-TIME',
  check(ctx): Finding[] {
    const e = ctx.effective('recovery_target_time');
    const zone = e ? zoneOfTimestamp(e.value) : null;
    if (!e || !zone || zone.kind !== 'word') return [];
    const word = zone.text.toUpperCase();
    // recovery.conf (10-11) is read with the abbreviation table loaded; on 12+ an abbreviation that
    // is not also a zone name stops the server (recovery-target-time-invalid says so)
    const recoveryConf = path.basename(ctx.config.configFile) === 'recovery.conf';
    if (!recoveryConf && zoneName(word, ctx.major) === null) return [];
    const us = US_STANDARD[word];
    const date = dateOfTimestamp(e.value);
    if (us && date && usDaylightSaving(date)) {
      return [
        ctx.finding(
          this,
          e.item,
          `recovery_target_time uses ${word}, a fixed offset (${word} is standard time all year), but on ${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')} ${us.zone} was on ${us.daylight} (UTC${us.offset}): ` +
            `if you read the time off a local clock, recovery stops an hour away from it. Write the zone name (${us.zone}) ` +
            `or the offset you mean.`,
          {
            range: ctx.valueRange(e.item),
          },
        ),
      ];
    }
    return [];
  },
};

/** +09, -05, +05:30 */
export function formatOffset(seconds: number): string {
  const sign = seconds < 0 ? '-' : '+';
  const abs = Math.abs(seconds);
  const h = Math.floor(abs / 3600);
  const m = Math.floor((abs % 3600) / 60);
  return `${sign}${String(h).padStart(2, '0')}${m ? ':' + String(m).padStart(2, '0') : ''}`;
}
