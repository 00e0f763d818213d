// The archive sources against real storage: a temp folder tree (localSource) and a real
// S3-compatible HTTP server (s3rver, test/support/s3TestServer.ts) through the real AWS SDK.
import assert from 'node:assert/strict';
import * as childProcess from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import * as esbuild from 'esbuild';
import fc from 'fast-check';

import type { ArchiveEntry, ArchiveSource, ListOutcome } from '../../src/core/archive/archiveSource';
import { localSource } from '../../src/core/archive/localSource';
import { openArchiveSource } from '../../src/core/archive/openSource';
import { s3Source, type S3SourceOptions } from '../../src/core/archive/s3Source';
import { S3RVER_CREDENTIALS, S3RVER_REGION, type S3TestServer, startS3TestServer } from '../support/s3TestServer';

const REPO = path.resolve(__dirname, '../..');

function segment(timeline: number, n: number): string {
  const hex = (v: number): string => v.toString(16).toUpperCase().padStart(8, '0');
  return hex(timeline) + hex(Math.floor(n / 256)) + hex(n % 256);
}

async function collect(
  source: ArchiveSource,
  prefix?: string,
): Promise<{ outcome: ListOutcome; entries: Map<string, number>; duplicates: string[] }> {
  const entries = new Map<string, number>();
  const duplicates: string[] = [];
  const outcome = await source.list(
    (e: ArchiveEntry) => {
      if (entries.has(e.key)) duplicates.push(e.key);
      entries.set(e.key, e.size);
    },
    { prefix },
  );
  return { outcome, entries, duplicates };
}

function withoutAwsProfile(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { AWS_PROFILE: _profile, AWS_DEFAULT_PROFILE: _default, ...rest } = env;
  return rest;
}

/** S3's key order (UTF-8 bytes), written here rather than imported: the test shares no code with the product's compareKeys */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function sorted(m: Map<string, number>): Array<[string, number]> {
  return [...m.entries()].sort((a, b) => byteOrder(a[0], b[0]));
}

/** a small archive: flat WAL, a pgBackRest-like folder, history and backup files, an empty folder */
function makeTree(root: string): Map<string, number> {
  const files = new Map<string, number>();
  const put = (rel: string, size: number): void => {
    const abs = path.join(root, ...rel.split('/'));
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, Buffer.alloc(size, 0x41));
    files.set(rel, size);
  };
  for (let i = 0; i < 12; i++) put(`wal_005/${segment(1, i)}`, 100 + i);
  put('wal_005/00000002.history', 42);
  put(`wal_005/${segment(1, 3)}.00000028.backup`, 300);
  put(`wal_005/${segment(1, 11)}.partial`, 7);
  for (let i = 0; i < 5; i++)
    put(`archive/main/16-1/${segment(1, 254 + i).slice(0, 16)}/${segment(1, 254 + i)}-${'ab'.repeat(20)}.gz`, 1000 + i);
  put('archive/main/archive.info', 0);
  put('README', 5);
  fs.mkdirSync(path.join(root, 'empty', 'deeper'), { recursive: true });
  return files;
}

describe('archive sources', function () {
  this.timeout(60_000);
  let tmp: string;
  let tree: string;
  let treeFiles: Map<string, number>;

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-sources-'));
    tree = path.join(tmp, 'tree');
    treeFiles = makeTree(tree);
  });
  after(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  describe('localSource', () => {
    it('lists every file of the tree with its size and a relative, /-separated key', async () => {
      const { outcome, entries, duplicates } = await collect(localSource(tree));
      assert.deepEqual(outcome, { complete: true, count: treeFiles.size });
      assert.deepEqual(duplicates, []);
      assert.deepEqual(sorted(entries), sorted(treeFiles));
    });

    it('lists under a prefix: a folder or the beginning of a name', async () => {
      const r1 = await collect(localSource(tree), 'wal_005/');
      assert.equal(r1.outcome.complete, true);
      assert.deepEqual(sorted(r1.entries), sorted(new Map([...treeFiles].filter(([k]) => k.startsWith('wal_005/')))));
      const r2 = await collect(localSource(tree), 'wal_005/00000001000000000000000');
      assert.deepEqual(
        [...r2.entries.keys()].sort(),
        [...treeFiles.keys()].filter((k) => k.startsWith('wal_005/00000001000000000000000')).sort(),
      );
      assert.equal(r2.entries.size, 12 + 2); // segments 0-11, the .backup of segment 3, the .partial of 11
      const r3 = await collect(localSource(tree), 'no-such-folder/');
      assert.deepEqual(r3.outcome, { complete: true, count: 0 });
    });

    it('gives the same result with the asynchronous stat strategy', async () => {
      const { outcome, entries } = await collect(localSource(tree, { statStrategy: 'async-pool', concurrency: 4 }));
      assert.equal(outcome.complete, true);
      assert.deepEqual(sorted(entries), sorted(treeFiles));
    });

    it('reports a missing root, or a file as root, without throwing', async () => {
      const missing = path.join(tmp, 'nope');
      assert.deepEqual(await localSource(missing).list(() => assert.fail('no entry expected')), {
        complete: false,
        error: `no such folder: ${missing}`,
        count: 0,
      });
      const file = path.join(tree, 'README');
      assert.deepEqual(await localSource(file).list(() => {}), {
        complete: false,
        error: `not a folder: ${file}`,
        count: 0,
      });
    });

    it('skips a dangling symlink, lists a symlinked file with its target size, does not follow a symlinked folder', async () => {
      const root = path.join(tmp, 'links');
      fs.mkdirSync(root);
      fs.writeFileSync(path.join(root, 'real'), 'x'.repeat(17));
      fs.symlinkSync(path.join(root, 'missing-target'), path.join(root, 'dangling'));
      fs.symlinkSync(path.join(root, 'real'), path.join(root, 'alias'));
      fs.symlinkSync(tree, path.join(root, 'linked-folder'));
      const { outcome, entries } = await collect(localSource(root));
      assert.deepEqual(outcome, { complete: true, count: 2 });
      assert.deepEqual(sorted(entries), [
        ['alias', 17],
        ['real', 17],
      ]);
    });

    it('reports an unreadable folder by name with the errno text, and lists the rest', async () => {
      const root = path.join(tmp, 'perm');
      fs.mkdirSync(path.join(root, 'ok'), { recursive: true });
      fs.mkdirSync(path.join(root, 'locked'));
      fs.writeFileSync(path.join(root, 'ok', 'a'), 'abc');
      fs.writeFileSync(path.join(root, 'locked', 'b'), 'abc');
      fs.chmodSync(path.join(root, 'locked'), 0o000);
      try {
        let result: { outcome: ListOutcome; keys: string[] };
        if (process.getuid?.() === 0) {
          // chmod does not stop root: list as "nobody" in a child process
          for (let d = root; d !== path.dirname(d) && d.startsWith(tmp); d = path.dirname(d)) fs.chmodSync(d, 0o755);
          fs.chmodSync(path.join(root, 'ok'), 0o755);
          fs.chmodSync(path.join(root, 'ok', 'a'), 0o644);
          const childTmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-nobody-'));
          fs.chmodSync(childTmp, 0o777);
          try {
            // the product bundled into a folder "nobody" can read: the clone itself may be private (/root/...)
            await esbuild.build({
              entryPoints: [path.join(REPO, 'src/core/archive/localSource.ts')],
              bundle: true,
              platform: 'node',
              format: 'cjs',
              outfile: path.join(childTmp, 'localSource.js'),
              logLevel: 'silent',
            });
            fs.chmodSync(path.join(childTmp, 'localSource.js'), 0o644);
            const script = `const { localSource } = require(${JSON.stringify(path.join(childTmp, 'localSource.js'))});
              const keys = [];
              localSource(${JSON.stringify(root)}).list((e) => keys.push(e.key)).then((outcome) => process.stdout.write(JSON.stringify({ outcome, keys })));`;
            const r = childProcess.spawnSync(process.execPath, ['-e', script], {
              cwd: childTmp,
              uid: 65534,
              gid: 65534,
              encoding: 'utf8',
              env: { ...process.env, TMPDIR: childTmp, HOME: childTmp },
              timeout: 30_000,
            });
            assert.equal(r.status, 0, r.stderr);
            result = JSON.parse(r.stdout) as typeof result;
          } finally {
            fs.rmSync(childTmp, { recursive: true, force: true });
          }
        } else {
          const keys: string[] = [];
          result = { outcome: await localSource(root).list((e) => keys.push(e.key)), keys };
        }
        assert.deepEqual(result.keys, ['ok/a']);
        assert.deepEqual(result.outcome, {
          complete: false,
          error: `cannot read ${path.join(root, 'locked')}: permission denied`,
          count: 1,
        });
      } finally {
        fs.chmodSync(path.join(root, 'locked'), 0o755);
      }
    });

    it('stops with complete: false when cancelled', async () => {
      const ac = new AbortController();
      let n = 0;
      const outcome = await localSource(tree).list(
        () => {
          if (++n === 3) ac.abort();
        },
        { signal: ac.signal },
      );
      assert.deepEqual(outcome, { complete: false, error: 'listing cancelled', count: 3 });
    });

    it("lets an exception of onEntry through (the caller's own error)", async () => {
      for (const statStrategy of ['sync-batches', 'async-pool'] as const) {
        await assert.rejects(
          localSource(tree, { statStrategy }).list(() => {
            throw new Error('boom');
          }),
          { message: 'boom' },
        );
      }
    });

    it('reads small files, at most maxBytes, undefined when missing', async () => {
      const src = localSource(tree);
      assert.equal(await src.readText('wal_005/00000002.history'), 'A'.repeat(42));
      assert.equal(await src.readText('wal_005/00000002.history', 5), 'AAAAA');
      assert.equal(await src.readText('archive/main/archive.info'), '');
      assert.equal(await src.readText('wal_005/00000003.history'), undefined);
      assert.equal(await src.readText('no/such/dir/file'), undefined);
      assert.equal(await src.readText('wal_005'), undefined);
      await assert.rejects(src.readText('../escape'), /invalid archive key/);
    });
  });

  describe('s3Source against s3rver', () => {
    let server: S3TestServer;
    let opts: S3SourceOptions;

    before(async () => {
      server = await startS3TestServer();
      opts = {
        endpoint: server.endpoint,
        region: S3RVER_REGION,
        credentials: { ...S3RVER_CREDENTIALS },
        timeoutMs: 5000,
        retryDelayMs: 20,
      };
      await server.createBucket('archive');
      await server.uploadFolder('archive', tree, { prefix: 'pg/', concurrency: 8 });
      await server.putObject('archive', 'pg/empty/', ''); // a "folder" marker (S3 consoles create them): not a file
      await server.createBucket('empty-bucket');
    });
    after(async () => {
      await server?.stop();
    });
    afterEach(async () => {
      if (server) await server.setFaults({});
    });

    it('lists the same entries as the local folder the objects were uploaded from', async () => {
      const local = await collect(localSource(tree));
      for (const parallel of [true, false]) {
        const src = s3Source('s3://archive/pg', { ...opts, parallel });
        const remote = await collect(src);
        src.close();
        assert.deepEqual(remote.outcome, { complete: true, count: treeFiles.size });
        assert.deepEqual(remote.duplicates, []);
        assert.deepEqual(sorted(remote.entries), sorted(local.entries));
      }
      const src = s3Source('s3://archive/pg/', opts);
      const sub = await collect(src, 'wal_005/');
      src.close();
      assert.deepEqual(sorted(sub.entries), sorted(new Map([...treeFiles].filter(([k]) => k.startsWith('wal_005/')))));
    });

    it('pages over 2,500 keys: parallel and sequential listings give identical sets', async () => {
      const dir = path.join(tmp, 'many');
      fs.mkdirSync(dir);
      for (let i = 0; i < 2500; i++) fs.writeFileSync(path.join(dir, segment(1, i)), Buffer.alloc(i % 97, 0x42));
      fs.writeFileSync(path.join(dir, '00000002.history'), '1\t0/9000000\tno recovery target specified\n');
      assert.equal(await server.uploadFolder('archive', dir, { prefix: 'many/', concurrency: 32 }), 2501);
      const src = s3Source('s3://archive/many', opts);
      const s0 = await server.stats();
      const seq = new Map<string, number>();
      const seqOutcome = await src.listSequential((e) => seq.set(e.key, e.size));
      const s1 = await server.stats();
      const par = await collect(src);
      const s2 = await server.stats();
      src.close();
      assert.deepEqual(seqOutcome, { complete: true, count: 2501 });
      assert.equal(s1.listRequests - s0.listRequests, 3); // 1,000 + 1,000 + 501
      assert.deepEqual(par.outcome, { complete: true, count: 2501 });
      assert.deepEqual(par.duplicates, []);
      assert.deepEqual(sorted(par.entries), sorted(seq));
      assert.equal(seq.get(segment(1, 2499)), 2499 % 97);
      assert.ok(s2.listRequests - s1.listRequests >= 3);
    });

    it('splits any key set exactly: parallel = sequential for random keys and small pages (property)', async () => {
      // characters around the split points: hex digits, the gaps between them, '/', '.', '-', non-ASCII, U+10FFFF
      const chars = [
        '0',
        '1',
        '2',
        '7',
        '9',
        ':',
        '@',
        'A',
        'B',
        'F',
        'G',
        'a',
        'f',
        '/',
        '.',
        '-',
        '_',
        '~',
        'é',
        '€',
        '😀',
        '\u{10FFFF}',
      ];
      const segmentArb = fc
        .array(fc.constantFrom(...chars.filter((c) => c !== '/')), { minLength: 1, maxLength: 5 })
        .map((a) => a.join(''))
        .filter((s) => s !== '.' && s !== '..'); // (not storable as s3rver files)
      const keyArb = fc.oneof(
        { weight: 3, arbitrary: fc.integer({ min: 0, max: 3000 }).map((n) => segment(1 + (n % 3), Math.floor(n / 3))) },
        { weight: 1, arbitrary: fc.array(segmentArb, { minLength: 1, maxLength: 3 }).map((p) => p.join('/')) },
        {
          weight: 1,
          arbitrary: fc.tuple(fc.integer({ min: 0, max: 40 }), segmentArb).map(([n, s]) => `${segment(1, n)}${s}`),
        },
        // the beginnings of segment names: keys equal to the split points
        {
          weight: 1,
          arbitrary: fc
            .tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 23 }))
            .map(([n, l]) => segment(1, n).slice(0, l)),
        },
      );
      let bucketNo = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(keyArb, { minLength: 0, maxLength: 300 }),
          fc.integer({ min: 1, max: 9 }),
          fc.integer({ min: 1, max: 8 }),
          async (keys, pageSize, parallelism) => {
            const bucket = `prop-${bucketNo++}`;
            await server.createBucket(bucket);
            await server.populateDirect(
              bucket,
              keys.map((key, i) => ({ key, size: i % 5 })),
            );
            const src = s3Source(`s3://${bucket}`, { ...opts, pageSize, parallelism });
            const seq = new Map<string, number>();
            const seqOutcome = await src.listSequential((e) => seq.set(e.key, e.size));
            const par = await collect(src);
            src.close();
            assert.equal(seqOutcome.complete, true);
            assert.deepEqual([...seq.keys()].sort(byteOrder), keys.filter((k) => !k.endsWith('/')).sort(byteOrder)); // (no folder markers)
            assert.equal(par.outcome.complete, true, par.outcome.error);
            assert.deepEqual(par.duplicates, []);
            assert.deepEqual(sorted(par.entries), sorted(seq));
          },
        ),
        { numRuns: 60 },
      );
    });

    it("lets an exception of onEntry through (the caller's own error)", async () => {
      const src = s3Source('s3://archive/many', opts);
      await assert.rejects(
        src.list(() => {
          throw new Error('boom');
        }),
        { message: 'boom' },
      );
      src.close();
    });

    it('lists an empty bucket as complete and empty', async () => {
      const src = s3Source('s3://empty-bucket', opts);
      assert.deepEqual(await src.list(() => assert.fail('no entry expected')), { complete: true, count: 0 });
      src.close();
    });

    it('reports a missing bucket', async () => {
      const src = s3Source('s3://no-such-bucket/wal', opts);
      assert.deepEqual(await src.list(() => {}), {
        complete: false,
        error: `S3 bucket "no-such-bucket" does not exist at ${server.endpoint}`,
        count: 0,
      });
      src.close();
    });

    it('reports wrong credentials (an access key id the server does not know)', async () => {
      const src = s3Source('s3://archive/pg', {
        ...opts,
        credentials: { accessKeyId: 'AKIAWRONGWRONGWRONG0', secretAccessKey: 'x' },
      });
      const outcome = await src.list(() => {});
      src.close();
      assert.equal(outcome.complete, false);
      assert.equal(
        outcome.error,
        `${server.endpoint} does not know the access key id (InvalidAccessKeyId) used for s3://archive/pg: ` +
          `check the credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID)`,
      );
    });

    it('retries SlowDown with backoff, and gives up with a clear message when it lasts', async () => {
      await server.setFaults({ slowDown: 2 });
      const src = s3Source('s3://archive/pg', { ...opts, parallel: false });
      assert.deepEqual(await src.list(() => {}), { complete: true, count: treeFiles.size });
      await server.setFaults({ slowDown: 1000 });
      const s0 = await server.stats();
      const outcome = await src.list(() => {});
      const s1 = await server.stats();
      src.close();
      assert.equal(outcome.complete, false);
      assert.match(
        outcome.error ?? '',
        /is throttling the requests \(SlowDown\) for s3:\/\/archive\/pg: gave up after 5 attempts/,
      );
      assert.equal(s1.listRequests - s0.listRequests, 5);
    });

    it('reports complete: false when access is denied half-way', async () => {
      await server.setFaults({ failLists: { after: 1, mode: 'AccessDenied' } });
      const src = s3Source('s3://archive/many', { ...opts, parallel: false });
      const outcome = await src.list(() => {});
      src.close();
      assert.deepEqual(outcome, {
        complete: false,
        error:
          'access denied to s3://archive/many: check the credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID) and the bucket policy',
        count: 1000,
      });
    });

    it('reports complete: false when connections are reset half-way (after retries)', async () => {
      await server.setFaults({ failLists: { after: 1, mode: 'reset' } });
      const src = s3Source('s3://archive/many', opts);
      const outcome = await src.list(() => {});
      src.close();
      assert.equal(outcome.complete, false);
      assert.ok(outcome.count >= 1000 && outcome.count < 2501, String(outcome.count));
      assert.match(
        outcome.error ?? '',
        /^the connection to http:\/\/127\.0\.0\.1:\d+ was lost \(ECONNRESET\) while listing s3:\/\/archive\/many$/,
      );
    });

    it('times out a request that gets no answer half-way', async () => {
      await server.setFaults({ failLists: { after: 1, mode: 'hang' } });
      const src = s3Source('s3://archive/many', { ...opts, timeoutMs: 1000 });
      const t0 = performance.now();
      const outcome = await src.list(() => {});
      const elapsed = performance.now() - t0;
      src.close();
      assert.deepEqual(outcome, {
        complete: false,
        error: `no answer from ${server.endpoint} within 1 s (while listing s3://archive/many)`,
        count: 1000,
      });
      assert.ok(elapsed < 2500, `${elapsed} ms`);
    });

    it('stops with complete: false when cancelled', async () => {
      const ac = new AbortController();
      const src = s3Source('s3://archive/many', opts);
      let n = 0;
      const outcome = await src.list(
        () => {
          if (++n === 500) ac.abort();
        },
        { signal: ac.signal },
      );
      src.close();
      assert.equal(outcome.complete, false);
      assert.equal(outcome.error, 'listing cancelled');
      assert.ok(outcome.count >= 500 && outcome.count < 2501, String(outcome.count));
    });

    it('works bundled by esbuild (the SDK inside the bundle, evaluated on first use)', async () => {
      const { build } = await import('esbuild');
      const dir = fs.mkdtempSync(path.join(tmp, 'bundle-'));
      const entry = path.join(dir, 'entry.ts');
      fs.writeFileSync(
        entry,
        `import { openArchiveSource } from ${JSON.stringify(path.join(REPO, 'src/core/archive/openSource'))};
        const [location, endpoint] = process.argv.slice(2);
        let n = 0;
        openArchiveSource(location, { endpoint }).list(() => n++).then((o) => console.log(JSON.stringify({ ...o, n })));`,
      );
      await build({
        entryPoints: [entry],
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'cjs',
        outfile: path.join(dir, 'bundle.js'),
        logLevel: 'silent',
      });
      // run from a directory without node_modules: everything must be in the bundle
      const r = childProcess.spawnSync(
        process.execPath,
        [path.join(dir, 'bundle.js'), 's3://archive/many', server.endpoint],
        {
          cwd: dir,
          encoding: 'utf8',
          timeout: 30_000,
          env: {
            ...withoutAwsProfile(process.env),
            NODE_PATH: '',
            AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
            AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
            AWS_REGION: S3RVER_REGION,
          },
        },
      );
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stderr, '');
      assert.deepEqual(JSON.parse(r.stdout), { complete: true, count: 2501, n: 2501 });
    });

    it('reads small objects, at most maxBytes, undefined when missing', async () => {
      const src = s3Source('s3://archive/pg', opts);
      assert.equal(await src.readText('wal_005/00000002.history'), 'A'.repeat(42));
      assert.equal(await src.readText('wal_005/00000002.history', 5), 'AAAAA');
      assert.equal(await src.readText('archive/main/archive.info'), '');
      assert.equal(await src.readText('wal_005/00000009.history'), undefined);
      const missing = s3Source('s3://no-such-bucket', opts);
      await assert.rejects(missing.readText('x'), /S3 bucket "no-such-bucket" does not exist/);
      missing.close();
      src.close();
    });
  });

  describe('s3Source without a server', () => {
    it('reports a refused connection (a stopped server)', async () => {
      const stopped = await startS3TestServer();
      const endpoint = stopped.endpoint;
      await stopped.stop();
      const src = s3Source('s3://archive/wal', {
        endpoint,
        region: S3RVER_REGION,
        credentials: { ...S3RVER_CREDENTIALS },
        timeoutMs: 2000,
      });
      assert.deepEqual(await src.list(() => {}), {
        complete: false,
        error: `cannot connect to ${endpoint}: connection refused (while listing s3://archive/wal)`,
        count: 0,
      });
      src.close();
    });

    it('times out within the configured timeout on an endpoint that accepts and never answers', async () => {
      const sockets = new Set<net.Socket>();
      const silent = net.createServer((s) => {
        sockets.add(s);
        s.on('error', () => {});
      });
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const endpoint = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
      try {
        const src = s3Source('s3://archive/wal', {
          endpoint,
          region: S3RVER_REGION,
          credentials: { ...S3RVER_CREDENTIALS },
          timeoutMs: 2000,
        });
        const t0 = performance.now();
        const outcome = await src.list(() => {});
        const elapsed = performance.now() - t0;
        src.close();
        assert.deepEqual(outcome, {
          complete: false,
          error: `no answer from ${endpoint} within 2 s (while listing s3://archive/wal)`,
          count: 0,
        });
        assert.ok(elapsed >= 1900 && elapsed < 3000, `${elapsed} ms`);
        assert.ok(sockets.size >= 1);
      } finally {
        for (const s of sockets) s.destroy();
        await new Promise<void>((resolve) => silent.close(() => resolve()));
      }
    });

    it('does not load the AWS SDK until an S3 source is used', () => {
      const script = `
        const { openArchiveSource } = require(${JSON.stringify(path.join(REPO, 'src/core/archive/openSource'))});
        const loaded = () => Object.keys(require.cache).some((k) => k.includes('@aws-sdk' + '/client-s3'));
        const before = loaded();
        const src = openArchiveSource('s3://some-bucket/wal', { endpoint: 'http://127.0.0.1:9' });
        const afterOpen = loaded();
        src.list(() => {}).then((o) => process.stdout.write(JSON.stringify({ before, afterOpen, afterList: loaded(), complete: o.complete })));`;
      const r = childProcess.spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', script], {
        cwd: REPO,
        encoding: 'utf8',
        timeout: 30_000,
      });
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), { before: false, afterOpen: false, afterList: true, complete: false });
    });
  });

  describe('openArchiveSource', () => {
    it('opens local folders, file:// URLs and s3:// locations', () => {
      assert.equal(openArchiveSource(tree).location, tree);
      assert.equal(openArchiveSource(`file://${tree}`).location, tree);
      assert.equal(
        openArchiveSource('s3://my-bucket/pg/wal/', { endpoint: 'http://127.0.0.1:9' }).location,
        's3://my-bucket/pg/wal',
      );
      assert.equal(openArchiveSource('S3://my-bucket').location, 's3://my-bucket');
    });

    it('refuses unsupported schemes and malformed S3 locations with clear messages', () => {
      assert.throws(() => openArchiveSource('gs://bucket/wal'), {
        message:
          'unsupported archive location "gs://bucket/wal": gs:// is not supported; give a folder or s3://bucket/prefix',
      });
      assert.throws(() => openArchiveSource('https://example.com/wal'), /https:\/\/ is not supported/);
      assert.throws(() => openArchiveSource('s3://'), /the bucket name is missing/);
      assert.throws(() => openArchiveSource('s3:/bucket'), /expected s3:\/\/bucket\/prefix/);
      assert.throws(() => openArchiveSource(''), /the archive location is empty/);
      assert.throws(
        () => openArchiveSource(tree, { endpoint: 'http://x' }),
        /--endpoint applies to s3:\/\/ locations only/,
      );
    });
  });
});
