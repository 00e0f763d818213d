// What planning a recovery reads: text files of the restored data directory, decoded as UTF-8.
// The real one reads only regular files, boundedly, and says where what it read really lies, so
// that nothing from outside the data directory is carried into it (pg-pitr may run as root).
import * as fs from 'node:fs';

import { type ConfFileSystem, nodeFileSystem } from '../conf/fileSystem';
import { realPath, realPathOfFd } from '../files/dirHandle';
import { fsPath } from '../files/pathBytes';
import { readOpenRegularFile, readRegularFile } from '../files/regularFile';

export interface RecoveryFileSystem {
  readFile(p: string): string | null;
  exists(p: string): boolean;
  /** entry names of a directory (for include_dir), or null */
  readDir?(p: string): string[] | null;
  /** where `p` points when it is a symbolic link (as written in the link), else null */
  symlinkTarget?(p: string): string | null;
  /** realpath(p), or null when it does not resolve; absent: every path is its own real path */
  realPath?(p: string): string | null;
  /** readFile, and the real path of what was read (taken from the open file: a swap cannot fool it) */
  readFileWithRealPath?(p: string): { text: string; realPath: string | null } | null;
  /** the view the configuration parser reads through (by default, one made from readFile) */
  confFileSystem?(): ConfFileSystem;
}

const MAX_BYTES = 16 * 1024 * 1024;
const O_NONBLOCK = fs.constants.O_NONBLOCK ?? 0;

export function nodeRecoveryFileSystem(): RecoveryFileSystem {
  const rfs: RecoveryFileSystem = {
    readFile(p) {
      const r = readRegularFile(p, MAX_BYTES);
      // invalid UTF-8 becomes U+FFFD here; planRecovery refuses to rewrite such a file
      return r.ok ? r.bytes.toString('utf8') : null;
    },
    readFileWithRealPath(p) {
      let fd: number;
      try {
        // a FIFO or a device is refused after the open (O_NONBLOCK: opening a FIFO does not wait)
        fd = fs.openSync(fsPath(p), fs.constants.O_RDONLY | O_NONBLOCK);
      } catch {
        return null;
      }
      try {
        const r = readOpenRegularFile(fd, MAX_BYTES);
        return r.ok ? { text: r.bytes.toString('utf8'), realPath: realPathOfFd(fd) ?? realPath(p) } : null;
      } finally {
        fs.closeSync(fd);
      }
    },
    realPath,
    exists: (p) => fs.existsSync(fsPath(p)),
    readDir(p) {
      try {
        return fs.readdirSync(fsPath(p));
      } catch {
        return null;
      }
    },
    symlinkTarget(p) {
      try {
        return fs.lstatSync(fsPath(p)).isSymbolicLink() ? fs.readlinkSync(fsPath(p)) : null;
      } catch {
        return null;
      }
    },
    confFileSystem: () => nodeFileSystem(),
  };
  return rfs;
}

/** The view the configuration parser needs. */
export function asConfFileSystem(rfs: RecoveryFileSystem): ConfFileSystem {
  if (rfs.confFileSystem) return rfs.confFileSystem();
  return {
    readFile(p) {
      const t = rfs.readFile(p);
      return t === null
        ? { ok: false, code: rfs.exists(p) ? 'EISDIR' : 'ENOENT' }
        : { ok: true, value: Buffer.from(t, 'utf8') };
    },
    readDir(p) {
      const names = rfs.readDir?.(p) ?? null;
      if (names === null) return { ok: false, code: 'ENOENT' };
      return {
        ok: true,
        value: names.map((name) => ({
          name,
          type: rfs.readFile(`${p}/${name}`) === null && rfs.exists(`${p}/${name}`) ? 'directory' : 'file',
        })),
      };
    },
    exists: (p) => rfs.exists(p),
  };
}
