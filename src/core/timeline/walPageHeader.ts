// The cluster a WAL segment belongs to, from its first page: XLogLongPageHeaderData (xlog_internal.h)
// holds the system identifier at byte 24 and the segment size at byte 32, little-endian on the
// platforms PostgreSQL is built for here (checked against pg_control_system() on 10, 13 and 18).
// Reading never throws: a file that is not a segment's first page gives null.
import * as fs from 'node:fs';

/** XLOG_PAGE_MAGIC is 0xD097 on 10 up to 0xD118 on 18 (read on real servers); XLP_LONG_HEADER is bit 1 of xlp_info. */
const XLP_LONG_HEADER = 0x0002;

export interface LongPageHeader {
  magic: number;
  timeline: number;
  /** pg_control_system().system_identifier, as text (it exceeds 2^53) */
  systemId: string;
  segmentSize: number;
  blockSize: number;
}

/** The long page header at the start of a segment, or null when the bytes are not one. */
export function parseLongPageHeader(bytes: Uint8Array): LongPageHeader | null {
  if (bytes.length < 40) return null;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = v.getUint16(0, true);
  const info = v.getUint16(2, true);
  if (magic < 0xd000 || magic > 0xd1ff || !(info & XLP_LONG_HEADER)) return null;
  const segmentSize = v.getUint32(32, true);
  const blockSize = v.getUint32(36, true);
  if (
    segmentSize < 1 << 20 ||
    (segmentSize & (segmentSize - 1)) !== 0 ||
    blockSize < 1024 ||
    (blockSize & (blockSize - 1)) !== 0
  )
    return null;
  return {
    magic,
    timeline: v.getUint32(4, true),
    systemId: v.getBigUint64(24, true).toString(),
    segmentSize,
    blockSize,
  };
}

/** The system identifier in the segment file `file` (40 bytes read), or null. */
export function readSegmentSystemId(file: string): string | null {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const buf = Buffer.alloc(40);
      const n = fs.readSync(fd, buf, 0, 40, 0);
      return parseLongPageHeader(buf.subarray(0, n))?.systemId ?? null;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return null;
  }
}
