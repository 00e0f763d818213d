import assert from 'node:assert/strict';

import fc from 'fast-check';

import {
  bucketNameProblem,
  formatS3Location,
  isS3Location,
  parseS3Location,
  S3LocationError,
} from '../../../src/core/archive/s3Location';

describe('s3Location', () => {
  describe('parseS3Location', () => {
    it('parses a bucket alone and a bucket with a prefix, normalising the prefix to end with /', () => {
      assert.deepEqual(parseS3Location('s3://my-bucket'), { bucket: 'my-bucket', prefix: '' });
      assert.deepEqual(parseS3Location('s3://my-bucket/'), { bucket: 'my-bucket', prefix: '' });
      assert.deepEqual(parseS3Location('s3://my-bucket/pg/wal'), { bucket: 'my-bucket', prefix: 'pg/wal/' });
      assert.deepEqual(parseS3Location('s3://my-bucket/pg/wal/'), { bucket: 'my-bucket', prefix: 'pg/wal/' });
      assert.deepEqual(parseS3Location('  S3://archive.example.com/pgbackrest/archive/main  '), {
        bucket: 'archive.example.com',
        prefix: 'pgbackrest/archive/main/',
      });
      assert.deepEqual(parseS3Location('s3://b-1/wal_005/é spaces'), { bucket: 'b-1', prefix: 'wal_005/é spaces/' });
    });

    const rejects = (location: string, message: string): void => {
      assert.throws(
        () => parseS3Location(location),
        (e: unknown) => {
          assert.ok(e instanceof S3LocationError);
          assert.equal((e as Error).message, message);
          return true;
        },
      );
    };

    it('rejects what is not an s3:// location', () => {
      rejects('/mnt/archive', 'not an S3 location: "/mnt/archive" (expected s3://bucket/prefix)');
      rejects('gs://bucket/wal', 'not an S3 location: "gs://bucket/wal" (expected s3://bucket/prefix)');
      rejects('s3:/bucket/wal', 'invalid S3 location "s3:/bucket/wal": expected s3://bucket/prefix');
      rejects('s3:bucket', 'invalid S3 location "s3:bucket": expected s3://bucket/prefix');
    });

    it('rejects a missing or malformed bucket name, saying why', () => {
      rejects('s3://', 'invalid S3 location "s3://": the bucket name is missing (expected s3://bucket/prefix)');
      rejects('s3:///wal', 'invalid S3 location "s3:///wal": the bucket name is missing (expected s3://bucket/prefix)');
      rejects(
        's3://ab/wal',
        'invalid S3 bucket name "ab" in "s3://ab/wal": bucket names are 3 to 63 characters long (this one has 2)',
      );
      rejects(
        `s3://${'a'.repeat(64)}`,
        `invalid S3 bucket name "${'a'.repeat(64)}" in "s3://${'a'.repeat(64)}": bucket names are 3 to 63 characters long (this one has 64)`,
      );
      rejects(
        's3://My-Bucket/wal',
        'invalid S3 bucket name "My-Bucket" in "s3://My-Bucket/wal": bucket names are lowercase',
      );
      rejects(
        's3://my_bucket',
        'invalid S3 bucket name "my_bucket" in "s3://my_bucket": bucket names contain only lowercase letters, digits, dots and hyphens',
      );
      rejects(
        's3://-bucket',
        'invalid S3 bucket name "-bucket" in "s3://-bucket": bucket names begin and end with a letter or a digit',
      );
      rejects(
        's3://bucket./x',
        'invalid S3 bucket name "bucket." in "s3://bucket./x": bucket names begin and end with a letter or a digit',
      );
      rejects(
        's3://my..bucket',
        'invalid S3 bucket name "my..bucket" in "s3://my..bucket": bucket names do not contain two adjacent dots',
      );
      rejects(
        's3://192.168.1.10/wal',
        'invalid S3 bucket name "192.168.1.10" in "s3://192.168.1.10/wal": bucket names are not IP addresses',
      );
      rejects(
        's3://user@bucket/wal',
        'invalid S3 bucket name "user@bucket" in "s3://user@bucket/wal": bucket names contain only lowercase letters, digits, dots and hyphens',
      );
      rejects(
        's3://arn:aws:s3:eu-west-1:123456789012:accesspoint/ap',
        'invalid S3 location "s3://arn:aws:s3:eu-west-1:123456789012:accesspoint/ap": access point ARNs are not supported; use s3://bucket/prefix',
      );
    });

    it('rejects empty folder names and control characters in the prefix, and over-long prefixes', () => {
      rejects(
        's3://bucket//wal',
        'invalid S3 location "s3://bucket//wal": empty folder name in the prefix ("//"); write s3://bucket/wal',
      );
      rejects(
        's3://bucket/pg//wal/',
        'invalid S3 location "s3://bucket/pg//wal/": empty folder name in the prefix ("//"); write s3://bucket/pg/wal',
      );
      assert.deepEqual(parseS3Location('s3://bucket/wal\n'), { bucket: 'bucket', prefix: 'wal/' }); // (surrounding white space is trimmed)
      rejects('s3://bucket/wa\tl', 'invalid S3 location "s3://bucket/wa\\tl": the prefix contains control characters');
      rejects(
        `s3://bucket/${'x'.repeat(1024)}`,
        `invalid S3 location "s3://bucket/${'x'.repeat(1024)}": the prefix is longer than S3's 1,024-byte key limit`,
      );
    });

    it('round-trips through formatS3Location (property)', () => {
      const bucket = fc.stringMatching(/^[a-z0-9][a-z0-9-]{1,20}[a-z0-9]$/);
      const folder = fc.stringMatching(/^[A-Za-z0-9_.\-é]{1,12}$/);
      fc.assert(
        fc.property(bucket, fc.array(folder, { maxLength: 4 }), fc.boolean(), (b, folders, slash) => {
          const text = `s3://${b}${folders.length ? '/' + folders.join('/') : ''}${slash ? '/' : ''}`;
          const loc = parseS3Location(text);
          assert.equal(loc.bucket, b);
          assert.equal(loc.prefix, folders.length ? folders.join('/') + '/' : '');
          assert.deepEqual(parseS3Location(formatS3Location(loc)), loc);
        }),
      );
    });
  });

  it('formatS3Location drops the trailing slash and appends a sub-path', () => {
    assert.equal(formatS3Location({ bucket: 'b-1', prefix: '' }), 's3://b-1');
    assert.equal(formatS3Location({ bucket: 'b-1', prefix: 'pg/wal/' }), 's3://b-1/pg/wal');
    assert.equal(
      formatS3Location({ bucket: 'b-1', prefix: 'pg/' }, 'wal_005/x.history'),
      's3://b-1/pg/wal_005/x.history',
    );
  });

  it('isS3Location recognises the scheme, even of malformed locations', () => {
    assert.equal(isS3Location('s3://bucket'), true);
    assert.equal(isS3Location(' S3:/bucket'), true);
    assert.equal(isS3Location('/mnt/s3://x'), false);
    assert.equal(isS3Location('file:///mnt/archive'), false);
  });

  it('bucketNameProblem accepts valid names', () => {
    for (const b of ['abc', 'my-bucket', 'my.bucket.name', '123bucket', 'a'.repeat(63)])
      assert.equal(bucketNameProblem(b), undefined, b);
  });
});
