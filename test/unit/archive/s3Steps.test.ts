import { strict as assert } from 'node:assert';

import { describeS3Error, S3SourceError } from '../../../src/core/archive/s3Errors';
import { compareKeys, type Part, splitAfterPage } from '../../../src/core/archive/s3KeySpace';
import { runParts } from '../../../src/core/archive/s3Listing';
import { type Page, pagePart } from '../../../src/core/archive/s3Paging';
import { requestWithRetry } from '../../../src/core/archive/s3Retry';

// The steps of the S3 source alone, without a network: errors, retries, paging, the pool, the
// key-space split. (test/integration/archiveSources.test.ts runs them together against s3rver.)

const WHERE = { endpointLabel: 'http://s3.test', what: 'while listing s3://bucket/wal' };
const ctx = {
  endpointLabel: 'http://s3.test',
  shown: 's3://bucket/wal',
  bucket: 'bucket',
  timeoutMs: 1000,
  maxAttempts: 3,
};

describe('S3 source steps', () => {
  it('errors: a message for the user and whether to retry', () => {
    assert.deepEqual(describeS3Error({ Code: 'SlowDown' }, 'while listing s3://bucket/wal', false, ctx), {
      message:
        'http://s3.test is throttling the requests (SlowDown) for s3://bucket/wal: gave up after 3 attempts; try again later or lower the parallelism',
      retryable: true,
    });
    assert.deepEqual(describeS3Error({ Code: 'NoSuchBucket' }, 'x', false, ctx), {
      message: 'S3 bucket "bucket" does not exist',
      retryable: false,
    });
    assert.equal(
      describeS3Error(new Error('x'), 'while listing', true, ctx).message,
      'no answer from http://s3.test within 1 s (while listing)',
    );
  });

  it('retry: transient failures are retried, a permanent one is not, the last message is kept', async () => {
    let calls = 0;
    const describe = (e: unknown) => ({
      message: `failed: ${(e as Error).message}`,
      retryable: (e as Error).message === 'busy',
    });
    const ok = await requestWithRetry(
      async () => {
        if (++calls < 3) throw new Error('busy');
        return 'done';
      },
      { what: 'w', timeoutMs: 1000, maxAttempts: 5, retryDelayMs: 1, describe },
    );
    assert.deepEqual([ok, calls], ['done', 3]);
    calls = 0;
    await assert.rejects(
      requestWithRetry(
        async () => {
          calls++;
          throw new Error('denied');
        },
        { what: 'w', timeoutMs: 1000, maxAttempts: 5, retryDelayMs: 1, describe },
      ),
      (e: unknown) => e instanceof S3SourceError && e.message === 'failed: denied',
    );
    assert.equal(calls, 1);
  });

  it('retry: an attempt that gets no answer is cut at the timeout', async () => {
    await assert.rejects(
      requestWithRetry(() => new Promise<never>(() => undefined), {
        what: 'w',
        timeoutMs: 20,
        maxAttempts: 2,
        retryDelayMs: 1,
        describe: (_e, _w, timedOut) => ({ message: `timed out: ${timedOut}`, retryable: false }),
      }),
      { message: 'timed out: true' },
    );
  });

  it('paging: follows the tokens, skips folder markers and other parts keys, stops at before', async () => {
    const pages: Record<string, Page> = {
      start: {
        contents: [
          { Key: 'a/', Size: 0 },
          { Key: 'a1', Size: 1 },
        ],
        truncated: true,
        next: 't1',
      },
      t1: {
        contents: [
          { Key: 'a2', Size: 2 },
          { Key: 'b1', Size: 3 },
          { Key: 'c', Size: 4 },
        ],
        truncated: false,
      },
    };
    const got: string[] = [];
    const rest = await pagePart(
      { prefix: '', before: 'c', skip: ['b'] },
      {
        fetchPage: async (_p, token) => pages[token ?? 'start']!,
        onKey: (k, s) => got.push(`${k}:${s}`),
        stopped: () => false,
        ...WHERE,
      },
    );
    assert.deepEqual(rest, []);
    assert.deepEqual(got, ['a1:1', 'a2:2']);
  });

  it('paging: hands the rest of a truncated part to splitRest when it splits', async () => {
    const more: Part[] = [{ prefix: 'x', skip: [] }];
    const rest = await pagePart(
      { prefix: '', skip: [] },
      {
        fetchPage: async () => ({ contents: [{ Key: 'k1' }, { Key: 'k2' }], truncated: true, next: 't' }),
        onKey: () => undefined,
        splitRest: (_p, first, last, n) => (first === 'k1' && last === 'k2' && n === 2 ? more : undefined),
        stopped: () => false,
        ...WHERE,
      },
    );
    assert.equal(rest, more);
  });

  it('paging ends on a repeated token, a truncated page without one, or keys out of order', async () => {
    const paging = (pages: Page[]) => {
      let i = 0;
      return pagePart(
        { prefix: '', skip: [] },
        {
          fetchPage: async () => pages[Math.min(i++, pages.length - 1)]!,
          onKey: () => undefined,
          stopped: () => false,
          ...WHERE,
        },
      );
    };
    await assert.rejects(
      paging([
        { contents: [{ Key: 'a' }], truncated: true, next: 'T1' },
        { contents: [{ Key: 'b' }], truncated: true, next: 'T1' },
      ]),
      {
        message:
          'http://s3.test repeated a continuation token while listing s3://bucket/wal: the listing cannot go on (a fault of the S3-compatible server)',
      },
    );
    await assert.rejects(paging([{ contents: [{ Key: 'a' }], truncated: true }]), {
      message:
        'http://s3.test answered a truncated listing without a continuation token while listing s3://bucket/wal: ' +
        'the listing cannot go on (a fault of the S3-compatible server)',
    });
    await assert.rejects(
      paging([
        { contents: [{ Key: 'a' }, { Key: 'b' }], truncated: true, next: 'T1' },
        { contents: [{ Key: 'a' }], truncated: true, next: 'T2' },
      ]),
      {
        message:
          'http://s3.test listed keys out of order (a after b) while listing s3://bucket/wal: the listing cannot go on (a fault of the S3-compatible server)',
      },
    );
  });

  it('pool: runs the parts handed back, at most `parallelism` at once; the first failure stops it', async () => {
    let active = 0;
    let peak = 0;
    const done: string[] = [];
    const failure = await runParts(
      [{ prefix: 'a', skip: [] }],
      2,
      async (p) => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setImmediate(r));
        active--;
        done.push(p.prefix);
        return p.prefix === 'a' ? ['b', 'c', 'd'].map((prefix) => ({ prefix, skip: [] })) : [];
      },
      () => undefined,
    );
    assert.equal(failure, undefined);
    assert.deepEqual(done.sort(), ['a', 'b', 'c', 'd']);
    assert.equal(peak, 2);
    let stopped = 0;
    const boom = new Error('boom');
    assert.equal(
      await runParts(
        [{ prefix: 'a', skip: [] }],
        1,
        async () => Promise.reject(boom),
        () => stopped++,
      ),
      boom,
    );
    assert.equal(stopped, 1);
  });

  it('key space: a truncated page of WAL names is split into parts that cover the rest exactly once', () => {
    const part: Part = { prefix: '', skip: [] };
    const parts = splitAfterPage(part, '000000010000000000000000', '0000000100000000000000FF', 256, 4000)!;
    assert.ok(parts.length > 1);
    // every later WAL name of timeline 1 falls in exactly one part
    const inPart = (k: string, p: Part) =>
      k.startsWith(p.prefix) &&
      (p.after === undefined || compareKeys(k, p.after) > 0) &&
      (p.before === undefined || compareKeys(k, p.before) < 0) &&
      !p.skip.some((s) => k.startsWith(s));
    for (const k of [
      '000000010000000100000000',
      '0000000100000009000000AB',
      '00000001000000FF00000001',
      '00000002000000000000000A',
      'backup.info',
    ]) {
      assert.equal(parts.filter((p) => inPart(k, p)).length, 1, k);
    }
    assert.equal(parts.filter((p) => inPart('0000000100000000000000FE', p)).length, 0);
  });
});
