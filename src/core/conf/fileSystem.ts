// The parser reads files through this interface, so the editor can overlay unsaved documents
// and tests can feed files from memory. Errors carry the errno code; messages use strerror's
// wording, as PostgreSQL prints them with %m.
import * as fs from 'node:fs';
import * as path from 'node:path';

export type FsResult<T> = { ok: true; value: T } | { ok: false; code: string };

export interface DirEntry {
  name: string;
  /** what stat() (following symlinks) says; 'error' when it fails, e.g. a dangling link */
  type: 'file' | 'directory' | 'error';
}

export interface ConfFileSystem {
  readFile(absPath: string): FsResult<Buffer>;
  readDir(absPath: string): FsResult<DirEntry[]>;
  exists(absPath: string): boolean;
}

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
};

export function strerror(code: string): string {
  return STRERROR[code] ?? code;
}

/** The real file system. Files larger than maxFileBytes are refused as EFBIG rather than read into memory. */
export function nodeFileSystem(maxFileBytes = 64 * 1024 * 1024): ConfFileSystem {
  return {
    readFile(absPath) {
      try {
        const st = fs.statSync(absPath);
        if (st.isDirectory()) return { ok: false, code: 'EISDIR' };
        if (st.size > maxFileBytes) return { ok: false, code: 'EFBIG' };
        return { ok: true, value: fs.readFileSync(absPath) };
      } catch (e) {
        return { ok: false, code: (e as NodeJS.ErrnoException).code ?? 'EIO' };
      }
    },
    readDir(absPath) {
      try {
        const entries: DirEntry[] = [];
        for (const d of fs.readdirSync(absPath, { withFileTypes: true })) {
          let type: DirEntry['type'] = d.isDirectory() ? 'directory' : 'file';
          if (d.isSymbolicLink()) {
            try {
              type = fs.statSync(path.join(absPath, d.name)).isDirectory() ? 'directory' : 'file';
            } catch {
              type = 'error';
            }
          }
          entries.push({ name: d.name, type });
        }
        return { ok: true, value: entries };
      } catch (e) {
        return { ok: false, code: (e as NodeJS.ErrnoException).code ?? 'EIO' };
      }
    },
    exists(absPath) {
      return fs.existsSync(absPath);
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
    readFile(absPath) {
      const b = map.get(absPath);
      if (b) return { ok: true, value: b };
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
    readFile(absPath) {
      const b = overlay.get(absPath);
      return b ? { ok: true, value: b } : base.readFile(absPath);
    },
    readDir: (p) => base.readDir(p),
    exists: (p) => overlay.has(p) || base.exists(p),
  };
}
