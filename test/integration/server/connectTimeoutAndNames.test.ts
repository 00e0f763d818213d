// Issue 15, wrong answers 7: connect_timeout in the connection string (or PGCONNECT_TIMEOUT) is the
// CLI's connect timeout unless --connect-timeout says otherwise; a check without --name never
// says `server ""`. A TCP server that accepts and never answers plays the dead server.
import { strict as assert } from 'node:assert';
import * as net from 'node:net';

import { main } from '../../../src/cli/main';

async function check(argv: string[], env: Record<string, string> = {}) {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  const out: string[] = [];
  const started = Date.now();
  try {
    const code = await main(
      ['check', ...argv],
      (s) => out.push(s),
      (s) => out.push(s),
    );
    return { code, out: out.join('\n'), ms: Date.now() - started };
  } finally {
    process.env = saved;
  }
}

describe('check: connect timeout from the connection string, and messages without a name', function () {
  this.timeout(60_000);
  let silent: net.Server;
  let port: number;
  const sockets: net.Socket[] = [];
  before(async () => {
    silent = net.createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    port = (silent.address() as net.AddressInfo).port;
  });
  after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => silent.close(() => r()));
  });

  it('connect_timeout=2 in the connection string: 2 s, not the default 5', async () => {
    const r = await check([`host=127.0.0.1 port=${port} user=u dbname=d sslmode=disable connect_timeout=2`]);
    assert.equal(r.code, 3);
    assert.match(r.out, /timed out after 2 s connecting to 127\.0\.0\.1:\d+/);
    // the message names the timeout used; the time only shows it was waited for, and that nothing hung
    assert.ok(r.ms >= 1900 && r.ms < 30_000, `${r.ms} ms`);
  });

  it('PGCONNECT_TIMEOUT likewise; --connect-timeout wins over both', async () => {
    const env = await check([`host=127.0.0.1 port=${port} user=u dbname=d sslmode=disable`], {
      PGCONNECT_TIMEOUT: '2',
    });
    assert.match(env.out, /timed out after 2 s/);
    const flag = await check([
      `postgresql://u@127.0.0.1:${port}/d?sslmode=disable&connect_timeout=9`,
      '--connect-timeout',
      '1',
    ]);
    assert.match(flag.out, /timed out after 1 s/);
    assert.ok(flag.ms < 30_000, `${flag.ms} ms`);
  });

  it('without --name, no message says server ""', async () => {
    for (const format of ['text', 'nagios', 'json']) {
      const r = await check(['host=h port=99999', '--format', format]);
      assert.ok(!r.out.includes('server ""') && !r.out.includes('server \\"\\"'), r.out);
    }
    const text = await check(['host=h port=99999']);
    assert.match(text.out, /^ {2}UNKNOWN connection-config: invalid port number: "99999"$/m);
    const bad = await check(['host=h bogus=1']);
    assert.match(bad.out, /^ {2}UNKNOWN connection-config: connection string: invalid connection option "bogus"$/m);
  });
});
