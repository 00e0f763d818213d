// openConnection against real servers (PostgreSQL 10 with md5, 18 with scram-sha-256), and
// against endpoints that fail: a closed port, an address nobody answers, a server that accepts
// and never writes, a server that completes the startup and then never answers a query.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { ConnectionError, QueryError } from '../../../src/core/server/connectionErrors';
import { openConnection } from '../../../src/core/server/openConnection';
import { resolveConnection } from '../../../src/core/server/resolveConnection';
import type { ResolvedConnection, ServerProfile } from '../../../src/core/server/types';
import { type Cluster, createCluster, freePort, osUser, requireServer } from '../../support/postgresServers';
import { requirePython, startTcpBlackhole } from '../../support/tcpBlackhole';

const ROLE = 'pitr_checker';
const ROLE_PASSWORD = 'Role-Pw-7f3k';
// distinctive, so that finding it anywhere in an error is a leak
const WRONG_PASSWORD = 'Wr0ng-Distinctive-Pw-91xq';

const elapsed = (start: number) => Date.now() - start;

/** Resolution with nothing from this machine: no real $HOME, no PG* variables. */
function resolve(
  profile: Omit<ServerProfile, 'name'>,
  opts: { password?: string; homeDir?: string } = {},
): ResolvedConnection {
  return resolveConnection(
    { name: 'test', ...profile },
    {
      env: {},
      homeDir: opts.homeDir ?? '/nonexistent-home',
      sysconfDir: '/nonexistent-sysconf',
      osUser: 'nobody',
      ...(opts.password !== undefined ? { password: opts.password } : {}),
    },
  );
}

/** The rejection of `p`, which must be a ConnectionError. */
async function rejection(p: Promise<unknown>): Promise<ConnectionError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ConnectionError, `expected a ConnectionError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a rejection');
}

function assertNoSecret(e: Error, secret: string): void {
  assert.ok(!e.message.includes(secret), `password in message: ${e.message}`);
  assert.ok(!(e.stack ?? '').includes(secret), 'password in stack');
  assert.ok(!JSON.stringify(e).includes(secret), 'password in the error object');
}

for (const [major, method] of [
  [10, 'md5'],
  [18, 'scram-sha-256'],
] as const) {
  describe(`openConnection on PostgreSQL ${major} (${method})`, function () {
    let cluster: Cluster;
    let port: number;
    let tmp: string;

    before(async function () {
      requireServer(major, this);
      cluster = await createCluster(major);
      // the harness's own connection (postgres over 127.0.0.1) stays trusted; our role needs a password
      const hba = path.join(cluster.dataDir, 'pg_hba.conf');
      const original = fs.readFileSync(hba, 'utf8');
      fs.writeFileSync(
        hba,
        `host all postgres 127.0.0.1/32 trust\nhost all ${ROLE} 127.0.0.1/32 ${method}\n${original}`,
      );
      await cluster.start([`password_encryption=${method}`]);
      await cluster.query(`CREATE ROLE ${ROLE} LOGIN PASSWORD '${ROLE_PASSWORD}'`);
      port = cluster.port!;
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-openconn-'));
    });
    after(async () => {
      await cluster?.destroy();
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    it('connects over TCP: SELECT works, the session is read-only, a write is refused, application_name is pg-pitr', async () => {
      const conn = await openConnection(
        resolve({ host: '127.0.0.1', port, user: ROLE, database: 'postgres' }, { password: ROLE_PASSWORD }),
      );
      try {
        assert.deepEqual(await conn.query('SELECT 1 + $1::int AS x', [41]), [{ x: 42 }]);
        assert.deepEqual(await conn.query('SHOW default_transaction_read_only'), [
          { default_transaction_read_only: 'on' },
        ]);
        assert.deepEqual(await conn.query('SHOW application_name'), [{ application_name: 'pg-pitr' }]);
        assert.deepEqual(await conn.query('SHOW statement_timeout'), [{ statement_timeout: '5s' }]);
        const e = await rejection(conn.query('CREATE TABLE t (x int)'));
        assert.ok(e instanceof QueryError);
        assert.equal(e.sqlState, '25006');
        assert.equal(e.kind, 'other');
        assert.equal(e.message, 'cannot execute CREATE TABLE in a read-only transaction');
        // an SQL error leaves the connection usable
        assert.deepEqual(await conn.query('SELECT 2 AS y'), [{ y: 2 }]);
      } finally {
        await conn.close();
      }
      assert.equal(
        (await cluster.query<{ n: string }>(`SELECT count(*) AS n FROM pg_class WHERE relname = 't'`))[0]!.n,
        '0',
      );
    });

    it('readOnly: false leaves the session writable; close() is idempotent; a query after close() is refused', async () => {
      const conn = await openConnection(
        resolve({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', sslmode: 'disable' }),
        { readOnly: false, applicationName: 'drill' },
      );
      assert.deepEqual(await conn.query('SHOW default_transaction_read_only'), [
        { default_transaction_read_only: 'off' },
      ]);
      assert.deepEqual(await conn.query('SHOW application_name'), [{ application_name: 'drill' }]);
      await Promise.all([conn.close(), conn.close()]);
      await conn.close();
      const e = await rejection(conn.query('SELECT 1'));
      assert.equal(e.message, `connection to 127.0.0.1:${port} is closed`);
    });

    it('over the Unix socket (sslmode prefer is not tried on a socket)', async () => {
      const sockDir = path.join(cluster.root, 'sock');
      const conn = await openConnection(resolve({ host: sockDir, port, user: 'postgres', database: 'postgres' }));
      try {
        assert.deepEqual(await conn.query(`SELECT inet_server_addr() IS NULL AS local`), [{ local: true }]);
      } finally {
        await conn.close();
      }
    });

    it('statement timeout: pg_sleep longer than the timeout fails with kind timeout within timeout + 1 s', async () => {
      const conn = await openConnection(resolve({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' }), {
        statementTimeoutMs: 1000,
      });
      try {
        const start = Date.now();
        const e = await rejection(conn.query('SELECT pg_sleep(5)'));
        const took = elapsed(start);
        assert.ok(took >= 900 && took < 2000, `took ${took} ms`);
        assert.ok(e instanceof QueryError);
        assert.equal(e.kind, 'timeout');
        assert.equal(e.sqlState, '57014');
        assert.equal(
          e.message,
          `statement timed out after 1 s on 127.0.0.1:${port} (canceling statement due to statement timeout)`,
        );
        assert.deepEqual(await conn.query('SELECT 3 AS z'), [{ z: 3 }]);
      } finally {
        await conn.close();
      }
    });

    it("wrong password: kind auth, the server's words, and the password nowhere", async () => {
      const e = await rejection(
        openConnection(
          resolve({ host: '127.0.0.1', port, user: ROLE, database: 'postgres' }, { password: WRONG_PASSWORD }),
        ),
      );
      assert.equal(e.kind, 'auth');
      assert.equal(e.message, `127.0.0.1:${port}: password authentication failed for user "${ROLE}"`);
      assertNoSecret(e, WRONG_PASSWORD);
    });

    it('the password from a real ~/.pgpass (0600) works; the same file at 0644 is ignored with the warning', async () => {
      const home = path.join(tmp, 'home');
      fs.mkdirSync(home, { recursive: true });
      const pgpass = path.join(home, '.pgpass');
      fs.writeFileSync(pgpass, `# test\n127.0.0.1:${port}:postgres:${ROLE}:${ROLE_PASSWORD}\n`);
      fs.chmodSync(pgpass, 0o600);
      const ok = resolve({ host: '127.0.0.1', port, user: ROLE, database: 'postgres' }, { homeDir: home });
      assert.equal(ok.passwordSource, 'pgpass');
      assert.deepEqual(ok.warnings, []);
      const conn = await openConnection(ok);
      try {
        assert.deepEqual(await conn.query('SELECT current_user AS u'), [{ u: ROLE }]);
      } finally {
        await conn.close();
      }

      fs.chmodSync(pgpass, 0o644);
      const loose = resolve({ host: '127.0.0.1', port, user: ROLE, database: 'postgres' }, { homeDir: home });
      assert.equal(loose.passwordSource, 'none');
      assert.deepEqual(loose.warnings, [
        `password file "${pgpass}" has group or world access; permissions should be u=rw (0600) or less`,
      ]);
      const e = await rejection(openConnection(loose));
      assert.equal(e.kind, 'auth');
      assert.equal(
        e.message,
        `127.0.0.1:${port}: the server asks for a password for user "${ROLE}" and none was given (no stored password, PGPASSWORD or password file line)`,
      );
    });

    it('sslmode require on a server without SSL: kind ssl; verify-full without a root certificate: kind ssl', async () => {
      const e = await rejection(
        openConnection(
          resolve({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', sslmode: 'require' }),
        ),
      );
      assert.equal(e.kind, 'ssl');
      assert.equal(e.message, `127.0.0.1:${port}: the server does not support SSL connections (sslmode=require)`);
      const v = await rejection(
        openConnection(
          resolve({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', sslmode: 'verify-full' }),
        ),
      );
      assert.equal(v.kind, 'ssl');
      assert.match(v.message, /^127\.0\.0\.1:\d+: sslmode=verify-full needs a root certificate and none is configured/);
    });

    it("a database that does not exist: kind other, the server's words", async () => {
      const e = await rejection(
        openConnection(resolve({ host: '127.0.0.1', port, user: 'postgres', database: 'no_such_db' })),
      );
      assert.equal(e.kind, 'other');
      assert.equal(e.message, `127.0.0.1:${port}: database "no_such_db" does not exist`);
    });
  });
}

describe('openConnection to endpoints that fail', function () {
  const sockets = new Set<net.Socket>();
  let silent: net.Server;
  let silentPort: number;
  let silentClosed = 0;
  let cluster: Cluster | undefined;

  before(async function () {
    silent = net.createServer((s) => {
      sockets.add(s);
      s.on('close', () => {
        silentClosed++;
        sockets.delete(s);
      });
      s.on('error', () => undefined);
      // read (and drop) what the client sends, so that its FIN is seen and 'close' follows
      s.resume();
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    silentPort = (silent.address() as net.AddressInfo).port;
  });
  after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => silent.close(() => r()));
    await cluster?.destroy();
  });

  it('a closed port: kind refused, at once', async () => {
    const port = await freePort();
    const start = Date.now();
    const e = await rejection(openConnection(resolve({ host: '127.0.0.1', port }, { password: WRONG_PASSWORD })));
    assert.ok(elapsed(start) < 1000);
    assert.equal(e.kind, 'refused');
    assert.equal(
      e.message,
      `127.0.0.1:${port}: connection refused (is the server running on that host and accepting TCP/IP connections on port ${port}?)`,
    );
    assertNoSecret(e, WRONG_PASSWORD);
  });

  it('a host name that does not resolve (.invalid, RFC 6761): kind unreachable, or timeout where DNS itself hangs', async () => {
    const e = await rejection(
      openConnection(resolve({ host: 'pg-pitr-test.invalid', port: 5432 }), { connectTimeoutMs: 2000 }),
    );
    if (e.kind === 'timeout') {
      assert.equal(e.message, 'timed out after 2 s connecting to pg-pitr-test.invalid:5432');
    } else {
      assert.equal(e.kind, 'unreachable');
      assert.equal(
        e.message,
        'pg-pitr-test.invalid:5432: could not translate host name "pg-pitr-test.invalid" to address',
      );
    }
  });

  it('a socket directory without a server: kind refused', async () => {
    const e = await rejection(openConnection(resolve({ host: '/nonexistent-socket-dir', port: 5432 })));
    assert.equal(e.kind, 'refused');
    assert.equal(
      e.message,
      'socket /nonexistent-socket-dir/.s.PGSQL.5432: no such socket file (is the server running locally and accepting connections on that socket?)',
    );
  });

  it('a host that never completes the TCP handshake, with a 1 s connect timeout: kind timeout after 1 s', async function () {
    requirePython(this);
    const hole = await startTcpBlackhole();
    try {
      const start = Date.now();
      const e = await rejection(
        openConnection(resolve({ host: '127.0.0.1', port: hole.port }, { password: WRONG_PASSWORD }), {
          connectTimeoutMs: 1000,
        }),
      );
      const took = elapsed(start);
      assert.equal(e.kind, 'timeout');
      assert.equal(e.message, `timed out after 1 s connecting to 127.0.0.1:${hole.port}`);
      // the timeout, not the kernel's SYN retries (1 s, 3 s, ...), ended it; the upper bound is loose for loaded machines
      assert.ok(took >= 900 && took < 5000, `took ${took} ms`);
      assertNoSecret(e, WRONG_PASSWORD);
    } finally {
      hole.close();
    }
  });

  it('a server that accepts and never writes: timeout within the connect timeout, socket destroyed; a real server opened at the same time answers at once', async function () {
    requireServer(18, this);
    cluster = await createCluster(18);
    await cluster.start();
    const realPort = cluster.port!;
    const closedBefore = silentClosed;
    const start = Date.now();
    let realAt = 0;
    const dead = rejection(
      openConnection(
        resolve(
          { host: '127.0.0.1', port: silentPort, user: 'u', database: 'd', sslmode: 'disable' },
          { password: WRONG_PASSWORD },
        ),
        { connectTimeoutMs: 1500 },
      ),
    );
    const alive = openConnection(
      resolve({ host: '127.0.0.1', port: realPort, user: 'postgres', database: 'postgres' }),
      { connectTimeoutMs: 1500 },
    ).then(async (c) => {
      const rows = await c.query('SELECT 1 AS one');
      realAt = elapsed(start);
      await c.close();
      return rows;
    });
    const [e, rows] = await Promise.all([dead, alive]);
    const deadAt = elapsed(start);
    assert.deepEqual(rows, [{ one: 1 }]);
    assert.ok(realAt < 1000, `the real server took ${realAt} ms`);
    assert.ok(deadAt >= 1400 && deadAt < 2500, `the silent server took ${deadAt} ms`);
    assert.equal(e.kind, 'timeout');
    assert.equal(
      e.message,
      `timed out after 1.5 s connecting to 127.0.0.1:${silentPort} (the server accepted the TCP connection but did not complete the startup)`,
    );
    assertNoSecret(e, WRONG_PASSWORD);
    // our side closed the socket: the server sees it go
    for (let i = 0; i < 50 && silentClosed === closedBefore; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(silentClosed, closedBefore + 1);
  });

  it('a server that completes the startup and then never answers a query: kind timeout after statement timeout + 1 s, then the connection is closed', async () => {
    // just enough of the protocol: AuthenticationOk and ReadyForQuery after the startup message
    const mute = net.createServer((s) => {
      sockets.add(s);
      s.on('error', () => undefined);
      s.once('data', () => {
        const auth = Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 0]);
        const ready = Buffer.from([0x5a, 0, 0, 0, 5, 0x49]);
        s.write(Buffer.concat([auth, ready]));
      });
    });
    await new Promise<void>((r) => mute.listen(0, '127.0.0.1', r));
    const port = (mute.address() as net.AddressInfo).port;
    try {
      const conn = await openConnection(resolve({ host: '127.0.0.1', port, sslmode: 'disable' }), {
        statementTimeoutMs: 500,
      });
      const start = Date.now();
      const e = await rejection(conn.query('SELECT 1'));
      const took = elapsed(start);
      assert.ok(took >= 1400 && took < 2200, `took ${took} ms`);
      assert.ok(e instanceof QueryError);
      assert.equal(e.kind, 'timeout');
      assert.equal(e.sqlState, null);
      assert.equal(
        e.message,
        `no answer from 127.0.0.1:${port} within 1.5 s (statement timeout 0.5 s); the connection was closed`,
      );
      const again = await rejection(conn.query('SELECT 1'));
      assert.equal(again.kind, 'timeout');
      assert.equal(
        again.message,
        `connection to 127.0.0.1:${port} is broken: the server did not answer a statement within 1.5 s`,
      );
      const closeStart = Date.now();
      await conn.close();
      await conn.close();
      assert.ok(elapsed(closeStart) < 1500);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => mute.close(() => r()));
    }
  });
});

describe('openConnection with SSL (PostgreSQL 18, certificates made by openssl for this run)', function () {
  let cluster: Cluster;
  let port: number;
  let dir: string;

  before(async function () {
    requireServer(18, this);
    if (spawnSync('openssl', ['version'], { timeout: 10_000 }).status !== 0) {
      const msg = 'no openssl command to make the test certificates (Debian: apt-get install openssl)';
      if (process.env.CI === 'true') throw new Error(`${msg}; CI=true: a missing dependency is a failure`);
      process.stderr.write(`\n!!! SKIPPING the SSL tests: ${msg}\n\n`);
      this.skip();
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-tls-'));
    const openssl = (...args: string[]) => {
      const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8', timeout: 30_000 });
      if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
    };
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=pg-pitr test CA');
    openssl(
      'req',
      '-x509',
      ...ec,
      '-keyout',
      'other-ca.key',
      '-out',
      'other-ca.crt',
      '-days',
      '2',
      '-subj',
      '/CN=pg-pitr other CA',
    );
    openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
    // a name only, no IP: verify-full to 127.0.0.1 must fail, verify-ca must not care
    fs.writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName=DNS:localhost\n');
    openssl(
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.crt',
      '-days',
      '2',
      '-extfile',
      'san.ext',
    );
    cluster = await createCluster(18);
    for (const f of ['server.crt', 'server.key']) {
      const target = path.join(cluster.dataDir, f);
      fs.copyFileSync(path.join(dir, f), target);
      fs.chmodSync(target, 0o600);
      fs.chownSync(target, osUser().uid, osUser().gid);
    }
    await cluster.start(['ssl=on', 'ssl_cert_file=server.crt', 'ssl_key_file=server.key']);
    port = cluster.port!;
  });
  after(async () => {
    await cluster?.destroy();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const sslInUse = async (profile: Omit<ServerProfile, 'name'>) => {
    const conn = await openConnection(
      resolve({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', ...profile }),
    );
    try {
      return (await conn.query<{ ssl: boolean }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()'))[0]!.ssl;
    } finally {
      await conn.close();
    }
  };

  it('disable: no SSL; prefer and require: SSL without verification', async () => {
    assert.equal(await sslInUse({ sslmode: 'disable' }), false);
    assert.equal(await sslInUse({}), true);
    assert.equal(await sslInUse({ sslmode: 'require' }), true);
  });

  it('verify-ca with the right root certificate: connects, whatever the host name', async () => {
    assert.equal(await sslInUse({ sslmode: 'verify-ca', sslrootcert: path.join(dir, 'ca.crt') }), true);
  });

  it('verify-full: the host name must be in the certificate', async () => {
    const e = await rejection(
      openConnection(
        resolve({
          host: '127.0.0.1',
          port,
          user: 'postgres',
          database: 'postgres',
          sslmode: 'verify-full',
          sslrootcert: path.join(dir, 'ca.crt'),
        }),
      ),
    );
    assert.equal(e.kind, 'ssl');
    assert.equal(
      e.message,
      `127.0.0.1:${port}: server certificate (DNS:localhost) does not match host name "127.0.0.1" (sslmode=verify-full)`,
    );
  });

  it('another root certificate: verify-ca fails, and so does require (libpq: a root certificate makes require verify the chain)', async () => {
    const other = path.join(dir, 'other-ca.crt');
    for (const sslmode of ['verify-ca', 'require'] as const) {
      const e = await rejection(
        openConnection(
          resolve({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', sslmode, sslrootcert: other }),
        ),
      );
      assert.equal(e.kind, 'ssl');
      assert.match(
        e.message,
        new RegExp(
          `^127\\.0\\.0\\.1:${port}: SSL error: certificate verify failed: the server's certificate is ` +
            `not signed by the root certificate "${other.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" \\((UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\\)$`,
        ),
      );
    }
  });

  it('a root certificate file that cannot be read: kind ssl, naming the file', async () => {
    const missing = path.join(dir, 'missing.crt');
    const e = await rejection(
      openConnection(
        resolve({
          host: '127.0.0.1',
          port,
          user: 'postgres',
          database: 'postgres',
          sslmode: 'verify-ca',
          sslrootcert: missing,
        }),
      ),
    );
    assert.equal(e.kind, 'ssl');
    assert.equal(e.message, `127.0.0.1:${port}: could not read root certificate file "${missing}": ENOENT`);
  });
});
