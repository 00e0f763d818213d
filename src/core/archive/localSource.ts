// An archive in a local (or mounted) folder. The tree is streamed with fs.promises.opendir, one
// directory at a time from an explicit stack (no recursion, no array of all the files): entries go
// to onEntry as they are read. Symlinked directories are not followed; a symlinked file is listed
// with the size of its target; a dangling symlink is skipped. Content (readText) is read only from
// regular files inside the archive: never through a link out of it, never from a FIFO.
//
// Sizes: the default strategy stats the files of each chunk that opendir returns with statSync
// (a few microseconds each from the inode cache; the event loop gets control back between chunks).
// The alternative, fs.promises.stat with up to `concurrency` calls in flight, goes through the
// libuv thread pool and is slower on a local disk (scripts/bench/archiveListingBench.ts measures
// both on 200,000 files). Network file systems, where one stat is a round trip, may prefer it.
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { ArchiveEntry, ArchiveSource, ListOptions, ListOutcome } from './archiveSource';

export type LocalStatStrategy = 'sync-batches' | 'async-pool';

export interface LocalSourceOptions {
  /** how sizes are read; default 'sync-batches' (see the comment at the top of this file) */
  statStrategy?: LocalStatStrategy;
  /** stat calls in flight with 'async-pool' (default 64) */
  concurrency?: number;
}

const DEFAULT_MAX_BYTES = 1024 * 1024;
const DIR_BUFFER = 1024;

// dir + sep + name: a third faster than path.join on 200,000 names
function childPath(dirAbs: string, name: string): string {
  return dirAbs.endsWith(path.sep) ? dirAbs + name : dirAbs + path.sep + name;
}

/** "permission denied" for EACCES: the libuv text of an fs error, without the path Node appends */
export function errnoText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const m = /^[A-Z0-9_]+: ([^,]+)/.exec(err?.message ?? '');
  if (m) return m[1];
  return err?.code ?? String(e);
}

function code(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException)?.code;
}

/**
 * Whether the open file `fh` (opened as `abs`) lies inside the folder `realRoot`: its real path from
 * the descriptor (/proc/self/fd on Linux: what was opened, not what a racing rename left), else
 * realpath(abs) with the same device and inode as the descriptor.
 */
async function opensInside(fh: fs.promises.FileHandle, abs: string, st: fs.Stats, realRoot: string): Promise<boolean> {
  const inside = (p: string) => p.startsWith(realRoot.endsWith(path.sep) ? realRoot : realRoot + path.sep);
  try {
    return inside(await fs.promises.readlink(`/proc/self/fd/${fh.fd}`));
  } catch {
    try {
      const real = await fs.promises.realpath(abs);
      const again = await fs.promises.stat(real);
      return inside(real) && again.dev === st.dev && again.ino === st.ino;
    } catch {
      return false;
    }
  }
}

export function localSource(root: string, options: LocalSourceOptions = {}): ArchiveSource {
  const rootAbs = path.resolve(root);
  const strategy = options.statStrategy ?? 'sync-batches';
  const concurrency = Math.max(1, options.concurrency ?? 64);

  const absOf = (rel: string): string => (rel === '' ? rootAbs : path.join(rootAbs, ...rel.split('/')));

  async function list(onEntry: (e: ArchiveEntry) => void, opts: ListOptions = {}): Promise<ListOutcome> {
    const prefix = opts.prefix ?? '';
    const signal = opts.signal;
    let count = 0;
    const errors: string[] = [];
    const outcome = (): ListOutcome => {
      if (signal?.aborted) return { complete: false, error: 'listing cancelled', count };
      if (errors.length === 0) return { complete: true, count };
      const more =
        errors.length > 1
          ? ` (and ${errors.length - 1} more unreadable ${errors.length === 2 ? 'entry' : 'entries'})`
          : '';
      return { complete: false, error: errors[0] + more, count };
    };

    try {
      const st = await fs.promises.stat(rootAbs);
      if (!st.isDirectory()) return { complete: false, error: `not a folder: ${rootAbs}`, count };
    } catch (e) {
      if (code(e) === 'ENOENT' || code(e) === 'ENOTDIR')
        return { complete: false, error: `no such folder: ${rootAbs}`, count };
      return { complete: false, error: `cannot read ${rootAbs}: ${errnoText(e)}`, count };
    }

    // an exception of onEntry is the caller's: it ends the listing and is thrown again
    let callbackError: { error: unknown } | undefined;
    const deliver = (key: string, size: number, mtimeMs: number): void => {
      count++;
      try {
        onEntry({ key, size, mtimeMs });
      } catch (e) {
        callbackError = { error: e };
        throw e;
      }
    };
    // a directory can hold wanted keys when its "rel/" and the prefix are prefixes of one another
    const dirWanted = (rel: string): boolean => {
      const r = `${rel}/`;
      return r.startsWith(prefix) || prefix.startsWith(r);
    };

    // stat the named entries of one directory and deliver the regular files (after symlinks)
    const statSyncOne = (dirAbs: string, key: string, name: string, isLink: boolean): void => {
      const abs = childPath(dirAbs, name);
      let st: fs.Stats | undefined;
      try {
        st = fs.statSync(abs, { throwIfNoEntry: false });
      } catch (e) {
        if (!(isLink && code(e) === 'ELOOP')) errors.push(`cannot read ${abs}: ${errnoText(e)}`);
        return;
      }
      // undefined: vanished, or a dangling symlink
      if (st?.isFile()) deliver(key, st.size, st.mtimeMs);
    };
    const statAsyncMany = async (
      dirAbs: string,
      batch: Array<{ key: string; name: string; isLink: boolean }>,
    ): Promise<void> => {
      const stats = await Promise.all(
        batch.map(({ name }) =>
          fs.promises.stat(childPath(dirAbs, name)).then(
            (st) => st,
            (e: unknown) => e as Error,
          ),
        ),
      );
      for (let i = 0; i < batch.length; i++) {
        const st = stats[i];
        if (st instanceof Error) {
          if (code(st) === 'ENOENT' || (batch[i].isLink && code(st) === 'ELOOP')) continue;
          errors.push(`cannot read ${childPath(dirAbs, batch[i].name)}: ${errnoText(st)}`);
        } else if (st.isFile()) {
          deliver(batch[i].key, st.size, st.mtimeMs);
        }
      }
    };

    const slash = prefix.lastIndexOf('/');
    const start = slash === -1 ? '' : prefix.slice(0, slash);
    const stack: string[] = [start];
    while (stack.length > 0) {
      if (signal?.aborted) break;
      const rel = stack.pop() as string;
      const dirAbs = absOf(rel);
      let dir: fs.Dir;
      try {
        dir = await fs.promises.opendir(dirAbs, { bufferSize: DIR_BUFFER });
      } catch (e) {
        // the folder named by the prefix does not exist: nothing under that prefix
        if (rel === start && rel !== '' && (code(e) === 'ENOENT' || code(e) === 'ENOTDIR')) continue;
        if (code(e) === 'ENOENT') continue; // removed while we listed its parent
        errors.push(`cannot read ${dirAbs}: ${errnoText(e)}`);
        continue;
      }
      const batch: Array<{ key: string; name: string; isLink: boolean }> = [];
      try {
        for await (const d of dir) {
          const key = rel === '' ? d.name : `${rel}/${d.name}`;
          let isDir = d.isDirectory();
          let isFile = d.isFile();
          const isLink = d.isSymbolicLink();
          if (
            !isDir &&
            !isFile &&
            !isLink &&
            !d.isFIFO() &&
            !d.isSocket() &&
            !d.isBlockDevice() &&
            !d.isCharacterDevice()
          ) {
            // the file system gave no type (DT_UNKNOWN): ask
            try {
              const st = fs.lstatSync(childPath(dirAbs, d.name));
              isDir = st.isDirectory();
              isFile = st.isFile();
            } catch {
              continue;
            }
          }
          if (isDir) {
            if (dirWanted(key)) stack.push(key);
            continue;
          }
          if (!(isFile || isLink) || !key.startsWith(prefix)) continue;
          if (strategy === 'sync-batches') {
            statSyncOne(dirAbs, key, d.name, isLink);
          } else {
            batch.push({ key, name: d.name, isLink });
            if (batch.length >= concurrency) {
              await statAsyncMany(dirAbs, batch);
              batch.length = 0;
            }
          }
          if (signal?.aborted) break;
        }
        if (batch.length > 0) await statAsyncMany(dirAbs, batch);
      } catch (e) {
        if (callbackError) throw callbackError.error;
        errors.push(`cannot read ${dirAbs}: ${errnoText(e)}`);
      }
    }
    return outcome();
  }

  let realRoot: Promise<string> | undefined;

  /**
   * Reads a small file for its content. Never through a link out of the archive (a `.history`
   * name linked to /etc/shadow, read as root, must not be quoted) and never from anything but a
   * regular file (a FIFO would block): the file is opened without blocking, then its real path and
   * type are checked on the open descriptor. Throws "not read: ..." for those, undefined when missing.
   */
  async function readText(key: string, maxBytes = DEFAULT_MAX_BYTES): Promise<string | undefined> {
    const parts = key.split('/');
    if (key === '' || path.isAbsolute(key) || parts.some((p) => p === '..' || p === ''))
      throw new Error(`invalid archive key "${key}"`);
    const abs = absOf(key);
    realRoot ??= fs.promises.realpath(rootAbs);
    let fh: fs.promises.FileHandle;
    try {
      fh = await fs.promises.open(abs, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY);
    } catch (e) {
      if (code(e) === 'ENOENT' || code(e) === 'ENOTDIR' || code(e) === 'EISDIR') return undefined;
      throw new Error(`cannot read ${abs}: ${errnoText(e)}`);
    }
    try {
      const st = await fh.stat();
      if (st.isDirectory()) return undefined;
      if (!st.isFile()) throw new Error('not read: not a regular file');
      if (!(await opensInside(fh, abs, st, await realRoot)))
        throw new Error('not read: a link to a file outside the archive');
      const buf = Buffer.alloc(Math.max(0, Math.min(maxBytes, st.size)));
      let filled = 0;
      while (filled < buf.length) {
        const { bytesRead } = await fh.read(buf, filled, buf.length - filled, filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return buf.subarray(0, filled).toString('utf8');
    } catch (e) {
      if (code(e) === 'EISDIR') return undefined;
      if ((e as Error).message.startsWith('not read: ')) throw e;
      throw new Error(`cannot read ${abs}: ${errnoText(e)}`);
    } finally {
      await fh.close();
    }
  }

  return { location: rootAbs, list, readText };
}
