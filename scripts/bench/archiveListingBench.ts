// How fast the archive sources list: (a) a local folder of 200,000 files (localSource, both ways
// of reading sizes), (b) 100,000 keys on a local S3 server (s3rver, test/support/s3TestServer.ts):
// parallel prefix listing against sequential ListObjectsV2 paging, in the same run, for a flat
// layout (WAL-G's wal_005/) and a pgBackRest one (archive/<stanza>/<ver>/<16 hex>/).
//
// s3rver is populated by writing its file layout directly (the test server's populateDirect):
// PutObject through the server manages a few hundred objects per second, i.e. minutes for 100,000
// (the rate is measured and printed).
//
// What limits the speed-up here: every 1,000-key page costs the client ~20 ms of CPU in the AWS
// SDK (XML parsing), whatever the listing strategy, and s3rver about as much again to build it, on
// the same 2 cores. So (1) with s3rver computing every answer and no latency, the parallel listing
// can only overlap client and server; (2) against S3 a page is a network round trip of tens of
// milliseconds (more for 1,000 keys, or from outside the region), which is what the parallel
// listing hides. (2) is measured with the round trip simulated by delaying every request in the
// server and with the server's answers replayed from a cache, so that the server takes no CPU from
// the client (as a remote S3): the client's CPU then bounds the parallel listing.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { localSource, type LocalStatStrategy } from '../../src/core/archive/localSource';
import { s3Source } from '../../src/core/archive/s3Source';
import {
  S3RVER_CREDENTIALS,
  S3RVER_REGION,
  type S3TestServer,
  startS3TestServer,
} from '../../test/support/s3TestServer';
import type { Bench, BenchContext } from './index';

const LOCAL_FILES = 200_000;
const S3_KEYS = 100_000;
const PUT_SAMPLE = 1_000;
const ROUNDS = 2;
const SCENARIOS = [
  {
    latencyMs: 0,
    replay: false,
    short: 's3rver computing every answer',
    label: 's3rver computing every answer (server and client share the 2 cores), no added latency',
  },
  {
    latencyMs: 50,
    replay: true,
    short: 'replayed answers + 50 ms',
    label: 'answers replayed (server CPU ~0, like a remote S3), 50 ms round trip per request',
  },
  {
    latencyMs: 100,
    replay: true,
    short: 'replayed answers + 100 ms',
    label: 'answers replayed (server CPU ~0, like a remote S3), 100 ms round trip per request',
  },
];

interface Run {
  time: number;
  requests: number;
  /** CPU time of the whole process (client thread, server worker thread, libuv) */
  cpu: number;
  /** busy time of the main thread: the client (SDK requests, XML parsing, the listing) */
  clientCpu: number;
}

function segmentName(timeline: number, n: number, perLog = 256): string {
  const hex = (v: number): string => v.toString(16).toUpperCase().padStart(8, '0');
  return hex(timeline) + hex(Math.floor(n / perLog)) + hex(n % perLog);
}

function ms(t: number): string {
  return t >= 10_000 ? `${(t / 1000).toFixed(1)} s` : `${Math.round(t)} ms`;
}

function perSecond(n: number, t: number): string {
  return `${Math.round(n / (t / 1000)).toLocaleString('en-US')}/s`;
}

/** an order-independent fingerprint of a listing: sorted "key size" lines, joined */
function fingerprint(entries: Array<[string, number]>): string {
  // S3's key order, as UTF-8 bytes (not the product's compareKeys: this is the expected answer)
  entries.sort((a, b) => Buffer.compare(Buffer.from(a[0], 'utf8'), Buffer.from(b[0], 'utf8')));
  return entries.map(([k, s]) => `${k} ${s}`).join('\n');
}

async function localBench(ctx: BenchContext, tmp: string): Promise<void> {
  const root = path.join(tmp, 'local', 'wal');
  fs.mkdirSync(root, { recursive: true });
  // 200,000 WAL-named files of 0 to 3 bytes: hard links to four files (faster to create than
  // 200,000 new inodes; listing cost is the same: one directory entry and one stat each)
  const blobs = [0, 1, 2, 3].map((size) => {
    const f = path.join(tmp, 'local', `blob${size}`);
    fs.writeFileSync(f, Buffer.alloc(size, 0x41));
    return f;
  });
  let expectedBytes = 0;
  const t0 = performance.now();
  for (let i = 0; i < LOCAL_FILES; i++) {
    fs.linkSync(blobs[i % 4], path.join(root, segmentName(1, i)));
    expectedBytes += i % 4;
  }
  ctx.log(
    `(a) local folder: ${LOCAL_FILES.toLocaleString('en-US')} files in one folder (created in ${ms(performance.now() - t0)}; warm page cache)`,
  );

  const results: Record<string, number[]> = {};
  const strategies: Array<[LocalStatStrategy, string]> = [
    ['sync-batches', 'opendir + statSync per chunk (default)'],
    ['async-pool', 'opendir + fs.promises.stat, 64 in flight'],
  ];
  for (let round = 0; round <= 3; round++) {
    for (const [strategy] of strategies) {
      let count = 0;
      let bytes = 0;
      const t = performance.now();
      const outcome = await localSource(root, { statStrategy: strategy }).list((e) => {
        count++;
        bytes += e.size;
      });
      const elapsed = performance.now() - t;
      if (!outcome.complete || outcome.count !== LOCAL_FILES || count !== LOCAL_FILES || bytes !== expectedBytes) {
        throw new Error(
          `local listing (${strategy}) wrong: ${JSON.stringify(outcome)}, ${count} entries, ${bytes} bytes (expected ${LOCAL_FILES}, ${expectedBytes})`,
        );
      }
      if (round > 0) (results[strategy] ??= []).push(elapsed); // round 0 warms the caches
    }
  }
  for (const [strategy, label] of strategies) {
    const times = results[strategy].sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    ctx.log(
      `    ${label.padEnd(44)} median ${ms(median).padStart(7)}  ${perSecond(LOCAL_FILES, median).padStart(10)}  (runs: ${times.map(ms).join(', ')})`,
    );
  }
  const sync = results['sync-batches'].sort((a, b) => a - b)[1];
  const pool = results['async-pool'].sort((a, b) => a - b)[1];
  ctx.log(`    statSync per chunk is ${(pool / sync).toFixed(1)}x faster than the async pool here`);
}

async function s3Bench(ctx: BenchContext, tmp: string): Promise<void> {
  const server: S3TestServer = await startS3TestServer();
  try {
    const opts = { endpoint: server.endpoint, region: S3RVER_REGION, credentials: { ...S3RVER_CREDENTIALS } };
    // PutObject rate, to justify writing s3rver's files directly
    const sampleDir = path.join(tmp, 'put-sample');
    fs.mkdirSync(sampleDir, { recursive: true });
    for (let i = 0; i < PUT_SAMPLE; i++) fs.writeFileSync(path.join(sampleDir, segmentName(1, i)), '');
    await server.createBucket('put-sample');
    const tp = performance.now();
    await server.uploadFolder('put-sample', sampleDir, { concurrency: 32 });
    const putTime = performance.now() - tp;
    ctx.log(
      `(b) S3: ${S3_KEYS.toLocaleString('en-US')} keys on s3rver (${server.endpoint}), client: @aws-sdk/client-s3, parallelism 8`,
    );
    ctx.log(
      `    PutObject through s3rver: ${PUT_SAMPLE} objects in ${ms(putTime)} (${perSecond(PUT_SAMPLE, putTime)}: ~${ms((S3_KEYS / PUT_SAMPLE) * putTime)} for ${S3_KEYS.toLocaleString('en-US')}), ` +
        `so the keys are written into s3rver's file layout directly`,
    );

    const layouts = [
      {
        bucket: 'walg',
        location: 's3://walg/pg/wal_005',
        prefix: 'pg/wal_005/',
        name: "flat (WAL-G 'wal_005/<segment>.lz4')",
        key: (s: string) => `pg/wal_005/${s}.lz4`,
        extra: ['pg/wal_005/00000002.history.lz4'],
      },
      {
        bucket: 'pgbackrest',
        location: 's3://pgbackrest/archive/main',
        prefix: 'archive/main/',
        name: "pgBackRest ('16-1/<16 hex>/<segment>-<sha1>.gz')",
        key: (s: string) => `archive/main/16-1/${s.slice(0, 16)}/${s}-${'0123456789abcdef0123456789abcdef01234567'}.gz`,
        extra: ['archive/main/archive.info', 'archive/main/archive.info.copy', 'archive/main/16-1/00000002.history'],
      },
    ];
    const summary: string[] = [];
    for (const layout of layouts) {
      await server.createBucket(layout.bucket);
      const objects: Array<{ key: string; size: number }> = [];
      for (let i = 0; i < S3_KEYS - layout.extra.length; i++)
        objects.push({ key: layout.key(segmentName(1, i)), size: 1000 + (i % 7) });
      for (const k of layout.extra) objects.push({ key: k, size: 100 });
      const t0 = performance.now();
      await server.populateDirect(layout.bucket, objects);
      ctx.log('');
      ctx.log(
        `    layout ${layout.name}: ${S3_KEYS.toLocaleString('en-US')} keys written in ${ms(performance.now() - t0)}`,
      );
      const expected = fingerprint(objects.map((o) => [o.key.slice(layout.prefix.length), o.size]));

      const src = s3Source(layout.location, opts);
      const run = async (parallel: boolean): Promise<Run> => {
        const entries: Array<[string, number]> = [];
        const s0 = await server.stats();
        const c0 = process.cpuUsage();
        const e0 = performance.eventLoopUtilization();
        const t = performance.now();
        const outcome = parallel
          ? await src.list((e) => entries.push([e.key, e.size]))
          : await src.listSequential((e) => entries.push([e.key, e.size]));
        const time = performance.now() - t;
        const e1 = performance.eventLoopUtilization(e0);
        const c1 = process.cpuUsage(c0);
        const s1 = await server.stats();
        if (!outcome.complete || outcome.count !== S3_KEYS)
          throw new Error(
            `${parallel ? 'parallel' : 'sequential'} listing of ${layout.location} wrong: ${JSON.stringify(outcome)}`,
          );
        if (fingerprint(entries) !== expected)
          throw new Error(
            `${parallel ? 'parallel' : 'sequential'} listing of ${layout.location} differs from the objects written`,
          );
        return {
          time,
          requests: s1.listRequests - s0.listRequests,
          cpu: (c1.user + c1.system) / 1000,
          clientCpu: e1.active,
        };
      };
      await run(false); // warms the server's caches (sorted directories, metadata)
      let replaying = false;
      for (const scenario of SCENARIOS) {
        if (scenario.replay && !replaying) {
          await server.setFaults({ cacheListAnswers: true });
          await run(false); // records the answers to the requests of both ways of listing
          await run(true);
          replaying = true;
        }
        await server.setFaults({ latencyMs: scenario.latencyMs, cacheListAnswers: scenario.replay });
        const seq: Run[] = [];
        const par: Run[] = [];
        for (let r = 0; r < ROUNDS; r++) {
          seq.push(await run(false));
          par.push(await run(true));
        }
        const best = (xs: Run[]): Run => xs.reduce((a, b) => (b.time < a.time ? b : a));
        const s = best(seq);
        const p = best(par);
        ctx.log(`    ${scenario.label}:`);
        ctx.log(
          `      sequential paging  ${ms(s.time).padStart(7)}  ${perSecond(S3_KEYS, s.time).padStart(10)}  ${String(s.requests).padStart(4)} ` +
            `requests  CPU: client ${ms(s.clientCpu)}, process ${ms(s.cpu)}  (runs: ${seq.map((x) => ms(x.time)).join(', ')})`,
        );
        ctx.log(
          `      parallel listing   ${ms(p.time).padStart(7)}  ${perSecond(S3_KEYS, p.time).padStart(10)}  ${String(p.requests).padStart(4)} ` +
            `requests  CPU: client ${ms(p.clientCpu)}, process ${ms(p.cpu)}  (runs: ${par.map((x) => ms(x.time)).join(', ')})`,
        );
        ctx.log(`      parallel is ${(s.time / p.time).toFixed(1)}x faster; identical entries in every run`);
        summary.push(`${layout.bucket}, ${scenario.short}: ${(s.time / p.time).toFixed(1)}x`);
      }
      await server.setFaults({});
      src.close();
    }
    ctx.log('');
    ctx.log(`    speed-up of the parallel listing: ${summary.join('; ')}`);
  } finally {
    await server.stop();
  }
}

export const archiveListingBench: Bench = {
  name: 'archive-listing',
  title:
    `Archive listing: local folder (${LOCAL_FILES.toLocaleString('en-US')} files) and S3 (${S3_KEYS.toLocaleString('en-US')} ` +
    `keys, parallel vs sequential)`,
  async run(ctx) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-listing-bench-'));
    try {
      await localBench(ctx, tmp);
      ctx.log('');
      await s3Bench(ctx, tmp);
    } finally {
      const t = performance.now();
      fs.rmSync(tmp, { recursive: true, force: true });
      ctx.log(`(temp files removed in ${ms(performance.now() - t)})`);
    }
  },
};
