import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { ConnectionConfigError } from '../../../src/core/server/connectionErrors';
import { lookupService } from '../../../src/core/server/serviceFile';

// Facts checked against libpq 18 (PQconnectStart + PQconninfo through Python ctypes, with
// PGSERVICEFILE / PGSYSCONFDIR pointing at the same files).

describe('pg_service.conf lookup', () => {
  let dir: string;
  let home: string;
  let sys: string;
  const write = (p: string, lines: string[]) => fs.writeFileSync(p, lines.join('\n') + '\n');
  const lookup = (service: string, env: NodeJS.ProcessEnv = {}) => {
    const e = lookupService(service, { env, homeDir: home, sysconfDir: path.join(dir, 'nosuchdir') });
    return { values: Object.fromEntries(e.values), file: e.file };
  };
  const failure = (service: string, env: NodeJS.ProcessEnv = {}) => {
    try {
      lookup(service, env);
    } catch (e) {
      assert.ok(e instanceof ConnectionConfigError);
      return e.message;
    }
    assert.fail('no error');
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-svc-'));
    home = path.join(dir, 'home');
    sys = path.join(dir, 'sys');
    fs.mkdirSync(home);
    fs.mkdirSync(sys);
    write(path.join(home, '.pg_service.conf'), [
      '# user file',
      '[a]',
      'host=ua',
      'port=6001',
      'host=ua2',
      '  dbname=spaced  ',
      '[c]',
      'host = x',
      '[d]',
      'service=a',
      '[e]trailing',
      'host=eh',
      '[f]',
      'nonsense',
      '[ab]',
      'host=abh',
    ]);
    write(path.join(sys, 'pg_service.conf'), [
      '[a]',
      'host=sysa',
      'user=sysuser',
      '[b]',
      'host=sysb',
      'user=sysbu',
      'password=svcpw',
      '[f]',
      'host=sysf',
    ]);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the user file wins; first value of a key wins; lines are trimmed, the rest of the file is not read', () => {
    assert.deepEqual(lookup('a', { PGSYSCONFDIR: sys }), {
      values: { host: 'ua', port: '6001', dbname: 'spaced' },
      file: path.join(home, '.pg_service.conf'),
    });
  });

  it('a service missing from the user file comes from PGSYSCONFDIR/pg_service.conf', () => {
    assert.deepEqual(lookup('b', { PGSYSCONFDIR: sys }), {
      values: { host: 'sysb', user: 'sysbu', password: 'svcpw' },
      file: path.join(sys, 'pg_service.conf'),
    });
  });

  it('text after "]" is ignored; a longer section name is another service', () => {
    assert.deepEqual(lookup('e').values, { host: 'eh' });
    assert.deepEqual(lookup('ab').values, { host: 'abh' });
  });

  it('PGSERVICEFILE replaces ~/.pg_service.conf', () => {
    const f = path.join(dir, 'other.conf');
    write(f, ['[a]', 'host=other']);
    assert.deepEqual(lookup('a', { PGSERVICEFILE: f }), { values: { host: 'other' }, file: f });
  });

  it('errors, in libpq words', () => {
    assert.equal(failure('c'), `syntax error in service file "${path.join(home, '.pg_service.conf')}", line 8`);
    assert.equal(
      failure('d'),
      `nested service specifications not supported in service file "${path.join(home, '.pg_service.conf')}", line 10`,
    );
    // an error in the wanted section stops there, even though the system file has [f]
    assert.equal(
      failure('f', { PGSYSCONFDIR: sys }),
      `syntax error in service file "${path.join(home, '.pg_service.conf')}", line 14`,
    );
    assert.equal(failure('zz', { PGSYSCONFDIR: sys }), 'definition of service "zz" not found');
    // a named PGSERVICEFILE must exist (a missing ~/.pg_service.conf is just skipped)
    assert.equal(
      failure('b', { PGSERVICEFILE: path.join(dir, 'nope.conf'), PGSYSCONFDIR: sys }),
      `service file "${path.join(dir, 'nope.conf')}" not found`,
    );
    fs.rmSync(path.join(home, '.pg_service.conf'));
    assert.equal(lookup('b', { PGSYSCONFDIR: sys }).values.host, 'sysb');
  });

  it('a line of 1023 bytes or more is too long (libpq reads into 1024 bytes)', () => {
    const f = path.join(dir, 'long.conf');
    write(f, ['[a]', `host=${'x'.repeat(1017)}`]); // 1022 bytes + newline
    assert.equal(failure('a', { PGSERVICEFILE: f }), `line 2 too long in service file "${f}"`);
    write(f, ['[a]', `host=${'x'.repeat(1016)}`]);
    assert.equal(lookup('a', { PGSERVICEFILE: f }).values.host, 'x'.repeat(1016));
  });
});
