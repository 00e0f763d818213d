// An archive in an S3 (or S3-compatible) bucket, listed with ListObjectsV2.
//
// The AWS SDK is loaded on first use (require inside a function): the extension's bundle contains
// it, but activation never evaluates it. Credentials come from the SDK's default chain (AWS_PROFILE,
// AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, ~/.aws, SSO, instance roles); pg-pitr stores none.
//
// Parallel listing. S3 answers at most 1,000 keys per request, each a round trip: 100,000 WAL
// segments are 100 sequential requests. The key space is split instead, and the parts are paged
// by `parallelism` workers. A part is a range of keys: a prefix, optionally "after" a key and
// "before" a key, minus "skip" prefixes. A part whose first page is truncated is split after its
// last key L, at the depth D where the page's first and last keys differ (WAL names share their
// first digits: timeline, then log id, 16 segments... per digit), into
//   - the rest of L's branch at depth D (one sequential part, or one part per following hex digit
//     when the page suggests there is a lot left: estimated from how many digits the page spanned),
//   - one part per hex digit after L's digit at depth D-1 (the next 16x larger groups),
//   - one part for everything after L's depth D-1 group (split again when it is large),
// plus "gap" parts for the characters between and after the hex digits, so that any key, WAL-named
// or not, falls in exactly one part: the result is exactly the set sequential paging gives (keys
// are compared in UTF-8 binary order, as S3 sorts them). Folders ("16-1/0000000100000000/") are
// ordinary characters of the key here, so pgBackRest, Barman (wals/<16 hex>/) and flat (WAL-G
// wal_005/, archive_command copies) layouts are split alike, without one request per folder.
//
// Every request has a timeout (an AbortSignal, plus the HTTP handler's socket timeouts) and is
// retried with backoff only for throttling (SlowDown, 503...), 500-class answers and dropped
// connections. Every failure ends the listing with complete: false and a message for the user.
//
// The steps live in their own files: the key space and its splitting (s3KeySpace.ts), paging one
// part (s3Paging.ts), the worker pool (s3Listing.ts), one request with retries (s3Retry.ts) and
// what a failure means (s3Errors.ts). This file builds the client and puts them together.
import { setMaxListeners } from 'node:events';

import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';

import type { ArchiveEntry, ArchiveSource, ListOptions, ListOutcome } from './archiveSource';
import { describeS3Error, errorCode, type ErrorInfo, S3SourceError } from './s3Errors';
import { type Part, SPLIT_MIN_PAGES, splitAfterPage } from './s3KeySpace';
import { runParts } from './s3Listing';
import { formatS3Location, parseS3Location, type S3Location } from './s3Location';
import { type Page, pagePart } from './s3Paging';
import { requestWithRetry } from './s3Retry';

export { compareKeys } from './s3KeySpace';

export interface S3SourceOptions {
  /** an S3-compatible endpoint (MinIO, Ceph, a test server): http(s)://host:port */
  endpoint?: string;
  /** default: the SDK's (AWS_REGION, the profile's region), else us-east-1 (then S3's redirects are followed) */
  region?: string;
  /** default: true with a custom endpoint, false for AWS */
  forcePathStyle?: boolean;
  /** per request (connection, answer and body), default 20,000 ms */
  timeoutMs?: number;
  /** requests in flight while listing, default 8 */
  parallelism?: number;
  /** false: plain sequential paging (same result, for comparison); default true */
  parallel?: boolean;
  /** attempts per request for throttling and transient errors, default 5 */
  maxAttempts?: number;
  /** first retry delay (doubled each time, with jitter), default 200 ms */
  retryDelayMs?: number;
  /** keys per ListObjectsV2 request, 1 to 1,000 (the default): smaller pages are for tests */
  pageSize?: number;
  /** ListObjectsV2 requests one listing may make, default 200,000 (200 million keys) */
  maxListRequests?: number;
  /** how long one listing may take in all, default 30 minutes */
  listingTimeoutMs?: number;
  /** explicit credentials, for tests only: pg-pitr otherwise uses the SDK's default chain */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

export interface S3ArchiveSource extends ArchiveSource {
  readonly bucket: string;
  /** key prefix of the archive root ('' or ending with '/') */
  readonly prefix: string;
  /** plain sequential ListObjectsV2 paging, whatever the `parallel` option */
  listSequential(onEntry: (e: ArchiveEntry) => void, options?: ListOptions): Promise<ListOutcome>;
  /** closes the HTTP connections (the source stays usable: a new client is made when needed) */
  close(): void;
}

const DEFAULT_TIMEOUT_MS = 20_000;
const DEFAULT_PARALLELISM = 8;
const DEFAULT_MAX_ATTEMPTS = 5;
const DEFAULT_RETRY_DELAY_MS = 200;
const DEFAULT_READ_BYTES = 1024 * 1024;
const PAGE_KEYS = 1000;
const DEFAULT_MAX_LIST_REQUESTS = 200_000;
const DEFAULT_LISTING_TIMEOUT_MS = 30 * 60_000;
type Sdk = typeof import('@aws-sdk/client-s3');
let sdkModule: Sdk | undefined;
function loadSdk(): Sdk {
  if (!sdkModule) {
    // the SDK warns on stderr about its future Node versions at the first request: noise for pg-pitr's users
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    sdkModule = require('@aws-sdk/client-s3') as Sdk;
  }
  return sdkModule;
}

export function s3Source(location: string, opts: S3SourceOptions = {}): S3ArchiveSource {
  const loc: S3Location = parseS3Location(location);
  const shown = formatS3Location(loc);
  const timeoutMs = Math.max(1, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const parallelism = Math.max(1, Math.floor(opts.parallelism ?? DEFAULT_PARALLELISM));
  const maxAttempts = Math.max(1, Math.floor(opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS));
  const retryDelayMs = Math.max(0, opts.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS);
  const pageSize = Math.min(PAGE_KEYS, Math.max(1, Math.floor(opts.pageSize ?? PAGE_KEYS)));
  const splitMinKeys = SPLIT_MIN_PAGES * pageSize;
  const maxListRequests = Math.max(1, Math.floor(opts.maxListRequests ?? DEFAULT_MAX_LIST_REQUESTS));
  const listingTimeoutMs = Math.max(1, opts.listingTimeoutMs ?? DEFAULT_LISTING_TIMEOUT_MS);
  const errorContext = {
    endpointLabel: opts.endpoint ?? 'S3',
    shown,
    bucket: loc.bucket,
    endpoint: opts.endpoint,
    timeoutMs,
    maxAttempts,
  };

  let client: S3Client | undefined;
  let regionFallback = false;
  function getClient(): S3Client {
    if (!client) {
      const { S3Client: Client } = loadSdk();
      const config: S3ClientConfig = {
        endpoint: opts.endpoint,
        forcePathStyle: opts.forcePathStyle ?? opts.endpoint !== undefined,
        credentials: opts.credentials,
        maxAttempts: 1, // retries are ours (throttling only, with the timeout per attempt)
        requestHandler: { connectionTimeout: timeoutMs, requestTimeout: timeoutMs, throwOnRequestTimeout: true },
        followRegionRedirects: true,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      };
      const region = opts.region ?? (regionFallback ? 'us-east-1' : undefined);
      if (region !== undefined) config.region = region;
      client = new Client(config);
    }
    return client;
  }

  /** no region anywhere: S3 redirects us to the bucket's region from us-east-1 */
  function fallBackToUsEast1(e: unknown): boolean {
    if (regionFallback || opts.region !== undefined || !/Region is missing/i.test((e as ErrorInfo)?.message ?? ''))
      return false;
    regionFallback = true;
    client?.destroy();
    client = undefined;
    return true;
  }

  /** one request: timeout, retries with backoff for throttling and transient errors; throws S3SourceError */
  function request<T>(
    what: string,
    signal: AbortSignal | undefined,
    run: (c: S3Client, abortSignal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    return requestWithRetry((abortSignal) => run(getClient(), abortSignal), {
      what,
      signal,
      timeoutMs,
      maxAttempts,
      retryDelayMs,
      describe: (e, w, timedOut) => describeS3Error(e, w, timedOut, errorContext),
      retryAtOnce: fallBackToUsEast1,
    });
  }

  async function listPage(part: Part, token: string | undefined, signal: AbortSignal): Promise<Page> {
    const { ListObjectsV2Command } = loadSdk();
    const out = await request(`while listing ${shown}`, signal, (c, abortSignal) =>
      c.send(
        new ListObjectsV2Command({
          Bucket: loc.bucket,
          Prefix: part.prefix === '' ? undefined : part.prefix,
          StartAfter: token === undefined ? part.after : undefined,
          ContinuationToken: token,
          MaxKeys: pageSize,
        }),
        { abortSignal },
      ),
    );
    return { contents: out.Contents ?? [], truncated: out.IsTruncated === true, next: out.NextContinuationToken };
  }

  async function listWith(
    parallel: boolean,
    onEntry: (e: ArchiveEntry) => void,
    options: ListOptions = {},
  ): Promise<ListOutcome> {
    const base = loc.prefix + (options.prefix ?? '');
    const cut = loc.prefix.length;
    const ac = new AbortController();
    setMaxListeners(parallelism + 10, ac.signal); // one per request in flight
    const outer = options.signal;
    const onOuter = (): void => ac.abort(outer?.reason);
    if (outer?.aborted) return { complete: false, error: 'listing cancelled', count: 0 };
    outer?.addEventListener('abort', onOuter, { once: true });
    let count = 0;
    // every listing is bounded, in requests and in time, whatever the endpoint answers
    let requests = 0;
    let timedOut = false;
    const deadline = setTimeout(() => {
      timedOut = true;
      ac.abort();
    }, listingTimeoutMs);
    const steps = {
      fetchPage: (part: Part, token: string | undefined) => {
        if (++requests > maxListRequests)
          return Promise.reject(
            new S3SourceError(
              `gave up listing ${shown} after ${maxListRequests} requests (maxListRequests): the listing is not complete`,
            ),
          );
        return listPage(part, token, ac.signal);
      },
      onKey: (key: string, size: number, mtimeMs: number | undefined) => {
        count++;
        onEntry({ key: key.slice(cut), size, mtimeMs });
      },
      splitRest: parallel
        ? (part: Part, first: string, last: string, pageKeys: number) =>
            splitAfterPage(part, first, last, pageKeys, splitMinKeys)
        : undefined,
      stopped: () => ac.signal.aborted,
      endpointLabel: errorContext.endpointLabel,
      what: `while listing ${shown}`,
    };
    const failure = await runParts(
      [{ prefix: base, skip: [] }],
      parallel ? parallelism : 1,
      (part) => pagePart(part, steps),
      () => ac.abort(),
    );
    clearTimeout(deadline);
    outer?.removeEventListener('abort', onOuter);
    if (outer?.aborted) return { complete: false, error: 'listing cancelled', count };
    if (timedOut)
      return {
        complete: false,
        error: `the listing of ${shown} did not finish within ${Number((listingTimeoutMs / 1000).toFixed(1))} s: it is not complete`,
        count,
      };
    if (failure !== undefined) {
      if (failure instanceof S3SourceError) return { complete: false, error: failure.message, count };
      throw failure; // onEntry threw: the caller's own error
    }
    return { complete: true, count };
  }

  async function readText(key: string, maxBytes = DEFAULT_READ_BYTES): Promise<string | undefined> {
    const { GetObjectCommand } = loadSdk();
    const full = loc.prefix + key;
    const what = `while reading ${formatS3Location({ bucket: loc.bucket, prefix: '' }, full)}`;
    if (maxBytes <= 0) return '';
    try {
      return await request(what, undefined, async (c, abortSignal) => {
        let out;
        try {
          out = await c.send(
            new GetObjectCommand({ Bucket: loc.bucket, Key: full, Range: `bytes=0-${maxBytes - 1}` }),
            { abortSignal },
          );
        } catch (e) {
          const code = errorCode(e);
          const status = (e as ErrorInfo)?.$metadata?.httpStatusCode;
          if (code === 'NoSuchKey' || code === 'NotFound' || (status === 404 && code !== 'NoSuchBucket'))
            return undefined;
          if (code === 'InvalidRange' || status === 416) return ''; // an empty object
          throw e;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        const body = out.Body as (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined;
        if (!body) return '';
        for await (const chunk of body) {
          const b = Buffer.from(chunk);
          chunks.push(b);
          size += b.length;
          if (size >= maxBytes) break;
        }
        body.destroy?.();
        return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
      });
    } catch (e) {
      if (e instanceof S3SourceError) throw new Error(e.message);
      throw e;
    }
  }

  return {
    location: shown,
    bucket: loc.bucket,
    prefix: loc.prefix,
    list: (onEntry, options) => listWith(opts.parallel !== false, onEntry, options),
    listSequential: (onEntry, options) => listWith(false, onEntry, options),
    readText,
    close() {
      client?.destroy();
      client = undefined;
    },
  };
}

/** sequential ListObjectsV2 paging of an S3 location (for comparisons and benchmarks) */
export function listSequential(
  location: string,
  opts: S3SourceOptions,
  onEntry: (e: ArchiveEntry) => void,
  options?: ListOptions,
): Promise<ListOutcome> {
  const source = s3Source(location, { ...opts, parallel: false });
  return source.list(onEntry, options).finally(() => source.close());
}
