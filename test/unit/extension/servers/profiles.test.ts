import { strict as assert } from 'node:assert';

import {
  passwordBinding,
  passwordBindingKey,
  passwordSecretKey,
  profileToSetting,
  readProfiles,
  storedPassword,
} from '../../../../src/core/server/serverProfiles';
import { connectionStringForSettings, splitPassword } from '../../../../src/extension/servers/connectionStringPassword';

describe('pgPitr.servers setting', () => {
  it('keeps valid profiles and says why others are skipped', () => {
    const r = readProfiles([
      {
        name: ' prod ',
        host: 'db1',
        port: 5433,
        user: 'monitor',
        sslmode: 'verify-full',
        archive: 's3://wal/prod',
        extra: 1,
      },
      { name: 'prod', host: 'db2' },
      { host: 'nameless' },
      'text',
      { name: 'staging', port: '6432', password: 'x', sslmode: 'bogus', database: '' },
      { name: 'bad-port', port: 70000 },
    ]);
    assert.deepEqual(r.profiles, [
      { name: 'prod', host: 'db1', port: 5433, user: 'monitor', sslmode: 'verify-full', archive: 's3://wal/prod' },
      { name: 'staging', port: 6432 },
      { name: 'bad-port' },
    ]);
    assert.deepEqual(r.problems, [
      'pgPitr.servers[1]: a server named "prod" is already configured',
      'pgPitr.servers[2] has no name',
      'pgPitr.servers[3] is not an object',
      'pgPitr.servers[4] ("staging"): the password property is ignored; pg-pitr keeps passwords in VS Code\'s secret storage',
      'pgPitr.servers[4] ("staging"): sslmode "bogus" is not one of disable, allow, prefer, require, verify-ca, verify-full; ignored',
      'pgPitr.servers[5] ("bad-port"): port 70000 is not a TCP port; the default is used',
    ]);
    assert.deepEqual(readProfiles(undefined), { profiles: [], problems: [] });
    assert.deepEqual(readProfiles({}), {
      profiles: [],
      problems: ['pgPitr.servers must be an array of server profiles'],
    });
  });

  it('writes only the fields that are set, never a password', () => {
    assert.deepEqual(profileToSetting({ name: 'a', port: 5432, host: 'h', archive: '' }), {
      name: 'a',
      host: 'h',
      port: 5432,
    });
    assert.equal(passwordSecretKey('prod'), 'pgPitr.password:prod');
  });
});

describe('a password typed into a connection string', () => {
  it('is taken out of URIs', () => {
    assert.deepEqual(splitPassword('postgresql://app:s%40cret@db:5432/prod?sslmode=require'), {
      connectionString: 'postgresql://app@db:5432/prod?sslmode=require',
      password: 's@cret',
    });
    assert.deepEqual(splitPassword('postgres://app@db/prod?password=p%26w&sslmode=require#x'), {
      connectionString: 'postgres://app@db/prod?sslmode=require#x',
      password: 'p&w',
    });
    assert.deepEqual(splitPassword('postgresql://app:pw@db'), {
      connectionString: 'postgresql://app@db',
      password: 'pw',
    });
    assert.deepEqual(splitPassword('postgresql://db/prod'), { connectionString: 'postgresql://db/prod' });
  });

  it('is taken out of keyword/value strings, quoted or not', () => {
    assert.deepEqual(splitPassword('password=a\\ b host=db'), { connectionString: 'host=db', password: 'a b' });
    assert.deepEqual(splitPassword("host=db password = 'se cr\\'et' dbname=prod"), {
      connectionString: 'host=db dbname=prod',
      password: "se cr'et",
    });
    assert.deepEqual(splitPassword('host=db password=abc port=5433'), {
      connectionString: 'host=db port=5433',
      password: 'abc',
    });
    assert.deepEqual(splitPassword("host=db application_name='a b'"), {
      connectionString: "host=db application_name='a b'",
    });
  });
});

describe('a password with ? # / in a URI (issue 15, security 5)', () => {
  // the expected values are what libpq 18's PQconninfoParse gives for the same strings
  it('is split where libpq splits it: the credentials end at the first "@" before any "/"', () => {
    for (const [typed, connectionString, password] of [
      ['postgresql://u:p?ss#x@h/db', 'postgresql://u@h/db', 'p?ss#x'],
      ['postgresql://u:p#ss@h/db?sslmode=require', 'postgresql://u@h/db?sslmode=require', 'p#ss'],
      ['postgresql://u@h/db?password=a#b&sslmode=require', 'postgresql://u@h/db?sslmode=require', 'a#b'],
      ['postgresql://u:a:b@h:5433/db', 'postgresql://u@h:5433/db', 'a:b'],
      ['postgresql://u:%2Fx%40y@h/db', 'postgresql://u@h/db', '/x@y'],
      ["host=h password='a?b#c/d' user=u", 'host=h user=u', 'a?b#c/d'],
    ])
      assert.deepEqual(connectionStringForSettings(typed!), { connectionString, password }, typed);
    assert.deepEqual(connectionStringForSettings('postgresql://u@h/db'), { connectionString: 'postgresql://u@h/db' });
  });

  it('an unencoded "/" in a URI password: refused, and no piece of the password in the message', () => {
    for (const typed of ['postgresql://u:pa/ss@h/db', 'postgresql://u:1234/abc@h:5432/db']) {
      const r = connectionStringForSettings(typed);
      assert.ok('error' in r, typed);
      assert.match(r.error, /percent-encode "\/" as %2F/);
      for (const piece of ['pa', 'ss', '1234', 'abc']) assert.ok(!r.error.includes(`"${piece}`), r.error);
    }
  });

  it('a string libpq refuses is not saved, and its message quotes no password', () => {
    const r = connectionStringForSettings('postgresql://u@h/db?password=Se&xq9z&sslmode=require');
    assert.ok('error' in r);
    assert.ok(!r.error.includes('xq9z'), r.error);
  });

  it('the result never parses with a password (random passwords of URI delimiters)', () => {
    const alphabet = ['a', 'Z', '9', '?', '#', '/', '@', ':', '&', '=', '%', '+', ' '];
    let seed = 15;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let n = 0; n < 2000; n++) {
      const pw = Array.from({ length: 1 + (next() % 12) }, () => alphabet[next() % alphabet.length]).join('');
      for (const typed of [`postgresql://u:${pw}@h/db?sslmode=require`, `postgresql://u@h/db?password=${pw}`]) {
        const r = connectionStringForSettings(typed);
        if ('error' in r) continue;
        assert.ok(!r.connectionString.includes(':' + pw + '@'), typed);
        assert.ok(!/[?&]password=/.test(r.connectionString), typed);
      }
    }
  });
});

describe('stored passwords go only where they were typed for', () => {
  const secrets = (m: Record<string, string>) => ({ get: async (k: string) => m[k] });
  const prod = { name: 'prod', host: 'db1.internal', port: 5432, user: 'monitor', database: 'postgres' };

  it('the same server: sent', async () => {
    const s = secrets({ [passwordSecretKey('prod')]: 'pw', [passwordBindingKey('prod')]: passwordBinding(prod) });
    assert.deepEqual(await storedPassword(s, prod), { password: 'pw' });
  });

  it('a workspace (or an edited settings.json) naming "prod" with another host or user: withheld, with the reason', async () => {
    const s = secrets({ [passwordSecretKey('prod')]: 'pw', [passwordBindingKey('prod')]: passwordBinding(prod) });
    const withheld =
      'the stored password of "prod" was saved for another host, port, database, user, connection string ' +
      'or TLS settings (sslmode, sslrootcert) than the server\'s settings now name, so it is not sent; run "pg-pitr: ' +
      'Edit Server" to use it for this server';
    assert.deepEqual(await storedPassword(s, { ...prod, host: 'attacker.example' }), { withheld });
    assert.deepEqual(await storedPassword(s, { ...prod, user: 'postgres' }), { withheld });
    assert.deepEqual(
      await storedPassword(s, { name: 'prod', connectionString: 'postgresql://monitor@attacker.example/postgres' }),
      { withheld },
    );
    // the archive location is not part of where the password goes
    assert.deepEqual(await storedPassword(s, { ...prod, archive: '/mnt/wal' }), { password: 'pw' });
  });

  it('an edited profile that downgrades TLS (sslmode, another root certificate): withheld', async () => {
    const tls = { ...prod, sslmode: 'verify-full' as const, sslrootcert: '/etc/pki/db-ca.crt' };
    const s = secrets({ [passwordSecretKey('prod')]: 'pw', [passwordBindingKey('prod')]: passwordBinding(tls) });
    assert.deepEqual(await storedPassword(s, tls), { password: 'pw' });
    for (const edited of [
      { ...tls, sslmode: 'disable' as const },
      { ...tls, sslmode: 'require' as const },
      { ...tls, sslmode: undefined },
      { ...tls, sslrootcert: '/tmp/attacker-ca.crt' },
      { ...tls, sslrootcert: undefined },
    ]) {
      const r = await storedPassword(s, edited);
      assert.equal(r.password, undefined, JSON.stringify(edited));
      assert.match(r.withheld ?? '', /TLS settings \(sslmode, sslrootcert\)/);
    }
  });

  it('a binding saved before TLS settings were bound: withheld until the user confirms it', async () => {
    const legacy = JSON.stringify(['db1.internal', 5432, 'postgres', 'monitor', null, null]);
    const s = secrets({ [passwordSecretKey('prod')]: 'pw', [passwordBindingKey('prod')]: legacy });
    for (const p of [prod, { ...prod, sslmode: 'disable' as const }]) {
      const r = await storedPassword(s, p);
      assert.equal(r.password, undefined);
      assert.match(r.withheld ?? '', /earlier version of pg-pitr that did not record the server's TLS settings/);
    }
  });

  it('no password stored: nothing; a password stored before bindings existed: sent as before', async () => {
    assert.deepEqual(await storedPassword(secrets({}), prod), {});
    assert.deepEqual(await storedPassword(secrets({ [passwordSecretKey('prod')]: 'pw' }), prod), { password: 'pw' });
  });
  it('objectives are read tolerantly and written back as the user wrote them', () => {
    const { profiles, problems } = readProfiles([
      { name: 'a', objectives: { minWindow: '7d', maxRpo: { value: '5min', severity: 'failing' }, minBackups: 'two' } },
    ]);
    assert.deepEqual(problems, [
      'pgPitr.servers[0] ("a").objectives.minBackups must be a whole number of base backups, 1 or more (got "two"); ignored',
    ]);
    assert.deepEqual(profileToSetting(profiles[0]!), {
      name: 'a',
      objectives: { minWindow: { value: '7d', severity: 'warning' }, maxRpo: { value: '5min', severity: 'failing' } },
    });
  });
});
