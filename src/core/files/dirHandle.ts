// A directory held open, to create, read and rename its entries without following a symbolic link
// anyone could plant or swap (the data directory's owner can, and pg-pitr may run as root). The
// directory is reached from / one component at a time with O_NOFOLLOW, then used through
// /proc/self/fd/N/<name> (Linux's way of giving node the openat() family it lacks). Without /proc
// the real path is used instead, which a rename of a parent can still race. See README.md here.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';

import { bytesToPath, fsPath, pathToBytes } from './pathBytes';

const O_DIRECTORY = fs.constants.O_DIRECTORY ?? 0;
const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;

let procFd: boolean | undefined;

/** Whether /proc/self/fd resolves descriptors (Linux with /proc mounted). */
export function hasProcFd(): boolean {
  if (procFd === undefined) {
    try {
      procFd = fs.statSync('/proc/self/fd').isDirectory();
    } catch {
      procFd = false;
    }
  }
  return procFd;
}

/** A file-system error with its errno code and the path it is about. */
export class DirHandleError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'DirHandleError';
  }
}

function errnoOf(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? 'EIO';
}

/** The path that names `name` inside the directory open as `fd` (or at `dirPath` without /proc). */
function entryPath(fd: number, dirPath: string, name: string): string | Buffer {
  if (name === '' || name === '.' || name === '..' || name.includes('/'))
    throw new DirHandleError(`not a name inside a directory: "${name}"`, 'EINVAL');
  return fsPath(hasProcFd() ? `/proc/self/fd/${fd}/${name}` : `${dirPath === '/' ? '' : dirPath}/${name}`);
}

export class DirHandle {
  private constructor(
    /** the real path the directory was reached by */
    readonly path: string,
    readonly fd: number,
  ) {}

  /**
   * Opens the directory at `realPath` (absolute, no symbolic link in it: a realpath() result)
   * without following any link on the way: a component that is (or became) a link fails ELOOP.
   */
  static open(realPath: string): DirHandle {
    if (!realPath.startsWith('/')) throw new DirHandleError(`not an absolute path: "${realPath}"`, 'EINVAL');
    const parts = realPath.split('/').filter((p) => p !== '');
    let fd = fs.openSync('/', fs.constants.O_RDONLY | O_DIRECTORY);
    let reached = '/';
    try {
      for (const part of parts) {
        const next = (() => {
          try {
            return fs.openSync(entryPath(fd, reached, part), fs.constants.O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
          } catch (e) {
            const code = errnoOf(e);
            const why = code === 'ELOOP' || code === 'ENOTDIR' ? 'it is not a directory (a symbolic link?)' : code;
            throw new DirHandleError(`cannot open ${reached === '/' ? '' : reached}/${part}: ${why}`, code);
          }
        })();
        fs.closeSync(fd);
        fd = next;
        reached = reached === '/' ? `/${part}` : `${reached}/${part}`;
      }
    } catch (e) {
      fs.closeSync(fd);
      throw e;
    }
    return new DirHandle(realPath, fd);
  }

  /** A path for node:fs that names `name` in this directory (whatever its path has become). */
  at(name: string): string | Buffer {
    return entryPath(this.fd, this.path, name);
  }

  stat(): fs.Stats {
    return fs.fstatSync(this.fd);
  }

  /** lstat of an entry, or null when there is none. */
  lstat(name: string): fs.Stats | null {
    try {
      return fs.lstatSync(this.at(name));
    } catch (e) {
      if (errnoOf(e) === 'ENOENT') return null;
      throw e;
    }
  }

  /** Creates a new file: O_CREAT|O_EXCL|O_NOFOLLOW, so an existing entry or link is never opened. */
  createExclusive(name: string, mode: number): number {
    return fs.openSync(
      this.at(name),
      fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | O_NOFOLLOW,
      mode,
    );
  }

  /**
   * Creates a new file under a name nobody can guess (`.<prefix>.<24 random hex>.tmp`), then
   * retries on the astronomically unlikely collision. Returns its name and descriptor.
   */
  createTemporary(prefix: string, mode: number): { name: string; fd: number } {
    for (let attempt = 0; ; attempt++) {
      const name = `.${prefix}.${randomBytes(12).toString('hex')}.tmp`;
      try {
        return { name, fd: this.createExclusive(name, mode) };
      } catch (e) {
        if (errnoOf(e) !== 'EEXIST' || attempt >= 5) throw e;
      }
    }
  }

  /** Replaces `to` by `from`, both in this directory (rename(2) never follows a link at either name). */
  rename(from: string, to: string): void {
    fs.renameSync(this.at(from), this.at(to));
  }

  unlink(name: string): void {
    fs.unlinkSync(this.at(name));
  }

  /** Makes the directory's entries (a rename) durable. Some file systems cannot: then nothing. */
  sync(): void {
    try {
      fs.fsyncSync(this.fd);
    } catch {
      // the files themselves are synced
    }
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

/** The real path of what a descriptor has open (null where /proc cannot tell). */
export function realPathOfFd(fd: number): string | null {
  if (!hasProcFd()) return null;
  try {
    return bytesToPath(fs.readlinkSync(`/proc/self/fd/${fd}`, { encoding: 'buffer' }));
  } catch {
    return null;
  }
}

/** realpath(3) of a path that may hold bytes that are not UTF-8; null when it does not resolve. */
export function realPath(p: string): string | null {
  try {
    return bytesToPath(fs.realpathSync.native(pathToBytes(p), { encoding: 'buffer' }));
  } catch {
    return null;
  }
}

/** Whether `p` is `dir` or lies below it (both real paths). */
export function isWithin(p: string, dir: string): boolean {
  return p === dir || p.startsWith(dir === '/' ? '/' : `${dir}/`);
}

/** Writes all of `data` to a descriptor. */
export function writeAll(fd: number, data: Uint8Array): void {
  let off = 0;
  while (off < data.length) off += fs.writeSync(fd, data, off, data.length - off);
}
