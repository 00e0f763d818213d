// WAL activity on a real test cluster: write, switch segments, wait for the archiver, and take a
// base backup through the low-level API (the server packages ship no pg_basebackup).
import type { Cluster } from './postgresServers';

export async function waitArchived(c: Cluster, seg: string, ms = 30000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    const [r] = await c.query<{ w: string | null }>('SELECT last_archived_wal AS w FROM pg_stat_archiver');
    if (r.w !== null && r.w >= seg) return;
    if (Date.now() > end) throw new Error(`${seg} was not archived within ${ms} ms (last: ${r.w})`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

/** Writes into table `table` (created when missing) and switches segments `n` times; returns the last switched-out segment. */
export async function switchWal(c: Cluster, n: number, opts: { wait?: boolean; table?: string } = {}): Promise<string> {
  const table = opts.table ?? 'pg_pitr_workload';
  await c.query(`CREATE TABLE IF NOT EXISTS ${table} (i int)`);
  let seg = '';
  for (let i = 0; i < n; i++) {
    await c.query(`INSERT INTO ${table} SELECT generate_series(1, 1000)`);
    [{ seg }] = await c.query<{ seg: string }>('SELECT pg_walfile_name(pg_switch_wal()) AS seg');
  }
  if (opts.wait !== false) await waitArchived(c, seg);
  return seg;
}

/** Starts and stops a non-exclusive base backup (no files copied): enough for the archive to hold its backup history file. */
export async function lowLevelBackupMarks(c: Cluster, label: string): Promise<{ stopLsn: string }> {
  if (c.major >= 15) {
    await c.query('SELECT pg_backup_start($1, true)', [label]);
    const [r] = await c.query<{ lsn: string }>('SELECT lsn::text FROM pg_backup_stop(true)');
    return { stopLsn: r.lsn };
  }
  await c.query('SELECT pg_start_backup($1, true, false)', [label]);
  const [r] = await c.query<{ lsn: string }>('SELECT lsn::text FROM pg_stop_backup(false, true)');
  return { stopLsn: r.lsn };
}
