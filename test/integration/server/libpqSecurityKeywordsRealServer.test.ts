// Issue 15, security 4, on a real PostgreSQL 18 with TLS: channel_binding=require and
// require_auth=scram-sha-256 connect over TLS (SCRAM-SHA-256-PLUS), and are refused, with libpq's
// words and before the password is sent, where the server would take a cleartext password, trust
// the client, or SCRAM runs without TLS. The real libpq 18 on the same server is the oracle.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { ConnectionError } from '../../../src/core/server/connectionErrors';
import { openConnection } from '../../../src/core/server/openConnection';
import { resolveConnection } from '../../../src/core/server/resolveConnection';
import { libpqOracle } from '../../support/libpqOracle';
import { type Cluster, createCluster, osUser, requireServer } from '../../support/postgresServers';

const ROLE = 'pitr_scram';
const PASSWORD = 'Real-Server-Secret-5821';

describe('require_auth and channel_binding on PostgreSQL 18 with TLS (libpq 18 as the oracle)', function () {
  this.timeout(120_000);
  let cluster: Cluster;
  let port: number;
  let dir: string;
  const oracle = libpqOracle();

  before(async function () {
    requireServer(18, this);
    if (spawnSync('openssl', ['version'], { timeout: 10_000 }).status !== 0) {
      process.stderr.write('\n!!! SKIPPING: no openssl command to make the test certificate\n\n');
      this.skip();
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-cb-'));
    const cert = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        'server.key',
        '-out',
        'server.crt',
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
      ],
      { cwd: dir, encoding: 'utf8', timeout: 30_000 },
    );
    if (cert.status !== 0) throw new Error(`openssl: ${cert.stderr}`);
    cluster = await createCluster(18);
    for (const f of ['server.crt', 'server.key']) {
      const target = path.join(cluster.dataDir, f);
      fs.copyFileSync(path.join(dir, f), target);
      fs.chmodSync(target, 0o600);
      fs.chownSync(target, osUser().uid, osUser().gid);
    }
    // the role: SCRAM over TLS, a cleartext password without TLS; postgres over TCP is trusted
    const hba = path.join(cluster.dataDir, 'pg_hba.conf');
    fs.writeFileSync(
      hba,
      `hostssl all ${ROLE} 127.0.0.1/32 scram-sha-256\nhostnossl all ${ROLE} 127.0.0.1/32 password\n` +
        `host all postgres 127.0.0.1/32 trust\n${fs.readFileSync(hba, 'utf8')}`,
    );
    await cluster.start(['ssl=on', 'ssl_cert_file=server.crt', 'ssl_key_file=server.key']);
    await cluster.query(`CREATE ROLE ${ROLE} LOGIN PASSWORD '${PASSWORD}'`);
    port = cluster.port!;
  });
  after(async () => {
    await cluster?.destroy();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const conninfo = (user: string, keywords: string) =>
    `host=127.0.0.1 port=${port} user=${user} dbname=postgres connect_timeout=5 ${keywords}`;

  /** pg-pitr's outcome: null when connected (over TLS, checked), else its message without the endpoint. */
  async function pgPitr(user: string, keywords: string): Promise<string | null> {
    const resolved = resolveConnection(
      { name: 'real', connectionString: conninfo(user, keywords) },
      { env: {}, homeDir: '/nonexistent', password: PASSWORD },
    );
    try {
      const conn = await openConnection(resolved, { connectTimeoutMs: 5000 });
      await conn.close();
      return null;
    } catch (e) {
      assert.ok(e instanceof ConnectionError, String(e));
      assert.ok(!e.message.includes(PASSWORD));
      return e.message.replace(`127.0.0.1:${port}: `, '');
    }
  }

  async function libpq(user: string, keywords: string): Promise<string | null> {
    if ('missing' in oracle) return 'SKIP';
    const r = await oracle.connect(`${conninfo(user, keywords)} password=${PASSWORD}`);
    return r.ok ? null : r.message;
  }

  const cases: Array<[string, string, string | null]> = [
    [ROLE, 'sslmode=require channel_binding=require require_auth=scram-sha-256', null],
    [ROLE, 'sslmode=require channel_binding=disable', null],
    [
      ROLE,
      'sslmode=disable require_auth=scram-sha-256',
      'authentication method requirement "scram-sha-256" failed: server requested a cleartext password',
    ],
    [
      ROLE,
      'sslmode=disable channel_binding=require',
      "channel binding required but not supported by server's authentication request",
    ],
    [
      'postgres',
      'sslmode=require require_auth=scram-sha-256',
      'authentication method requirement "scram-sha-256" failed: server did not complete authentication',
    ],
    [
      'postgres',
      'sslmode=require channel_binding=require',
      'channel binding required, but server authenticated client without channel binding',
    ],
  ];
  for (const [user, keywords, expected] of cases) {
    it(`${user} with "${keywords}": ${expected ?? 'connects'}`, async () => {
      assert.equal(await pgPitr(user, keywords), expected);
      const theirs = await libpq(user, keywords);
      if (theirs !== 'SKIP') assert.equal(theirs, expected, 'libpq 18 on the same server');
    });
  }
});
