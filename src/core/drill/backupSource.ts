// Which kind of base backup a folder holds, and how big the restored copy will be: a plain
// pg_basebackup result (PG_VERSION and backup_label at its top) or the tar format (base.tar, with
// .gz / .lz4 / .zst compression, pg_wal.tar and one <oid>.tar per tablespace).
import * as fs from 'node:fs';
import * as path from 'node:path';

import { DrillError } from './types';

export type Compression = 'none' | 'gzip' | 'lz4' | 'zstd';

export interface TarFile {
  file: string;
  compression: Compression;
}

export type FolderBackup =
  | { format: 'plain'; dir: string; bytes: number }
  | {
      format: 'tar';
      dir: string;
      bytes: number;
      bytesEstimated: boolean;
      base: TarFile;
      wal: TarFile | null;
      tablespaces: { oid: string; tar: TarFile }[];
    };

const TAR_RE = /^(base|pg_wal|\d+)\.tar(\.gz|\.lz4|\.zst)?$/;

function compressionOf(ext: string | undefined): Compression {
  return ext === '.gz' ? 'gzip' : ext === '.lz4' ? 'lz4' : ext === '.zst' ? 'zstd' : 'none';
}

/** Bytes of every regular file under dir (links not followed). */
export function treeBytes(dir: string): number {
  let total = 0;
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) total += fs.statSync(p).size;
    }
  };
  walk(dir);
  return total;
}

/** The sum of the file sizes a backup_manifest lists, or null when there is none (10-12) or it is unreadable. */
export function manifestBytes(dir: string): number | null {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, 'backup_manifest'), 'utf8')) as {
      Files?: { Size?: unknown }[];
    };
    if (!Array.isArray(m.Files)) return null;
    return m.Files.reduce((n, f) => n + (typeof f.Size === 'number' ? f.Size : 0), 0);
  } catch {
    return null;
  }
}

/** gzip's ISIZE trailer: the uncompressed size modulo 4 GiB (a lower bound for larger files). */
function gzipSize(file: string): number | null {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const buf = Buffer.alloc(4);
      fs.readSync(fd, buf, 0, 4, size - 4);
      return buf.readUInt32LE(0);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return null;
  }
}

function uncompressedEstimate(dir: string, t: TarFile): { bytes: number; estimated: boolean } {
  const stored = fs.statSync(path.join(dir, t.file)).size;
  if (t.compression === 'none') return { bytes: stored, estimated: false };
  if (t.compression === 'gzip') {
    const isize = gzipSize(path.join(dir, t.file));
    if (isize !== null && isize >= stored) return { bytes: isize, estimated: false };
  }
  // lz4 and zstd frames written as a stream carry no size: a data directory compresses about 4:1
  return { bytes: stored * 4, estimated: true };
}

/** What the backup folder holds; a refusal when it is neither format. */
export function describeFolderBackup(dir: string): FolderBackup {
  const abs = path.resolve(dir);
  let names: string[];
  try {
    names = fs.readdirSync(abs);
  } catch (e) {
    throw new DrillError('refused', `the backup folder ${abs} cannot be read: ${(e as Error).message}`);
  }
  if (names.includes('PG_VERSION')) {
    if (!names.includes('backup_label')) {
      throw new DrillError(
        'refused',
        `${abs} holds PG_VERSION but no backup_label: it is a data directory, not a base backup (pg_basebackup ` +
          `writes backup_label); a drill restores base backups`,
      );
    }
    return { format: 'plain', dir: abs, bytes: treeBytes(abs) };
  }
  const tars = names.filter((n) => TAR_RE.test(n)).map((n) => ({ name: n, m: TAR_RE.exec(n)! }));
  const baseTars = tars.filter((t) => t.m[1] === 'base');
  if (baseTars.length === 0) {
    throw new DrillError(
      'refused',
      `${abs} is not a base backup: no PG_VERSION and backup_label (plain format) nor base.tar, base.tar.gz, base.tar.lz4 or base.tar.zst (tar format)`,
    );
  }
  if (baseTars.length > 1)
    throw new DrillError(
      'refused',
      `${abs} holds ${baseTars.map((t) => t.name).join(' and ')}: one base.tar is expected`,
    );
  const asTar = (t: { name: string; m: RegExpExecArray }): TarFile => ({
    file: t.name,
    compression: compressionOf(t.m[2]),
  });
  const base = asTar(baseTars[0]);
  const walTar = tars.find((t) => t.m[1] === 'pg_wal');
  const wal = walTar ? asTar(walTar) : null;
  const tablespaces = tars.filter((t) => /^\d+$/.test(t.m[1])).map((t) => ({ oid: t.m[1], tar: asTar(t) }));
  const manifest = manifestBytes(abs);
  let bytes = 0;
  let estimated = false;
  if (manifest !== null) bytes = manifest + (wal ? uncompressedEstimate(abs, wal).bytes : 0);
  else {
    for (const t of [base, ...(wal ? [wal] : []), ...tablespaces.map((x) => x.tar)]) {
      const e = uncompressedEstimate(abs, t);
      bytes += e.bytes;
      estimated ||= e.estimated;
    }
  }
  return { format: 'tar', dir: abs, bytes, bytesEstimated: estimated, base, wal, tablespaces };
}
