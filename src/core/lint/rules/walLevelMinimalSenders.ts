import { intValue, walLevel } from '../settingValues';
import type { Rule } from '../types';

// PostmasterMain: "WAL streaming (max_wal_senders > 0) requires wal_level replica or logical".
// The default max_wal_senders is 10 on 10+, so pasting wal_level = minimal alone is enough to fail.
export const walLevelMinimalSenders: Rule = {
  id: 'wal-level-minimal-senders',
  severity: 'error',
  summary: 'wal_level = minimal with max_wal_senders > 0 (the default is 10): the server refuses to start',
  docPage: 'runtime-config-replication.html#GUC-MAX-WAL-SENDERS',
  check(ctx) {
    const wl = ctx.effective('wal_level');
    if (!wl || walLevel(wl.value) !== 'minimal') return [];
    const senders = intValue(ctx.value('max_wal_senders'), null, ctx.major);
    if (senders === undefined || senders <= 0) return [];
    const explicit = ctx.effective('max_wal_senders');
    const text =
      ctx.major >= 17
        ? 'WAL streaming ("max_wal_senders" > 0) requires "wal_level" to be "replica" or "logical"'
        : 'WAL streaming (max_wal_senders > 0) requires wal_level "replica" or "logical"';
    return [
      ctx.finding(
        this,
        wl.item,
        `The server will not start: "${text}". max_wal_senders is ${senders}${explicit ? '' : ' (the default)'}. ` +
          `Set wal_level = replica; with minimal WAL there is no point-in-time recovery and no replication.`,
        {
          range: ctx.valueRange(wl.item),
          fix: { title: "Set wal_level = 'replica'", edits: [ctx.replaceValue(wl.item, 'replica')], preferred: true },
        },
      ),
    ];
  },
};
