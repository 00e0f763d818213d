// Issue 15, wrong answers 3: `check` never says "OK ... archiving healthy" when the archive could
// not be inspected and nothing is known about base backups: an archive_command that calls a script,
// or a folder that is not mounted where the check runs. Health is capped at warning and the reason
// says what was not checked. Real PostgreSQL 16.
import { strict as assert } from 'node:assert';

import { main } from '../../../src/cli/main';
import { type Cluster, createCluster, requireServer } from '../../support/postgresServers';

async function check(argv: string[]) {
  const out: string[] = [];
  const code = await main(
    ['check', ...argv],
    (s) => out.push(s),
    (s) => out.push(s),
  );
  return { code, out: out.join('\n') };
}

describe('check: an archive that could not be inspected is not OK', function () {
  this.timeout(120_000);
  let c: Cluster;
  const conninfo = () => `host=127.0.0.1 port=${c.port} user=postgres dbname=postgres sslmode=disable`;

  before(async function () {
    if (!requireServer(16, this)) return;
    c = await createCluster(16);
    await c.start(['archive_mode=on', 'archive_command=/usr/local/bin/ship-wal.sh %p %f']);
  });
  after(async () => c?.destroy());

  it('archive_command calls a script: WARNING, exit 1, with what was not checked', async () => {
    const text = await check([conninfo()]);
    assert.equal(text.code, 1, text.out);
    assert.match(text.out, /^postgres@127\.0\.0\.1:\d+\/postgres: WARNING$/m);
    assert.match(
      text.out,
      /^ {2}WARNING archive-unknown: archive not inspected: archive_command calls a script: pg-pitr does not guess what it does; set the archive location for this server \(base backups and gaps are not checked, so recovery is not proven\)$/m,
    );
    const nagios = await check([conninfo(), '--format', 'nagios']);
    assert.equal(nagios.code, 1);
    assert.match(nagios.out, /^PGPITR WARNING - postgres@127\.0\.0\.1:\d+\/postgres: archive not inspected: /);
    assert.doesNotMatch(nagios.out, /archiving healthy/);
  });

  it('an inferred folder that is not there: a warning too, never information', async () => {
    // (the settings are -c options: a restart with others)
    await c.stop();
    await c.start(['archive_mode=on', 'archive_command=cp %p /mnt/not-mounted-here/%f']);
    const r = await check([conninfo(), '--format', 'json']);
    const j = JSON.parse(r.out) as { health: string; reasons: { id: string; severity: string }[] };
    // (the server's own cp fails too here, so it is failing for that reason; the archive's is a warning)
    assert.deepEqual(
      j.reasons.filter((x) => x.id.startsWith('archive')).map((x) => `${x.severity}:${x.id}`),
      ['warning:archive-not-inspected'],
    );
  });
});
