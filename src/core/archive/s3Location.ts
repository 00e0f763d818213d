// Parses archive locations of the form s3://bucket/prefix. Pure: no I/O, no SDK.

export interface S3Location {
  bucket: string;
  /** key prefix of the archive root: '' (whole bucket) or ending with '/' (e.g. "pgbackrest/archive/main/") */
  prefix: string;
}

/** thrown for a location that is not a usable s3://bucket/prefix */
export class S3LocationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'S3LocationError';
  }
}

const SCHEME = /^s3:\/\//i;

/** true when the text is meant as an S3 location (even a malformed one), i.e. starts with "s3:" */
export function isS3Location(location: string): boolean {
  return /^s3:/i.test(location.trim());
}

/**
 * "s3://bucket" → { bucket, prefix: '' }; "s3://bucket/a/b" and "s3://bucket/a/b/" → prefix "a/b/".
 * Throws S3LocationError with a message meant for the user for anything else.
 */
export function parseS3Location(location: string): S3Location {
  const text = location.trim();
  const shown = JSON.stringify(text);
  if (!SCHEME.test(text)) {
    if (/^s3:/i.test(text)) throw new S3LocationError(`invalid S3 location ${shown}: expected s3://bucket/prefix`);
    throw new S3LocationError(`not an S3 location: ${shown} (expected s3://bucket/prefix)`);
  }
  const rest = text.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  let prefix = slash === -1 ? '' : rest.slice(slash + 1);
  if (bucket === '')
    throw new S3LocationError(`invalid S3 location ${shown}: the bucket name is missing (expected s3://bucket/prefix)`);
  if (bucket.startsWith('arn:'))
    throw new S3LocationError(
      `invalid S3 location ${shown}: access point ARNs are not supported; use s3://bucket/prefix`,
    );
  const problem = bucketNameProblem(bucket);
  if (problem) throw new S3LocationError(`invalid S3 bucket name "${bucket}" in ${shown}: ${problem}`);
  if (/[\u0000-\u001f\u007f]/.test(prefix))
    throw new S3LocationError(`invalid S3 location ${shown}: the prefix contains control characters`);
  if (prefix.startsWith('/') || prefix.includes('//')) {
    throw new S3LocationError(
      `invalid S3 location ${shown}: empty folder name in the prefix ("//"); write s3://${bucket}/${prefix.split('/').filter(Boolean).join('/')}`,
    );
  }
  if (prefix !== '' && !prefix.endsWith('/')) prefix += '/';
  if (Buffer.byteLength(prefix, 'utf8') > 1024)
    throw new S3LocationError(`invalid S3 location ${shown}: the prefix is longer than S3's 1,024-byte key limit`);
  return { bucket, prefix };
}

/** the canonical text of a location: s3://bucket or s3://bucket/prefix (without the trailing '/') */
export function formatS3Location(loc: S3Location, sub = ''): string {
  const path = (loc.prefix + sub).replace(/\/$/, '');
  return path === '' ? `s3://${loc.bucket}` : `s3://${loc.bucket}/${path}`;
}

/** why a bucket name breaks the S3 naming rules, or undefined when it is fine */
export function bucketNameProblem(bucket: string): string | undefined {
  if (bucket.length < 3 || bucket.length > 63)
    return `bucket names are 3 to 63 characters long (this one has ${bucket.length})`;
  if (/[A-Z]/.test(bucket)) return 'bucket names are lowercase';
  if (!/^[a-z0-9.-]+$/.test(bucket)) return 'bucket names contain only lowercase letters, digits, dots and hyphens';
  if (!/^[a-z0-9]/.test(bucket) || !/[a-z0-9]$/.test(bucket))
    return 'bucket names begin and end with a letter or a digit';
  if (bucket.includes('..')) return 'bucket names do not contain two adjacent dots';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(bucket)) return 'bucket names are not IP addresses';
  return undefined;
}
