// Reads a file that cannot hold up the reader: only a regular file (a FIFO would block the
// reader until someone writes to it, /dev/zero never ends), opened without blocking and checked
// again on the open descriptor (fstat), and never more than a given number of bytes.
import * as fs from 'node:fs';

import { fsPath } from './pathBytes';

/** What kind of thing a path is, in words, for a file that is not a regular one. */
export function fileKind(st: fs.Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

export type RegularFileResult =
  | { ok: true; bytes: Buffer }
  /**
   * `code`: the errno of the failing call; `ENOTREG` for something that is not a regular file
   * (`kind` says what), `EFBIG` when the file holds more than the bytes asked for.
   */
  | { ok: false; code: string; kind?: string };

let devNull: fs.Stats | null | undefined;

/** /dev/null reads as an empty file, as PostgreSQL reads it; every other device is refused. */
function isDevNull(st: fs.Stats): boolean {
  if (devNull === undefined) {
    try {
      devNull = fs.statSync('/dev/null');
    } catch {
      devNull = null;
    }
  }
  return devNull !== null && st.isCharacterDevice() && st.rdev === devNull.rdev;
}

const O_NONBLOCK = fs.constants.O_NONBLOCK ?? 0;
const O_NOCTTY = fs.constants.O_NOCTTY ?? 0;

/**
 * The bytes of the regular file `p` (symbolic links followed), at most `maxBytes` of them.
 * The path is looked at before it is opened (opening a device can have effects of its own) and the
 * descriptor after (the path may have changed in between).
 */
export function readRegularFile(p: string, maxBytes: number, opts: { noFollow?: boolean } = {}): RegularFileResult {
  let fd: number;
  try {
    const st = fs.statSync(fsPath(p));
    if (isDevNull(st)) return { ok: true, bytes: Buffer.alloc(0) };
    if (st.isDirectory()) return { ok: false, code: 'EISDIR' };
    if (!st.isFile()) return { ok: false, code: 'ENOTREG', kind: fileKind(st) };
    const flags = fs.constants.O_RDONLY | O_NONBLOCK | O_NOCTTY | (opts.noFollow ? fs.constants.O_NOFOLLOW : 0);
    fd = fs.openSync(fsPath(p), flags);
  } catch (e) {
    return { ok: false, code: (e as NodeJS.ErrnoException).code ?? 'EIO' };
  }
  try {
    return readOpenRegularFile(fd, maxBytes);
  } finally {
    fs.closeSync(fd);
  }
}

/** The bytes behind an open descriptor, when it is a regular file and holds at most `maxBytes`. */
export function readOpenRegularFile(fd: number, maxBytes: number): RegularFileResult {
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { ok: false, code: st.isDirectory() ? 'EISDIR' : 'ENOTREG', kind: fileKind(st) };
    if (st.size > maxBytes) return { ok: false, code: 'EFBIG' };
    // the size is a hint: a file can grow while it is read, and /proc files say 0
    let buf = Buffer.allocUnsafe(Math.min(maxBytes + 1, Math.max(st.size + 1, 4096)));
    let len = 0;
    for (;;) {
      if (len === buf.length) {
        if (len > maxBytes) return { ok: false, code: 'EFBIG' };
        const bigger = Buffer.allocUnsafe(Math.min(maxBytes + 1, buf.length * 2));
        buf.copy(bigger, 0, 0, len);
        buf = bigger;
      }
      const n = fs.readSync(fd, buf, len, buf.length - len, null);
      if (n === 0) break;
      len += n;
    }
    if (len > maxBytes) return { ok: false, code: 'EFBIG' };
    return { ok: true, bytes: buf.subarray(0, len) };
  } catch (e) {
    return { ok: false, code: (e as NodeJS.ErrnoException).code ?? 'EIO' };
  }
}
