import { strict as assert } from 'node:assert';

import {
  type AuthState,
  chooseSaslMechanism,
  parseAuthPolicy,
  refuseAuthRequest,
} from '../../../src/core/server/authPolicy';

// require_auth and channel_binding as libpq 18 parses and enforces them (the same messages are
// checked against the real libpq in test/integration/server/libpqSecurityKeywords.test.ts).

describe('authPolicy', () => {
  const fresh = (ssl = false): AuthState => ({ ssl, finished: false, mechanism: null });

  it('parses require_auth lists, negations and none like connectOptions2', () => {
    const p = parseAuthPolicy('scram-sha-256', undefined);
    assert.deepEqual([...p.allowed], ['sasl']);
    assert.equal(p.authRequired, true);
    assert.equal(p.channelBinding, 'prefer');
    const n = parseAuthPolicy('!password,!md5', 'disable');
    assert.deepEqual([...n.allowed].sort(), ['gss', 'sasl', 'sspi']);
    assert.equal(n.authRequired, false);
    assert.equal(n.channelBinding, 'disable');
    assert.equal(parseAuthPolicy('none', undefined).authRequired, false);
    assert.equal(parseAuthPolicy('!none', undefined).authRequired, true);
    assert.equal(parseAuthPolicy('', 'require').requireAuth, null);
  });

  it('refuses what libpq refuses, with its messages', () => {
    assert.throws(() => parseAuthPolicy(undefined, 'maybe'), { message: 'invalid channel_binding value: "maybe"' });
    assert.throws(() => parseAuthPolicy('kerberos', undefined), { message: 'invalid require_auth value: "kerberos"' });
    assert.throws(() => parseAuthPolicy('md5,!password', undefined), {
      message: 'negative require_auth method "!password" cannot be mixed with non-negative methods',
    });
    assert.throws(() => parseAuthPolicy('!md5,password', undefined), {
      message: 'require_auth method "password" cannot be mixed with negative methods',
    });
    assert.throws(() => parseAuthPolicy('md5,md5', undefined), {
      message: 'require_auth method "md5" is specified more than once',
    });
  });

  it('never lets a password-revealing request through when it is not allowed', () => {
    const scram = parseAuthPolicy('scram-sha-256', undefined);
    assert.equal(
      refuseAuthRequest(scram, 'password', fresh()),
      'authentication method requirement "scram-sha-256" failed: server requested a cleartext password',
    );
    assert.match(refuseAuthRequest(scram, 'md5', fresh()) ?? '', /server requested a hashed password$/);
    assert.equal(refuseAuthRequest(scram, 'sasl', fresh()), null);
    // trust without an exchange
    assert.match(refuseAuthRequest(scram, 'ok', fresh()) ?? '', /server did not complete authentication$/);
    assert.equal(refuseAuthRequest(scram, 'ok', { ...fresh(), finished: true }), null);
    const cb = parseAuthPolicy(undefined, 'require');
    assert.equal(
      refuseAuthRequest(cb, 'password', fresh(true)),
      "channel binding required but not supported by server's authentication request",
    );
    assert.equal(refuseAuthRequest(cb, 'sasl', fresh(true)), null);
    assert.match(
      refuseAuthRequest(cb, 'ok', { ssl: true, finished: true, mechanism: 'SCRAM-SHA-256' }) ?? '',
      /without/,
    );
    assert.equal(refuseAuthRequest(cb, 'ok', { ssl: true, finished: true, mechanism: 'SCRAM-SHA-256-PLUS' }), null);
    // the defaults refuse nothing
    assert.equal(refuseAuthRequest(parseAuthPolicy(undefined, undefined), 'password', fresh()), null);
  });

  it('chooses the SASL mechanism like pg_SASL_init', () => {
    const prefer = parseAuthPolicy(undefined, undefined);
    const both = ['SCRAM-SHA-256-PLUS', 'SCRAM-SHA-256'];
    assert.deepEqual(chooseSaslMechanism(prefer, both, true), { mechanism: 'SCRAM-SHA-256-PLUS' });
    assert.deepEqual(chooseSaslMechanism(parseAuthPolicy(undefined, 'disable'), both, true), {
      mechanism: 'SCRAM-SHA-256',
    });
    assert.deepEqual(chooseSaslMechanism(prefer, both, false), {
      refusal: 'server offered SCRAM-SHA-256-PLUS authentication over a non-SSL connection',
    });
    const require = parseAuthPolicy(undefined, 'require');
    assert.deepEqual(chooseSaslMechanism(require, ['SCRAM-SHA-256'], false), {
      refusal: 'channel binding required, but SSL not in use',
    });
    assert.deepEqual(chooseSaslMechanism(require, ['SCRAM-SHA-256'], true), {
      refusal:
        'channel binding is required, but server did not offer an authentication method that supports channel binding',
    });
    assert.deepEqual(chooseSaslMechanism(prefer, ['OAUTHBEARER'], true), {
      refusal: "none of the server's SASL authentication mechanisms are supported",
    });
  });
});
