import type { Rule } from '../types';

// Integers are parsed with strtol(..., 0): a leading 0 means octal, so 060 is 48 and 08 is invalid.
export const octalInteger: Rule = {
  id: 'octal-integer',
  severity: 'warning',
  summary: 'an integer with a leading zero is read as octal',
  docPage: 'config-setting.html#CONFIG-SETTING-NAMES-VALUES',
  check(ctx) {
    const out = [];
    for (const item of ctx.config.items) {
      if (item.name === null) continue;
      const param = ctx.effective(item.name)?.param;
      if (!param || param.type !== 'integer') continue;
      const m = /^\s*([+-]?)0([0-7]+)(\s*[A-Za-z]*\s*)$/.exec(item.value ?? '');
      if (!m) continue;
      const decimal = parseInt(m[2], 8);
      const written = m[1] + m[2].replace(/^0+/, '');
      out.push(
        ctx.finding(
          this,
          item,
          `${item.name} = ${item.value} is octal: the server reads ${m[1]}${decimal}${m[3].trim() ? ' ' + m[3].trim() : ''}, not ${written}. Drop the leading zero${decimal !== Number(m[2]) ? ` (or write ${m[1]}${decimal} if octal was meant)` : ''}.`,
          {
            range: ctx.valueRange(item),
            fix: {
              title: `Write ${written}${m[3].trim()} (decimal)`,
              edits: [ctx.replaceValue(item, written + m[3].trim())],
            },
          },
        ),
      );
    }
    return out;
  },
};
