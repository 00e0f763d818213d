// Picks the archive source for a location: s3://bucket/prefix → S3 (the AWS SDK is loaded only then),
// file:///path or a plain path → the local folder. Throws an Error with a message for the user for a
// malformed S3 location or a scheme pg-pitr does not read.
import { fileURLToPath } from 'node:url';

import type { ArchiveSource } from './archiveSource';
import { localSource } from './localSource';
import { isS3Location } from './s3Location';
import { s3Source, type S3SourceOptions } from './s3Source';

export type OpenArchiveSourceOptions = Omit<S3SourceOptions, 'credentials'>;

export function openArchiveSource(location: string, opts: OpenArchiveSourceOptions = {}): ArchiveSource {
  const text = location.trim();
  if (text === '') throw new Error('the archive location is empty: give a folder or s3://bucket/prefix');
  if (isS3Location(text)) return s3Source(text, opts);
  if (opts.endpoint !== undefined)
    throw new Error(`--endpoint applies to s3:// locations only (got the folder "${text}")`);
  const scheme = /^([a-z][a-z0-9+.-]+):\/\//i.exec(text)?.[1]; // two letters at least: "C://" is a Windows drive
  if (scheme !== undefined) {
    if (scheme.toLowerCase() === 'file') {
      try {
        return localSource(fileURLToPath(text));
      } catch (e) {
        throw new Error(`invalid file URL "${text}": ${(e as Error).message}`);
      }
    }
    throw new Error(
      `unsupported archive location "${text}": ${scheme}:// is not supported; give a folder or s3://bucket/prefix`,
    );
  }
  return localSource(text);
}
