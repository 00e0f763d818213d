// A restore drill, step by step: check the environment and the scratch folder, restore the backup,
// take production's links out of the copy, write the recovery settings with pg-pitr's generator,
// start the server as the run user and follow its replay, judge where it stopped, run the checks,
// stop it and clean up. Never touches anything outside the scratch folder but the files it reads.
// Each step is a function below; the report says what happened even when a step fails.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import type { ArchiveReport } from '../archive/archiveAnalysis';
import { applyRecoveryPlan } from '../recovery/applyRecoveryPlan';
import { copyWindow } from '../recovery/copyWindow';
import { planRecovery } from '../recovery/planRecovery';
import { recoveryTargetSettings } from '../recovery/recoveryTargetSettings';
import { instantMs, parseTargetTime } from '../recovery/targetTime';
import { RecoveryRefusedError, type RecoveryRequest } from '../recovery/types';
import { formatLsn, parseLsn } from '../wal/lsn';
import {
  DEFAULT_SEGMENT_SIZE,
  lsnOfSegmentStart,
  parseSegmentName,
  SEGMENT_SIZES,
  segmentOfLsn,
} from '../wal/segmentNames';
import { lastArchived, listArchive } from './archiveFacts';
import { type BackupLabel, labelStartMs, readBackupLabel, readSystemIdentifier } from './backupLabel';
import { describeFolderBackup, type FolderBackup } from './backupSource';
import { neutraliseCopy, writeDrillSettings } from './copySettings';
import { CONNECTABLE_DATABASES_SQL, runAmcheck, runCheckSql } from './drillChecks';
import {
  defaultPgBackRestConfig,
  describePgBackRestBackup,
  type PgBackRestBackup,
  pgBackRestRepoPath,
  pgBackRestRestoreCommand,
  restorePgBackRestBackup,
} from './pgbackrestRestore';
import { restorePlainBackup, restoreTarBackup } from './restoreBackup';
import { firstInaccessible, resolveRunUser, type RunUser } from './runAsUser';
import { checkFreeSpace, createScratch, removeScratch, type Scratch, validateScratch } from './scratchFolder';
import { connectScratch } from './scratchSql';
import { findServerBinaries, type ServerBinaries } from './serverBinaries';
import { LogFollower, lsnBytes } from './serverLog';
import { ScratchServer } from './serverProcess';
import { type DrillCheck, DrillError, type DrillReport, type DrillRequest, type ReplayProgress } from './types';
import { judgeRecovery, type PromotedState } from './verdict';
import { planWalSource, type WalPlan } from './walSource';

const POLL_MS = 200;
const LISTING_TIMEOUT_MS = 120_000;
/** how long a promoted server may refuse pg-pitr's connections before the drill gives up */
const CONNECT_GIVE_UP_MS = 60_000;

interface DrillState {
  req: DrillRequest;
  report: DrillReport;
  signal: AbortSignal;
  user?: RunUser;
  scratch?: Scratch;
  server?: ScratchServer;
  binaries?: ServerBinaries;
  folder?: FolderBackup;
  pgbackrest?: PgBackRestBackup;
  wal?: WalPlan;
  major?: number;
  label?: BackupLabel;
  listing?: Promise<ArchiveReport | null>;
  port?: number;
  lastProgress?: ReplayProgress;
  segmentSize?: number;
  archive?: ArchiveReport | null;
}

const seconds = (ms: number) => Math.round(ms) / 1000;

function emptyReport(req: DrillRequest): DrillReport {
  const b = req.backup;
  return {
    backup: {
      path: b.kind === 'folder' ? path.resolve(b.path) : `pgbackrest:${b.stanza}${b.set ? `/${b.set}` : ''}`,
      format: b.kind === 'folder' ? 'plain' : 'pgbackrest',
      label: null,
      startLsn: null,
      stopLsn: null,
      timeline: null,
      systemIdentifier: null,
      major: null,
    },
    target: {
      kind: req.target.kind,
      value: targetValue(req),
      inclusive: req.inclusive ?? null,
      timeline: req.timeline === undefined ? null : String(req.timeline),
    },
    reached: null,
    ok: false,
    failure: null,
    durations: { restoreSeconds: 0, replaySeconds: 0, checksSeconds: 0, totalSeconds: 0 },
    walReplayedBytes: null,
    replayMBps: null,
    checks: [],
    scratch: null,
    kept: false,
    startedAt: new Date().toISOString(),
    warnings: [],
    serverLog: [],
    keepInstructions: null,
  };
}

function targetValue(req: DrillRequest): string | null {
  const t = req.target;
  switch (t.kind) {
    case 'time':
      try {
        return parseTargetTime(t.time, req.timeZone).text;
      } catch {
        return t.time;
      }
    case 'xid':
      return t.xid;
    case 'lsn':
      return t.lsn;
    case 'name':
      return t.name;
    default:
      return null;
  }
}

function progress(
  st: DrillState,
  phase: NonNullable<Parameters<NonNullable<DrillRequest['onProgress']>>[0]>['phase'],
  message: string,
  replay?: ReplayProgress,
): void {
  try {
    st.req.onProgress?.({ phase, message, replay });
  } catch {
    /* a broken progress callback must not break the drill */
  }
}

function throwIfAborted(st: DrillState, timeoutSignal: AbortSignal | null): void {
  if (!st.signal.aborted) return;
  if (timeoutSignal?.aborted && !st.req.signal?.aborted) {
    const p = st.lastProgress;
    const where = p
      ? `; replay was at ${p.lsn}${p.lastSegment ? ` (${p.lastSegment})` : ''}, ` +
        `${(p.bytesReplayed / 1048576).toFixed(1)} MB of WAL` +
        `${p.mbPerSecond !== null ? ` at ${p.mbPerSecond.toFixed(1)} MB/s` : ''}` +
        `${p.etaSeconds !== null ? `, about ${Math.round(p.etaSeconds)} s to go` : ''}`
      : '';
    throw new DrillError(
      'timeout',
      `the drill did not finish within ${seconds(st.req.timeoutMs ?? 0)} s (--timeout)${where}`,
    );
  }
  throw new DrillError('cancelled', 'the drill was cancelled');
}

/** Step 1: who runs the server, what the backup is, where WAL comes from, whether the scratch folder and the space fit. */
async function validate(st: DrillState): Promise<void> {
  const { req, report } = st;
  progress(st, 'validate', 'checking the backup, the scratch folder and the programs');
  st.user = resolveRunUser(req.osUser);
  // the target as the generator will write it: a malformed one is refused before anything is copied
  recoveryTargetSettings({
    major: 18,
    dataDir: '/',
    target: req.target,
    inclusive: req.inclusive,
    timeline: req.timeline,
    timeZone: req.timeZone,
  });
  const readOnly: { what: string; path: string }[] = [];
  let bytes: number;
  if (req.backup.kind === 'folder') {
    st.folder = describeFolderBackup(req.backup.path);
    report.backup.format = st.folder.format;
    readOnly.push({ what: 'the backup', path: st.folder.dir });
    bytes = st.folder.bytes;
    if (st.folder.format === 'tar' && st.folder.bytesEstimated)
      report.warnings.push(
        `the backup's restored size is estimated (no backup_manifest): ${(bytes / 1048576).toFixed(0)} MB`,
      );
    if (st.folder.format === 'plain') {
      st.major = Number(fs.readFileSync(path.join(st.folder.dir, 'PG_VERSION'), 'utf8').trim());
      st.label = readBackupLabel(st.folder.dir) ?? undefined;
    }
    st.wal = planWalSource(req.wal);
  } else {
    const src = req.backup;
    st.pgbackrest = await describePgBackRestBackup(src, st.user, st.signal);
    st.major = st.pgbackrest.major ?? undefined;
    bytes = st.pgbackrest.bytes;
    const conf = src.config ?? defaultPgBackRestConfig();
    let repo: string | null = null;
    try {
      repo = pgBackRestRepoPath(fs.readFileSync(conf, 'utf8'), src.stanza);
    } catch {
      repo = null;
    }
    if (repo) readOnly.push({ what: 'the pgBackRest repository', path: repo });
    st.wal = {
      listing: req.wal.archive
        ? { location: req.wal.archive, endpoint: req.wal.endpoint }
        : repo
          ? { location: repo }
          : null,
    };
  }
  if (st.wal.listing && !/^s3:\/\//.test(st.wal.listing.location))
    readOnly.push({ what: 'the archive', path: st.wal.listing.location });
  if (st.major !== undefined) st.binaries = findServerBinaries(st.major, req.pgBinDir);
  if (req.scratch !== undefined) validateScratch(req.scratch, readOnly);
  checkFreeSpace(req.scratch ?? os.tmpdir(), bytes);
  if (st.user.switchTo) checkUserAccess(st);
}

/** As root the server runs as another user: it must reach the programs, the archive and the scratch folder's parent (one check program for all). */
function checkUserAccess(st: DrillState): void {
  const user = st.user!;
  const checks: { flag: '-r' | '-x'; file: string; refusal: string }[] = [];
  if (st.binaries)
    checks.push({
      flag: '-x',
      file: st.binaries.postgres,
      refusal:
        `the user ${user.name} cannot run ${st.binaries.postgres} (a folder on the way is not ` +
        `open to it): the server runs as ${user.name}; give --pg-bin-dir a folder it can reach`,
    });
  const loc = st.wal?.listing?.location;
  if (loc && !/^s3:\/\//.test(loc)) {
    const refusal =
      `the user ${user.name} cannot read the archive ${loc}: restore_command runs as ${user.name}, ` +
      `so every segment would look missing; give it read access`;
    checks.push({ flag: '-r', file: loc, refusal }, { flag: '-x', file: loc, refusal });
  }
  const parent = path.dirname(path.resolve(st.req.scratch ?? path.join(os.tmpdir(), 'x')));
  if (fs.existsSync(parent))
    checks.push({
      flag: '-x',
      file: parent,
      refusal: `the user ${user.name} cannot reach ${parent}, where the scratch folder goes: choose --scratch in a folder it can open`,
    });
  const failed = firstInaccessible(user, checks);
  if (failed !== null) throw new DrillError('refused', checks[failed].refusal);
}

/** Step 2: the copy in scratch/data (and the archive listing, read meanwhile). */
async function restore(st: DrillState): Promise<void> {
  const { req, report } = st;
  const user = st.user!;
  st.scratch = createScratch(req.scratch, user);
  report.scratch = st.scratch.root;
  if (st.wal?.listing) {
    const l = st.wal.listing;
    st.listing = listArchive(l.location, l.endpoint, undefined, LISTING_TIMEOUT_MS, st.signal).then((r) => {
      if (r.error !== null)
        report.warnings.push(
          `the archive ${l.location} could not be listed (${r.error}): a hole in it cannot be told from its end`,
        );
      return r.report;
    });
  }
  const t0 = Date.now();
  progress(st, 'restore', `restoring the backup into ${st.scratch.dataDir}`);
  let notes: string[];
  if (st.folder?.format === 'plain') notes = await restorePlainBackup(st.folder, st.scratch, user, st.signal);
  else if (st.folder?.format === 'tar') notes = await restoreTarBackup(st.folder, st.scratch, user, st.signal);
  else
    notes = await restorePgBackRestBackup(
      req.backup as Extract<DrillRequest['backup'], { kind: 'pgbackrest' }>,
      st.pgbackrest!.label,
      st.scratch,
      user,
      st.signal,
    );
  report.warnings.push(...notes);
  report.durations.restoreSeconds = seconds(Date.now() - t0);

  const dataDir = st.scratch.dataDir;
  const version = Number(
    (fs.existsSync(path.join(dataDir, 'PG_VERSION'))
      ? fs.readFileSync(path.join(dataDir, 'PG_VERSION'), 'utf8')
      : ''
    ).trim(),
  );
  if (!Number.isInteger(version) || version < 10 || version > 18)
    throw new DrillError(
      'restore-failed',
      `the restored copy has no usable PG_VERSION (${version || 'none'}): pg-pitr drills PostgreSQL 10 to 18 backups`,
    );
  st.major = version;
  st.binaries ??= findServerBinaries(version, req.pgBinDir);
  if (st.user!.switchTo && firstInaccessible(user, [{ flag: '-x', file: st.binaries.postgres }]) !== null)
    checkUserAccess(st);
  st.label = readBackupLabel(dataDir) ?? undefined;
  if (!st.label)
    throw new DrillError(
      'restore-failed',
      `the restored copy has no backup_label: it is not a base backup, or the backup is incomplete`,
    );
  Object.assign(report.backup, {
    major: version,
    label: st.pgbackrest?.label ?? st.label.label,
    startLsn: st.label.startLsn,
    stopLsn: st.pgbackrest?.stopLsn ?? null,
    timeline: st.label.timeline,
    systemIdentifier: readSystemIdentifier(dataDir) ?? st.pgbackrest?.systemIdentifier ?? null,
  });
}

/** Step 3: production's links out, the generator's recovery settings in, then the drill's own settings. */
async function configure(st: DrillState): Promise<void> {
  const { req, report } = st;
  const scratch = st.scratch!;
  const user = st.user!;
  progress(st, 'configure', 'writing the recovery settings');
  report.warnings.push(...neutraliseCopy(scratch.dataDir, user));
  const archive = st.listing ? await st.listing : null;
  st.archive = archive;
  st.segmentSize = segmentSizeOf(st.label!) ?? archive?.segmentSize ?? DEFAULT_SEGMENT_SIZE;
  checkTargetAfterBackup(st, archive);
  const wal: WalPlan = st.pgbackrest
    ? {
        restoreCommand: pgBackRestRestoreCommand(req.backup as { stanza: string; config?: string }, scratch),
        listing: st.wal?.listing ?? null,
      }
    : st.wal!;
  const request: RecoveryRequest = {
    major: st.major!,
    dataDir: scratch.dataDir,
    target: req.target,
    inclusive: req.inclusive,
    timeline: req.timeline,
    timeZone: req.timeZone,
    // promote: the checks need a writable server (amcheck creates its extension); latest promotes by itself
    action: req.target.kind === 'latest' ? undefined : 'promote',
    restoreCommand: wal.restoreCommand,
    archiveCommand: wal.archiveCommand,
    recoveredArchiving: { mode: 'off' },
  };
  const plan = planRecovery(request);
  applyRecoveryPlan(plan);
  report.warnings.push(...plan.warnings.filter((w) => !/^recovery_target_action = 'promote'/.test(w)));
  st.port = await freePort();
  writeDrillSettings(st.major!, scratch, st.port, user, req.settings ?? []);
}

/** A target before the backup's end cannot be recovered to: the server would stop at its first commit after the end and call that success. */
function checkTargetAfterBackup(st: DrillState, archive: ArchiveReport | null): void {
  const t = st.req.target;
  const label = st.label!;
  let endMs: number | null = instantMs(st.pgbackrest?.stopTime);
  let endLsn: string | null = st.pgbackrest?.stopLsn ?? null;
  if (archive) {
    const labelText = fs.readFileSync(path.join(st.scratch!.dataDir, 'backup_label'), 'utf8');
    const w = copyWindow(archive, labelText, st.scratch!.dataDir).window;
    if (w) {
      endMs ??= instantMs(w.from.time);
      endLsn ??= w.from.lsn;
    }
  }
  if (endLsn) st.report.backup.stopLsn ??= endLsn;
  const startMs = labelStartMs(label.startTime);
  if (t.kind === 'time') {
    const ms = parseTargetTime(t.time, st.req.timeZone).epochMs;
    const limit = endMs ?? startMs;
    if (limit !== null && ms < limit) {
      throw new DrillError(
        'target-before-backup-end',
        `target time ${targetValue(st.req)} is before the end of the base backup (${endMs !== null ? `it ended at ${new Date(endMs).toISOString()}` : `it started at ${label.startTime}`}): ` +
          `a backup recovers only to points after it ended; use an older backup`,
      );
    }
  } else if (t.kind === 'lsn') {
    const lsn = parseLsn(t.lsn.trim());
    const limit = parseLsn(endLsn ?? label.startLsn ?? '');
    if (lsn !== null && limit !== null && lsn < limit) {
      throw new DrillError(
        'target-before-backup-end',
        `target LSN ${t.lsn} is before the end of the base backup (${endLsn ? `it ended at ${endLsn}` : `it started at ${label.startLsn}`}): ` +
          `a backup recovers only to points after it ended; use an older backup`,
      );
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', () => resolve(5432 + Math.floor(Math.random() * 1000)));
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      const port = typeof a === 'object' && a ? a.port : 5432;
      srv.close(() => resolve(port));
    });
  });
}

/** Replay progress from the last restored segment: its end against the goal (target LSN or the archive's end). */
function replayProgress(
  st: DrillState,
  follower: LogFollower,
  startedAt: number,
  goal: string | null,
): ReplayProgress | null {
  const seg = follower.facts.lastRestoredSegment;
  const parsed = seg ? parseSegmentName(seg, st.segmentSize!) : null;
  if (!parsed) return null;
  const lsn = formatLsn(lsnOfSegmentStart(parsed.segno + 1n, st.segmentSize!));
  const bytes = lsnBytes(st.label?.startLsn ?? null, lsn);
  const elapsed = (Date.now() - startedAt) / 1000;
  const rate = elapsed > 0.5 && bytes > 0 ? bytes / 1048576 / elapsed : null;
  const left = goal ? lsnBytes(lsn, goal) : null;
  return {
    lsn,
    goalLsn: goal,
    bytesReplayed: bytes,
    bytesToGoal: goal ? lsnBytes(st.label?.startLsn ?? null, goal) || null : null,
    mbPerSecond: rate,
    etaSeconds: rate && left !== null ? left / 1048576 / rate : null,
    lastSegment: seg,
  };
}

/** The WAL segment size that puts backup_label's START WAL LOCATION in the file it names (1 MB .. 1 GB). */
export function segmentSizeOf(label: BackupLabel): number | null {
  const lsn = label.startLsn ? parseLsn(label.startLsn) : null;
  if (lsn === null || !label.startWal) return null;
  const fits = SEGMENT_SIZES.filter((size) => {
    const s = parseSegmentName(label.startWal!, size);
    return s !== null && s.segno === segmentOfLsn(lsn, size);
  });
  return fits.length === 1 ? fits[0] : fits.includes(DEFAULT_SEGMENT_SIZE) ? DEFAULT_SEGMENT_SIZE : (fits[0] ?? null);
}

/** The goal of the replay for progress: a target LSN, else the end of the last archived segment of the backup's timeline. */
function replayGoal(st: DrillState): string | null {
  const t = st.req.target;
  if (t.kind === 'lsn') return t.lsn.trim();
  const last = st.archive && st.label?.timeline ? lastArchived(st.archive, st.label.timeline) : null;
  const seg = last ? parseSegmentName(last, st.segmentSize!) : null;
  return seg ? formatLsn(lsnOfSegmentStart(seg.segno + 1n, st.segmentSize!)) : null;
}

/** Step 4: start the server and follow it until it promotes or stops; then judge where it stopped. */
async function replay(st: DrillState, timeoutSignal: AbortSignal | null): Promise<PromotedState | null> {
  const scratch = st.scratch!;
  progress(st, 'start', `starting PostgreSQL ${st.major} (${st.binaries!.dir}) on the copy`);
  const server = new ScratchServer(st.binaries!.postgres, scratch.dataDir, scratch.logFile, st.user!);
  st.server = server;
  const follower = new LogFollower((offset) => readFrom(scratch.logFile, offset));
  const t0 = Date.now();
  server.start();
  const goal = replayGoal(st);
  let lastSeg: string | null = null;
  let promoted: PromotedState | null = null;
  let connectFailingSince: number | null = null;
  try {
    for (;;) {
      throwIfAborted(st, timeoutSignal);
      follower.poll();
      const f = follower.facts;
      if (f.lastRestoredSegment !== lastSeg) {
        lastSeg = f.lastRestoredSegment;
        const p = replayProgress(st, follower, t0, goal);
        if (p) {
          st.lastProgress = p;
          progress(st, 'replay', `replayed ${lastSeg}`, p);
        }
      }
      if (server.exit !== null) break;
      if (f.promotedReady) {
        const state = await promotedState(st);
        if (state instanceof Error) {
          connectFailingSince ??= Date.now();
          if (Date.now() - connectFailingSince > CONNECT_GIVE_UP_MS)
            throw new DrillError(
              'startup-failed',
              `the scratch server accepts connections but pg-pitr cannot connect through ${scratch.socketDir}: ${state.message}`,
            );
        } else if (state) {
          promoted = state;
          break;
        }
      }
      await sleep(POLL_MS);
    }
  } finally {
    follower.flush();
    st.report.durations.replaySeconds = seconds(Date.now() - t0);
  }
  const facts = follower.facts;
  st.report.serverLog = [...facts.fatal];
  const verdict = judgeRecovery({
    major: st.major!,
    target: st.req.target,
    targetText: targetValue(st.req),
    log: facts,
    promoted,
    backupTimeline: st.label?.timeline ?? 1,
    backupStartWal: st.label?.startWal ?? null,
    archive: st.archive ?? null,
    segmentSize: st.segmentSize!,
  });
  st.report.reached = verdict.reached;
  st.report.warnings.push(...verdict.notes);
  if (!st.report.backup.stopLsn && facts.consistentAt) st.report.backup.stopLsn = facts.consistentAt;
  const replayed = verdict.reached?.lsn ? lsnBytes(st.label?.startLsn ?? null, verdict.reached.lsn) : 0;
  st.report.walReplayedBytes = replayed || null;
  st.report.replayMBps =
    replayed && st.report.durations.replaySeconds > 0
      ? Math.round((replayed / 1048576 / st.report.durations.replaySeconds) * 100) / 100
      : null;
  if (verdict.failure) {
    // what restore_command said last explains most failures (a missing file, a tool's error)
    const said = [...new Set(facts.commandOutput)].slice(-5);
    st.report.serverLog.push(...said.map((l) => `restore_command: ${l}`));
    throw new DrillError(verdict.failure.kind, verdict.failure.message, verdict.failure.segment);
  }
  return promoted;
}

function readFrom(file: string, offset: number): Buffer {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      if (size <= offset) return Buffer.alloc(0);
      const buf = Buffer.alloc(Math.min(size - offset, 4 * 1024 * 1024));
      const n = fs.readSync(fd, buf, 0, buf.length, offset);
      return buf.subarray(0, n);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return Buffer.alloc(0);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Once the log says the server accepts connections: where replay ended, on which timeline. null while it is still in recovery. */
async function promotedState(st: DrillState): Promise<PromotedState | null | Error> {
  let client;
  try {
    client = await connectScratch(
      { socketDir: st.scratch!.socketDir, port: st.port!, osUser: st.user!.name },
      'postgres',
      30_000,
    ).catch(() =>
      connectScratch({ socketDir: st.scratch!.socketDir, port: st.port!, osUser: st.user!.name }, 'template1', 30_000),
    );
  } catch (e) {
    return e as Error;
  }
  try {
    const r = await client.query<{ rec: boolean; lsn: string | null; xact: string | null; wal: string | null }>(
      'SELECT pg_is_in_recovery() AS rec, pg_last_wal_replay_lsn()::text AS lsn, pg_last_xact_replay_timestamp()::text ' +
        'AS xact, CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_walfile_name(pg_current_wal_lsn()) END AS wal',
    );
    const row = r.rows[0];
    if (!row || row.rec) return null;
    return { replayLsn: row.lsn, lastXactTime: row.xact, timeline: row.wal ? parseInt(row.wal.slice(0, 8), 16) : null };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Step 5: --check-sql in --database, then amcheck in every database that accepts connections. */
async function runChecks(st: DrillState): Promise<DrillCheck[]> {
  const { req } = st;
  const checks: DrillCheck[] = [];
  if ((req.checkSql ?? []).length === 0 && !req.amcheck) return checks;
  progress(st, 'checks', 'running the checks');
  const ep = { socketDir: st.scratch!.socketDir, port: st.port!, osUser: st.user!.name };
  const db = req.database ?? 'postgres';
  if ((req.checkSql ?? []).length > 0) {
    let client;
    try {
      client = await connectScratch(ep, db);
    } catch (e) {
      return [{ name: `connect to ${db}`, ok: false, detail: (e as Error).message }];
    }
    try {
      for (const sql of req.checkSql ?? []) {
        if (st.signal.aborted) break;
        checks.push(await runCheckSql(client, sql));
      }
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  if (req.amcheck) {
    const first = await connectScratch(ep, 'postgres').catch(() => connectScratch(ep, 'template1'));
    let dbs: string[];
    try {
      dbs = (await first.query<{ datname: string }>(CONNECTABLE_DATABASES_SQL)).rows.map((r) => r.datname);
    } finally {
      await first.end().catch(() => undefined);
    }
    for (const name of dbs) {
      if (st.signal.aborted) break;
      const c = await connectScratch(ep, name);
      try {
        checks.push(await runAmcheck(c, name));
      } finally {
        await c.end().catch(() => undefined);
      }
    }
  }
  return checks;
}

function keepInstructions(st: DrillState): string[] {
  const s = st.scratch!;
  const pgCtl = st.binaries?.pgCtl ?? 'pg_ctl';
  const as = st.user?.switchTo ? `sudo -u ${st.user.name} ` : '';
  return [
    `start: ${as}${pgCtl} -D ${s.dataDir} -l ${s.logFile} start`,
    `connect: psql -h ${s.socketDir} -p ${st.port ?? 5432} -d postgres   (Unix socket only; the copy does not archive)`,
    `stop: ${as}${pgCtl} -D ${s.dataDir} stop -m fast`,
    `remove: rm -rf ${s.root}${s.socketDirOutside ? ` ${s.socketDir}` : ''}`,
  ];
}

/** Any error as the report's failure. */
function failureOf(e: unknown): DrillReport['failure'] {
  if (e instanceof DrillError) return { kind: e.kind, message: e.message, segment: e.segment };
  if (e instanceof RecoveryRefusedError) return { kind: 'refused', message: e.message, segment: null };
  const err = e as NodeJS.ErrnoException;
  return { kind: 'refused', message: `${err.code ? `${err.code}: ` : ''}${err.message ?? String(e)}`, segment: null };
}

/** Runs a whole drill; never rejects: the report carries the outcome. */
export async function runDrill(req: DrillRequest): Promise<DrillReport> {
  const started = Date.now();
  const report = emptyReport(req);
  const timeoutSignal = req.timeoutMs ? AbortSignal.timeout(req.timeoutMs) : null;
  const signal = AbortSignal.any([...(req.signal ? [req.signal] : []), ...(timeoutSignal ? [timeoutSignal] : [])]);
  const st: DrillState = { req, report, signal };
  let checksStart = 0;
  try {
    await validate(st);
    throwIfAborted(st, timeoutSignal);
    await restore(st);
    throwIfAborted(st, timeoutSignal);
    await configure(st);
    throwIfAborted(st, timeoutSignal);
    await replay(st, timeoutSignal);
    checksStart = Date.now();
    report.checks = await runChecks(st);
    throwIfAborted(st, timeoutSignal);
    report.durations.checksSeconds = seconds(Date.now() - checksStart);
    const bad = report.checks.filter((c) => c.ok === false);
    if (bad.length > 0)
      throw new DrillError(
        'check-failed',
        `${bad.length} of ${report.checks.length} checks failed: ${bad.map((c) => `${c.name} → ${c.detail}`).join('; ')}`,
      );
    report.ok = true;
  } catch (e) {
    if (checksStart && !report.durations.checksSeconds)
      report.durations.checksSeconds = seconds(Date.now() - checksStart);
    // a step stopped by the abort says "cancelled" whether the user or --timeout stopped it: say which
    const aborted = signal.aborted && (!(e instanceof DrillError) || e.kind === 'cancelled');
    report.failure = failureOf(aborted ? safeAbortError(st, timeoutSignal) : e);
  } finally {
    progress(
      st,
      'cleanup',
      req.keep ? 'stopping the scratch server' : 'stopping the scratch server and removing the scratch folder',
    );
    // a fast shutdown keeps a kept copy clean; a failed or cancelled one is of no further use
    await st.server?.stop(!(report.ok && req.keep)).catch(() => undefined);
    if (st.scratch) {
      if (req.keep) {
        report.kept = true;
        report.keepInstructions = keepInstructions(st);
      } else {
        const problem = removeScratch(st.scratch);
        if (problem) report.warnings.push(problem);
      }
    }
    report.durations.totalSeconds = seconds(Date.now() - started);
  }
  return report;
}

function safeAbortError(st: DrillState, timeoutSignal: AbortSignal | null): unknown {
  try {
    throwIfAborted(st, timeoutSignal);
  } catch (e) {
    return e;
  }
  return new DrillError('cancelled', 'the drill was cancelled');
}
