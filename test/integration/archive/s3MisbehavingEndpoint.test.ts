// Issue 15, wrong answers 6: an S3-compatible endpoint that repeats its continuation token, says
// "truncated" without one, goes backwards, or never ends must not make a listing loop: every
// listing ends, with complete: false and a message that names the fault. A small HTTP server
// plays the endpoint (s3rver cannot be made to misbehave this way); archiveSources.test.ts checks
// the same source against s3rver's real listing semantics.
import { strict as assert } from 'node:assert';
import * as http from 'node:http';

import { analyseArchive } from '../../../src/core/archive/archiveAnalysis';
import { s3Source, type S3SourceOptions } from '../../../src/core/archive/s3Source';

type Mode = 'repeat-token' | 'no-token' | 'backwards' | 'bottomless' | 'slow-bottomless';

interface Endpoint {
  url: string;
  requests(): number;
  close(): Promise<void>;
}

/** ListObjectsV2 answers that misbehave in `mode`. Keys are WAL names of timeline 1. */
function endpoint(mode: Mode): Promise<Endpoint> {
  let n = 0;
  const name = (i: number) =>
    `000000010000${(Math.floor(i / 256) % 0x10000).toString(16).toUpperCase().padStart(4, '0')}000000${(i % 256).toString(16).toUpperCase().padStart(2, '0')}`;
  const server = http.createServer((req, res) => {
    n++;
    const url = new URL(req.url ?? '/', 'http://x');
    const token = url.searchParams.get('continuation-token');
    const page = token ? Number(token.replace('T', '')) : 0;
    let keys: string[];
    let next: string | null;
    switch (mode) {
      case 'repeat-token':
        keys = [name(page * 2), name(page * 2 + 1)];
        next = 'T1'; // the second page names itself again
        break;
      case 'no-token':
        keys = [name(0)];
        next = null;
        break;
      case 'backwards':
        keys = [name(0), name(1)];
        next = `T${page + 1}`; // a new token each time, the same keys each time
        break;
      default:
        keys = [name(page * 2), name(page * 2 + 1)];
        next = `T${page + 1}`;
    }
    const body =
      '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
      `<Name>bucket</Name><Prefix></Prefix><KeyCount>${keys.length}</KeyCount><MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated>` +
      (next ? `<NextContinuationToken>${next}</NextContinuationToken>` : '') +
      keys
        .map(
          (k) =>
            `<Contents><Key>${k}</Key><Size>16777216</Size><LastModified>2026-01-01T00:00:00.000Z</LastModified><ETag>"e"</ETag></Contents>`,
        )
        .join('') +
      '</ListBucketResult>';
    const send = () => {
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(body);
    };
    if (mode === 'slow-bottomless') setTimeout(send, 50);
    else send();
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
        requests: () => n,
        close: () => new Promise<void>((r) => server.close(() => r())),
      }),
    ),
  );
}

const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

async function list(mode: Mode, opts: S3SourceOptions = {}) {
  const ep = await endpoint(mode);
  const src = s3Source('s3://bucket/', { endpoint: ep.url, credentials: CREDENTIALS, region: 'us-east-1', ...opts });
  try {
    const started = Date.now();
    let entries = 0;
    const outcome = await src.list(() => entries++);
    return { outcome, entries, requests: ep.requests(), ms: Date.now() - started };
  } finally {
    src.close();
    await ep.close();
  }
}

describe('S3 listing against a misbehaving endpoint', function () {
  this.timeout(60_000);

  for (const parallel of [false, true]) {
    const how = parallel ? 'parallel' : 'sequential';
    it(`${how}: a repeated continuation token ends the listing at once`, async () => {
      const r = await list('repeat-token', { parallel });
      assert.equal(r.outcome.complete, false);
      assert.match(
        r.outcome.error!,
        /^http:\/\/127\.0\.0\.1:\d+ repeated a continuation token while listing s3:\/\/bucket: the listing cannot go on \(a fault of the S3-compatible server\)$/,
      );
      // (parallel: the first page is split, so a few parts each make their own requests)
      assert.ok(r.requests <= 20, `${r.requests} requests`);
    });

    it(`${how}: "truncated" without a continuation token is not a complete listing`, async () => {
      const r = await list('no-token', { parallel });
      assert.equal(r.outcome.complete, false);
      assert.match(
        r.outcome.error!,
        /answered a truncated listing without a continuation token while listing s3:\/\/bucket: the listing cannot go on/,
      );
    });
  }

  it('a page that goes back to keys already listed ends the listing', async () => {
    const r = await list('backwards', { parallel: false });
    assert.equal(r.outcome.complete, false);
    assert.match(
      r.outcome.error!,
      /listed keys out of order \(000000010000000000000000 after 000000010000000000000001\) while listing s3:\/\/bucket/,
    );
    assert.equal(r.requests, 2);
  });

  it('every listing is bounded in requests', async () => {
    const r = await list('bottomless', { parallel: false, maxListRequests: 40 });
    assert.equal(r.outcome.complete, false);
    assert.equal(
      r.outcome.error,
      'gave up listing s3://bucket after 40 requests (maxListRequests): the listing is not complete',
    );
    assert.equal(r.requests, 40);
  });

  it('every listing is bounded in time', async () => {
    const r = await list('slow-bottomless', { parallel: true, listingTimeoutMs: 600 });
    assert.equal(r.outcome.complete, false);
    assert.equal(r.outcome.error, 'the listing of s3://bucket did not finish within 0.6 s: it is not complete');
    assert.ok(r.ms < 30_000, `${r.ms} ms`); // it ends: an endless listing would not
  });

  it('archive check on such an endpoint ends, incomplete, with the reason', async () => {
    const ep = await endpoint('repeat-token');
    const src = s3Source('s3://bucket/', { endpoint: ep.url, credentials: CREDENTIALS, region: 'us-east-1' });
    try {
      const report = await analyseArchive(src);
      assert.equal(report.listingComplete, false);
      assert.equal(report.complete, false);
      assert.equal(report.problems.length, 1);
      assert.match(report.problems[0]!, /^the listing is incomplete \(.* repeated a continuation token/);
    } finally {
      src.close();
      await ep.close();
    }
  });
});
