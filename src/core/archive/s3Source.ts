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
import { setMaxListeners } from 'node:events';

import type { _Object, S3Client, S3ClientConfig } from '@aws-sdk/client-s3';

import type { ArchiveEntry, ArchiveSource, ListOptions, ListOutcome } from './archiveSource';
import { formatS3Location, parseS3Location, type S3Location } from './s3Location';

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
/** the rest of a branch is split when it is estimated to hold more than this many pages */
const SPLIT_MIN_PAGES = 4;
/** split points: the digits of WAL file names */
const ALPHABET = '0123456789ABCDEF';
/**
 * A part "after all the keys starting with X" starts after X + SKIP_TO. Exactness does not depend on
 * it (the part also skips the keys starting with X, which belong to another part); it only has to
 * sort after the keys archives hold (hex digits, '.', '-', '/', '_' follow X), and it is plain
 * ASCII so that no S3-compatible server balks at the StartAfter.
 */
const SKIP_TO = '~';

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

function isSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdfff;
}

/** compares keys in UTF-8 byte order (= code point order), the order of S3 listings */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      const xs = isSurrogate(x);
      if (xs !== isSurrogate(y)) return xs ? 1 : -1;
      return x - y;
    }
  }
  return a.length - b.length;
}

function commonPrefixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** a range of keys: prefix, > after, < before, not starting with any of skip */
interface Part {
  prefix: string;
  after?: string;
  before?: string;
  skip: string[];
}

interface ErrorInfo {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  cause?: unknown;
}

class S3SourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'S3SourceError';
  }
}

const THROTTLING = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequests',
  'RequestThrottled',
  'ServiceUnavailable',
  'RequestThrottledException',
  'ProvisionedThroughputExceededException',
]);
const TRANSIENT = new Set([
  'InternalError',
  'RequestTimeout',
  'RequestTimeoutException',
  'PriorRequestNotComplete',
  'BadGateway',
  'GatewayTimeout',
]);
const NETWORK_TRANSIENT = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE']);

function errorCode(e: unknown): string | undefined {
  const err = e as ErrorInfo | undefined;
  return (
    err?.Code ??
    (typeof err?.code === 'string' ? err.code : undefined) ??
    (err?.cause ? errorCode(err.cause) : undefined)
  );
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
  const endpointLabel = opts.endpoint ?? 'S3';
  const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(1))} s`;

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

  /** a message for the user; retryable: worth another attempt */
  function describe(e: unknown, what: string, timedOut: boolean): { message: string; retryable: boolean } {
    const err = (e ?? {}) as ErrorInfo;
    const c = errorCode(e);
    const name = err.name;
    const status = err.$metadata?.httpStatusCode;
    const text = err.message ?? String(e);
    const creds = 'check the credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID)';
    if (timedOut)
      return { message: `no answer from ${endpointLabel} within ${seconds(timeoutMs)} (${what})`, retryable: false };
    if (c === 'NoSuchBucket' || name === 'NoSuchBucket') {
      return {
        message: `S3 bucket "${loc.bucket}" does not exist${opts.endpoint ? ` at ${opts.endpoint}` : ''}`,
        retryable: false,
      };
    }
    if (c === 'AccessDenied' || c === 'AllAccessDisabled' || name === 'AccessDenied' || (status === 403 && !c)) {
      return { message: `access denied to ${shown}: ${creds} and the bucket policy`, retryable: false };
    }
    if (c === 'InvalidAccessKeyId')
      return {
        message: `${endpointLabel} does not know the access key id (InvalidAccessKeyId) used for ${shown}: ${creds}`,
        retryable: false,
      };
    if (c === 'SignatureDoesNotMatch')
      return {
        message: `the secret access key does not match the access key id (SignatureDoesNotMatch) for ${shown}: check the credentials (AWS_PROFILE, AWS_SECRET_ACCESS_KEY)`,
        retryable: false,
      };
    if (c === 'ExpiredToken' || c === 'TokenRefreshRequired' || c === 'InvalidToken' || c === 'ExpiredTokenException') {
      return {
        message: `the AWS session token for ${shown} has expired or is invalid (${c}): refresh the credentials (e.g. aws sso login) or ${creds}`,
        retryable: false,
      };
    }
    if (name === 'CredentialsProviderError' || /could not load credentials/i.test(text)) {
      return {
        message: `no usable AWS credentials for ${shown} (${text.replace(/\s+/g, ' ').trim()}): set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or configure ~/.aws`,
        retryable: false,
      };
    }
    if (
      c === 'PermanentRedirect' ||
      c === 'AuthorizationHeaderMalformed' ||
      c === 'IllegalLocationConstraintException' ||
      status === 301
    ) {
      return {
        message: `S3 bucket "${loc.bucket}" is in another region than the one configured: set AWS_REGION (${c ?? `HTTP ${status}`})`,
        retryable: false,
      };
    }
    if ((c !== undefined && THROTTLING.has(c)) || status === 503 || status === 429) {
      return {
        message: `${endpointLabel} is throttling the requests (${c ?? `HTTP ${status}`}) for ${shown}: gave up after ${maxAttempts} attempts; try again later or lower the parallelism`,
        retryable: true,
      };
    }
    if ((c !== undefined && TRANSIENT.has(c)) || (status !== undefined && status >= 500)) {
      return {
        message: `${endpointLabel} answered ${c ?? `HTTP ${status}`} (${text}) ${what}; gave up after ${maxAttempts} attempts`,
        retryable: true,
      };
    }
    if (c === 'ECONNREFUSED')
      return { message: `cannot connect to ${endpointLabel}: connection refused (${what})`, retryable: false };
    if (c === 'ENOTFOUND' || c === 'EAI_AGAIN')
      return {
        message: `cannot resolve the host of ${endpointLabel} (${c}): check the endpoint and the network (${what})`,
        retryable: c === 'EAI_AGAIN',
      };
    // (before the timeouts: the SDK names a reset connection "TimeoutError" too, to have it retried)
    if ((c !== undefined && NETWORK_TRANSIENT.has(c)) || /socket hang up/i.test(text)) {
      return { message: `the connection to ${endpointLabel} was lost (${c ?? text}) ${what}`, retryable: true };
    }
    if (c === 'ETIMEDOUT' || name === 'TimeoutError')
      return { message: `no answer from ${endpointLabel} within ${seconds(timeoutMs)} (${what})`, retryable: false };
    if (c === 'EHOSTUNREACH' || c === 'ENETUNREACH' || c === 'ECONNABORTED')
      return { message: `cannot reach ${endpointLabel} (${c}) ${what}`, retryable: false };
    if (/Region is missing/i.test(text))
      return { message: `no AWS region configured for ${shown}: set AWS_REGION`, retryable: false };
    if (
      name === 'SyntaxError' ||
      /Deserialization error|char '.' is not expected|Unexpected close tag|Non-whitespace before first tag/i.test(text)
    ) {
      return {
        message: `unexpected answer from ${endpointLabel} (not S3 XML${status ? `, HTTP ${status}` : ''}) ${what}: is it an S3 endpoint?`,
        retryable: false,
      };
    }
    return { message: `S3 error ${what}: ${c ?? name ?? 'Error'}: ${text}`, retryable: false };
  }

  /** one request: timeout, retries with backoff for throttling and transient errors; throws S3SourceError */
  async function request<T>(
    what: string,
    signal: AbortSignal | undefined,
    run: (c: S3Client, abortSignal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw new S3SourceError('listing cancelled');
      const ac = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        ac.abort(new Error('timeout'));
      }, timeoutMs);
      const onAbort = (): void => ac.abort(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        const aborted = new Promise<never>((_, reject) => {
          ac.signal.addEventListener('abort', () => reject(ac.signal.reason ?? new Error('aborted')), { once: true });
        });
        return await Promise.race([run(getClient(), ac.signal), aborted]);
      } catch (e) {
        if (signal?.aborted) throw new S3SourceError('listing cancelled');
        if (
          !regionFallback &&
          opts.region === undefined &&
          /Region is missing/i.test((e as ErrorInfo)?.message ?? '')
        ) {
          // no region anywhere: S3 redirects us to the bucket's region from us-east-1
          regionFallback = true;
          client?.destroy();
          client = undefined;
          attempt--;
          continue;
        }
        const d = describe(e, what, timedOut);
        if (!d.retryable || attempt >= maxAttempts) throw new S3SourceError(d.message);
        const delay = Math.min(5000, retryDelayMs * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
        await new Promise<void>((resolve) => {
          const done = (): void => {
            clearTimeout(t);
            signal?.removeEventListener('abort', done);
            resolve();
          };
          const t = setTimeout(done, delay);
          signal?.addEventListener('abort', done, { once: true });
        });
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      }
    }
  }

  interface Page {
    contents: _Object[];
    truncated: boolean;
    next?: string;
  }
  async function listPage(
    prefix: string,
    after: string | undefined,
    token: string | undefined,
    signal: AbortSignal,
  ): Promise<Page> {
    const { ListObjectsV2Command } = loadSdk();
    const out = await request(`while listing ${shown}`, signal, (c, abortSignal) =>
      c.send(
        new ListObjectsV2Command({
          Bucket: loc.bucket,
          Prefix: prefix === '' ? undefined : prefix,
          StartAfter: token === undefined ? after : undefined,
          ContinuationToken: token,
          MaxKeys: pageSize,
        }),
        { abortSignal },
      ),
    );
    return {
      contents: out.Contents ?? [],
      truncated: out.IsTruncated === true && !!out.NextContinuationToken,
      next: out.NextContinuationToken,
    };
  }

  /** the parts after L (the last key of a truncated page of `part` whose first key is F), or undefined to keep paging */
  function split(part: Part, first: string, last: string, pageKeys: number): Part[] | undefined {
    const P = part.prefix;
    const D = Math.max(P.length, commonPrefixLength(first, last));
    if (D >= last.length) return undefined;
    for (let i = 0; i <= D; i++) if (isSurrogate(last.charCodeAt(i))) return undefined;
    const Y = last.slice(0, D);
    const c = last[D];
    // how many keys are left in L's branch at depth D, from the digits the page spanned
    const iL = ALPHABET.indexOf(c);
    const iF = first.length > D ? ALPHABET.indexOf(first[D]) : 0;
    let estimate = Infinity;
    if (iL >= 0 && iF >= 0 && iF <= iL) {
      const perDigit = pageKeys / (iL - iF + 1);
      estimate = perDigit * (ALPHABET.length - 1 - iL) + perDigit / 2;
    }
    if (D === P.length && estimate < splitMinKeys) return undefined;
    const parts: Part[] = [];
    if (estimate < splitMinKeys) {
      parts.push({ prefix: Y, after: last, skip: part.skip });
    } else {
      parts.push({ prefix: last.slice(0, D + 1), after: last, skip: part.skip });
      parts.push(...digitParts(Y, c, part.skip));
    }
    if (D - 1 >= P.length) {
      // the next larger groups (e.g. the following log ids), then everything after them
      parts.push(...digitParts(last.slice(0, D - 1), last[D - 1], part.skip));
      if (D - 2 >= P.length) {
        const done = last.slice(0, D - 1);
        parts.push({ prefix: P, after: done + SKIP_TO, skip: [...part.skip, done] });
      }
    }
    return parts;
  }

  /** the keys starting with Y followed by a character after c: one part per hex digit after c, and the gaps */
  function digitParts(Y: string, c: string, skip: string[]): Part[] {
    const parts: Part[] = [];
    let prev = c;
    for (const a of ALPHABET) {
      if (compareKeys(a, c) <= 0) continue;
      if (a.charCodeAt(0) !== prev.charCodeAt(0) + 1)
        parts.push({ prefix: Y, after: Y + prev + SKIP_TO, before: Y + a, skip: [...skip, Y + prev] });
      parts.push({ prefix: Y + a, skip });
      prev = a;
    }
    parts.push({ prefix: Y, after: Y + prev + SKIP_TO, skip: [...skip, Y + prev] });
    return parts;
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
    let failure: unknown;
    const queue: Part[] = [{ prefix: base, skip: [] }];
    let active = 0;

    const runPart = async (part: Part): Promise<void> => {
      let token: string | undefined;
      for (;;) {
        const page = await listPage(part.prefix, part.after, token, ac.signal);
        let first: string | undefined;
        let last: string | undefined;
        let reachedEnd = false;
        for (const o of page.contents) {
          const key = o.Key ?? '';
          if (part.before !== undefined && compareKeys(key, part.before) >= 0) {
            reachedEnd = true;
            break;
          }
          first ??= key;
          last = key;
          if (key.endsWith('/') || part.skip.some((s) => key.startsWith(s))) continue; // folder markers; keys of other parts
          count++;
          onEntry({ key: key.slice(cut), size: o.Size ?? 0, mtimeMs: o.LastModified?.getTime() });
        }
        if (reachedEnd || !page.truncated || ac.signal.aborted) return;
        if (parallel && part.before === undefined && first !== undefined && last !== undefined) {
          const parts = split(part, first, last, page.contents.length);
          if (parts) {
            queue.push(...parts);
            return;
          }
        }
        token = page.next;
      }
    };

    await new Promise<void>((resolve) => {
      const pump = (): void => {
        while (failure === undefined && active < (parallel ? parallelism : 1) && queue.length > 0) {
          const part = queue.shift() as Part;
          active++;
          runPart(part).then(
            () => {
              active--;
              pump();
            },
            (e: unknown) => {
              failure ??= e;
              ac.abort();
              active--;
              pump();
            },
          );
        }
        if (active === 0) resolve();
      };
      pump();
    });
    outer?.removeEventListener('abort', onOuter);
    if (outer?.aborted) return { complete: false, error: 'listing cancelled', count };
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
