// Where archived files are listed from: a local folder or an S3(-compatible) bucket. The
// analysis only needs names and sizes, streamed: a million entries never become one array.

export interface ArchiveEntry {
  /** path relative to the archive root, '/'-separated (e.g. "wal_005/000000010000000000000003.lz4") */
  key: string;
  /** bytes; for compressed files the stored size */
  size: number;
  /** when the file reached the archive (modification time, S3 LastModified), ms since the epoch; absent when unknown */
  mtimeMs?: number;
}

export interface ListOutcome {
  /** false when the listing stopped early (error, timeout, cancellation): missing files then prove nothing */
  complete: boolean;
  /** a clear message for the user when something went wrong */
  error?: string;
  /** entries delivered */
  count: number;
}

export interface ListOptions {
  /** only keys under this prefix (relative to the root), e.g. "wal_005/" */
  prefix?: string;
  signal?: AbortSignal;
}

export interface ArchiveSource {
  /** "/mnt/archive" or "s3://bucket/prefix" */
  readonly location: string;
  /** lists every file (not directories) under the root, calling onEntry for each, in no particular order */
  list(onEntry: (e: ArchiveEntry) => void, options?: ListOptions): Promise<ListOutcome>;
  /** reads a small file (backup history, timeline history, backup.info); undefined when it does not exist */
  readText(key: string, maxBytes?: number): Promise<string | undefined>;
  /** releases connections (S3); absent when there is nothing to release */
  close?(): Promise<void> | void;
}
