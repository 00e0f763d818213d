// Drills recorded by `pg-pitr drill` (another command's file): read defensively.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { defaultDrillLogFile, readDrillLog } from '../../../src/core/timeline/drillLog';

describe('timeline drill log', () => {
  it('is $XDG_STATE_HOME/pg-pitr/drills.jsonl, else ~/.local/state/pg-pitr/drills.jsonl', () => {
    assert.equal(defaultDrillLogFile({ XDG_STATE_HOME: '/var/state' }, '/home/u'), '/var/state/pg-pitr/drills.jsonl');
    assert.equal(
      defaultDrillLogFile({ XDG_STATE_HOME: 'relative' }, '/home/u'),
      '/home/u/.local/state/pg-pitr/drills.jsonl',
    );
    assert.equal(defaultDrillLogFile({}, '/home/u'), '/home/u/.local/state/pg-pitr/drills.jsonl');
  });

  it('keeps the drills it understands, skips the rest, never throws', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-drills-'));
    try {
      const file = path.join(dir, 'drills.jsonl');
      const good = {
        startedAt: '2026-11-24T12:00:00Z',
        ok: true,
        backup: { systemIdentifier: '7714300956738417781', timeline: 1, stopLsn: '0/3000100' },
        reached: { time: '2026-11-24T11:00:00+01:00', timeline: 2, lsn: '0/5000028' },
        durations: { totalSeconds: 42.5 },
        future: 'field',
      };
      const lines = [
        JSON.stringify(good),
        '{"startedAt": "yesterday", "ok": true}',
        'not json',
        '[1,2]',
        JSON.stringify({
          startedAt: '2026-11-25T00:00:00Z',
          ok: false,
          backup: { systemIdentifier: 12, stopLsn: 'x/y' },
          reached: null,
        }),
        '{"startedAt": "2026-11-25T01:00:00Z", "ok": tr',
      ];
      fs.writeFileSync(file, lines.join('\n'));
      assert.deepEqual(readDrillLog(file), [
        {
          startedAt: '2026-11-24T12:00:00Z',
          ok: true,
          backup: { systemIdentifier: '7714300956738417781', timeline: 1, stopLsn: '0/3000100' },
          reached: { time: '2026-11-24T11:00:00+01:00', timeline: 2, lsn: '0/5000028' },
          totalSeconds: 42.5,
        },
        {
          startedAt: '2026-11-25T00:00:00Z',
          ok: false,
          backup: { systemIdentifier: '12', timeline: null, stopLsn: null },
          reached: null,
          totalSeconds: null,
        },
      ]);
      assert.deepEqual(readDrillLog(path.join(dir, 'absent.jsonl')), []);
      assert.deepEqual(readDrillLog(dir), [], 'a folder is no log');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
