// The parser reads files through this interface, so the editor can overlay unsaved documents
// and tests can feed files from memory. Errors carry the errno code; messages use strerror's
// wording, as PostgreSQL prints them with %m. The real file system reads only regular files and
// never more bytes than asked for: a configuration must not be able to hang or exhaust its reader.
import * as fs from 'node:fs';

import { bytesToPath, fsPath, pathToBytes } from '../files/pathBytes';
import { readRegularFile } from '../files/regularFile';

/**
 * A failure carries the errno code, or `ENOTREG` for something that is not a regular file (a FIFO,
 * a device: `kind` says which) and `EFBIG` for a file larger than the bytes the reader asked for.
 */
export type FsResult<T> = { ok: true; value: T } | { ok: false; code: string; kind?: string };

export interface DirEntry {
  /** the entry's name (bytes that are not UTF-8 kept as src/core/files/pathBytes.ts says) */
  name: string;
  /** what stat() (following symlinks) says; 'error' when it fails, e.g. a dangling link */
  type: 'file' | 'directory' | 'error';
  /** for 'error': the errno code of the failing stat() (ENOENT for a dangling link, ELOOP for a loop) */
  code?: string;
}

export interface ConfFileSystem {
  /** The file's bytes; `EFBIG` when it holds more than `maxBytes`. */
  readFile(absPath: string, maxBytes?: number): FsResult<Buffer>;
  readDir(absPath: string): FsResult<DirEntry[]>;
  exists(absPath: string): boolean;
}

/** Buffers cannot be larger than this anyway. */
const NO_LIMIT = 2 ** 31 - 1;

const STRERROR: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  ELOOP: 'Too many levels of symbolic links',
  ENAMETOOLONG: 'File name too long',
  EMFILE: 'Too many open files',
  EIO: 'Input/output error',
  ENXIO: 'No such device or address',
  EFBIG: 'File too large',
};

export function strerror(code: string): string {
  return STRERROR[code] ?? code;
}

/** The real file system: regular files only (/dev/null reads as empty, as for the server), bounded reads. */
export function nodeFileSystem(): ConfFileSystem {
  return {
    readFile(absPath, maxBytes = NO_LIMIT) {
      const r = readRegularFile(absPath, maxBytes);
      return r.ok ? { ok: true, value: r.bytes } : { ok: false, code: r.code, kind: r.kind };
    },
    readDir(absPath) {
      try {
        const dir = pathToBytes(absPath);
        const entries: DirEntry[] = [];
        for (const d of fs.readdirSync(fsPath(absPath), { withFileTypes: true, encoding: 'buffer' })) {
          const name = bytesToPath(d.name);
          let type: DirEntry['type'] = d.isDirectory() ? 'directory' : 'file';
          let code: string | undefined;
          if (d.isSymbolicLink()) {
            try {
              type = fs.statSync(Buffer.concat([dir, Buffer.from('/'), d.name])).isDirectory() ? 'directory' : 'file';
            } catch (e) {
              type = 'error';
              code = (e as NodeJS.ErrnoException).code ?? 'EIO';
            }
          }
          entries.push(code === undefined ? { name, type } : { name, type, code });
        }
        return { ok: true, value: entries };
      } catch (e) {
        return { ok: false, code: (e as NodeJS.ErrnoException).code ?? 'EIO' };
      }
    },
    exists(absPath) {
      return fs.existsSync(fsPath(absPath));
    },
  };
}

/** A file system held in memory (tests, fuzzing, unsaved editor buffers). Directories are implied by file paths. */
export function memoryFileSystem(files: Record<string, string | Buffer>): ConfFileSystem {
  const map = new Map<string, Buffer>();
  for (const [p, c] of Object.entries(files)) map.set(p, typeof c === 'string' ? Buffer.from(c, 'utf8') : c);
  const isDir = (p: string): boolean => {
    const prefix = p.endsWith('/') ? p : p + '/';
    for (const k of map.keys()) if (k.startsWith(prefix)) return true;
    return false;
  };
  return {
    readFile(absPath, maxBytes = NO_LIMIT) {
      const b = map.get(absPath);
      if (b) return b.length > maxBytes ? { ok: false, code: 'EFBIG' } : { ok: true, value: b };
      return { ok: false, code: isDir(absPath) ? 'EISDIR' : 'ENOENT' };
    },
    readDir(absPath) {
      if (map.has(absPath)) return { ok: false, code: 'ENOTDIR' };
      if (!isDir(absPath)) return { ok: false, code: 'ENOENT' };
      const prefix = absPath.endsWith('/') ? absPath : absPath + '/';
      const seen = new Map<string, DirEntry>();
      for (const k of map.keys()) {
        if (!k.startsWith(prefix)) continue;
        const rest = k.slice(prefix.length);
        const slash = rest.indexOf('/');
        const name = slash < 0 ? rest : rest.slice(0, slash);
        seen.set(name, { name, type: slash < 0 ? 'file' : 'directory' });
      }
      return { ok: true, value: [...seen.values()] };
    },
    exists(absPath) {
      return map.has(absPath) || isDir(absPath);
    },
  };
}

/** A file system that answers from `overlay` first (e.g. open editor documents), then from `base`. */
export function overlayFileSystem(base: ConfFileSystem, overlay: Map<string, Buffer>): ConfFileSystem {
  return {
    readFile(absPath, maxBytes = NO_LIMIT) {
      const b = overlay.get(absPath);
      if (!b) return base.readFile(absPath, maxBytes);
      return b.length > maxBytes ? { ok: false, code: 'EFBIG' } : { ok: true, value: b };
    },
    readDir: (p) => base.readDir(p),
    exists: (p) => overlay.has(p) || base.exists(p),
  };
}
