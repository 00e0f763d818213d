import type { Finding, Rule } from '../types';

const NUMERIC_OFFSET = /(?:[+-]\d{1,2}(?::?\d{2})?|\b(?:UTC|GMT|Z|utc|gmt|z))\s*$/;
const ZONE_NAME = /\b[A-Za-z]+\/[A-Za-z_+-]+(?:\/[A-Za-z_+-]+)?\s*$/;
const ABBREVIATION = /\b([A-Z]{3,5})\s*$/;

// Without an offset the time is read in the server's timezone setting at recovery start.
export const recoveryTargetTimeNoTimezone: Rule = {
  id: 'recovery-target-time-no-timezone',
  severity: 'warning',
  summary: "recovery_target_time without a time zone is read in the server's timezone setting",
  docPage: 'runtime-config-wal.html#GUC-RECOVERY-TARGET-TIME',
  check(ctx) {
    const e = ctx.effective('recovery_target_time');
    if (!e || e.value === '' || NUMERIC_OFFSET.test(e.value) || ZONE_NAME.test(e.value) || ABBREVIATION.test(e.value))
      return [];
    return [
      ctx.finding(
        this,
        e.item,
        `recovery_target_time = '${e.value}' has no time zone: the server reads it in its timezone setting when recovery starts, which may not be the zone you meant. Write an explicit offset, e.g. '${e.value.trim()}+00'.`,
        { range: ctx.valueRange(e.item) },
      ),
    ];
  },
};

// An abbreviation is a fixed offset (EST is always -5, even in summer) and some are ambiguous.
export const recoveryTargetTimeAbbreviation: Rule = {
  id: 'recovery-target-time-abbreviation',
  severity: 'warning',
  summary: 'recovery_target_time with a zone abbreviation (EST, CEST, IST ...)',
  docPage: 'runtime-config-wal.html#GUC-RECOVERY-TARGET-TIME',
  check(ctx): Finding[] {
    const e = ctx.effective('recovery_target_time');
    const m = e ? ABBREVIATION.exec(e.value) : null;
    if (!e || !m || ['UTC', 'GMT'].includes(m[1])) return [];
    return [
      ctx.finding(
        this,
        e.item,
        `recovery_target_time uses the abbreviation ${m[1]}: it is a fixed offset, so during daylight-saving time it is an hour away from the wall clock you may mean, and abbreviations like CST or IST are ambiguous. Use a numeric offset (+02) or a full zone name (Europe/Paris).`,
        { range: ctx.valueRange(e.item) },
      ),
    ];
  },
};
