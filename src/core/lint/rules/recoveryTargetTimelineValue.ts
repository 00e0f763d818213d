import type { Rule } from '../types';

// Only lower-case 'current' and 'latest' are words; anything else is parsed as a number with
// strtoul(.., 0), so 'Latest' becomes timeline 0 and '10' is decimal while history files are hex.
export const recoveryTargetTimelineValue: Rule = {
  id: 'recovery-target-timeline-value',
  severity: 'warning',
  majors: [12, 18],
  summary: 'recovery_target_timeline that is not current, latest or a clean number',
  docPage: 'runtime-config-wal.html#GUC-RECOVERY-TARGET-TIMELINE',
  check(ctx) {
    const e = ctx.effective('recovery_target_timeline');
    if (!e) return [];
    const v = e.value;
    if (v === 'current' || v === 'latest') return [];
    if (['current', 'latest'].includes(v.toLowerCase())) {
      return [
        ctx.finding(
          this,
          e.item,
          `recovery_target_timeline = '${v}' is not the word ${v.toLowerCase()}: the server compares ` +
            `case-sensitively, reads it as the number 0 and recovery fails with "recovery target timeline 0 does not exist".`,
          {
            severity: 'error',
            range: ctx.valueRange(e.item),
            fix: {
              title: `Write '${v.toLowerCase()}'`,
              edits: [ctx.replaceValue(e.item, v.toLowerCase())],
              preferred: true,
            },
          },
        ),
      ];
    }
    if (!/^(0x[0-9a-fA-F]+|[1-9][0-9]*)$/.test(v)) {
      return [
        ctx.finding(
          this,
          e.item,
          `recovery_target_timeline = '${v}' is not current, latest or a timeline number; the server reads only its leading digits.`,
          { severity: 'error', range: ctx.valueRange(e.item) },
        ),
      ];
    }
    if (/^[0-9]+$/.test(v) && Number(v) >= 10) {
      const hex = Number(v).toString(16).toUpperCase().padStart(8, '0');
      return [
        ctx.finding(
          this,
          e.item,
          `recovery_target_timeline = ${v} is decimal: it means the timeline whose history file is ${hex}.history. ` +
            `Timeline numbers in file names are hexadecimal (00000010.history is timeline 16); check which one you ` +
            `mean, or write it as 0x${Number(v).toString(16)}.`,
          {
            severity: 'information',
            range: ctx.valueRange(e.item),
          },
        ),
      ];
    }
    return [];
  },
};
