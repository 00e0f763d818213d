// Real archives for the timeline tests, written by a real PostgreSQL server archiving with cp:
// - the demo's (scripts/demo/demo.ts): one base backup between switched segments;
// - two timelines, a lost gap and two base backups: backup A, WAL, one archived segment removed
//   (the gap ends A's range), backup B, WAL, then a promotion to timeline 2 (B reaches it).
// Pauses between the steps only spread the picture out; nothing waits on time for correctness.
import * as fs from 'node:fs';
import * as path from 'node:path';

import { lowLevelBackupMarks, switchWal } from './archivingWorkload';
import { binDir, type Cluster, createCluster, makeTempDir, runAsUser } from './postgresServers';
import { waitFor } from './waitFor';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface TimelineArchive {
  cluster: Cluster;
  archive: string;
  /** the base backups' labels, oldest first */
  backups: string[];
  /** the removed segment, when there is a gap */
  removed: string | null;
  /** the newest segment archived */
  last: string;
  destroy(): Promise<void>;
}

function settings(archive: string): string[] {
  return [
    'wal_level=replica',
    'archive_mode=on',
    `archive_command=test ! -f ${archive}/%f && cp %p ${archive}/%f`,
    'max_wal_senders=2',
    'log_timezone=UTC',
  ];
}

/** The demo's archive: a few segments, one base backup ("pg-pitr demo"), a few more segments. The server keeps running. */
export async function demoArchive(major: number, spread = 600): Promise<TimelineArchive> {
  const archive = makeTempDir('pg-pitr-timeline-demo-');
  const cluster = await createCluster(major);
  await cluster.start(settings(archive));
  await switchWal(cluster, 2, { table: 'demo_orders' });
  await pause(spread);
  await lowLevelBackupMarks(cluster, 'pg-pitr demo');
  await pause(spread);
  let last = '';
  for (let i = 0; i < 3; i++) {
    last = await switchWal(cluster, 1, { table: 'demo_orders' });
    await pause(spread);
  }
  return { cluster, archive, backups: ['pg-pitr demo'], removed: null, last, destroy: () => destroy(cluster, archive) };
}

/** Two timelines, a lost gap on timeline 1 and two base backups (A before the gap, B after it). The server keeps running on timeline 2. */
export async function twoTimelineArchive(major: number, spread = 600): Promise<TimelineArchive> {
  const archive = makeTempDir('pg-pitr-timeline-two-');
  const cluster = await createCluster(major);
  const conf = settings(archive);
  await cluster.start(conf);
  await switchWal(cluster, 2, { table: 't' });
  await pause(spread);
  await lowLevelBackupMarks(cluster, 'backup A');
  await pause(spread);
  const segs: string[] = [];
  for (let i = 0; i < 3; i++) {
    segs.push(await switchWal(cluster, 1, { table: 't' }));
    await pause(spread);
  }
  // the gap: an archived segment lost after A (A's range ends just before it)
  const removed = segs[1]!;
  fs.rmSync(path.join(archive, removed));
  await switchWal(cluster, 1, { table: 't' });
  await pause(spread);
  await lowLevelBackupMarks(cluster, 'backup B');
  await pause(spread);
  for (let i = 0; i < 2; i++) {
    await switchWal(cluster, 1, { table: 't' });
    await pause(spread);
  }
  // a promotion: stopped, restarted as a standby of the archive, promoted to timeline 2
  await cluster.stop();
  const restore = `cp ${archive}/%f %p`;
  const signal = path.join(cluster.dataDir, major >= 12 ? 'standby.signal' : 'recovery.conf');
  fs.writeFileSync(signal, major >= 12 ? '' : `standby_mode = on\nrestore_command = '${restore}'\n`);
  const { uid, gid } = fs.statSync(cluster.dataDir);
  fs.chownSync(signal, uid, gid);
  await cluster.start(major >= 12 ? [...conf, `restore_command=${restore}`] : conf);
  const pr = await runAsUser(path.join(binDir(major), 'pg_ctl'), ['promote', '-w', '-t', '30', '-D', cluster.dataDir], {
    timeoutMs: 40000,
  });
  if (pr.code !== 0) throw new Error(`pg_ctl promote failed: ${pr.stderr}`);
  await waitFor('the history file of timeline 2 in the archive', async () =>
    fs.existsSync(path.join(archive, '00000002.history')),
  );
  await pause(spread);
  let last = '';
  for (let i = 0; i < 3; i++) {
    last = await switchWal(cluster, 1, { table: 't' });
    await pause(spread);
  }
  if (!last.startsWith('00000002')) throw new Error(`expected timeline 2 after the promotion, archived ${last}`);
  return {
    cluster,
    archive,
    backups: ['backup A', 'backup B'],
    removed,
    last,
    destroy: () => destroy(cluster, archive),
  };
}

async function destroy(cluster: Cluster, archive: string): Promise<void> {
  await cluster.destroy();
  fs.rmSync(archive, { recursive: true, force: true });
}
