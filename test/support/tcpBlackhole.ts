// A local TCP port that never completes a handshake, for connect-timeout tests without relying on
// the network around the machine: python3 listens with a backlog of 0 and never accepts; once two
// connections fill its queue, the kernel drops every further SYN, so a connect hangs until its timeout.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';

const SCRIPT = String.raw`
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind(('127.0.0.1', 0))
s.listen(0)
port = s.getsockname()[1]
fill = []
for _ in range(2):
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    c.setblocking(False)
    c.connect_ex(('127.0.0.1', port))
    fill.append(c)
print(port, flush=True)
sys.stdin.read()
`;

/** Debian's python3 (what .ci/run installs) before whatever `python3` the PATH finds first (a version manager's shim is slow). */
export function python3(): string {
  return fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}

export interface TcpBlackhole {
  port: number;
  close(): void;
}

/** Whether python3 is here; under CI=true its absence fails (.ci/run installs it), else a loud skip. */
export function requirePython(ctx: Mocha.Context): void {
  if (spawnSync(python3(), ['--version'], { timeout: 30_000 }).status === 0) return;
  const msg = 'python3 is missing (Debian: apt-get install python3)';
  if (process.env.CI === 'true') throw new Error(`${msg}; CI=true: a missing dependency is a failure`);
  process.stderr.write(`\n!!! SKIPPING: ${msg}\n\n`);
  ctx.skip();
}

/** True when a connection to the port is still pending after `ms` (the queue is full). */
function hangs(port: number, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    const done = (v: boolean): void => {
      clearTimeout(timer);
      s.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => done(true), ms);
    s.on('connect', () => done(false));
    s.on('error', () => done(false));
  });
}

/** Starts the blackhole; the caller must close() it. */
export async function startTcpBlackhole(): Promise<TcpBlackhole> {
  const child: ChildProcess = spawn(python3(), ['-c', SCRIPT], { stdio: ['pipe', 'pipe', 'inherit'] });
  const close = (): void => {
    child.stdin?.end();
    child.kill();
  };
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('pg-pitr tests: the TCP blackhole did not start in 30 s')), 30_000);
    child.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /^(\d+)\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`pg-pitr tests: the TCP blackhole exited with ${String(code)}`));
    });
  });
  // the two filling connections complete asynchronously: a probe that hangs shows the queue is full
  if (!(await hangs(port, 1000))) {
    close();
    throw new Error(`pg-pitr tests: 127.0.0.1:${port} answered although its listen queue should be full`);
  }
  return { port, close };
}
