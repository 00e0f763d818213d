// What to say when the server refuses recovery_target_time because of its time zone: a zone
// abbreviation (JST, CEST, IST, PST, Z) that is not also a zone name, read before the abbreviation
// table is loaded. Offers the numeric offset of PostgreSQL's Default table when unambiguous.
import { refusedZoneWord } from '../../conf/dateTimeCheckHooks';
import type { ConfItem } from '../../conf/parser';
import type { Fix, RuleContext } from '../types';
import { formatOffset } from './recoveryTargetTimeZone';

export function explainRecoveryTargetTime(item: ConfItem, ctx: RuleContext): { note: string; fix: Fix | null } | null {
  const value = item.value ?? '';
  const z = refusedZoneWord(value, ctx.major);
  if (z === null) return null;
  const base =
    `${z.word} is not a time zone name: PostgreSQL ${ctx.major} reads recovery_target_time ` +
    `before its table of zone abbreviations is loaded, so only zone names (UTC, CET, EST, Asia/Tokyo) and ` +
    `numeric offsets work here.`;
  if (z.offset === null) return { note: `${base} Write a numeric offset (+09) or a zone name.`, fix: null };
  if (z.ambiguous)
    return {
      note: `${base} ${z.word} has several meanings; write the numeric offset you mean (e.g. ${formatOffset(z.offset)}) or a zone name.`,
      fix: null,
    };
  const offset = formatOffset(z.offset);
  // '2024-01-01 10:00:00 JST' -> '2024-01-01 10:00:00+09'
  const fixed = value.replace(new RegExp(`\\s*\\b${z.word}\\b`, 'i'), offset);
  return {
    note: `${base} ${z.word} is UTC${offset} in the Default abbreviation table: write ${offset} or a zone name.`,
    fix:
      fixed !== value
        ? { title: `Write ${offset} instead of ${z.word}`, edits: [ctx.replaceValue(item, fixed)], preferred: true }
        : null,
  };
}
