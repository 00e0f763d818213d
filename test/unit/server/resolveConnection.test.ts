import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { ConnectionConfigError } from '../../../src/core/server/connectionErrors';
import { resolveConnection, type ResolveOptions } from '../../../src/core/server/resolveConnection';
import type { ServerProfile } from '../../../src/core/server/types';

// Precedence checked against libpq 18 (PQconnectStart + PQconninfo / PQpass): connection string >
// service entry > environment; a service entry's password beats PGPASSWORD.

describe('resolveConnection', () => {
  let dir: string;
  let home: string;
  const base: ResolveOptions = {};
  const resolve = (profile: Partial<ServerProfile>, opts: ResolveOptions = {}) =>
    resolveConnection(
      { name: 'p', ...profile },
      {
        env: {},
        homeDir: home,
        osUser: 'osuser',
        defaultHost: '/var/run/postgresql',
        sysconfDir: path.join(dir, 'none'),
        ...base,
        ...opts,
      },
    );
  const failure = (profile: Partial<ServerProfile>, opts: ResolveOptions = {}) => {
    try {
      resolve(profile, opts);
    } catch (e) {
      assert.ok(e instanceof ConnectionConfigError, String(e));
      return e.message;
    }
    assert.fail('no error');
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-resolve-'));
    home = path.join(dir, 'home');
    fs.mkdirSync(home);
    fs.writeFileSync(
      path.join(home, '.pg_service.conf'),
      '[svc]\nhost=svchost\nport=6000\ndbname=svcdb\nuser=svcuser\npassword=svcpw\n[nopw]\nhost=nopwhost\n',
    );
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('defaults: socket host, 5432, the OS user, database = user, sslmode prefer', () => {
    assert.deepEqual(resolve({}), {
      host: '/var/run/postgresql',
      port: 5432,
      database: 'osuser',
      user: 'osuser',
      passwordSource: 'none',
      ssl: { mode: 'prefer' },
      display: 'osuser@/var/run/postgresql:5432/osuser',
      warnings: [],
    });
  });

  it('profile fields > connection string > service > environment', () => {
    const env = {
      PGHOST: 'envhost',
      PGPORT: '7000',
      PGDATABASE: 'envdb',
      PGUSER: 'envuser',
      PGSSLMODE: 'require',
      PGSERVICE: 'svc',
      PGCONNECT_TIMEOUT: '7',
    };
    const r = resolve(
      { host: 'fieldhost', connectionString: 'postgresql://csuser@cshost:6500/csdb?sslmode=disable' },
      { env },
    );
    assert.deepEqual(
      [r.host, r.port, r.database, r.user, r.ssl, r.connectTimeoutMs],
      ['fieldhost', 6500, 'csdb', 'csuser', false, 7000],
    );
    const s = resolve({ user: 'fielduser' }, { env });
    assert.deepEqual(
      [s.host, s.port, s.database, s.user, s.ssl],
      ['svchost', 6000, 'svcdb', 'fielduser', { mode: 'require' }],
    );
    const t = resolve({}, { env: { ...env, PGSERVICE: undefined } });
    assert.deepEqual(
      [t.host, t.port, t.database, t.user, t.display],
      ['envhost', 7000, 'envdb', 'envuser', 'envuser@envhost:7000/envdb'],
    );
  });

  it('the service comes from the profile, then the connection string, then PGSERVICE', () => {
    assert.equal(
      resolve({ service: 'nopw', connectionString: 'service=svc' }, { env: { PGSERVICE: 'svc' } }).host,
      'nopwhost',
    );
    assert.equal(resolve({ connectionString: 'service=nopw' }, { env: { PGSERVICE: 'svc' } }).host, 'nopwhost');
    assert.equal(resolve({}, { env: { PGSERVICE: 'nopw' } }).host, 'nopwhost');
  });

  it('a bare word as connection string is a database name', () => {
    assert.equal(resolve({ connectionString: 'mydb' }).database, 'mydb');
  });

  it('password: given > connection string > service entry > PGPASSWORD > password file', () => {
    fs.writeFileSync(path.join(home, '.pgpass'), '*:*:*:*:filepw\n', { mode: 0o600 });
    fs.chmodSync(path.join(home, '.pgpass'), 0o600);
    const cs = 'postgresql://u:cspw@h/d';
    const pick = (r: ReturnType<typeof resolve>) => [r.password, r.passwordSource];
    assert.deepEqual(pick(resolve({ connectionString: cs }, { password: 'given', env: { PGPASSWORD: 'envpw' } })), [
      'given',
      'given',
    ]);
    assert.deepEqual(pick(resolve({ connectionString: cs, service: 'svc' }, { env: { PGPASSWORD: 'envpw' } })), [
      'cspw',
      'connection string',
    ]);
    assert.deepEqual(pick(resolve({ service: 'svc' }, { env: { PGPASSWORD: 'envpw' } })), [
      'svcpw',
      'connection string',
    ]);
    assert.deepEqual(pick(resolve({ host: 'h' }, { env: { PGPASSWORD: 'envpw' } })), ['envpw', 'environment']);
    assert.deepEqual(pick(resolve({ host: 'h' })), ['filepw', 'pgpass']);
    // an empty PGPASSWORD counts as unset, as in libpq
    assert.deepEqual(pick(resolve({ host: 'h' }, { env: { PGPASSWORD: '' } })), ['filepw', 'pgpass']);
  });

  it('password file: matched with the resolved host/port/db/user; PGPASSFILE; localhost = the default socket', () => {
    const f = path.join(dir, 'pass');
    fs.writeFileSync(f, 'localhost:5432:osuser:osuser:sockpw\nh:6543:d:u:tcppw\n', { mode: 0o600 });
    fs.chmodSync(f, 0o600);
    assert.equal(resolve({}, { env: { PGPASSFILE: f } }).password, 'sockpw');
    assert.equal(
      resolve({ connectionString: 'host=h port=6543 dbname=d user=u' }, { env: { PGPASSFILE: f } }).password,
      'tcppw',
    );
    assert.equal(
      resolve(
        { connectionString: `host=h port=6543 dbname=d user=u passfile=${path.join(dir, 'none')}` },
        { env: { PGPASSFILE: f } },
      ).password,
      undefined,
    );
  });

  it('a password file readable by others is ignored with a warning, and the warning holds no password', () => {
    const f = path.join(home, '.pgpass');
    fs.writeFileSync(f, '*:*:*:*:Leaky-Secret\n');
    fs.chmodSync(f, 0o644);
    const r = resolve({ host: 'h' });
    assert.equal(r.password, undefined);
    assert.equal(r.passwordSource, 'none');
    assert.deepEqual(r.warnings, [
      `password file "${f}" has group or world access; permissions should be u=rw (0600) or less`,
    ]);
    assert.ok(!JSON.stringify(r).includes('Leaky-Secret'));
  });

  it('display: never the password; IPv6 in brackets', () => {
    const r = resolve({ connectionString: 'postgresql://bob:TopSecret@[::1]:5433/app' });
    assert.equal(r.display, 'bob@[::1]:5433/app');
    assert.equal(r.password, 'TopSecret');
  });

  it('ssl settings: mode, certificates, ~/.postgresql defaults, sslrootcert=system', () => {
    assert.deepEqual(
      resolve({ sslmode: 'verify-full', sslrootcert: '/ca.pem', sslcert: '/c.pem', sslkey: '/k.pem' }).ssl,
      { mode: 'verify-full', rootCert: '/ca.pem', cert: '/c.pem', key: '/k.pem' },
    );
    fs.mkdirSync(path.join(home, '.postgresql'));
    fs.writeFileSync(path.join(home, '.postgresql', 'root.crt'), '');
    assert.deepEqual(resolve({ sslmode: 'require' }).ssl, {
      mode: 'require',
      rootCert: path.join(home, '.postgresql', 'root.crt'),
    });
    assert.deepEqual(resolve({ connectionString: 'sslrootcert=system' }).ssl, {
      mode: 'verify-full',
      rootCert: 'system',
    });
    assert.equal(resolve({ sslmode: 'disable', sslrootcert: '/ca.pem' }).ssl, false);
  });

  it('connect_timeout: seconds, 1 counts as 2, 0 means the default', () => {
    assert.equal(resolve({ connectionString: 'connect_timeout=1' }).connectTimeoutMs, 2000);
    assert.equal(resolve({ connectionString: 'connect_timeout=0' }).connectTimeoutMs, undefined);
    assert.equal(resolve({}, { env: { PGCONNECT_TIMEOUT: ' 3 ' } }).connectTimeoutMs, 3000);
  });

  it('hostaddr: used when there is no host, else ignored with a warning', () => {
    assert.equal(resolve({ connectionString: 'hostaddr=10.1.2.3' }).host, '10.1.2.3');
    const r = resolve({ connectionString: 'host=db.example hostaddr=10.1.2.3' });
    assert.equal(r.host, 'db.example');
    assert.deepEqual(r.warnings, ['hostaddr "10.1.2.3" is ignored: pg-pitr connects to host "db.example"']);
  });

  it('malformed input: ConnectionConfigError with a clear message and no password', () => {
    assert.equal(
      failure({ connectionString: 'host=x password=Hidden Part' }),
      'connection string of "p": missing "=" after the value of "password" in connection info string',
    );
    assert.equal(
      failure({ connectionString: 'postgresql://u:Hidden%zz@h/d' }),
      'connection string of "p": invalid percent-encoded token: "****"',
    );
    assert.equal(failure({ service: 'nosuch' }), 'server "p": definition of service "nosuch" not found');
    assert.equal(failure({ connectionString: 'port=70000' }), 'server "p": invalid port number: "70000"');
    assert.equal(failure({}, { env: { PGPORT: 'abc' } }), 'server "p": invalid port number: "abc"');
    assert.equal(failure({ port: 1.5 }), 'server "p": invalid port number: "1.5"');
    assert.equal(failure({ connectionString: 'sslmode=bogus' }), 'server "p": invalid sslmode value: "bogus"');
    assert.equal(
      failure({ connectionString: 'sslrootcert=system sslmode=require' }),
      'server "p": weak sslmode "require" may not be used with sslrootcert=system (use "verify-full")',
    );
    assert.equal(
      failure({ connectionString: 'connect_timeout=soon' }),
      'server "p": invalid integer value "soon" for connection option "connect_timeout"',
    );
    assert.equal(
      failure({ connectionString: 'postgresql://a,b/d' }),
      'server "p": several values for host ("a,b"): pg-pitr checks one server per profile, give one',
    );
    assert.equal(
      failure({ connectionString: 'host=a port=1,2' }),
      'server "p": several values for port ("1,2"): pg-pitr checks one server per profile, give one',
    );
  });

  it('malformed input never quotes a password given as a URI parameter, nor a fragment of one', () => {
    // libpq quotes the whole URI (query included) and the word after an unquoted password with a blank or an unencoded '&'
    assert.equal(
      failure({ connectionString: 'postgresql://u@[::1/db?password=Hidden1' }),
      'connection string of "p": end of string reached when looking for matching "]" in IPv6 host address in URI: "postgresql://u@[::1/db?password=****"',
    );
    assert.equal(
      failure({ connectionString: 'postgresql://u@[::1]x/db?sslmode=disable&sslpassword=Hidden2&application_name=a' }),
      'connection string of "p": unexpected character "x" at position 21 in URI (expected ":" or "/"): ' +
        '"postgresql://u@[::1]x/db?sslmode=disable&sslpassword=****"',
    );
    assert.equal(
      failure({ connectionString: 'host=h password=abc Hidden3=x' }),
      'connection string of "p": invalid connection option after the value of "password"',
    );
    assert.equal(
      failure({ connectionString: 'postgresql://u@h/db?password=ab&Hidden4' }),
      'connection string of "p": missing key/value separator "=" in URI query parameter: the one after a secret parameter (not shown)',
    );
    assert.equal(
      failure({ connectionString: 'postgresql://u@h/db?password=ab&Hidden5=x' }),
      'connection string of "p": invalid URI query parameter: the one after a secret parameter (not shown)',
    );
    assert.equal(
      failure({ connectionString: 'postgresql://u@h/db?password=ab&c=d=e' }),
      'connection string of "p": extra key/value separator "=" in URI query parameter: the one after a secret parameter (not shown)',
    );
    // not after a secret: libpq's words, with the offending name
    assert.equal(
      failure({ connectionString: 'host=h bogus=x' }),
      'connection string of "p": invalid connection option "bogus"',
    );
    assert.equal(
      failure({ connectionString: 'postgresql://u@h/db?bogus=x' }),
      'connection string of "p": invalid URI query parameter: "bogus"',
    );
  });
});
