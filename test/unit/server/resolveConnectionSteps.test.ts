import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { resolveConnectTimeout, resolveEndpoint } from '../../../src/core/server/resolveConnection';
import { resolvePassword } from '../../../src/core/server/resolvePassword';
import { resolveSslSettings } from '../../../src/core/server/sslSettings';

// The later steps of resolveConnection, each alone.

describe('resolveConnection steps', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-steps-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const kw = (o: Record<string, string>) => new Map(Object.entries(o));

  it('endpoint: one host and port, hostaddr only without host', () => {
    assert.deepEqual(resolveEndpoint(kw({ host: 'h', port: '6543' }), 'p'), {
      hostText: 'h',
      port: 6543,
      warnings: [],
    });
    assert.deepEqual(resolveEndpoint(kw({ hostaddr: '10.0.0.1' }), 'x'), {
      hostText: '10.0.0.1',
      port: 5432,
      warnings: [],
    });
    assert.throws(() => resolveEndpoint(kw({ port: '0' }), 'p'), {
      message: 'server "p": invalid port number: "0"',
    });
    assert.throws(() => resolveEndpoint(kw({ host: 'a,b' }), 'p'), {
      message: 'server "p": several values for host ("a,b"): pg-pitr checks one server per profile, give one',
    });
  });

  it('connect timeout: seconds to ms, 1 counts as 2, 0 is the default', () => {
    assert.equal(resolveConnectTimeout(kw({ connect_timeout: ' 7 ' }), 'x'), 7000);
    assert.equal(resolveConnectTimeout(kw({ connect_timeout: '1' }), 'x'), 2000);
    assert.equal(resolveConnectTimeout(kw({ connect_timeout: '0' }), 'x'), undefined);
    assert.throws(() => resolveConnectTimeout(kw({ connect_timeout: 'soon' }), 'p'), {
      message: 'server "p": invalid integer value "soon" for connection option "connect_timeout"',
    });
  });

  it('ssl: mode and files, ~/.postgresql defaults when present, sslrootcert=system', () => {
    const opts = { env: {}, homeDir: dir, platform: 'linux' as const };
    assert.deepEqual(resolveSslSettings(kw({}), 'x', opts), { mode: 'prefer' });
    assert.equal(resolveSslSettings(kw({ sslmode: 'disable' }), 'x', opts), false);
    fs.mkdirSync(path.join(dir, '.postgresql'));
    fs.writeFileSync(path.join(dir, '.postgresql', 'root.crt'), '');
    assert.deepEqual(resolveSslSettings(kw({ sslmode: 'verify-ca' }), 'x', opts), {
      mode: 'verify-ca',
      rootCert: path.join(dir, '.postgresql', 'root.crt'),
    });
    assert.deepEqual(resolveSslSettings(kw({ sslrootcert: 'system' }), 'x', opts), {
      mode: 'verify-full',
      rootCert: 'system',
    });
    assert.throws(() => resolveSslSettings(kw({ sslmode: 'on' }), 'p', opts), {
      message: 'server "p": invalid sslmode value: "on"',
    });
  });

  it('password: given > string > PGPASSWORD > password file (matched on the endpoint)', () => {
    const endpoint = { host: 'h', port: 5432, database: 'd', user: 'u' };
    const base = { env: {}, homeDir: dir, platform: 'linux' as const };
    assert.deepEqual(resolvePassword(endpoint, { ...base, given: 'g', fromString: 's' }), {
      password: 'g',
      source: 'given',
    });
    assert.deepEqual(resolvePassword(endpoint, { ...base, fromString: 's', env: { PGPASSWORD: 'e' } }), {
      password: 's',
      source: 'connection string',
    });
    assert.deepEqual(resolvePassword(endpoint, { ...base, env: { PGPASSWORD: 'e' } }), {
      password: 'e',
      source: 'environment',
    });
    const file = path.join(dir, 'pgpass');
    fs.writeFileSync(file, 'h:5432:d:u:filepw\n', { mode: 0o600 });
    assert.deepEqual(resolvePassword(endpoint, { ...base, passfile: file }), { password: 'filepw', source: 'pgpass' });
    assert.deepEqual(resolvePassword({ ...endpoint, user: 'other' }, { ...base, passfile: file }), { source: 'none' });
  });
});
