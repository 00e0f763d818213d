// A real S3-compatible HTTP server for tests and benchmarks: s3rver (a Koa app that stores
// objects as files) on 127.0.0.1, on a free port, with its files in a temp dir, silent, offline.
//
// s3rver runs in a worker thread so that the server and the client under test use two threads
// (as they would against a real S3 endpoint) and a listing in the test never competes with the
// server for one event loop.
//
// s3rver 3.7.1 quirks found (and worked around inside the worker, see WORKER_SOURCE):
//  1. Continuation tokens are encrypted with single DES, which OpenSSL 3 (Node >= 17) no longer
//     offers: every truncated ListObjectsV2 answers 500 InternalError ("digital envelope
//     routines::unsupported"). Worked around by mapping 'des' to 3DES with the key repeated three
//     times (K|K|K), which is exactly single DES.
//  2. Keys are listed in directory-walk order, not in S3's UTF-8 binary order: "a/b" before "a-c"
//     before "a", "x-y" before "x". Because paging resumes "after the last key", keys are lost
//     (6 of 9 in a 9-key bucket paged 2 at a time). Also every ListObjectsV2 request stats every
//     file of every directory it walks (3 files per object), so one request on a flat folder of
//     100,000 objects costs 300,000 stat calls, and a non-truncated request always walks to the
//     end of the directory. Worked around by replacing FilesystemStore#listObjects with a walk in
//     binary key order over cached, sorted directory listings (invalidated by every write that
//     goes through the server and by populateDirect), with binary search to the first key and a
//     stop at the end of the prefix: the cost of a request is proportional to its page, as on S3.
//  3. With a Delimiter, a folder holding only sub-folders ("a/c/d" and no "a/x") produced no
//     CommonPrefix: its sub-directories were pruned before any key under it was seen. Fixed by the
//     same replacement (a folder below the delimiter contributes its common prefix when it holds
//     at least one object after StartAfter).
//  4. A ranged GET of an empty object answers 206 with Content-Length: 1 and no body: the client
//     waits for that byte until its timeout. Answered 416 InvalidRange instead, as S3 does.
//     The replacement orders keys as UTF-8 bytes (Buffer.compare), S3's documented order: it shares
//     no code with pg-pitr's compareKeys. s3rver's own listing cannot be the oracle (its walk is in
//     readdir order), and Debian 12 offers no S3 server that could be: no python3-moto; radosgw
//     (Ceph 16) needs a running Ceph cluster; OpenStack Swift 2.30 (python3-swift) with its s3api
//     middleware would list in SQLite's byte order, but needs proxy, account, container and object
//     servers and rings: not set up (yet).
//  Not changed (documented): common prefixes do not count toward MaxKeys (S3 counts them), and
//  all the common prefixes of the walked range come in one response; AWS Signature V4 is not
//  verified: any secret key is accepted, only an unknown access key id is refused
//  (InvalidAccessKeyId, 403) — the "wrong credentials" case is therefore tested with an unknown
//  access key id.
//
// Fault injection for tests and the benchmark (setFaults): a round-trip latency added to every
// request, 503 SlowDown answers, a failure mode (AccessDenied, connection reset, no answer) for the
// ListObjectsV2 requests after the first N, and (benchmarks) answers to repeated ListObjectsV2
// requests replayed from a cache, so that the server takes next to no CPU from the client.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

import type { S3Client } from '@aws-sdk/client-s3';

export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
export const S3RVER_REGION = 'us-east-1';

export interface S3Faults {
  /** added before every request is handled (a simulated network round trip) */
  latencyMs?: number;
  /** the next n ListObjectsV2 requests answer 503 SlowDown */
  slowDown?: number;
  /** ListObjectsV2 requests after the first `after` fail in this way */
  failLists?: { after: number; mode: 'AccessDenied' | 'reset' | 'hang' };
  /**
   * answer a ListObjectsV2 request asked before (same bucket, parameters, access key id and, for a
   * continuation token, the same position) with the bytes of the first answer, until the next
   * write: the server then costs next to no CPU, like a remote S3 (for benchmarks on few cores)
   */
  cacheListAnswers?: boolean;
}

export interface S3ServerStats {
  requests: number;
  listRequests: number;
}

export interface S3TestServer {
  /** http://127.0.0.1:<port> */
  readonly endpoint: string;
  readonly port: number;
  /** s3rver's storage directory (one sub-directory per bucket) */
  readonly directory: string;
  /** a real SDK client for this server (path-style, s3rver's credentials) */
  client(): S3Client;
  createBucket(bucket: string): Promise<void>;
  /** PutObject of every file under localDir (recursively), key = prefix + relative path; returns the number of objects */
  uploadFolder(bucket: string, localDir: string, options?: { prefix?: string; concurrency?: number }): Promise<number>;
  putObject(bucket: string, key: string, body: Buffer | string): Promise<void>;
  /**
   * Writes objects straight into s3rver's file layout (<dir>/<bucket>/<key>._S3rver_object only:
   * s3rver treats metadata.json as optional and computes a missing .md5): much faster than PutObject
   * for 100,000 objects. Objects of the same size share one inode (hard links), filled with 'W'.
   */
  populateDirect(bucket: string, objects: Iterable<{ key: string; size: number }>): Promise<number>;
  setFaults(faults: S3Faults): Promise<void>;
  stats(): Promise<S3ServerStats>;
  /** closes the server (also with requests hanging), ends the worker, deletes the temp dir; idempotent */
  stop(): Promise<void>;
}

// The worker: plain CommonJS (eval'd), s3rver loaded from its absolute path.
const WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('worker_threads');
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const path = require('path');
const { s3rverDir, directory } = workerData;

// quirk 1: single DES is gone from OpenSSL 3; 3DES with K|K|K is the same cipher
for (const name of ['createCipheriv', 'createDecipheriv']) {
  const original = crypto[name];
  crypto[name] = function (alg, key, iv, options) {
    if (String(alg).toLowerCase() === 'des') return original.call(crypto, 'des-ede3-cbc', Buffer.concat([key, key, key]), iv, options);
    return original.call(crypto, alg, key, iv, options);
  };
}

const S3rver = require(s3rverDir);
const FilesystemStore = require(path.join(s3rverDir, 'lib/stores/filesystem.js'));
const S3Object = require(path.join(s3rverDir, 'lib/models/object.js'));

// quirks 2 and 3: listing in binary key order over cached sorted directories
const OBJ = '._S3rver_object';
// S3 lists keys in UTF-8 binary order (S3 API reference, ListObjectsV2): compared as UTF-8 bytes
// here, so that the oracle shares no code with pg-pitr's own compareKeys
function cmp(a, b) { return a === b ? 0 : Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')); }
const dirCache = new Map();
function sortedDir(dirPath) {
  let items = dirCache.get(dirPath);
  if (items) return items;
  let ents;
  try { ents = fs.readdirSync(dirPath, { withFileTypes: true }); }
  catch (e) { if (e.code === 'ENOENT' || e.code === 'ENOTDIR') ents = []; else throw e; }
  items = [];
  for (const d of ents) {
    if (d.isDirectory()) items.push({ sk: d.name + '/', name: d.name, dir: true });
    else if (d.name.endsWith(OBJ)) items.push({ sk: d.name.slice(0, -OBJ.length), name: d.name, dir: false });
  }
  items.sort((p, q) => cmp(p.sk, q.sk));
  dirCache.set(dirPath, items);
  return items;
}
// keys (in binary order) of the tree at dirPath whose key prefix is rel, that may be >= lower and
// may start with prefix; with rollupFrom >= 0, a sub-tree below a delimiter ('/') at or after
// position rollupFrom yields only its first key after startAfter (enough for its common prefix)
function* walkKeys(dirPath, rel, prefix, lower, startAfter, rollupFrom) {
  const items = sortedDir(dirPath);
  const lo = lower.startsWith(rel) ? lower.slice(rel.length) : '';
  let a = 0, b = items.length;
  while (a < b) { const m = (a + b) >> 1; if (cmp(items[m].sk, lo) < 0) a = m + 1; else b = m; }
  if (a > 0 && items[a - 1].dir && lo.startsWith(items[a - 1].sk)) a--;
  for (let i = a; i < items.length; i++) {
    const it = items[i];
    const full = rel + it.sk;
    if (!full.startsWith(prefix) && !prefix.startsWith(full)) {
      if (cmp(full, prefix) > 0) return;
      continue;
    }
    if (!it.dir) { yield full; continue; }
    const sub = path.join(dirPath, it.name);
    if (rollupFrom >= 0 && full.length > rollupFrom && full.indexOf('/', rollupFrom) !== -1) {
      for (const k of walkKeys(sub, full, full, full, startAfter, -1)) {
        if (cmp(k, startAfter) > 0) { yield k; break; }
      }
      continue;
    }
    yield* walkKeys(sub, full, prefix, lower, startAfter, rollupFrom);
  }
}
// what s3rver's getMetadata reads (stat, metadata.json, .md5: five asynchronous fs calls per key, the
// bulk of a listing's time), read synchronously once and cached until the next write
const metaCache = new Map();
function listedMetadata(store, bucket, key) {
  const objectPath = store.getResourcePath(bucket, key, 'object');
  let m = metaCache.get(objectPath);
  if (m) return m;
  const st = fs.statSync(objectPath);
  const metaPath = store.getResourcePath(bucket, key, 'metadata.json');
  const stored = fs.existsSync(metaPath) ? JSON.parse(fs.readFileSync(metaPath, 'utf8')) : undefined;
  const md5 = fs.existsSync(objectPath + '.md5')
    ? fs.readFileSync(objectPath + '.md5', 'utf8')
    : crypto.createHash('md5').update(fs.readFileSync(objectPath)).digest('hex'); // (s3rver's GET writes the .md5)
  m = { ...stored, etag: JSON.stringify(md5), 'last-modified': st.mtime.toUTCString(), 'content-length': st.size };
  metaCache.set(objectPath, m);
  return m;
}
const answerCache = new Map();
function invalidate() { dirCache.clear(); metaCache.clear(); answerCache.clear(); }
FilesystemStore.prototype.listObjects = async function listObjects(bucket, options) {
  const { delimiter = '', startAfter = '', prefix = '', maxKeys = Infinity } = options;
  const bucketPath = this.getBucketPath(bucket);
  const lower = cmp(startAfter, prefix) > 0 ? startAfter : prefix;
  const keys = [];
  const commonPrefixes = new Set();
  let isTruncated = false;
  for (const key of walkKeys(bucketPath, '', prefix, lower, startAfter, delimiter === '/' ? prefix.length : -1)) {
    if (!key.startsWith(prefix)) { if (cmp(key, prefix) > 0) break; continue; }
    if (cmp(key, startAfter) <= 0) continue;
    if (delimiter) {
      const idx = key.indexOf(delimiter, prefix.length);
      if (idx !== -1) { commonPrefixes.add(key.slice(0, idx + delimiter.length)); continue; }
    }
    if (keys.length < maxKeys) keys.push(key);
    else { isTruncated = true; break; }
  }
  const metadata = keys.map((key) => {
    try { return listedMetadata(this, bucket, key); }
    catch (err) { if (err.code === 'ENOENT') return undefined; throw err; }
  });
  const objects = [];
  keys.forEach((key, i) => { if (metadata[i] !== undefined) objects.push(new S3Object(bucket, key, null, metadata[i])); });
  return { objects, commonPrefixes: [...commonPrefixes].sort(cmp), isTruncated };
};

const app = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, vhostBuckets: false });
const handler = app.callback();
let faults = {};
let listsSinceFaults = 0;
const stats = { requests: 0, listRequests: 0 };
const sockets = new Set();

function errorXml(code, message) {
  return '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>' + code + '</Code><Message>' + message +
    '</Message><RequestId>s3test</RequestId></Error>';
}
function sendError(res, status, code, message) {
  const body = errorXml(code, message);
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

// quirk 4: a ranged GET of an empty object answers 206 with Content-Length 1 and no body (the
// client waits for the byte until it times out); S3 answers 416 InvalidRange
function emptyObject(url) {
  const m = /^\/([^/?]+)\/([^?]+)/.exec(url);
  if (!m) return false;
  try {
    const key = decodeURIComponent(m[2]);
    return fs.statSync(app.store.getResourcePath(decodeURIComponent(m[1]), key, 'object')).size === 0;
  } catch { return false; }
}

// the cache key of a ListObjectsV2 request: continuation tokens carry a random IV, so the position
// they encode is decrypted (s3rver's own scheme) to recognise a request asked before
function answerKey(req) {
  const u = new URL(req.url, 'http://localhost');
  const q = u.searchParams;
  let position = 'S' + (q.get('start-after') || '');
  const token = q.get('continuation-token');
  if (token) {
    try {
      const buf = Buffer.from(token, 'base64');
      const d = crypto.createDecipheriv('des', Buffer.alloc(8, 'S3RVER', 'utf8'), buf.subarray(0, 8));
      position = 'T' + Buffer.concat([d.update(buf.subarray(8)), d.final()]).toString('utf8');
    } catch { return undefined; }
  }
  const akid = /Credential=([^/,]+)/.exec(req.headers.authorization || '');
  return [u.pathname, q.get('prefix') || '', q.get('delimiter') || '', q.get('max-keys') || '', q.get('encoding-type') || '',
    q.get('fetch-owner') || '', akid ? akid[1] : '', position].join('\0');
}
function cachedAnswer(req, res) {
  const key = answerKey(req);
  if (key === undefined) return false;
  const hit = answerCache.get(key);
  if (hit) {
    res.writeHead(200, hit.headers);
    res.end(hit.body);
    return true;
  }
  const chunks = [];
  const write = res.write.bind(res);
  const end = res.end.bind(res);
  res.write = (chunk, ...rest) => { if (chunk && typeof chunk !== 'function') chunks.push(Buffer.from(chunk)); return write(chunk, ...rest); };
  res.end = (chunk, ...rest) => {
    if (chunk && typeof chunk !== 'function') chunks.push(Buffer.from(chunk));
    if (res.statusCode === 200) answerCache.set(key, { headers: res.getHeaders(), body: Buffer.concat(chunks) });
    return end(chunk, ...rest);
  };
  return false;
}

const server = http.createServer((req, res) => {
  stats.requests++;
  const write = req.method !== 'GET' && req.method !== 'HEAD';
  if (write) { invalidate(); res.on('finish', invalidate); }
  const isList = req.method === 'GET' && /[?&]list-type=2(&|$)/.test(req.url || '');
  let fault;
  if (isList) {
    stats.listRequests++;
    listsSinceFaults++;
    if (faults.slowDown > 0) { faults.slowDown--; fault = 'SlowDown'; }
    else if (faults.failLists && listsSinceFaults > faults.failLists.after) fault = faults.failLists.mode;
  } else if (req.method === 'GET' && req.headers.range && emptyObject(req.url || '')) {
    fault = 'InvalidRange';
  }
  const go = () => {
    if (fault === 'SlowDown') return sendError(res, 503, 'SlowDown', 'Please reduce your request rate.');
    if (fault === 'AccessDenied') return sendError(res, 403, 'AccessDenied', 'Access Denied');
    if (fault === 'InvalidRange') return sendError(res, 416, 'InvalidRange', 'The requested range is not satisfiable');
    if (fault === 'reset') return req.socket.destroy();
    if (fault === 'hang') return;
    if (isList && faults.cacheListAnswers && cachedAnswer(req, res)) return;
    handler(req, res);
  };
  if (faults.latencyMs > 0) setTimeout(go, faults.latencyMs); else go();
});
server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
app.on('error', () => {}); // errors are answered as S3 error XML; nothing to print

parentPort.on('message', (msg) => {
  const reply = (value) => parentPort.postMessage({ id: msg.id, value });
  switch (msg.type) {
    case 'faults': faults = { ...msg.faults }; listsSinceFaults = 0; reply(true); break;
    case 'stats': reply({ ...stats }); break;
    case 'invalidate': invalidate(); reply(true); break;
    case 'stop':
      for (const s of sockets) s.destroy();
      server.close(() => {
        try { app.logger.close(); } catch {}
        reply(true);
        setImmediate(() => process.exit(0));
      });
      break;
  }
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ ready: server.address().port }));
`;

const liveDirs = new Set<string>();
process.on('exit', () => {
  // a test that forgot stop(): the worker dies with the process, the files must not stay behind
  for (const d of liveDirs) {
    fs.rmSync(d, { recursive: true, force: true });
    fs.rmSync(`${d}.blobs`, { recursive: true, force: true });
  }
});

async function mapLimit<T>(items: Iterable<T>, limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  const it = items[Symbol.iterator]();
  let failed: unknown;
  const lane = async (): Promise<void> => {
    for (;;) {
      if (failed !== undefined) return;
      const next = it.next();
      if (next.done) return;
      try {
        await fn(next.value);
      } catch (e) {
        failed ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, limit) }, lane));
  if (failed !== undefined) throw failed;
}

function* filesUnder(dir: string, rel = ''): Generator<{ abs: string; rel: string }> {
  for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
    const abs = path.join(dir, d.name);
    const r = rel === '' ? d.name : `${rel}/${d.name}`;
    if (d.isDirectory()) yield* filesUnder(abs, r);
    else if (d.isFile()) yield { abs, rel: r };
  }
}

export async function startS3TestServer(): Promise<S3TestServer> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-s3rver-'));
  liveDirs.add(directory);
  const s3rverDir = path.dirname(require.resolve('s3rver/package.json'));
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { s3rverDir, directory } });
  let exited = false;
  const exitPromise = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      const onMessage = (m: { ready?: number }): void => {
        if (m.ready !== undefined) {
          worker.off('message', onMessage);
          resolve(m.ready);
        }
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`s3rver worker exited (code ${code}) before listening`)));
    });
  } catch (e) {
    await worker.terminate();
    fs.rmSync(directory, { recursive: true, force: true });
    liveDirs.delete(directory);
    throw e;
  }

  let nextId = 1;
  const pending = new Map<number, (v: unknown) => void>();
  worker.on('message', (m: { id?: number; value?: unknown }) => {
    if (m.id !== undefined) {
      pending.get(m.id)?.(m.value);
      pending.delete(m.id);
    }
  });
  worker.on('error', () => {});
  const call = <T>(type: string, extra: object = {}): Promise<T> => {
    if (exited) return Promise.reject(new Error('the S3 test server is stopped'));
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, resolve as (v: unknown) => void);
      exitPromise.then(
        () => reject(new Error('the S3 test server stopped')),
        () => {},
      );
      worker.postMessage({ id, type, ...extra });
    });
  };

  const endpoint = `http://127.0.0.1:${port}`;
  let client: S3Client | undefined;
  const getClient = (): S3Client => {
    if (!client) {
      process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
      const { S3Client: Client } = require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');
      client = new Client({
        endpoint,
        region: S3RVER_REGION,
        forcePathStyle: true,
        credentials: { ...S3RVER_CREDENTIALS },
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        maxAttempts: 1,
      });
    }
    return client;
  };
  const sdk = (): typeof import('@aws-sdk/client-s3') =>
    require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');

  let stopped = false;
  const server: S3TestServer = {
    endpoint,
    port,
    directory,
    client: getClient,
    async createBucket(bucket) {
      await getClient().send(new (sdk().CreateBucketCommand)({ Bucket: bucket }));
    },
    async putObject(bucket, key, body) {
      await getClient().send(
        new (sdk().PutObjectCommand)({
          Bucket: bucket,
          Key: key,
          Body: typeof body === 'string' ? Buffer.from(body) : body,
        }),
      );
    },
    async uploadFolder(bucket, localDir, options = {}) {
      const prefix = options.prefix ?? '';
      let n = 0;
      await mapLimit(filesUnder(localDir), options.concurrency ?? 16, async (f) => {
        await server.putObject(bucket, prefix + f.rel, fs.readFileSync(f.abs));
        n++;
      });
      return n;
    },
    async populateDirect(bucket, objects) {
      const bucketDir = path.join(directory, bucket);
      fs.mkdirSync(bucketDir, { recursive: true });
      // beside s3rver's directory (the same file system, for hard links), not in it (it would be a bucket)
      fs.mkdirSync(`${directory}.blobs`, { recursive: true });
      const blobDir = fs.mkdtempSync(path.join(`${directory}.blobs`, 'p'));
      const blobs = new Map<number, string>();
      let blobCount = 0;
      const newBlob = (size: number): string => {
        const file = path.join(blobDir, `${blobCount++}`);
        fs.writeFileSync(file, Buffer.alloc(size, 0x57));
        blobs.set(size, file);
        return file;
      };
      const madeDirs = new Set<string>([bucketDir]);
      let n = 0;
      for (const { key, size } of objects) {
        let blob = blobs.get(size) ?? newBlob(size);
        const parts = key.split('/');
        const base = parts.pop() as string;
        if (parts.some((p) => p === '' || p === '.' || p === '..'))
          throw new Error(`populateDirect cannot store the key "${key}" as files`);
        const dir = path.join(bucketDir, ...parts);
        if (!madeDirs.has(dir)) {
          fs.mkdirSync(dir, { recursive: true });
          madeDirs.add(dir);
        }
        const objectPath = path.join(dir, `${base}._S3rver_object`);
        try {
          fs.linkSync(blob, objectPath);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EMLINK') throw e;
          blob = newBlob(size); // the file system's limit of links per inode (65,000 on ext4)
          fs.linkSync(blob, objectPath);
        }
        n++;
      }
      await call('invalidate');
      return n;
    },
    async setFaults(faults) {
      await call('faults', { faults });
    },
    stats: () => call<S3ServerStats>('stats'),
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        client?.destroy();
        if (!exited) {
          const timer = new Promise<void>((resolve) => setTimeout(resolve, 5000).unref());
          worker.postMessage({ id: 0, type: 'stop' });
          await Promise.race([exitPromise, timer]);
          if (!exited) await worker.terminate();
        }
      } finally {
        fs.rmSync(directory, { recursive: true, force: true });
        fs.rmSync(`${directory}.blobs`, { recursive: true, force: true });
        liveDirs.delete(directory);
      }
    },
  };
  return server;
}
