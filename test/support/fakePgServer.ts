// A fake PostgreSQL server for connection-security tests: it refuses SSL ('N'), answers the
// startup packet with one authentication request, records every byte the client sends and hangs up
// after its first answer, so a test can prove that no password (nor its hash, nor a SCRAM message)
// left the client.
import * as net from 'node:net';

export type FakeAuth = 'cleartext' | 'md5' | 'scram' | 'scram-plus' | 'ok' | 'gss' | 'sspi';

export interface FakePgServer {
  port: number;
  /** the messages the client sent after its startup packet: [type letter, payload] */
  messagesAfterStartup(): Array<{ type: string; payload: Buffer }>;
  /** every byte received, as latin1 text (to search for a password) */
  receivedText(): string;
  close(): Promise<void>;
}

function authRequest(code: number, extra: Buffer = Buffer.alloc(0)): Buffer {
  const b = Buffer.alloc(9);
  b.write('R', 0);
  b.writeInt32BE(8 + extra.length, 1);
  b.writeInt32BE(code, 5);
  return Buffer.concat([b, extra]);
}

const REQUESTS: Record<FakeAuth, Buffer> = {
  cleartext: authRequest(3),
  md5: authRequest(5, Buffer.from([1, 2, 3, 4])),
  scram: authRequest(10, Buffer.from('SCRAM-SHA-256\0\0')),
  'scram-plus': authRequest(10, Buffer.from('SCRAM-SHA-256-PLUS\0SCRAM-SHA-256\0\0')),
  gss: authRequest(7),
  sspi: authRequest(9),
  // AuthenticationOk then ReadyForQuery: a "trust" server
  ok: Buffer.concat([authRequest(0), Buffer.from([0x5a, 0, 0, 0, 5, 0x49])]),
};

export async function startFakePgServer(auth: FakeAuth): Promise<FakePgServer> {
  const chunks: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    let buf = Buffer.alloc(0);
    let started = false;
    sock.on('data', (d) => {
      chunks.push(d);
      // the client answered the request (a password, a SCRAM message): recorded, then hang up
      if (started) {
        sock.end();
        return;
      }
      buf = Buffer.concat([buf, d]);
      while (!started && buf.length >= 8) {
        const len = buf.readInt32BE(0);
        const code = buf.readInt32BE(4);
        if (code === 80877103 || code === 80877104) {
          // SSLRequest / GSSENCRequest: not here
          sock.write('N');
          buf = buf.subarray(8);
          continue;
        }
        if (buf.length < len) return;
        started = true;
        sock.write(REQUESTS[auth]);
      }
    });
    sock.on('error', () => undefined);
    sock.on('close', () => sockets.delete(sock));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const all = () => Buffer.concat(chunks);
  return {
    port: (server.address() as net.AddressInfo).port,
    receivedText: () => all().toString('latin1'),
    messagesAfterStartup() {
      const b = all();
      let p = 0;
      // SSL/GSS requests, then the startup packet: length-prefixed, no type byte
      for (;;) {
        if (b.length < p + 8) return [];
        const len = b.readInt32BE(p);
        const code = b.readInt32BE(p + 4);
        p += len;
        if (code !== 80877103 && code !== 80877104) break;
      }
      const out: Array<{ type: string; payload: Buffer }> = [];
      while (p + 5 <= b.length) {
        const len = b.readInt32BE(p + 1);
        out.push({ type: String.fromCharCode(b[p]!), payload: b.subarray(p + 5, p + 1 + len) });
        p += 1 + len;
      }
      return out;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
