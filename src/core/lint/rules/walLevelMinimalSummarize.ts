import { isOn, walLevel } from '../settingValues';
import type { Rule } from '../types';

// PostmasterMain (17+): "WAL cannot be summarized when wal_level is minimal".
export const walLevelMinimalSummarize: Rule = {
  id: 'wal-level-minimal-summarize',
  severity: 'error',
  majors: [17, 18],
  summary: 'summarize_wal = on with wal_level = minimal: the server refuses to start',
  docPage: 'runtime-config-wal.html#GUC-SUMMARIZE-WAL',
  check(ctx) {
    const wl = ctx.effective('wal_level');
    const sw = ctx.effective('summarize_wal');
    if (!wl || !sw || walLevel(wl.value) !== 'minimal' || !isOn(sw.value)) return [];
    return [
      ctx.finding(
        this,
        wl.item,
        'The server will not start: "WAL cannot be summarized when "wal_level" is "minimal"". Incremental backups need summarize_wal and wal_level = replica.',
        {
          range: ctx.valueRange(wl.item),
          fix: { title: "Set wal_level = 'replica'", edits: [ctx.replaceValue(wl.item, 'replica')], preferred: true },
        },
      ),
    ];
  },
};
