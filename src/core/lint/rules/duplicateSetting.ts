import * as path from 'node:path';

import type { Rule } from '../types';

// "If the file contains multiple entries for the same parameter, all but the last one are ignored."
export const duplicateSetting: Rule = {
  id: 'duplicate-setting',
  severity: 'information',
  summary: 'a parameter set more than once: all but the last are ignored',
  docPage: 'config-setting.html#CONFIG-SETTING-CONFIGURATION-FILE',
  check(ctx) {
    const out = [];
    const seen = new Set<string>();
    for (const item of ctx.config.items) {
      if (item.name === null) continue;
      const occ = ctx.occurrences(item.name);
      const key = occ[0] === undefined ? item.name : `${occ[0].file}:${occ[0].line}`;
      if (occ.length < 2 || seen.has(key)) continue;
      seen.add(key);
      const winner = occ[occ.length - 1];
      const where = `${path.basename(winner.file ?? '')}:${winner.line}`;
      const winnerInAuto = path.basename(winner.file ?? '') === 'postgresql.auto.conf';
      for (const earlier of occ.slice(0, -1)) {
        const hidden =
          winnerInAuto && earlier.file !== winner.file
            ? ' (postgresql.auto.conf, written by ALTER SYSTEM, overrides edits to this file)'
            : '';
        out.push(
          ctx.finding(
            this,
            earlier,
            `${earlier.name} is set again at ${where}${hidden}; this value (${JSON.stringify(earlier.value)}) is ignored.`,
            {
              range: ctx.nameRange(earlier),
              fix: { title: `Comment out this overridden ${earlier.name}`, edits: [ctx.commentOut(earlier)] },
            },
          ),
        );
      }
    }
    return out;
  },
};
