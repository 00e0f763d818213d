// checkServer's archive inspection is bounded: an S3 endpoint that accepts connections and never
// answers ends the check after the archive timeout (said as a timeout, not as "cancelled"), and a
// caller's cancellation ends it at once. One real server (PostgreSQL 16).
import { strict as assert } from 'node:assert';
import * as net from 'node:net';

import { checkServer } from '../../../src/core/server/checkServer';
import type { ServerProfile } from '../../../src/core/server/types';
import { type Cluster, createCluster, requireServer } from '../../support/postgresServers';

describe('checkServer: a silent archive endpoint on a real PostgreSQL 16', function () {
  this.timeout(60000);
  let c: Cluster;
  let hole: net.Server;
  const sockets: net.Socket[] = [];
  let profile: ServerProfile;
  const saved: Record<string, string | undefined> = {};
  const AWS = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' };

  before(async function () {
    if (!requireServer(16, this)) return;
    c = await createCluster(16);
    await c.start(['archive_mode=on', 'archive_command=cp %p /nonexistent/%f']);
    hole = net.createServer((s) => void sockets.push(s));
    await new Promise<void>((r) => hole.listen(0, '127.0.0.1', () => r()));
    const endpoint = `http://127.0.0.1:${(hole.address() as net.AddressInfo).port}`;
    profile = {
      name: 'pg16',
      host: '127.0.0.1',
      port: c.port!,
      user: 'postgres',
      database: 'postgres',
      sslmode: 'disable',
      archive: 's3://bucket/prefix',
      archiveEndpoint: endpoint,
    };
    for (const [k, v] of Object.entries(AWS)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
  });

  after(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    for (const s of sockets) s.destroy();
    hole?.close();
    await c?.destroy();
  });

  it('the archive timeout ends the check, and the reason says it timed out', async () => {
    const started = Date.now();
    const r = await checkServer(profile, { env: {}, homeDir: '/nonexistent-home', archiveTimeoutMs: 1500 });
    assert.ok(Date.now() - started < 6000, `took ${Date.now() - started} ms`);
    assert.equal(r.archive?.error, 'the archive listing did not finish within 1.5 s');
    assert.equal(
      r.reasons.find((x) => x.id === 'archive-unreadable')?.message,
      'the archive at s3://bucket/prefix cannot be read: the archive listing did not finish within 1.5 s',
    );
    assert.equal(r.major, 16);
  });

  it('a cancellation ends the check at once', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    const started = Date.now();
    const r = await checkServer(profile, {
      env: {},
      homeDir: '/nonexistent-home',
      archiveTimeoutMs: 30000,
      signal: ac.signal,
    });
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
    assert.match(r.archive?.error ?? '', /cancelled/);
  });
});
