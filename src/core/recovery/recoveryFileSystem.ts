// What planning a recovery reads: text files of the restored data directory, decoded as UTF-8.
import * as fs from 'node:fs';

import type { ConfFileSystem } from '../conf/fileSystem';

export interface RecoveryFileSystem {
  readFile(p: string): string | null;
  exists(p: string): boolean;
  /** entry names of a directory (for include_dir), or null */
  readDir?(p: string): string[] | null;
  /** where `p` points when it is a symbolic link (as written in the link), else null */
  symlinkTarget?(p: string): string | null;
}

const MAX_BYTES = 16 * 1024 * 1024;

export function nodeRecoveryFileSystem(): RecoveryFileSystem {
  return {
    readFile(p) {
      try {
        if (!fs.statSync(p).isFile() || fs.statSync(p).size > MAX_BYTES) return null;
        // invalid UTF-8 becomes U+FFFD here; planRecovery refuses to rewrite such a file
        return fs.readFileSync(p, 'utf8');
      } catch {
        return null;
      }
    },
    exists: (p) => fs.existsSync(p),
    readDir(p) {
      try {
        return fs.readdirSync(p);
      } catch {
        return null;
      }
    },
    symlinkTarget(p) {
      try {
        return fs.lstatSync(p).isSymbolicLink() ? fs.readlinkSync(p) : null;
      } catch {
        return null;
      }
    },
  };
}

/** The view the configuration parser needs. */
export function asConfFileSystem(rfs: RecoveryFileSystem): ConfFileSystem {
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
