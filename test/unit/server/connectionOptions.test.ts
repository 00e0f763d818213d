import { strict as assert } from 'node:assert';

import { resolveConnectionOptions } from '../../../src/core/server/connectionOptions';
import { resolveConnection } from '../../../src/core/server/resolveConnection';

// Every libpq keyword beyond the endpoint is honoured or refused by name, never silently dropped.

describe('connectionOptions', () => {
  const kw = (o: Record<string, string>) => new Map(Object.entries(o));
  const resolve = (o: Record<string, string>) => resolveConnectionOptions(kw(o), 'p');

  it('defaults: any method, channel binding preferred, TLS 1.2 or later, any session', () => {
    const o = resolve({});
    assert.equal(o.auth.requireAuth, null);
    assert.equal(o.auth.channelBinding, 'prefer');
    assert.deepEqual(o.tls, { minVersion: 'TLSv1.2', sendClientCert: true, negotiation: 'postgres' });
    assert.deepEqual(o.session, { keepalives: true, targetSessionAttrs: 'any' });
  });

  it('honours what it can', () => {
    const o = resolve({
      require_auth: 'scram-sha-256',
      channel_binding: 'require',
      ssl_min_protocol_version: 'tlsv1.3',
      sslcrl: '/crl.pem',
      sslcertmode: 'disable',
      application_name: 'app',
      options: '-c work_mem=1MB',
      keepalives: '0',
      keepalives_idle: '30',
      target_session_attrs: 'standby',
    });
    assert.deepEqual([...o.auth.allowed], ['sasl']);
    assert.equal(o.auth.channelBinding, 'require');
    assert.equal(o.tls.minVersion, 'TLSv1.3');
    assert.equal(o.tls.crlFile, '/crl.pem');
    assert.equal(o.tls.sendClientCert, false);
    assert.deepEqual(o.session, {
      applicationName: 'app',
      options: '-c work_mem=1MB',
      keepalives: false,
      keepalivesIdleMs: 30_000,
      targetSessionAttrs: 'standby',
    });
    assert.equal(resolve({ target_session_attrs: 'prefer-standby' }).session.targetSessionAttrs, 'any');
  });

  it('refuses, naming the keyword, what it cannot honour', () => {
    for (const [k, v] of [
      ['sslcrldir', '/crls'],
      ['requirepeer', 'postgres'],
      ['sslkeylogfile', '/tmp/keys'],
      ['krbsrvname', 'postgres'],
      ['keepalives_interval', '5'],
    ])
      assert.throws(() => resolve({ [k]: v }), { message: new RegExp(`^server "p": ${k} is not supported: `) });
    assert.throws(() => resolve({ gssencmode: 'require' }), { message: /GSSAPI support is not compiled in/ });
    assert.throws(() => resolve({ target_session_attrs: 'read-write' }), { message: /read-write is not supported/ });
    assert.throws(() => resolve({ sslcertmode: 'require' }), { message: /sslcertmode=require is not supported/ });
    assert.throws(() => resolve({ sslsni: '0' }), { message: /sslsni=0 is not supported/ });
    assert.throws(() => resolve({ client_encoding: 'LATIN1' }), { message: /client_encoding=LATIN1 is not supported/ });
    assert.throws(() => resolve({ min_protocol_version: '3.2' }), { message: /speaks protocol 3.0/ });
    assert.throws(() => resolve({ channel_binding: 'maybe' }), {
      message: 'server "p": invalid channel_binding value: "maybe"',
    });
    assert.throws(() => resolve({ ssl_min_protocol_version: 'TLSv1.3', ssl_max_protocol_version: 'TLSv1.2' }), {
      message: 'server "p": invalid SSL protocol version range',
    });
  });

  it('resolveConnection carries the policy, from the string and from the environment', () => {
    const r = resolveConnection(
      { name: 'p', connectionString: 'host=h require_auth=scram-sha-256' },
      { env: { PGCHANNELBINDING: 'require' }, homeDir: '/nonexistent' },
    );
    assert.equal(r.auth?.requireAuth, 'scram-sha-256');
    assert.equal(r.auth?.channelBinding, 'require');
    const plain = resolveConnection({ name: 'p', connectionString: 'host=h' }, { env: {}, homeDir: '/nonexistent' });
    assert.equal(plain.auth, undefined);
    assert.equal(plain.session, undefined);
    assert.throws(
      () =>
        resolveConnection({ name: 'p', connectionString: 'host=h' }, { env: { PGREQUIREPEER: 'x' }, homeDir: '/x' }),
      { message: /requirepeer is not supported/ },
    );
    assert.throws(
      () =>
        resolveConnection(
          { name: 'p', connectionString: 'host=h sslmode=prefer sslnegotiation=direct' },
          { env: {}, homeDir: '/nonexistent' },
        ),
      { message: /weak sslmode "prefer" may not be used with sslnegotiation=direct/ },
    );
  });
});
