// What one file name in a WAL archive is (the caller passes the basename; folders such as
// WAL-G's wal_005/ or pgBackRest's 0000000100000000/ are its business).
//
// PostgreSQL archives four kinds of file (archive_command's %f): segments `<24 hex>`, timeline
// histories `<8 hex>.history`, backup histories `<24 hex>.<8 hex>.backup` and, after a promotion,
// `<24 hex>.partial`. Archiving tools add to the name:
// - a compression extension (`.gz`, `.lz4`, `.zst`, WAL-G's `.br`/`.lzma`, ...);
// - pgBackRest, for segments and partial segments only (walIsSegment), the SHA-1 of the
//   uncompressed content: `000000010000000000000003-<40 hex>.gz`,
//   `000000010000000000000003.partial-<40 hex>.gz`;
// - pg_receivewal puts the compression before `.partial` while streaming: `<24 hex>.gz.partial`.
// Whether a segment number exists under the cluster's segment size is not decided here: the
// analysis checks that with segmentNames (impliedSegmentSizes / parseSegmentName).

export type Compression = 'gz' | 'bz2' | 'xz' | 'zst' | 'lz4' | 'br' | 'snappy' | 'lzma' | 'brotli';

export const COMPRESSIONS: readonly Compression[] = ['gz', 'bz2', 'xz', 'zst', 'lz4', 'br', 'snappy', 'lzma', 'brotli'];

export type ArchiveName =
  | { kind: 'segment'; timeline: number; hex24: string; compression: Compression | null; checksum: string | null }
  | { kind: 'partial'; timeline: number; hex24: string; compression: Compression | null; checksum: string | null }
  | { kind: 'history'; timeline: number; compression: Compression | null }
  | { kind: 'backup-history'; timeline: number; hex24: string; offset: number; compression: Compression | null }
  | { kind: 'unexpected'; reason: string };

const COMPRESSION_SET: ReadonlySet<string> = new Set(COMPRESSIONS);

// Upper case only: PostgreSQL writes and requests nothing else (see segmentNames).
const HEX24 = '[0-9A-F]{24}';
const SEGMENT_RE = new RegExp(`^(${HEX24})$`);
const PARTIAL_RE = new RegExp(`^(${HEX24})\\.partial$`);
const HISTORY_RE = /^([0-9A-F]{8})\.history$/;
const BACKUP_RE = new RegExp(`^(${HEX24})\\.([0-9A-F]{8})\\.backup$`);
const RECEIVING_RE = new RegExp(`^(${HEX24})\\.([a-z0-9]+)\\.partial$`);
// pgBackRest writes the SHA-1 in lower case (strNewEncode(encodingHex, ...)).
const CHECKSUM_RE = /^(.*)-([0-9a-f]{40})$/;

function unexpected(reason: string): ArchiveName {
  return { kind: 'unexpected', reason };
}

/** Splits a trailing known compression extension off: ['000000010000000000000003', 'gz']. */
function splitCompression(name: string): [string, Compression | null] {
  const dot = name.lastIndexOf('.');
  if (dot > 0) {
    const ext = name.slice(dot + 1);
    if (COMPRESSION_SET.has(ext)) return [name.slice(0, dot), ext as Compression];
  }
  return [name, null];
}

function tliOf(hex: string): number {
  return parseInt(hex.slice(0, 8), 16);
}

/** Classifies one archive file name (a basename). Never throws. */
export function classifyArchiveName(name: string): ArchiveName {
  if (name === '') return unexpected('empty file name');
  if (/[/\\]/.test(name)) return unexpected('a path, not a file name');

  // pg_receivewal's in-progress compressed segment: <24 hex>.<compression>.partial
  const receiving = RECEIVING_RE.exec(name);
  if (receiving && COMPRESSION_SET.has(receiving[2]!)) {
    return known({ kind: 'partial', hex24: receiving[1]!, compression: receiving[2] as Compression, checksum: null });
  }

  const [rest, compression] = splitCompression(name);
  let base = rest;
  let checksum: string | null = null;
  const c = CHECKSUM_RE.exec(rest);
  if (c) {
    base = c[1]!;
    checksum = c[2]!;
  }

  let m: RegExpExecArray | null;
  if ((m = SEGMENT_RE.exec(base))) return known({ kind: 'segment', hex24: m[1]!, compression, checksum });
  if ((m = PARTIAL_RE.exec(base))) return known({ kind: 'partial', hex24: m[1]!, compression, checksum });
  if (checksum === null) {
    if ((m = HISTORY_RE.exec(base))) {
      const timeline = parseInt(m[1]!, 16);
      if (timeline === 0) return unexpected('timeline 0 does not exist: no history file is named 00000000.history');
      return { kind: 'history', timeline, compression };
    }
    if ((m = BACKUP_RE.exec(base))) {
      const timeline = tliOf(m[1]!);
      if (timeline === 0) return unexpected('timeline 0 does not exist');
      return { kind: 'backup-history', timeline, hex24: m[1]!, offset: parseInt(m[2]!, 16), compression };
    }
  } else if (HISTORY_RE.test(base) || BACKUP_RE.test(base)) {
    return unexpected(
      'a checksum suffix on a history file: pgBackRest adds it to WAL segments and partial segments only',
    );
  }
  return unexpected(whyUnexpected(name));
}

function known(r: {
  kind: 'segment' | 'partial';
  hex24: string;
  compression: Compression | null;
  checksum: string | null;
}): ArchiveName {
  const timeline = tliOf(r.hex24);
  // IsXLogFileName accepts it, but timeline IDs start at 1: such a name is no WAL a server wrote
  // (000000000000000000000000 is what %r expands to before the first restart point).
  if (timeline === 0) return unexpected('timeline 0 does not exist: no server writes WAL on timeline 0');
  return { ...r, timeline };
}

/** The most helpful reason for a name that matched nothing. */
function whyUnexpected(name: string): string {
  if (/\.tmp$|^\.|\.tmp\./i.test(name) || /~$/.test(name)) {
    return 'a temporary or hidden file: an archive_command copy in progress, or left behind by one that failed';
  }
  if (/\.(ready|done)$/.test(name)) {
    return 'an archive status file: .ready/.done belong in pg_wal/archive_status, not in the archive';
  }
  if (/^RECOVERY(XLOG|HISTORY)$/.test(name)) {
    return `${name} is restore_command's temporary target in pg_wal (%p), not an archived file`;
  }
  const upperHex = upperHexDigits(name);
  if (upperHex !== name && classifyArchiveName(upperHex).kind !== 'unexpected') {
    return 'lower-case hex digits: PostgreSQL names WAL files in upper case and never asks restore_command for this name';
  }
  const lead = /^[0-9A-Fa-f]+/.exec(name)?.[0] ?? '';
  const after = name.slice(lead.length);
  if ((lead.length === 24 || lead.length === 8) && after !== '') {
    return `unknown suffix "${after}" after a WAL file name`;
  }
  if (lead.length === 8 && after === '')
    return '8 hex digits alone: a timeline history file is named <8 hex digits>.history';
  if (lead.length > 0 && (after === '' || /^[.-]/.test(after))) {
    return `${lead.length} hex digits: WAL segment names have 24 (timeline history names 8)`;
  }
  return 'not a WAL segment, partial segment, timeline history or backup history file name';
}

/** Upper-cases the hex digits of the WAL name part (not a pgBackRest checksum or an extension),
 * so that a lower-case variant of a valid name can be recognised. */
function upperHexDigits(name: string): string {
  return name
    .replace(/^[0-9a-fA-F]+/, (h) => h.toUpperCase())
    .replace(/\.([0-9a-fA-F]{8})\.backup/, (_, h: string) => `.${h.toUpperCase()}.backup`);
}
