import { validateValue } from '../../conf/valueValidation';
import type { Finding, Rule } from '../types';

/** Permission masks: written in octal on purpose ("begin with 0 to use octal notation"). */
const OCTAL_BY_DESIGN = new Set(['unix_socket_permissions', 'log_file_mode', 'data_directory_mode']);

// Integers are parsed with strtol(..., 0): a leading 0 means octal, so 060 is 48 and 08 is invalid.
export const octalInteger: Rule = {
  id: 'octal-integer',
  severity: 'warning',
  summary: 'an integer with a leading zero is read as octal (permission masks excepted)',
  docPage: 'config-setting.html#CONFIG-SETTING-NAMES-VALUES',
  check(ctx) {
    const out: Finding[] = [];
    for (const item of ctx.config.items) {
      if (item.name === null) continue;
      const param = ctx.effective(item.name)?.param;
      if (!param || param.type !== 'integer' || OCTAL_BY_DESIGN.has(param.name)) continue;
      const m = /^\s*([+-]?)0([0-7]+)(\s*[A-Za-z]*\s*)$/.exec(item.value ?? '');
      if (!m) continue;
      const octal = parseInt(m[2], 8);
      const decimal = parseInt(m[2], 10);
      // 05 is 5 either way: nothing to warn about
      if (octal === decimal) continue;
      const unit = m[3].trim();
      const written = `${m[1]}${decimal}${unit}`;
      // offer the decimal reading only when the server accepts it
      const fixOk = validateValue(param, item.name, written, ctx.major).ok;
      out.push(
        ctx.finding(
          this,
          item,
          `${item.name} = ${item.value} is octal: the server reads ${m[1]}${octal}${unit ? ' ' + unit : ''}, not ${m[1]}${decimal}${unit ? ' ' + unit : ''}. ` +
            `Drop the leading zero, or write ${m[1]}${octal}${unit} if octal was meant.`,
          {
            range: ctx.valueRange(item),
            fix: fixOk ? { title: `Write ${written} (decimal)`, edits: [ctx.replaceValue(item, written)] } : null,
          },
        ),
      );
    }
    return out;
  },
};
