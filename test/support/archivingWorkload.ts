// WAL activity on a real test cluster: write, switch segments, wait for the archiver, and take a
// base backup through the low-level API (the server packages ship no pg_basebackup).
import type { Cluster } from './postgresServers';
import { waitFor } from './waitFor';

/** Waits until the archiver reports `seg` (or a later segment) archived. Only segment names count:
 * a .history, .partial or .backup name sorts differently. */
export async function waitArchived(c: Pick<Cluster, 'query'>, seg: string, ms = 30000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    const [r] = await c.query<{ last: string | null; failed: string; lastFailed: string | null }>(
      'SELECT last_archived_wal AS last, failed_count::text AS failed, last_failed_wal AS "lastFailed" FROM pg_stat_archiver',
    );
    if (
      r.last !== null &&
      /^[0-9A-F]{24}$/.test(r.last) &&
      r.last.slice(8) >= seg.slice(8) &&
      r.last.slice(0, 8) >= seg.slice(0, 8)
    )
      return;
    if (Date.now() > end)
      throw new Error(
        `${seg} was not archived within ${ms} ms (last archived ${r.last}, failed ${r.failed}, last failed ${r.lastFailed})`,
      );
    await new Promise((res) => setTimeout(res, 50));
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

/** ALTER SYSTEM SET archive_command + reload, and waits until the server runs with it. */
export async function setArchiveCommand(c: Pick<Cluster, 'query'>, command: string): Promise<void> {
  await c.query(`ALTER SYSTEM SET archive_command = '${command.replace(/'/g, "''")}'`);
  await c.query('SELECT pg_reload_conf()');
  await waitFor(
    'the reload',
    async () => (await c.query<{ archive_command: string }>('SHOW archive_command'))[0].archive_command === command,
  );
}
