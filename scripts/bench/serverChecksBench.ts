// How long a check of several servers takes, and whether a silent one delays the others (it must
// not: the sidebar checks servers in parallel, each bounded by its own connect timeout).
// Baseline, measured in the same run: one check of one healthy server. Then 4 healthy servers
// checked in parallel, then the same 4 plus a server that accepts TCP and never answers.
import * as fs from 'node:fs';
import * as net from 'node:net';

import { checkServer } from '../../src/core/server/checkServer';
import type { CheckResult, ServerProfile } from '../../src/core/server/types';
import { lowLevelBackupMarks, switchWal } from '../../test/support/archivingWorkload';
import { type Cluster, createCluster, makeTempDir, requireServer } from '../../test/support/postgresServers';
import type { Bench } from './index';

const MAJOR = 17;
const HEALTHY = 4;
const RUNS = 7;
const CONNECT_TIMEOUT_MS = 2000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** ms until every healthy result is in (the silent one may still be waiting) and until all are in */
async function timeChecks(
  profiles: ServerProfile[],
  healthyNames: Set<string>,
): Promise<{ healthyMs: number; allMs: number; results: CheckResult[] }> {
  const t0 = performance.now();
  let healthyMs = 0;
  let pending = healthyNames.size;
  const results = await Promise.all(
    profiles.map(async (p) => {
      const r = await checkServer(p, { connectTimeoutMs: CONNECT_TIMEOUT_MS, statementTimeoutMs: CONNECT_TIMEOUT_MS });
      if (healthyNames.has(p.name) && --pending === 0) healthyMs = performance.now() - t0;
      return r;
    }),
  );
  return { healthyMs, allMs: performance.now() - t0, results };
}

export const serverChecksBench: Bench = {
  name: 'server-checks',
  title: `Server checks (checkServer, PostgreSQL ${MAJOR} archiving into a folder): one server vs ${HEALTHY} in parallel vs ${HEALTHY} + a silent one`,
  async run(ctx) {
    if (!requireServer(MAJOR)) {
      if (ctx.ci) throw new Error(`PostgreSQL ${MAJOR} server binaries are missing (CI=true)`);
      ctx.log(`!!! SKIPPED: PostgreSQL ${MAJOR} server binaries are missing`);
      return;
    }
    const clusters: Cluster[] = [];
    const archives: string[] = [];
    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => sockets.push(s));
    try {
      for (let i = 0; i < HEALTHY; i++) {
        const archive = makeTempDir('pg-pitr-bench-archive-');
        archives.push(archive);
        const c = await createCluster(MAJOR);
        clusters.push(c);
        await c.start(['wal_level=replica', 'archive_mode=on', `archive_command=cp %p ${archive}/%f`]);
        await switchWal(c, 1);
        await lowLevelBackupMarks(c, 'bench');
        await switchWal(c, 1);
      }
      await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
      const silentPort = (silent.address() as net.AddressInfo).port;
      const healthy: ServerProfile[] = clusters.map((c, i) => ({
        name: `healthy-${i}`,
        host: '127.0.0.1',
        port: c.port!,
        user: 'postgres',
        database: 'postgres',
      }));
      const names = new Set(healthy.map((p) => p.name));
      const silentProfile: ServerProfile = {
        name: 'silent',
        host: '127.0.0.1',
        port: silentPort,
        user: 'postgres',
        database: 'postgres',
      };

      await timeChecks(healthy, names); // warm-up: pg loaded, templates cached
      const one: number[] = [];
      const four: number[] = [];
      const withSilent: number[] = [];
      const withSilentAll: number[] = [];
      for (let r = 0; r < RUNS; r++) {
        one.push((await timeChecks([healthy[0]], new Set([healthy[0].name]))).healthyMs);
        const a = await timeChecks(healthy, names);
        if (a.results.some((x) => x.health !== 'ok'))
          throw new Error(
            `a healthy server was not ok: ${JSON.stringify(a.results.map((x) => [x.server, x.health, x.reasons]))}`,
          );
        four.push(a.healthyMs);
        const b = await timeChecks([...healthy, silentProfile], names);
        const s = b.results.find((x) => x.server === 'silent')!;
        if (s.health !== 'unknown') throw new Error(`the silent server was ${s.health}`);
        withSilent.push(b.healthyMs);
        withSilentAll.push(b.allMs);
      }
      const base = median(one);
      ctx.log(`runs: ${RUNS} (medians), connect timeout ${CONNECT_TIMEOUT_MS} ms`);
      ctx.log(`  baseline: 1 healthy server                              ${base.toFixed(0).padStart(6)} ms   1.00x`);
      ctx.log(
        `  ${HEALTHY} healthy servers in parallel                        ${median(four).toFixed(0).padStart(6)} ms   ${(median(four) / base).toFixed(2)}x`,
      );
      ctx.log(
        `  ${HEALTHY} healthy + 1 silent: healthy rows all answered        ${median(withSilent).toFixed(0).padStart(6)} ms   ${(median(withSilent) / base).toFixed(2)}x`,
      );
      ctx.log(
        `  ${HEALTHY} healthy + 1 silent: the silent one given up (unknown) ${median(withSilentAll).toFixed(0).padStart(6)} ms   ${(median(withSilentAll) / base).toFixed(2)}x`,
      );
      ctx.log(
        `  a silent server delays the healthy rows by ${(median(withSilent) / median(four)).toFixed(2)}x (1.00x = not at all)`,
      );
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
      for (const c of clusters) await c.destroy();
      for (const a of archives) fs.rmSync(a, { recursive: true, force: true });
    }
  },
};
