// One S3 request with a timeout per attempt and retries with backoff (doubled each time, with
// jitter, at most 5 s) for what describeS3Error calls retryable: throttling, 500-class answers and
// dropped connections. Cancellation (the caller's signal) ends it at once.
import { S3SourceError } from './s3Errors';

export interface RetryOptions {
  /** what is being done, for messages ("while listing s3://b/p") */
  what: string;
  signal?: AbortSignal;
  timeoutMs: number;
  maxAttempts: number;
  /** first retry delay in ms */
  retryDelayMs: number;
  /** the message for a failure, and whether it is worth another attempt */
  describe: (e: unknown, what: string, timedOut: boolean) => { message: string; retryable: boolean };
  /** a failure handled by changing the client (the region fallback): try again at once, not counted */
  retryAtOnce?: (e: unknown) => boolean;
}

/** Runs `run` until it succeeds, fails for good, or is cancelled; throws S3SourceError with the user's message. */
export async function requestWithRetry<T>(run: (abortSignal: AbortSignal) => Promise<T>, o: RetryOptions): Promise<T> {
  const { signal } = o;
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw new S3SourceError('listing cancelled');
    const ac = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ac.abort(new Error('timeout'));
    }, o.timeoutMs);
    const onAbort = (): void => ac.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const aborted = new Promise<never>((_, reject) => {
        ac.signal.addEventListener('abort', () => reject(ac.signal.reason ?? new Error('aborted')), { once: true });
      });
      return await Promise.race([run(ac.signal), aborted]);
    } catch (e) {
      if (signal?.aborted) throw new S3SourceError('listing cancelled');
      if (o.retryAtOnce?.(e)) {
        attempt--;
        continue;
      }
      const d = o.describe(e, o.what, timedOut);
      if (!d.retryable || attempt >= o.maxAttempts) throw new S3SourceError(d.message);
      await backoff(attempt, o.retryDelayMs, signal);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }
}

/** Waits before attempt `attempt + 1` (or until cancelled). */
function backoff(attempt: number, retryDelayMs: number, signal: AbortSignal | undefined): Promise<void> {
  const delay = Math.min(5000, retryDelayMs * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
  return new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, delay);
    signal?.addEventListener('abort', done, { once: true });
  });
}
