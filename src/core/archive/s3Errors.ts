// What an S3 (or S3-compatible) failure means for the user, and whether another attempt may help.
// Pure: the message names the endpoint, bucket and what was being done, never a credential.

export interface ErrorInfo {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  cause?: unknown;
}

/** A failure of the S3 source with a message for the user. */
export class S3SourceError extends Error {
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

export function errorCode(e: unknown): string | undefined {
  const err = e as ErrorInfo | undefined;
  return (
    err?.Code ??
    (typeof err?.code === 'string' ? err.code : undefined) ??
    (err?.cause ? errorCode(err.cause) : undefined)
  );
}

/** What a message needs to know about the source. */
export interface S3ErrorContext {
  /** the endpoint's URL, or "S3" */
  endpointLabel: string;
  /** s3://bucket/prefix as the user wrote it */
  shown: string;
  bucket: string;
  endpoint?: string;
  timeoutMs: number;
  maxAttempts: number;
}

/** A message for the user; retryable: worth another attempt. */
export function describeS3Error(
  e: unknown,
  what: string,
  timedOut: boolean,
  ctx: S3ErrorContext,
): { message: string; retryable: boolean } {
  const { endpointLabel, shown, timeoutMs, maxAttempts } = ctx;
  const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(1))} s`;
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
      message: `S3 bucket "${ctx.bucket}" does not exist${ctx.endpoint ? ` at ${ctx.endpoint}` : ''}`,
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
      message:
        `the secret access key does not match the access key id (SignatureDoesNotMatch) for ${shown}: ` +
        `check the credentials (AWS_PROFILE, AWS_SECRET_ACCESS_KEY)`,
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
      message:
        `no usable AWS credentials for ${shown} (${text.replace(/\s+/g, ' ').trim()}): set AWS_PROFILE, ` +
        `or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or configure ~/.aws`,
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
      message: `S3 bucket "${ctx.bucket}" is in another region than the one configured: set AWS_REGION (${c ?? `HTTP ${status}`})`,
      retryable: false,
    };
  }
  if ((c !== undefined && THROTTLING.has(c)) || status === 503 || status === 429) {
    return {
      message:
        `${endpointLabel} is throttling the requests (${c ?? `HTTP ${status}`}) for ${shown}: gave up after ${maxAttempts} ` +
        `attempts; try again later or lower the parallelism`,
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
