// The questions of pgPitr.generateRecoveryConfig, one QuickPick or InputBox each: the restored
// copy's data directory, its major, the target, inclusive, action, timeline and restore_command.
// Every item says what the choice does, because this runs when a DBA is under pressure.
import * as vscode from 'vscode';

import { readPgVersion } from '../../core/catalog/pgVersionFile';
import type { RecoveryRequest } from '../../core/recovery/types';
import { storedPassword } from '../../core/server/serverProfiles';
import type { CommandContext } from '../commands/commandContext';
import { restorePointLogFile } from '../restorePoints/restorePointLogFile';
import { showWarningMessage } from '../safeMessages';
import { type ChosenServer, configuredProfiles } from '../servers/serverChoice';

type Target = RecoveryRequest['target'];
type TargetKind = Target['kind'];

const MAJORS = [18, 17, 16, 15, 14, 13, 12, 11, 10];

interface Item<T> extends vscode.QuickPickItem {
  value: T;
}

async function pick<T>(title: string, items: Item<T>[], placeHolder?: string): Promise<T | undefined> {
  const chosen = await vscode.window.showQuickPick(items, {
    title: `pg-pitr recovery: ${title}`,
    placeHolder,
    ignoreFocusOut: true,
    matchOnDetail: true,
  });
  return chosen?.value;
}

async function ask(
  title: string,
  prompt: string,
  opts: { value?: string; placeHolder?: string; validate?: (v: string) => string | undefined } = {},
): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: `pg-pitr recovery: ${title}`,
    prompt,
    value: opts.value,
    placeHolder: opts.placeHolder,
    ignoreFocusOut: true,
    validateInput: opts.validate,
  });
}

/** An explicit offset or zone at the end of a timestamp: Z, +02, -05:30, +0100, or a zone name/abbreviation. */
export function hasExplicitZone(time: string): boolean {
  const t = time.trim();
  return (
    /(?:[zZ]|[+-]\d{1,2}(?::?\d{2})?(?::?\d{2})?)$/.test(t) || /\d\s+[A-Za-z][A-Za-z_]+(?:\/[A-Za-z_+-]+)*$/.test(t)
  );
}

export function localTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

const TARGET_ITEMS: Item<TargetKind>[] = [
  {
    label: 'A point in time',
    description: 'recovery_target_time',
    detail: 'Replay up to a moment, e.g. just before a bad migration or a mistaken DELETE.',
    value: 'time',
  },
  {
    label: 'A named restore point',
    description: 'recovery_target_name',
    detail: 'Replay up to a point created with pg_create_restore_point (pg-pitr records the ones it creates).',
    value: 'name',
  },
  {
    label: 'A transaction id',
    description: 'recovery_target_xid',
    detail: 'Replay up to a transaction (from pg_current_xact_id / txid_current, or the server log).',
    value: 'xid',
  },
  {
    label: 'A WAL position (LSN)',
    description: 'recovery_target_lsn',
    detail: 'Replay up to an LSN such as 0/3000060 (from pg_current_wal_lsn or pg_waldump).',
    value: 'lsn',
  },
  {
    label: 'The end of the base backup',
    description: "recovery_target = 'immediate'",
    detail: 'Stop as soon as the copy is consistent: the state the base backup was taken in, nothing after.',
    value: 'immediate',
  },
  {
    label: 'Everything archived',
    description: 'no target',
    detail: 'Replay all WAL the archive has (a full recovery, e.g. after losing the disk).',
    value: 'latest',
  },
];

const ACTION_ITEMS: Item<'pause' | 'promote' | 'shutdown'>[] = [
  {
    label: 'Pause at the target',
    description: 'pause (the default)',
    detail:
      'The server stays read-only at the target so you can check the data; then SELECT pg_wal_replay_resume() ' +
      'to open it, or move the target and restart. Without hot_standby = on it shuts down instead.',
    value: 'pause',
  },
  {
    label: 'Promote at the target',
    description: 'promote',
    detail:
      'Recovery ends and the server opens read-write on a new timeline. You cannot replay further forward from this copy afterwards.',
    value: 'promote',
  },
  {
    label: 'Shut down at the target',
    description: 'shutdown',
    detail:
      'The server stops at the target (to copy the files at that exact point). Starting it again replays to the same target unless you change the settings.',
    value: 'shutdown',
  },
];

/** A moment picked on the recoverability timeline: its time is asked with this value (to adjust), its base backup named. */
export interface RecoveryPrefill {
  /** with its UTC offset: "2026-11-24 10:31:05+01:00" */
  time?: string;
  backup?: { label: string; startWal?: string | null; stopTime?: string | null };
}

/** Asks for whatever `defaults` does not hold; undefined when the user cancels any step. */
export async function askRecoveryRequest(
  ctx: CommandContext,
  defaults: Partial<RecoveryRequest> & { server?: string },
  prefill: RecoveryPrefill = {},
): Promise<{ request: RecoveryRequest; server?: ChosenServer } | undefined> {
  // 1. the restored copy
  let dataDir = defaults.dataDir;
  if (!dataDir) {
    const picked = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      title: prefill.backup
        ? `Data directory of the restored copy of base backup “${prefill.backup.label}” (NOT the running primary)`
        : 'Data directory of the restored copy (the base backup, restored, NOT the running primary)',
      openLabel: 'Use this data directory',
    });
    dataDir = picked?.[0]?.fsPath;
    if (!dataDir) return undefined;
  }
  let major = defaults.major ?? readPgVersion(dataDir) ?? undefined;
  if (major === undefined) {
    major = await pick(
      'PostgreSQL major',
      MAJORS.map((m) => ({ label: `PostgreSQL ${m}`, value: m })),
      `No readable PG_VERSION in ${dataDir}: which major is the copy?`,
    );
    if (major === undefined) return undefined;
  }

  // 2. the target
  let target = defaults.target;
  let timeZone = defaults.timeZone;
  if (!target && prefill.time !== undefined) {
    // picked on the timeline to the pixel: the user sets it to the second (just before the mistake)
    const time = await askTargetTime(
      prefill.time,
      `Time picked on the timeline${prefill.backup ? ` (from base backup “${prefill.backup.label}”)` : ''}: adjust it, e.g. to just before the mistake`,
    );
    if (time === undefined) return undefined;
    target = { kind: 'time', time };
  }
  if (!target) {
    const kind = await pick('target', TARGET_ITEMS, 'Where should recovery stop?');
    if (!kind) return undefined;
    const t = await askTargetValue(ctx, kind);
    if (!t) return undefined;
    target = t;
  }
  if (target.kind === 'time' && !timeZone && !hasExplicitZone(target.time)) {
    const local = localTimeZone();
    const zone = await pick(
      'time zone',
      [
        {
          label: local,
          description: 'this computer’s zone',
          detail: `${target.time} is taken in ${local} and written with its UTC offset.`,
          value: local,
        },
        ...(local === 'UTC' ? [] : [{ label: 'UTC', detail: `${target.time} is UTC.`, value: 'UTC' }]),
        {
          label: 'Another zone…',
          detail:
            'A zone name such as Europe/Helsinki or America/New_York (abbreviations like EST are fixed offsets and ignore daylight saving).',
          value: '',
        },
      ],
      `“${target.time}” has no UTC offset: in which zone is it?`,
    );
    if (zone === undefined) return undefined;
    timeZone =
      zone !== ''
        ? zone
        : await ask('time zone name', 'IANA zone name for the target time', {
            placeHolder: 'Europe/Helsinki',
            validate: (v) => (validZone(v) ? undefined : `${v} is not a time zone this computer knows`),
          });
    if (!timeZone) return undefined;
  }

  // 3. how to stop
  let inclusive = defaults.inclusive;
  if (
    inclusive === undefined &&
    (target.kind === 'time' || target.kind === 'xid' || target.kind === 'lsn') &&
    defaults.target === undefined
  ) {
    const what =
      target.kind === 'time'
        ? 'a transaction committed exactly at that time'
        : target.kind === 'xid'
          ? 'that transaction'
          : 'the record at that LSN';
    inclusive = await pick('inclusive', [
      {
        label: 'Stop just after the target',
        description: 'recovery_target_inclusive = on (the default)',
        detail: `${what[0]!.toUpperCase()}${what.slice(1)} is kept.`,
        value: true,
      },
      {
        label: 'Stop just before the target',
        description: 'recovery_target_inclusive = off',
        detail: `${what[0]!.toUpperCase()}${what.slice(1)} is not replayed.`,
        value: false,
      },
    ]);
    if (inclusive === undefined) return undefined;
  }
  let action = defaults.action;
  if (action === undefined && target.kind !== 'latest' && defaults.target === undefined) {
    action = await pick('action at the target', ACTION_ITEMS, 'What should the server do when it reaches the target?');
    if (action === undefined) return undefined;
  }
  let timeline = defaults.timeline;
  if (timeline === undefined && target.kind !== 'immediate' && defaults.target === undefined) {
    const chosen = await pick<'latest' | 'current' | 'number'>('timeline', [
      {
        label: 'Latest',
        description: `recovery_target_timeline = 'latest'${major >= 12 ? ' (the default on 12+)' : ''}`,
        detail:
          'Follow the newest timeline in the archive. Choose it when the history you want continues after a failover/promotion.',
        value: 'latest',
      },
      {
        label: 'Current',
        description: `recovery_target_timeline = 'current'${major < 12 ? ' (the default before 12)' : ''}`,
        detail:
          'Stay on the base backup’s timeline. Choose it to go back in time on the original history, ' +
          'ignoring promotions after the backup (e.g. an earlier restore test).',
        value: 'current',
      },
      {
        label: 'A specific timeline…',
        description: 'a number',
        detail: 'When you know the history you want. File names are hex: 00000010.history is timeline 16.',
        value: 'number',
      },
    ]);
    if (chosen === undefined) return undefined;
    if (chosen === 'number') {
      const n = await ask('timeline', 'Timeline number (decimal; 0x10 for hex)', {
        validate: (v) => (parseTimeline(v) === null ? 'a positive number such as 2 or 0x10' : undefined),
      });
      if (n === undefined) return undefined;
      timeline = parseTimeline(n) ?? undefined;
    } else timeline = chosen;
  }

  // 4. what the recovered copy does afterwards
  let standby = defaults.standby;
  if (standby === undefined && target.kind === 'latest' && defaults.target === undefined) {
    standby = await pick('recovery or standby', [
      {
        label: 'Recover, then open',
        description: major >= 12 ? 'recovery.signal' : 'recovery.conf',
        detail: 'Replay everything archived, then end recovery.',
        value: false,
      },
      {
        label: 'Stay a standby',
        description: major >= 12 ? 'standby.signal' : "standby_mode = 'on'",
        detail: 'Keep replaying WAL as it arrives in the archive (a warm standby).',
        value: true,
      },
    ]);
    if (standby === undefined) return undefined;
  }
  let recoveredArchiving = defaults.recoveredArchiving;
  if (recoveredArchiving === undefined && defaults.target === undefined) {
    const mode = await pick<'off' | 'elsewhere'>('archiving of the recovered copy', [
      {
        label: 'Archiving off',
        description: 'recommended',
        detail:
          'The copy writes nothing into the production archive: a promoted copy archiving there adds ' +
          'a new timeline, and later recoveries following “latest” go the wrong way.',
        value: 'off',
      },
      {
        label: 'Archive somewhere else…',
        description: 'another archive_command',
        detail: 'Keep archiving from the copy, into a different location.',
        value: 'elsewhere',
      },
    ]);
    if (mode === undefined) return undefined;
    if (mode === 'elsewhere') {
      const command = await ask(
        'archive_command of the recovered copy',
        'archive_command for the copy (NOT the production archive)',
        {
          placeHolder: 'test ! -f /mnt/restore-archive/%f && cp %p /mnt/restore-archive/%f',
          validate: (v) => (v.trim() === '' ? 'a command is needed' : undefined),
        },
      );
      if (command === undefined) return undefined;
      recoveredArchiving = { mode: 'elsewhere', archiveCommand: command };
    } else recoveredArchiving = { mode: 'off' };
  }

  // 5. where WAL comes from
  let restoreCommand = defaults.restoreCommand;
  let archiveCommand = defaults.archiveCommand;
  let server: ChosenServer | undefined;
  if (restoreCommand === undefined && archiveCommand === undefined && defaults.server === undefined) {
    const profiles = configuredProfiles();
    const source = await pick<string | null>(
      'restore_command',
      [
        ...profiles.map((p) => ({
          label: `Mirror ${p.name}’s archive_command`,
          detail:
            'pg-pitr reads archive_command from the server and writes the restore_command that fetches what it archived.',
          value: p.name,
        })),
        {
          label: 'Type a restore_command…',
          detail: 'e.g. cp /mnt/archive/%f %p  (the lint rules check it before it is written)',
          value: null,
        },
      ],
      'How does the restored copy fetch archived WAL?',
    );
    if (source === undefined) return undefined;
    if (source === null) {
      restoreCommand = await ask(
        'restore_command to use',
        'restore_command (%f = WAL file name, %p = where to copy it)',
        {
          placeHolder: 'cp /mnt/archive/%f %p',
          validate: (v) => (v.trim() === '' ? 'a command is needed' : undefined),
        },
      );
      if (restoreCommand === undefined) return undefined;
    } else {
      const profile = profiles.find((p) => p.name === source)!;
      const { password, withheld } = await storedPassword(ctx.extension.secrets, profile);
      if (withheld) void showWarningMessage(`pg-pitr: ${withheld}`);
      server = { profile, password: password || undefined };
    }
  }
  const { server: _preset, ...fields } = defaults;
  const request: RecoveryRequest = {
    ...fields,
    major,
    dataDir,
    target,
    inclusive,
    action,
    timeline,
    restoreCommand,
    archiveCommand,
    timeZone,
    standby,
    recoveredArchiving,
  } as RecoveryRequest;
  return { request, server };
}

/** The target step alone (pgPitr.runDrill asks it the same way). */
export async function askRecoveryTarget(ctx: CommandContext): Promise<Target | undefined> {
  const kind = await pick('target', TARGET_ITEMS, 'Where should recovery stop?');
  return kind === undefined ? undefined : askTargetValue(ctx, kind);
}

function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.trim() !== '';
  } catch {
    return false;
  }
}

export function parseTimeline(v: string): number | null {
  const t = v.trim();
  const n = /^0x[0-9a-f]+$/i.test(t) ? parseInt(t, 16) : /^\d+$/.test(t) ? Number(t) : NaN;
  return Number.isInteger(n) && n >= 1 && n <= 0xffffffff ? n : null;
}

async function askTargetValue(ctx: CommandContext, kind: TargetKind): Promise<Target | undefined> {
  switch (kind) {
    case 'time': {
      const time = await askTargetTime();
      return time === undefined ? undefined : { kind, time };
    }
    case 'xid': {
      const xid = await ask('target transaction id', 'Transaction id to recover to', {
        validate: (v) => (/^\d+$/.test(v.trim()) ? undefined : 'a transaction id is a number'),
      });
      return xid === undefined ? undefined : { kind, xid: xid.trim() };
    }
    case 'lsn': {
      const lsn = await ask('target LSN', 'WAL position (LSN) to recover to', {
        placeHolder: '0/3000060',
        validate: (v) => (/^[0-9a-f]{1,8}\/[0-9a-f]{1,8}$/i.test(v.trim()) ? undefined : 'an LSN looks like 0/3000060'),
      });
      return lsn === undefined ? undefined : { kind, lsn: lsn.trim() };
    }
    case 'name':
      return askRestorePointName(ctx);
    case 'immediate':
    case 'latest':
      return { kind } as Target;
  }
  return undefined;
}

async function askRestorePointName(ctx: CommandContext): Promise<Target | undefined> {
  // reading the log never throws (an unreadable one is set aside)
  const recorded = new (await ctx.backend()).RestorePointLog(restorePointLogFile(ctx.extension)).list();
  const newestFirst = [...recorded].reverse();
  const chosen = await pick<string | null>(
    'restore point',
    [
      ...newestFirst.map((p) => ({
        label: p.name,
        description: p.server ? `on ${p.server}` : undefined,
        detail: `created ${p.time} at LSN ${p.lsn}${p.wal ? ` (WAL ${p.wal})` : ''}`,
        value: p.name,
      })),
      {
        label: 'Type a name…',
        detail: 'A restore point created outside pg-pitr (names are case-sensitive).',
        value: null,
      },
    ],
    recorded.length > 0
      ? 'Restore points created with pg-pitr, newest first'
      : 'No restore point recorded by pg-pitr yet',
  );
  if (chosen === undefined) return undefined;
  if (chosen !== null) return { kind: 'name', name: chosen };
  const name = await ask('restore point name', 'Name given to pg_create_restore_point', {
    validate: (v) => (v === '' ? 'a name is needed' : Buffer.byteLength(v) > 63 ? 'at most 63 bytes' : undefined),
  });
  return name === undefined ? undefined : { kind: 'name', name };
}

/** The target time, typed or adjusted from a prefilled value; undefined when cancelled. */
async function askTargetTime(value?: string, prompt?: string): Promise<string | undefined> {
  const time = await ask(
    'target time',
    prompt ?? 'Time to recover to (YYYY-MM-DD HH:MM:SS, optionally with an offset such as +02:00)',
    {
      value,
      placeHolder: '2026-11-24 14:30:00+01',
      validate: (v) =>
        /^\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?/.test(v.trim())
          ? undefined
          : 'a date and time such as 2026-11-24 14:30:00',
    },
  );
  return time?.trim();
}
