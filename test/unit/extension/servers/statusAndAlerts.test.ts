import { strict as assert } from 'node:assert';

import { HealthAlerts } from '../../../../src/extension/servers/healthAlerts';
import { summariseStatus } from '../../../../src/extension/servers/statusSummary';

describe('Servers status-bar summary', () => {
  it('counts only what is there, worst icon first', () => {
    assert.deepEqual(summariseStatus(['ok', 'failing', 'unknown']), {
      text: '$(error) PITR: 1 ok · 1 failing · 1 unknown',
      worst: 'failing',
    });
    assert.deepEqual(summariseStatus(['ok', 'ok', 'failing']), {
      text: '$(error) PITR: 2 ok · 1 failing',
      worst: 'failing',
    });
    assert.deepEqual(summariseStatus(['ok', 'warning', 'warning']), {
      text: '$(warning) PITR: 1 ok · 2 warnings',
      worst: 'warning',
    });
    assert.deepEqual(summariseStatus(['warning']), { text: '$(warning) PITR: 1 warning', worst: 'warning' });
    assert.deepEqual(summariseStatus(['ok']), { text: '$(pass) PITR: 1 ok', worst: 'ok' });
    assert.deepEqual(summariseStatus(['unknown', 'ok']), {
      text: '$(question) PITR: 1 ok · 1 unknown',
      worst: 'unknown',
    });
    assert.deepEqual(summariseStatus(['ok', undefined]), { text: '$(pass) PITR: 1 ok · 1 checking', worst: 'ok' });
    assert.deepEqual(summariseStatus([undefined, undefined]), { text: '$(sync~spin) PITR: checking', worst: null });
  });
});

describe('Notification when a server starts failing', () => {
  it('warns once on ok -> failing, again only after a recovery', () => {
    const a = new HealthAlerts();
    const seq = (name: string, hs: Parameters<HealthAlerts['record']>[1][]) => hs.map((h) => a.record(name, h));
    assert.deepEqual(seq('a', ['ok', 'failing', 'failing', 'unknown', 'failing', 'ok', 'failing']), [
      false,
      true,
      false,
      false,
      false,
      false,
      true,
    ]);
  });

  it('warning -> failing warns; failing from the first check or after unknown only does not', () => {
    const a = new HealthAlerts();
    assert.deepEqual([a.record('w', 'warning'), a.record('w', 'failing')], [false, true]);
    assert.deepEqual([a.record('f', 'failing'), a.record('f', 'failing')], [false, false]);
    assert.deepEqual([a.record('u', 'unknown'), a.record('u', 'failing')], [false, false]);
    // ok, then unreachable for a while, then failing: still a change from ok
    assert.deepEqual([a.record('x', 'ok'), a.record('x', 'unknown'), a.record('x', 'failing')], [false, false, true]);
  });

  it('a removed server is forgotten', () => {
    const a = new HealthAlerts();
    a.record('s', 'ok');
    a.forget('s');
    assert.equal(a.record('s', 'failing'), false);
  });
});
