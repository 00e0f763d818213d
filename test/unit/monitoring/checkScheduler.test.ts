import { strict as assert } from 'node:assert';

import { CheckScheduler } from '../../../src/core/monitoring/checkScheduler';
import type { CheckOptions } from '../../../src/core/server/checkServer';
import type { CheckResult, ServerProfile } from '../../../src/core/server/types';
import { result } from './fixtures';

async function until<T>(what: string, probe: () => T | undefined | false, ms = 3000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('check scheduler', () => {
  let scheduler: CheckScheduler | null = null;
  afterEach(async () => {
    await scheduler?.stop();
    scheduler = null;
  });

  it('a silent server: the others keep their fresh results, its own ends at the deadline as unknown', async () => {
    const calls = new Map<string, number>();
    const check = (p: ServerProfile): Promise<CheckResult> => {
      calls.set(p.name, (calls.get(p.name) ?? 0) + 1);
      if (p.name === 'silent') return new Promise(() => undefined);
      return Promise.resolve(result({ server: p.name, checkedAt: new Date().toISOString(), durationMs: 0 }));
    };
    scheduler = new CheckScheduler(
      ['a', 'silent', 'b'].map((name) => ({ profile: { name } })),
      { intervalMs: 5, deadlineMs: 300, check },
    );
    scheduler.start();
    await until('a and b checked three times', () => (calls.get('a') ?? 0) >= 3 && (calls.get('b') ?? 0) >= 3);
    assert.deepEqual(
      scheduler.records().map((r) => [r.result.server, r.result.health]),
      [
        ['a', 'ok'],
        ['b', 'ok'],
      ],
      'the silent server has no record yet, and nobody waited for it',
    );
    const silent = await until('the silent check to reach its deadline', () =>
      scheduler!.records().find((r) => r.result.server === 'silent'),
    );
    assert.equal(silent.result.health, 'unknown');
    assert.deepEqual(silent.result.reasons, [
      { id: 'check-timeout', severity: 'unknown', message: 'the check did not finish within 0.3 s' },
    ]);
    assert.deepEqual([silent.checks, silent.errors], [1, 1]);
    assert.ok(silent.result.durationMs >= 300 && silent.result.durationMs < 2000, `${silent.result.durationMs} ms`);
  });

  it('runs at most `concurrency` checks at once', async () => {
    let running = 0;
    let most = 0;
    let done = 0;
    const check = async (p: ServerProfile) => {
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, 20));
      running--;
      done++;
      return result({ server: p.name });
    };
    scheduler = new CheckScheduler(
      Array.from({ length: 6 }, (_, i) => ({ profile: { name: `s${i}` } })),
      { intervalMs: 1, deadlineMs: 1000, concurrency: 2, check },
    );
    scheduler.start();
    await until('12 checks', () => done >= 12);
    assert.equal(most, 2);
  });

  it('hands each check the previous one (backlog, oldest .ready, archiver counters, waiting since) and its objectives', async () => {
    const seen: CheckOptions[] = [];
    let n = 0;
    const check = async (p: ServerProfile, o: CheckOptions) => {
      seen.push(o);
      n++;
      const r = result({ server: p.name, backlog: n, waitingSince: n === 1 ? '2026-11-24T12:00:00.000+00:00' : null });
      r.status!.oldestReady = `00000001000000000000000${n}`;
      return r;
    };
    const objectives = {
      minBackups: {
        text: '2',
        quantity: { kind: 'count' as const, value: 2, text: '2' },
        severity: 'warning' as const,
      },
    };
    scheduler = new CheckScheduler([{ profile: { name: 'a' }, objectives }], {
      intervalMs: 1,
      deadlineMs: 1000,
      check,
    });
    scheduler.start();
    await until('two checks', () => seen.length >= 2);
    assert.equal(seen[0].previous, null);
    assert.deepEqual(seen[1].previous, {
      backlog: 1,
      oldestReady: '000000010000000000000001',
      checkedAt: '2026-11-24T11:59:59.500Z',
      archiver: result().archiver,
      waitingSince: '2026-11-24T12:00:00.000+00:00',
    });
    assert.equal(seen[1].objectives, objectives);
  });

  it('a check that throws is recorded as unknown with the error, and the schedule goes on', async () => {
    let n = 0;
    const check = async () => {
      n++;
      throw new Error('boom');
    };
    scheduler = new CheckScheduler([{ profile: { name: 'a' } }], { intervalMs: 1, deadlineMs: 1000, check });
    scheduler.start();
    await until('three attempts', () => n >= 3);
    const r = scheduler.records()[0];
    assert.deepEqual(r.result.reasons, [{ id: 'check-error', severity: 'unknown', message: 'the check failed: boom' }]);
    assert.ok(r.errors >= 2 && r.errors === r.checks);
  });
});
