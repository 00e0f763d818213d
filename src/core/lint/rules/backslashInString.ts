import type { Rule } from '../types';

/** Doubles every backslash that is not already part of a "\\" pair. */
export function escapeLoneBackslashes(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === '\\') {
      if (raw[i + 1] === '\\') {
        out += '\\\\';
        i++;
      } else out += '\\\\';
    } else out += raw[i];
  }
  return out;
}

// In quoted values \n \t \b \f \r and \ooo become control bytes and other \x lose the backslash,
// so 'C:\new\archive' is not the path it looks like.
export const backslashInString: Rule = {
  id: 'backslash-in-string',
  severity: 'warning',
  summary: 'a single backslash in a quoted value is an escape, not a path separator',
  docPage: 'config-setting.html#CONFIG-SETTING-CONFIGURATION-FILE',
  check(ctx) {
    const out = [];
    for (const item of ctx.config.items) {
      if (item.name === null || item.valueToken !== 'string' || !item.rawValue) continue;
      const body = item.rawValue.slice(1, -1);
      const lone = /\\(?![\\'])/.exec(body.replace(/\\\\/g, ''));
      if (!lone) continue;
      const fixedRaw = "'" + escapeLoneBackslashes(body.replace(/\\'/g, "''")) + "'";
      const r = ctx.valueRange(item);
      out.push(
        ctx.finding(
          this,
          item,
          `The value of ${item.name} contains a single backslash: inside quotes \\n, \\t, \\b, \\f, \\r ` +
            `and \\<digits> become control characters and any other \\x becomes x, so the server reads ${JSON.stringify(item.value)}. ` +
            `Write \\\\ for a literal backslash (Windows paths: 'C:\\\\archive').`,
          {
            range: r,
            fix: {
              title: 'Double the backslashes',
              edits: [{ file: item.file ?? ctx.config.configFile, range: r, newText: fixedRaw }],
              preferred: true,
            },
          },
        ),
      );
    }
    return out;
  },
};
