import { strict as assert } from 'node:assert';

import fc from 'fast-check';

import { ConnectionConfigError } from '../../../src/core/server/connectionErrors';
import { isConnectionString, parseConnectionString } from '../../../src/core/server/conninfo';

// Every expected value below was produced by libpq 18's PQconninfoParse() (node_modules/pg18's
// libpq.so through Python ctypes) on the same input; the only intended differences are the
// masked passwords in error messages.

function parsed(s: string): Record<string, string> {
  return Object.fromEntries(parseConnectionString(s));
}

function failure(s: string): string {
  try {
    parseConnectionString(s);
  } catch (e) {
    assert.ok(e instanceof ConnectionConfigError, `not a ConnectionConfigError: ${String(e)}`);
    return e.message;
  }
  assert.fail(`no error for ${JSON.stringify(s)}`);
}

describe('libpq connection strings', () => {
  describe('keyword=value', () => {
    const cases: [string, Record<string, string>][] = [
      ["host=a port=5 dbname='x y' user=a\\ b", { host: 'a', port: '5', dbname: 'x y', user: 'a b' }],
      ['host = a', { host: 'a' }],
      ["password=a\\'b", { password: "a'b" }],
      ['  host=a   port=1  ', { host: 'a', port: '1' }],
      ['host=a=b', { host: 'a=b' }],
      ["host='a\\\\b' user='it\\'s'", { host: 'a\\b', user: "it's" }],
      ['dbname="x"', { dbname: '"x"' }],
      ['host=a\tport=2', { host: 'a', port: '2' }],
      ['host=x\\', { host: 'x' }],
      ["host=''", { host: '' }],
      ['host=x host=y', { host: 'y' }],
      ['host=x requiressl=1', { host: 'x', sslmode: 'require' }],
      ['', {}],
    ];
    for (const [input, expected] of cases) {
      it(JSON.stringify(input), () => assert.deepEqual(parsed(input), expected));
    }

    it('an unencoded "/" in a URI password: no piece of it in the message (libpq would say invalid port number: "pa")', () => {
      for (const uri of ['postgresql://u:pa/ss@h/db', 'postgresql://u:1234/abc@h:5432/db']) {
        const message = failure(uri);
        assert.match(message, /^invalid URI: a "\/" comes before the "@" .*percent-encode "\/" as %2F/);
        for (const piece of ['pa', 'ss', '1234', 'abc']) assert.ok(!message.includes(`"${piece}`), message);
      }
      // still libpq's reading where no password can be involved
      assert.deepEqual(parsed('postgresql://h/db@x'), { host: 'h', dbname: 'db@x' });
      assert.deepEqual(parsed('postgresql://[::1]:5/db@x'), { host: '::1', port: '5', dbname: 'db@x' });
    });

    it('malformed input: libpq messages', () => {
      assert.equal(failure('host a'), 'missing "=" after "host" in connection info string');
      assert.equal(failure("host='abc"), 'unterminated quoted string in connection info string');
      assert.equal(failure('foo=1'), 'invalid connection option "foo"');
      assert.equal(failure('=x'), 'invalid connection option ""');
      // after a closing quote a new pair starts at once
      assert.equal(failure("host='a'b=1"), 'invalid connection option "b"');
      // SQL's doubled quote is no escape here: the quoted value ends, and "s'" is a new keyword
      assert.equal(failure("user='it''s'"), 'missing "=" after "\'s\'" in connection info string');
    });

    it('never quotes a fragment of an unquoted password', () => {
      assert.equal(
        failure('password=Secret Fragment host=x'),
        'missing "=" after the value of "password" in connection info string',
      );
    });
  });

  describe('URI', () => {
    const cases: [string, Record<string, string>][] = [
      [
        'postgresql://u:p%40ss@h1:5433/db?sslmode=require&application_name=x',
        {
          user: 'u',
          password: 'p@ss',
          host: 'h1',
          port: '5433',
          dbname: 'db',
          sslmode: 'require',
          application_name: 'x',
        },
      ],
      ['postgresql://h1,h2:5,[::1]:6/db', { host: 'h1,h2,::1', port: ',5,6', dbname: 'db' }],
      ['postgresql:///db?host=/var/run/postgresql', { dbname: 'db', host: '/var/run/postgresql' }],
      ['postgresql://h/?ssl=true', { host: 'h', sslmode: 'require' }],
      ['postgres://u@/?port=7', { user: 'u', port: '7' }],
      ['postgresql://h/d?host=x&', { dbname: 'd', host: 'x' }],
      // '+' is not a space in libpq
      ['postgresql://a+b@h/c+d', { user: 'a+b', host: 'h', dbname: 'c+d' }],
      ['postgresql://', {}],
      ['postgresql://h:/', { host: 'h' }],
      ['postgresql://u:@h', { user: 'u', host: 'h' }],
      ['postgresql://:pw@h', { password: 'pw', host: 'h' }],
      ['postgresql://u:p@h/d?host=x%2Fy&port=6', { user: 'u', password: 'p', dbname: 'd', host: 'x/y', port: '6' }],
      ['postgresql://h/d%C3%A9', { host: 'h', dbname: 'dé' }],
      ['postgresql://h/?requiressl=0', { host: 'h', sslmode: 'prefer' }],
      ['postgresql://h?dbname=x/y', { host: 'h', dbname: 'x/y' }],
      ['postgresql://h/d#x', { host: 'h', dbname: 'd#x' }],
      ['postgresql://h/d?host=a&host=b', { dbname: 'd', host: 'b' }],
      // libpq 18 drops leading and trailing spaces of each value; %20 is a space
      ['postgresql://u: pw @h/ db  ', { user: 'u', password: 'pw', host: 'h', dbname: 'db' }],
      ['postgresql://h/d%20b', { host: 'h', dbname: 'd b' }],
    ];
    for (const [input, expected] of cases) {
      it(input, () => assert.deepEqual(parsed(input), expected));
    }

    it('an unencoded "/" in a URI password: no piece of it in the message (libpq would say invalid port number: "pa")', () => {
      for (const uri of ['postgresql://u:pa/ss@h/db', 'postgresql://u:1234/abc@h:5432/db']) {
        const message = failure(uri);
        assert.match(message, /^invalid URI: a "\/" comes before the "@" .*percent-encode "\/" as %2F/);
        for (const piece of ['pa', 'ss', '1234', 'abc']) assert.ok(!message.includes(`"${piece}`), message);
      }
      // still libpq's reading where no password can be involved
      assert.deepEqual(parsed('postgresql://h/db@x'), { host: 'h', dbname: 'db@x' });
      assert.deepEqual(parsed('postgresql://[::1]:5/db@x'), { host: '::1', port: '5', dbname: 'db@x' });
    });

    it('malformed input: libpq messages', () => {
      assert.equal(failure('postgresql://u:p@h/d?x'), 'missing key/value separator "=" in URI query parameter: "x"');
      assert.equal(failure('postgresql://u:p@h/d?a=b=c'), 'extra key/value separator "=" in URI query parameter: "a"');
      assert.equal(failure('postgresql://h/d?&host=x'), 'missing key/value separator "=" in URI query parameter: ""');
      assert.equal(
        failure('postgresql://[::1'),
        'end of string reached when looking for matching "]" in IPv6 host address in URI: "postgresql://[::1"',
      );
      assert.equal(failure('postgresql://[]/'), 'IPv6 host address may not be empty in URI: "postgresql://[]/"');
      assert.equal(
        failure('postgresql://[::1]x/'),
        'unexpected character "x" at position 19 in URI (expected ":" or "/"): "postgresql://[::1]x/"',
      );
      assert.equal(failure('postgresql://h/%zz'), 'invalid percent-encoded token: "%zz"');
      assert.equal(failure('postgresql://h/%4'), 'invalid percent-encoded token: "%4"');
      assert.equal(failure('postgresql://h/a%00b'), 'forbidden value %00 in percent-encoded value: "a%00b"');
      assert.equal(failure('postgresql://h/?foo=1'), 'invalid URI query parameter: "foo"');
      assert.equal(
        failure('postgresql://h/ d b'),
        'unexpected spaces found in " d b", use percent-encoded spaces (%20) instead',
      );
      // the URI designator is case-sensitive: this is a key=value string without '='
      assert.equal(failure('POSTGRESQL://h'), 'missing "=" after "POSTGRESQL://h" in connection info string');
    });

    it('masks the password where libpq would quote it', () => {
      assert.equal(failure('postgresql://u:s3cr%zz@h/d'), 'invalid percent-encoded token: "****"');
      assert.equal(
        failure('postgresql://u:pw1234@[::1'),
        'end of string reached when looking for matching "]" in IPv6 host address in URI: "postgresql://u:****@[::1"',
      );
      assert.equal(failure('postgresql://h/d?password=a%zz'), 'invalid percent-encoded token: "****"');
      assert.equal(
        failure('postgresql://u:two words@h/d'),
        'unexpected spaces found in "****", use percent-encoded spaces (%20) instead',
      );
    });
  });

  it('any input: a map or a ConnectionConfigError, nothing else (3 x 3000 random strings also matched libpq 18, see test/integration/libpqLive.test.ts for the two intended differences)', () => {
    const piece = fc.constantFrom(
      ..."ab=' \\\t:/@?&%,[]#+0F".split(''),
      'host',
      'password',
      'sslmode',
      'postgresql://',
      'postgres://',
      '%C3',
      '%00',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), fc.boolean(), (parts, uri) => {
        const s = (uri ? 'postgresql://' : '') + parts.join('');
        try {
          parseConnectionString(s);
        } catch (e) {
          assert.ok(e instanceof ConnectionConfigError, `${JSON.stringify(s)}: ${String(e)}`);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('isConnectionString: a URI or anything with "=", else a database name', () => {
    assert.equal(isConnectionString('postgres://h'), true);
    assert.equal(isConnectionString('host=h'), true);
    assert.equal(isConnectionString('mydb'), false);
  });
});
