// pg-pitr's connection-string parser against the real libpq 18 (node_modules/pg18's libpq.so
// through scripts/libpq/libpqAnswers.py): the inputs whose answers test/unit/server/conninfo.test.ts
// recorded, and random strings. libpq is the oracle; no product code decides an expected value.
import { strict as assert } from 'node:assert';
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';

import fc from 'fast-check';

import { ConnectionConfigError } from '../../src/core/server/connectionErrors';
import { parseConnectionString } from '../../src/core/server/conninfo';
import { python3, requirePython } from '../support/tcpBlackhole';

const ROOT = path.resolve(__dirname, '..', '..');
const LIBPQ = path.join(ROOT, 'node_modules', 'pg18', 'native', 'lib', 'libpq.so.5');
const SCRIPT = path.join(ROOT, 'scripts', 'libpq', 'libpqAnswers.py');

/** libpq's answer: the options, or its error message. */
type Answer = { options: Record<string, string> } | { error: string };

/** The same inputs as the unit tests, whose expected values were recorded from libpq 18. */
const RECORDED_INPUTS = [
  "host=a port=5 dbname='x y' user=a\\ b",
  'host = a',
  "password=a\\'b",
  '  host=a   port=1  ',
  'host=a=b',
  "host='a\\\\b' user='it\\'s'",
  'dbname="x"',
  'host=a\tport=2',
  'host=x\\',
  "host=''",
  'host=x host=y',
  'host=x requiressl=1',
  '',
  'host a',
  "host='abc",
  'foo=1',
  '=x',
  "host='a'b=1",
  "user='it''s'",
  'postgresql://u:p%40ss@h1:5433/db?sslmode=require&application_name=x',
  'postgresql://h1,h2:5,[::1]:6/db',
  'postgresql:///db?host=/var/run/postgresql',
  'postgresql://h/?ssl=true',
  'postgres://u@/?port=7',
  'postgresql://h/d?host=x&',
  'postgresql://a+b@h/c+d',
  'postgresql://',
  'postgresql://h:/',
  'postgresql://u:@h',
  'postgresql://:pw@h',
  'postgresql://u:p@h/d?host=x%2Fy&port=6',
  'postgresql://h/d%C3%A9',
  'postgresql://h/?requiressl=0',
  'postgresql://h?dbname=x/y',
  'postgresql://h/d#x',
  'postgresql://h/d?host=a&host=b',
  'postgresql://u: pw @h/ db  ',
  'postgresql://h/d%20b',
  'postgresql://u:p@h/d?x',
  'postgresql://u:p@h/d?a=b=c',
  'postgresql://h/d?&host=x',
  'postgresql://[::1',
  'postgresql://[]/',
  'postgresql://[::1]x/',
  'postgresql://h/%zz',
  'postgresql://h/%4',
  'postgresql://h/a%00b',
  'postgresql://h/?foo=1',
  'postgresql://h/ d b',
  'POSTGRESQL://h',
];

/** pg-pitr's answer in libpq's form. */
function ours(conninfo: string): Answer {
  try {
    return { options: Object.fromEntries(parseConnectionString(conninfo)) };
  } catch (e) {
    assert.ok(e instanceof ConnectionConfigError, `not a ConnectionConfigError: ${String(e)}`);
    return { error: e.message };
  }
}

/** pg-pitr refuses `user:pa/ss@host` URIs that libpq reads as host "user", port "pa" (issue 15: a password cut into pieces). */
const SLASH_BEFORE_AT = 'invalid URI: a "/" comes before the "@" that ends the user name and password';

/**
 * Equal, except where pg-pitr masks a password that libpq would quote in its message, and where it
 * refuses a URI whose password holds a "/" that libpq would split into host, port and database
 * (both intended).
 */
function agree(conninfo: string, mine: Answer, libpq: Answer): void {
  if ('error' in mine && 'error' in libpq && mine.error !== libpq.error && mine.error.includes('****')) return;
  // libpq quotes the word after a password value ("missing "=" after "a""): it may be part of the password
  if (
    'error' in mine &&
    'error' in libpq &&
    /^missing "=" after the value of "(?:password|sslpassword)"/.test(mine.error) &&
    libpq.error.startsWith('missing "=" after ')
  )
    return;
  if ('error' in mine && mine.error.startsWith(SLASH_BEFORE_AT)) {
    // libpq accepts it, or refuses it for a piece it then quotes (a port, a host): never the same answer;
    // the shape: a ":" before the first "/", and an "@" after it
    const rest = conninfo.replace(/^postgres(?:ql)?:\/\//i, '');
    const slash = rest.indexOf('/');
    assert.ok(
      slash > 0 && rest.slice(0, slash).includes(':') && rest.slice(slash).includes('@'),
      `refused ${JSON.stringify(conninfo)}`,
    );
    return;
  }
  assert.deepEqual(mine, libpq, `for ${JSON.stringify(conninfo)}`);
}

describe('connection strings: pg-pitr against the real libpq 18', function () {
  this.timeout(300_000);
  let child: ChildProcessByStdio<Writable, Readable, null>;
  let lines: AsyncIterator<string>;

  const ask = async (request: object): Promise<Answer> => {
    child.stdin.write(`${JSON.stringify(request)}\n`);
    const next = await lines.next();
    if (next.done) throw new Error('libpqAnswers.py ended');
    return JSON.parse(next.value) as Answer;
  };

  before(async function () {
    requirePython(this);
    if (!fs.existsSync(LIBPQ)) {
      const msg = `${LIBPQ} is missing: install the devDependency pg18`;
      if (process.env.CI === 'true') throw new Error(`${msg}; CI=true: a missing dependency is a failure`);
      process.stderr.write(`\n!!! SKIPPING the libpq comparison: ${msg}\n\n`);
      this.skip();
    }
    child = spawn(python3(), [SCRIPT, LIBPQ], { stdio: ['pipe', 'pipe', 'inherit'] });
    lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const version = (await ask({ op: 'version' })) as unknown as { version: number };
    assert.equal(Math.floor(version.version / 10000), 18, `libpq ${version.version}`);
  });

  after(() => {
    child?.stdin.end();
    child?.kill();
  });

  it('every input whose answer the unit tests recorded', async () => {
    for (const conninfo of RECORDED_INPUTS) agree(conninfo, ours(conninfo), await ask({ op: 'parse', conninfo }));
  });

  it('random strings of the characters that matter (3 x 1000)', async () => {
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
    for (const [round, uri] of [false, true, true].entries()) {
      await fc.assert(
        fc.asyncProperty(fc.array(piece, { maxLength: 30 }), async (parts) => {
          const s = (uri ? 'postgresql://' : '') + parts.join('');
          agree(s, ours(s), await ask({ op: 'parse', conninfo: s }));
        }),
        // seeded, like the parity suite: the same strings on every run (PG_PITR_LIBPQ_SEED for others)
        { numRuns: 1000, seed: Number(process.env.PG_PITR_LIBPQ_SEED ?? 20261201) + round },
      );
    }
  });
});
