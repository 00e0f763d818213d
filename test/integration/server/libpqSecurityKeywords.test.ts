// Issue 15, security 4: require_auth and channel_binding are enforced as libpq enforces them, before
// anything derived from the password leaves the process. A fake server asks for each kind of
// authentication; pg-pitr must refuse exactly when libpq 18 refuses (the real library, through
// python3, is the oracle), with libpq's message, and send nothing after its startup packet.
import { strict as assert } from 'node:assert';

import { ConnectionError } from '../../../src/core/server/connectionErrors';
import { openConnection } from '../../../src/core/server/openConnection';
import { resolveConnection } from '../../../src/core/server/resolveConnection';
import { type FakeAuth, startFakePgServer } from '../../support/fakePgServer';
import { libpqOracle } from '../../support/libpqOracle';

const PASSWORD = 'Distinctive-Secret-4711';

interface Case {
  auth: FakeAuth;
  keywords: string;
  /** libpq 18's message; null: libpq goes on (and pg-pitr must too, as far as the fake server lets it) */
  refusal: string | null;
}

const CASES: Case[] = [
  {
    auth: 'cleartext',
    keywords: 'require_auth=scram-sha-256',
    refusal: 'authentication method requirement "scram-sha-256" failed: server requested a cleartext password',
  },
  {
    auth: 'md5',
    keywords: 'require_auth=scram-sha-256',
    refusal: 'authentication method requirement "scram-sha-256" failed: server requested a hashed password',
  },
  {
    auth: 'ok',
    keywords: 'require_auth=scram-sha-256',
    refusal: 'authentication method requirement "scram-sha-256" failed: server did not complete authentication',
  },
  {
    auth: 'scram',
    keywords: 'require_auth=password,md5',
    refusal: 'authentication method requirement "password,md5" failed: server requested SASL authentication',
  },
  {
    auth: 'cleartext',
    keywords: 'require_auth=!password',
    refusal: 'authentication method requirement "!password" failed: server requested a cleartext password',
  },
  {
    auth: 'ok',
    keywords: 'require_auth=!none',
    refusal: 'authentication method requirement "!none" failed: server did not complete authentication',
  },
  {
    auth: 'cleartext',
    keywords: 'channel_binding=require',
    refusal: "channel binding required but not supported by server's authentication request",
  },
  {
    auth: 'md5',
    keywords: 'channel_binding=require',
    refusal: "channel binding required but not supported by server's authentication request",
  },
  { auth: 'scram', keywords: 'channel_binding=require', refusal: 'channel binding required, but SSL not in use' },
  {
    auth: 'ok',
    keywords: 'channel_binding=require',
    refusal: 'channel binding required, but server authenticated client without channel binding',
  },
  {
    auth: 'scram-plus',
    keywords: '',
    refusal: 'server offered SCRAM-SHA-256-PLUS authentication over a non-SSL connection',
  },
  { auth: 'gss', keywords: '', refusal: 'GSSAPI authentication not supported' },
  { auth: 'sspi', keywords: '', refusal: 'SSPI authentication not supported' },
  {
    auth: 'gss',
    keywords: 'require_auth=scram-sha-256',
    refusal: 'authentication method requirement "scram-sha-256" failed: server requested GSSAPI authentication',
  },
  // allowed: the password goes out (the fake server then hangs up)
  { auth: 'cleartext', keywords: 'require_auth=password', refusal: null },
  { auth: 'ok', keywords: 'require_auth=none', refusal: null },
];

describe('require_auth and channel_binding against a fake server (libpq 18 as the oracle)', function () {
  this.timeout(60_000);
  const oracle = libpqOracle();
  before(function () {
    if ('missing' in oracle) {
      if (process.env.CI === 'true') throw new Error(`the libpq oracle needs ${oracle.missing}`);
      console.warn(
        `SKIPPING the libpq comparisons: ${oracle.missing} is missing (pg-pitr's own results are still checked)`,
      );
    }
  });

  for (const c of CASES) {
    it(`${c.auth} with "${c.keywords}": ${c.refusal ?? 'answered'}`, async () => {
      const server = await startFakePgServer(c.auth);
      const conninfo = `host=127.0.0.1 port=${server.port} user=u dbname=d sslmode=disable connect_timeout=3 ${c.keywords}`;
      try {
        const resolved = resolveConnection(
          { name: 'fake', connectionString: conninfo },
          { env: {}, homeDir: '/nonexistent', password: PASSWORD },
        );
        let error: ConnectionError | null = null;
        let connected = false;
        try {
          const conn = await openConnection(resolved, { connectTimeoutMs: 3000 });
          connected = true;
          await conn.close();
        } catch (e) {
          assert.ok(e instanceof ConnectionError, String(e));
          error = e;
        }
        const sent = server.messagesAfterStartup().map((m) => m.type);
        if (c.refusal !== null) {
          assert.equal(connected, false);
          assert.equal(error?.message, `127.0.0.1:${server.port}: ${c.refusal}`);
          assert.equal(error?.kind, 'auth');
          // nothing answered the request: no password, no MD5 hash, no SCRAM message
          assert.deepEqual(
            sent.filter((t) => t === 'p'),
            [],
            `sent ${sent.join(',')}`,
          );
          assert.ok(!server.receivedText().includes(PASSWORD));
        } else if (c.auth === 'cleartext') {
          assert.ok(server.receivedText().includes(PASSWORD), 'an allowed cleartext request is answered');
        } else {
          assert.equal(connected, true, error?.message);
        }
      } finally {
        await server.close();
      }
      if (!('missing' in oracle)) {
        const again = await startFakePgServer(c.auth);
        try {
          const r = await oracle.connect(
            `host=127.0.0.1 port=${again.port} user=u dbname=d sslmode=disable connect_timeout=3 password=${PASSWORD} ${c.keywords}`,
          );
          if (c.refusal !== null) {
            assert.equal(r.message, c.refusal, 'libpq 18 says the same');
            assert.ok(!again.receivedText().includes(PASSWORD), 'libpq sent no password either');
          } else if (c.auth === 'ok') assert.equal(r.ok, true, r.message);
        } finally {
          await again.close();
        }
      }
    });
  }

  it('a server asking for GSSAPI does not crash the process (it used to throw from the socket handler)', async () => {
    const server = await startFakePgServer('gss');
    try {
      const resolved = resolveConnection(
        { name: 'fake', connectionString: `host=127.0.0.1 port=${server.port} user=u sslmode=disable` },
        { env: {}, homeDir: '/nonexistent' },
      );
      await assert.rejects(openConnection(resolved, { connectTimeoutMs: 3000 }), {
        message: `127.0.0.1:${server.port}: GSSAPI authentication not supported`,
      });
    } finally {
      await server.close();
    }
  });
});
