import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import {
  connectionStringKeywords,
  environmentKeywords,
  gatherKeywords,
  profileKeywords,
  serviceKeywords,
} from '../../../src/core/server/connectionKeywords';

// Each source of resolveConnection's keywords, alone, then layered (strongest first).

describe('connection keywords, source by source', () => {
  let dir: string;
  const opts = () => ({ env: {}, homeDir: dir, sysconfDir: path.join(dir, 'none'), platform: 'linux' as const });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-keywords-'));
    fs.writeFileSync(path.join(dir, '.pg_service.conf'), '[svc]\nhost=svchost\nport=6000\npassword=svcpw\n');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the profile: its fields under libpq keywords, empty ones left out', () => {
    const v = profileKeywords({ name: 'p', host: 'h', port: 5433, database: '', user: 'u', sslmode: 'require' });
    assert.deepEqual(
      [...v],
      [
        ['host', 'h'],
        ['port', '5433'],
        ['user', 'u'],
        ['sslmode', 'require'],
      ],
    );
  });

  it('the connection string: keywords, its password apart; a bare word is a database', () => {
    const s = connectionStringKeywords({ name: 'p', connectionString: 'host=a password=pw dbname=d' });
    assert.deepEqual(
      [...s.values],
      [
        ['host', 'a'],
        ['dbname', 'd'],
      ],
    );
    assert.equal(s.password, 'pw');
    assert.deepEqual(
      [...connectionStringKeywords({ name: 'p', connectionString: 'mydb' }).values],
      [['dbname', 'mydb']],
    );
    assert.equal(connectionStringKeywords({ name: 'p' }).values.size, 0);
    assert.throws(() => connectionStringKeywords({ name: 'p', connectionString: 'host=a bogus=1' }), {
      message: 'connection string of "p": invalid connection option "bogus"',
    });
  });

  it('the service entry: keywords, its password apart', () => {
    const s = serviceKeywords('p', 'svc', undefined, opts());
    assert.deepEqual(
      [...s.values],
      [
        ['host', 'svchost'],
        ['port', '6000'],
      ],
    );
    assert.equal(s.password, 'svcpw');
    assert.throws(() => serviceKeywords('p', 'nope', undefined, opts()), {
      message: 'server "p": definition of service "nope" not found',
    });
  });

  it('the environment: the PG* variables pg-pitr honours', () => {
    assert.deepEqual(
      [...environmentKeywords({ PGHOST: 'eh', PGCONNECT_TIMEOUT: '3', PGFOO: 'x' })],
      [
        ['host', 'eh'],
        ['connect_timeout', '3'],
      ],
    );
  });

  it('layered: profile > string > service > environment; the string names the service', () => {
    const k = gatherKeywords(
      { name: 'p', user: 'pu', connectionString: 'service=svc user=su dbname=sd' },
      { ...opts(), env: { PGHOST: 'envhost', PGDATABASE: 'envdb', PGPORT: '7000' } },
    );
    assert.equal(k.values.get('user'), 'pu');
    assert.equal(k.values.get('dbname'), 'sd');
    assert.equal(k.values.get('host'), 'svchost');
    assert.equal(k.values.get('port'), '6000');
    assert.equal(k.passwordFromString, 'svcpw');
  });
});
