// Reads a restored copy's backup_label (which base backup it is), telling "missing" from "there but
// unreadable" (permissions, a directory, a FIFO): the two lead to different advice. Never blocks on
// a FIFO and never reads more than 64 KB (a backup_label is a few hundred bytes).
import * as fs from 'node:fs';
import * as path from 'node:path';

const MAX_BYTES = 64 * 1024;

/** The text of DATADIR/backup_label; null when there is none; `unreadable` with the reason otherwise. */
export function readBackupLabel(dataDir: string): string | null | { unreadable: string } {
  const file = path.join(dataDir, 'backup_label');
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'EISDIR') return { unreadable: 'it is a directory' };
    return { unreadable: reasonOf(e) };
  }
  try {
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) return { unreadable: 'it is a directory' };
    if (!st.isFile()) return { unreadable: 'it is not a regular file' };
    const buf = Buffer.alloc(Math.min(st.size, MAX_BYTES));
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8');
  } catch (e) {
    return { unreadable: reasonOf(e) };
  } finally {
    fs.closeSync(fd);
  }
}

/** "permission denied" for EACCES: the system's words without the path Node appends. */
function reasonOf(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return /^[A-Z0-9_]+: ([^,]+)/.exec(err.message ?? '')?.[1] ?? err.code ?? String(e);
}
