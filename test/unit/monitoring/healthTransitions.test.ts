import { strict as assert } from 'node:assert';

import { HealthTransitions } from '../../../src/core/monitoring/healthTransitions';
import { scrubSecrets } from '../../../src/core/monitoring/scrubSecrets';
import { slackBody, transitionBody } from '../../../src/core/monitoring/webhookNotifier';
import { result } from './fixtures';

const failing = result({
  health: 'failing',
  reasons: [
    {
      id: 'archiving-failing',
      severity: 'failing',
      message: 'archive_command is failing: 00000001000000000000000A failed',
    },
    { id: 'standby-not-archiving', severity: 'info', message: 'i' },
  ],
});

describe('health transitions', () => {
  it('one per change, none while the health stays the same; a first ok is no transition', () => {
    const t = new HealthTransitions();
    const seen = [
      result(),
      result(),
      failing,
      failing,
      result(),
      result({ health: 'unknown' }),
      result({ health: 'unknown' }),
    ]
      .map((r) => t.record(r))
      .map((x) => x && `${x.from}->${x.to}`);
    assert.deepEqual(seen, [null, null, 'ok->failing', null, 'failing->ok', 'ok->unknown', null]);
  });

  it('a server first seen failing is told (an exporter started on a broken server)', () => {
    const x = new HealthTransitions().record(failing)!;
    assert.deepEqual(x, {
      server: 'db1',
      connection: 'postgres@127.0.0.1:5432/postgres',
      from: null,
      to: 'failing',
      reasons: [
        {
          id: 'archiving-failing',
          severity: 'failing',
          message: 'archive_command is failing: 00000001000000000000000A failed',
        },
      ],
      time: '2026-11-24T12:00:00.000Z',
    });
  });

  it('the documented JSON body and the Slack text', () => {
    const t = new HealthTransitions();
    t.record(result());
    const x = t.record(failing)!;
    assert.deepEqual(transitionBody(x), {
      version: 1,
      event: 'health-transition',
      server: 'db1',
      connection: 'postgres@127.0.0.1:5432/postgres',
      from: 'ok',
      to: 'failing',
      time: '2026-11-24T12:00:00.000Z',
      reasons: [
        {
          id: 'archiving-failing',
          severity: 'failing',
          message: 'archive_command is failing: 00000001000000000000000A failed',
        },
      ],
      summary: 'db1: ok → failing: archive_command is failing: 00000001000000000000000A failed',
    });
    assert.deepEqual(slackBody(x), {
      text:
        ':rotating_light: *db1* (postgres@127.0.0.1:5432/postgres): ok → *failing*\n• failing `archiving-failing`: ' +
        'archive_command is failing: 00000001000000000000000A failed',
    });
  });

  it('secrets quoted in a message never leave: conninfo passwords, URI passwords, NAME=secret assignments', () => {
    assert.equal(
      scrubSecrets(
        "configuration: archive_command 'AWS_SECRET_ACCESS_KEY=abc123 aws s3 cp %p s3://b/%f' and host=db password=hunter2 and postgresql://u:pw@h/db",
      ),
      "configuration: archive_command 'AWS_SECRET_ACCESS_KEY=******** aws s3 cp %p s3://b/%f' and host=db password=******** and postgresql://u:********@h/db",
    );
  });
});
