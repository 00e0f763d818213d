// The questions of pgPitr.launchBaseBackup: where, which format, and the pg_basebackup options a
// DBA usually weighs (WAL streaming, -R, checkpoint, progress, label, rate limit, manifest checksums).
import * as path from 'node:path';

import * as vscode from 'vscode';

import { parseMaxRate } from '../../core/basebackup/baseBackupArgs';

export type TarCompression = 'none' | 'gzip' | 'lz4' | 'zstd';

export interface BaseBackupChoices {
  targetDir: string;
  format: 'plain' | 'tar';
  compression: TarCompression;
  walMethod: 'stream' | 'fetch' | 'none';
  writeRecoveryConf: boolean;
  checkpoint: 'fast' | 'spread';
  progress: boolean;
  label: string;
  /** pg_basebackup --max-rate value (e.g. "100M"), empty for no limit */
  maxRate: string;
  /** 13+: --manifest-checksums (undefined: pg_basebackup's default, CRC32C) */
  manifestChecksums?: 'NONE' | 'CRC32C' | 'SHA224' | 'SHA256' | 'SHA384' | 'SHA512';
}

export function defaultLabel(now: Date): string {
  return `pg-pitr ${now.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** pg_basebackup accepts 32 kB/s .. 1 GB/s, in kB by default, with an optional k or M suffix. */
export function validMaxRate(v: string): boolean {
  const kb = parseMaxRate(v);
  return kb !== null && kb >= 32 && kb <= 1024 * 1024;
}

interface Item<T> extends vscode.QuickPickItem {
  value: T;
}

/** Fills in what `given` lacks by asking; undefined when the user cancels. */
export async function askBaseBackupChoices(
  given: Partial<BaseBackupChoices>,
  serverName: string,
  serverMajor: number,
  clientMajor: number,
  now: Date,
): Promise<BaseBackupChoices | undefined> {
  const title = `pg-pitr base backup of ${serverName}`;
  const pick = async <T>(items: Item<T>[], placeHolder: string): Promise<T | undefined> =>
    (await vscode.window.showQuickPick(items, { title, placeHolder, ignoreFocusOut: true }))?.value;
  const headless = given.targetDir !== undefined;

  let targetDir = given.targetDir;
  if (targetDir === undefined) {
    const parent = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      title: 'Folder to create the backup in',
      openLabel: 'Back up into this folder',
    });
    if (!parent?.[0]) return undefined;
    const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
    const sub = await vscode.window.showInputBox({
      title,
      prompt: `New folder inside ${parent[0].fsPath} (pg_basebackup needs a new or empty folder)`,
      value: `${serverName.replace(/[^A-Za-z0-9._-]+/g, '_')}-${stamp}`,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() === '' || v.includes('/') ? 'a folder name, without /' : undefined),
    });
    if (sub === undefined) return undefined;
    targetDir = path.join(parent[0].fsPath, sub.trim());
  }

  let format = given.format;
  let compression = given.compression;
  if (format === undefined && !headless) {
    const modern = clientMajor >= 15;
    const f = await pick<[BaseBackupChoices['format'], TarCompression]>(
      [
        {
          label: 'Plain',
          description: '-F plain',
          detail: 'A copy of the data directory, ready to start (or to verify with pg_verifybackup).',
          value: ['plain', 'none'],
        },
        {
          label: 'Tar, gzip',
          description: '-F tar, gzip',
          detail: 'base.tar.gz (+ pg_wal.tar.gz with -X stream): smaller, to store or ship.',
          value: ['tar', 'gzip'],
        },
        {
          label: 'Tar, no compression',
          description: '-F tar',
          detail: 'base.tar: fast, large.',
          value: ['tar', 'none'],
        },
        ...(modern
          ? [
              {
                label: 'Tar, lz4',
                description: '-F tar --compress=lz4 (15+)',
                detail: 'Fast compression (needs a client and server built with lz4).',
                value: ['tar', 'lz4'] as [BaseBackupChoices['format'], TarCompression],
              },
              {
                label: 'Tar, zstd',
                description: '-F tar --compress=zstd (15+)',
                detail: 'Good ratio at good speed (needs zstd support).',
                value: ['tar', 'zstd'] as [BaseBackupChoices['format'], TarCompression],
              },
            ]
          : []),
      ],
      'Backup format',
    );
    if (!f) return undefined;
    [format, compression] = f;
  }

  let { walMethod, writeRecoveryConf, checkpoint, progress } = given;
  if (
    !headless &&
    (walMethod === undefined || writeRecoveryConf === undefined || checkpoint === undefined || progress === undefined)
  ) {
    const flags: (vscode.QuickPickItem & { key: string })[] = [
      {
        key: 'stream',
        label: 'Stream WAL during the backup',
        description: '-X stream',
        detail: 'The backup holds the WAL it needs, so it is usable on its own (needs a second WAL sender).',
        picked: walMethod !== 'fetch' && walMethod !== 'none',
      },
      {
        key: 'fast',
        label: 'Fast checkpoint',
        description: '--checkpoint=fast',
        detail:
          'Starts at once with an immediate checkpoint (an I/O burst); unticked, the checkpoint is spread and the start may wait minutes.',
        picked: checkpoint !== 'spread',
      },
      {
        key: 'progress',
        label: 'Show progress',
        description: '-P',
        detail: 'Progress in the terminal (pg_basebackup estimates the size first).',
        picked: progress !== false,
      },
      {
        key: 'recovery',
        label: 'Write standby configuration',
        description: '-R',
        detail:
          'standby.signal + primary_conninfo (recovery.conf before 12): for a new standby, not for a point-in-time restore.',
        picked: writeRecoveryConf === true,
      },
    ];
    const chosen = await vscode.window.showQuickPick(flags, {
      title,
      placeHolder: 'Options (ticked = on)',
      canPickMany: true,
      ignoreFocusOut: true,
    });
    if (!chosen) return undefined;
    const on = new Set(chosen.map((c) => c.key));
    walMethod = on.has('stream') ? 'stream' : 'fetch';
    checkpoint = on.has('fast') ? 'fast' : 'spread';
    progress = on.has('progress');
    writeRecoveryConf = on.has('recovery');
  }

  let label = given.label;
  if (label === undefined && !headless) {
    label = await vscode.window.showInputBox({
      title,
      prompt: 'Backup label (shown in backup_label and the archive’s .backup file)',
      value: defaultLabel(now),
      ignoreFocusOut: true,
    });
    if (label === undefined) return undefined;
  }
  let maxRate = given.maxRate;
  if (maxRate === undefined && !headless) {
    maxRate = await vscode.window.showInputBox({
      title,
      prompt: 'Rate limit (kB/s, or with k/M: 100M); empty for none',
      value: '',
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() === '' || validMaxRate(v) ? undefined : 'between 32k and 1024M, e.g. 50M'),
    });
    if (maxRate === undefined) return undefined;
  }
  let manifestChecksums = given.manifestChecksums;
  if (manifestChecksums === undefined && !headless && serverMajor >= 13 && clientMajor >= 13) {
    manifestChecksums = await pick<BaseBackupChoices['manifestChecksums']>(
      [
        {
          label: 'CRC32C',
          description: 'the default',
          detail: 'Catches accidental corruption, cheap.',
          value: 'CRC32C',
        },
        {
          label: 'SHA256',
          detail: 'A cryptographic checksum: slower, detects deliberate changes too.',
          value: 'SHA256',
        },
        { label: 'NONE', detail: 'No per-file checksums (pg_verifybackup still checks sizes and WAL).', value: 'NONE' },
      ],
      'Backup manifest checksums (13+; pg_verifybackup checks them)',
    );
    if (manifestChecksums === undefined) return undefined;
  }
  return {
    targetDir,
    format: format ?? 'plain',
    compression: compression ?? 'none',
    walMethod: walMethod ?? 'stream',
    writeRecoveryConf: writeRecoveryConf ?? false,
    checkpoint: checkpoint ?? 'fast',
    progress: progress ?? true,
    label: label ?? defaultLabel(now),
    maxRate: (maxRate ?? '').trim(),
    manifestChecksums,
  };
}
