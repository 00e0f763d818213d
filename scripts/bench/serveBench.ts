// `pg-pitr serve` under load: scrape latency and check throughput with 1, 10 and 50 servers (all a
// real PostgreSQL 17 with an archive) plus one server that accepts TCP and never answers. Baseline,
// measured in the same run: one healthy server, nothing silent. A scrape must never wait for a
// check: the median scrape answers within 100 ms (p99 and max are reported), and the healthy
// servers' results stay fresh behind the silent one.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { lowLevelBackupMarks, switchWal } from '../../test/support/archivingWorkload';
import { type Cluster, createCluster, makeTempDir, requireServer } from '../../test/support/postgresServers';
import type { Bench } from './index';

const MAJOR = 17;
const WINDOW_MS = 6000;
const CLI = path.resolve(__dirname, '../../dist/cli.js');
const SCRAPE_EVERY_MS = 50;

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

interface Round {
  servers: number;
  silent: boolean;
  p50: number;
  p99: number;
  max: number;
  checksPerSecond: number;
  /** oldest healthy server's last check end, seconds before the last scrape */
  stalest: number;
}

async function round(port: number, archive: string, servers: number, silentPort: number | null): Promise<Round> {
  const list: object[] = Array.from({ length: servers }, (_, i) => ({
    name: `s${i}`,
    host: '127.0.0.1',
    port,
    user: 'postgres',
    database: 'postgres',
    sslmode: 'disable',
    archive,
  }));
  if (silentPort !== null)
    list.push({ name: 'silent', host: '127.0.0.1', port: silentPort, user: 'postgres', sslmode: 'disable' });
  const config = JSON.stringify({
    servers: list,
    interval: '0.5s',
    timeout: '3s',
    connectTimeout: '2s',
    concurrency: 8,
  });
  // the exporter in its own process, as it runs in production (`npm run bench` builds dist first)
  const file = path.join(archive, `serve-${servers}-${silentPort ?? 'none'}.json`);
  fs.writeFileSync(file, config);
  const proc = spawn(process.execPath, [CLI, 'serve', '--config', file, '--listen', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const times: number[] = [];
  let body = '';
  const window = WINDOW_MS + servers * 150;
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      proc.stdout!.on('data', (b) => {
        out += b;
        const m = /listening on (\S+)/.exec(out);
        if (m) resolve(m[1]);
      });
      proc.once('exit', (code) => reject(new Error(`pg-pitr serve exited ${code}`)));
    });
    const end = performance.now() + window;
    while (performance.now() < end) {
      const t0 = performance.now();
      const res = await fetch(`${url}/metrics`, { headers: { accept: 'application/openmetrics-text; version=1.0.0' } });
      body = await res.text();
      times.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, SCRAPE_EVERY_MS));
    }
  } finally {
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
  }
  // the first request pays for the connection and the client's warm-up
  times.shift();
  const checks = [...body.matchAll(/^pgpitr_checks_total\{server="s\d+"\} (\d+)$/gm)].reduce(
    (n, m) => n + Number(m[1]),
    0,
  );
  const ends = [...body.matchAll(/^pgpitr_check_end_timestamp_seconds\{server="s\d+"\} (\S+)$/gm)].map((m) =>
    Number(m[1]),
  );
  const stalest = ends.length === servers ? Date.now() / 1000 - Math.min(...ends) : Number.POSITIVE_INFINITY;
  return {
    servers,
    silent: silentPort !== null,
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    max: Math.max(...times),
    checksPerSecond: checks / (window / 1000),
    stalest,
  };
}

export const serveBench: Bench = {
  name: 'serve',
  title: 'pg-pitr serve: scrape latency and check throughput, 1 / 10 / 50 servers and one silent server',
  async run(ctx) {
    if (!requireServer(MAJOR)) {
      if (ctx.ci) throw new Error(`PostgreSQL ${MAJOR} binaries missing`);
      ctx.log(`(skipped: PostgreSQL ${MAJOR} binaries missing)`);
      return;
    }
    const archive = makeTempDir('pg-pitr-bench-serve-');
    let c: Cluster | undefined;
    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => sockets.push(s));
    try {
      c = await createCluster(MAJOR);
      await c.start([
        'wal_level=replica',
        'archive_mode=on',
        `archive_command=cp %p ${archive}/%f`,
        'max_connections=200',
      ]);
      await switchWal(c, 1);
      await lowLevelBackupMarks(c, 'bench');
      await switchWal(c, 1);
      await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
      const silentPort = (silent.address() as net.AddressInfo).port;
      const rounds: Round[] = [await round(c.port!, archive, 1, null)];
      for (const n of [1, 10, 50]) rounds.push(await round(c.port!, archive, n, silentPort));
      const base = rounds[0];
      ctx.log('servers      scrape p50   p99      max      checks/s   vs baseline   stalest healthy result');
      for (const r of rounds) {
        const name = `${r.servers}${r.silent ? ' + silent' : ' (baseline)'}`.padEnd(12);
        ctx.log(
          `${name} ${r.p50.toFixed(1).padStart(6)} ms ${r.p99.toFixed(1).padStart(6)} ms ${r.max.toFixed(1).padStart(6)} ms ${r.checksPerSecond.toFixed(1).padStart(8)}   p99 x${(r.p99 / base.p99).toFixed(2).padStart(5)}    ${r.stalest.toFixed(1)} s`,
        );
      }
      // checks run on the exporter's own event loop: a check's synchronous parts (parsing, the archive
      // analysis) can hold one scrape back; the typical scrape must stay well under 100 ms
      ctx.log(
        `load average ${os
          .loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')} on ${os.cpus().length} cores`,
      );
      const slow = rounds.filter((r) => r.p50 >= 100);
      if (slow.length)
        throw new Error(
          `the median scrape took 100 ms or more: ${slow.map((r) => `${r.servers} servers: ${r.p50.toFixed(0)} ms`).join(', ')}`,
        );
      // a round of all servers takes servers / throughput: older than 1.5 rounds (and 5 s) is stale
      const stale = rounds.filter((r) => r.stalest > Math.max(5, (1.5 * r.servers) / r.checksPerSecond + 1));
      if (stale.length)
        throw new Error(
          `healthy results went stale behind the silent server: ${stale.map((r) => `${r.servers}: ${r.stalest.toFixed(1)} s`).join(', ')}`,
        );
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
      await c?.destroy();
      fs.rmSync(archive, { recursive: true, force: true });
    }
  },
};
