// File names are bytes to the kernel and to PostgreSQL, not text: `include 'café.conf'` names the
// bytes of the file it is written in, valid UTF-8 or not. Paths stay JS strings here, and a byte
// that is not part of valid UTF-8 is kept as a lone surrogate U+DC80-U+DCFF (Python's
// "surrogateescape"), so every name round-trips to the exact bytes. Never lossy, never throws.

const ESCAPE_BASE = 0xdc00;

function isEscapedByte(code: number): boolean {
  return code >= 0xdc80 && code <= 0xdcff;
}

/** The length of the valid UTF-8 sequence starting at `i`, or 0 when the byte there starts none. */
function utf8SequenceLength(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  const cont = (k: number) => i + k < b.length && (b[i + k]! & 0xc0) === 0x80;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    if (!cont(1) || !cont(2)) return 0;
    const c1 = b[i + 1]!;
    // no overlong forms, no UTF-16 surrogates
    if ((c === 0xe0 && c1 < 0xa0) || (c === 0xed && c1 >= 0xa0)) return 0;
    return 3;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    const c1 = b[i + 1]!;
    if ((c === 0xf0 && c1 < 0x90) || (c === 0xf4 && c1 >= 0x90)) return 0;
    return 4;
  }
  return 0;
}

/** Bytes of a file name (or path) as a path string: UTF-8 where valid, other bytes escaped. */
export function bytesToPath(bytes: Uint8Array): string {
  let out = '';
  let run = 0; // start of the pending run of valid UTF-8
  let i = 0;
  while (i < bytes.length) {
    const len = utf8SequenceLength(bytes, i);
    if (len > 0) {
      i += len;
      continue;
    }
    if (run < i) out += Buffer.from(bytes.buffer, bytes.byteOffset + run, i - run).toString('utf8');
    out += String.fromCharCode(ESCAPE_BASE + bytes[i]!);
    i++;
    run = i;
  }
  if (run === 0) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
  if (run < bytes.length) out += Buffer.from(bytes.buffer, bytes.byteOffset + run, bytes.length - run).toString('utf8');
  return out;
}

/** A "binary string" (one char per byte, as the configuration parser holds values) as a path. */
export function binaryToPath(binary: string): string {
  // ASCII needs no work (and is what almost every configuration holds)
  if (!/[^\x00-\x7f]/.test(binary)) return binary;
  return bytesToPath(Buffer.from(binary, 'latin1'));
}

/** The bytes a path names. */
export function pathToBytes(p: string): Buffer {
  if (!/[\udc80-\udcff]/.test(p)) return Buffer.from(p, 'utf8');
  const parts: Buffer[] = [];
  let run = 0;
  for (let i = 0; i < p.length; i++) {
    const code = p.charCodeAt(i);
    if (!isEscapedByte(code)) continue;
    // an escaped byte is a lone low surrogate: it cannot be the second half of a pair
    if (i > 0 && p.charCodeAt(i - 1) >= 0xd800 && p.charCodeAt(i - 1) <= 0xdbff) continue;
    if (run < i) parts.push(Buffer.from(p.slice(run, i), 'utf8'));
    parts.push(Buffer.from([code - ESCAPE_BASE]));
    run = i + 1;
  }
  if (run < p.length) parts.push(Buffer.from(p.slice(run), 'utf8'));
  return Buffer.concat(parts);
}

/** A path as a binary string (for messages, which the parser builds from bytes). */
export function pathToBinary(p: string): string {
  if (!/[^\x00-\x7f]/.test(p)) return p;
  return pathToBytes(p).toString('latin1');
}

/** What to hand node:fs: the string itself when node's UTF-8 encoding gives its bytes, else the bytes. */
export function fsPath(p: string): string | Buffer {
  return /[\udc80-\udcff]/.test(p) ? pathToBytes(p) : p;
}
