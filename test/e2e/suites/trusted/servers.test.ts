// The Servers sidebar in the real editor, against real PostgreSQL servers started from the
// extension host (as the server OS user): one archiving fine (with a base backup in its archive),
// one whose archive_command fails, one port nobody listens on.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

import * as vscode from 'vscode';

import type { ServersTestApi } from '../../../../src/extension/servers/serversFeature';
import type { TreeNode } from '../../../../src/extension/servers/serverTreeModel';
import { lowLevelBackupMarks, switchWal } from '../../../support/archivingWorkload';
import { type Cluster, createCluster, makeTempDir, requireServer } from '../../../support/postgresServers';
import { eventually, pageText, pressKeys, quickInputStep, screenshot, typeText, waitFor, within } from '../../harness';

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function child(n: TreeNode, label: string): TreeNode {
  const c = n.children.find((x) => x.label === label);
  assert.ok(c, `${n.label} has no ${label}: ${n.children.map((x) => x.label).join(', ')}`);
  return c;
}

async function setServers(value: unknown[]): Promise<void> {
  await vscode.workspace.getConfiguration('pgPitr').update('servers', value, vscode.ConfigurationTarget.Global);
}

/** connect timeout of the server that never answers: the three others answer well within it, even on a loaded machine */
const SILENT_TIMEOUT_S = 8;

describe('Servers sidebar (real servers)', function () {
  this.timeout(180000);
  let healthy: Cluster;
  let failing: Cluster;
  let archiveDir: string;
  let failedWal: string;
  let api: ServersTestApi;
  const timings: Record<string, number> = {};
  let configured: Record<string, Record<string, unknown>> = {};

  before(async function () {
    requireServer(17, this);
    requireServer(16, this);
    let t = Date.now();
    archiveDir = makeTempDir('pg-pitr-e2e-archive-');
    // the idempotent, durable archive_command of the `archive` snippet
    const command =
      `f=${archiveDir}/%f; if [ -f "$f" ]; then cmp -s "%p" "$f"; else cp "%p" "$f.tmp" ` +
      `&& sync "$f.tmp" && mv "$f.tmp" "$f" && sync "${archiveDir}"; fi`;
    [healthy, failing] = await Promise.all([createCluster(17), createCluster(16)]);
    await Promise.all([
      healthy.start(['wal_level=replica', 'archive_mode=on', `archive_command=${command}`, 'archive_timeout=60']),
      failing.start(['wal_level=replica', 'archive_mode=on', 'archive_command=false', 'archive_timeout=60']),
    ]);
    await switchWal(healthy, 1);
    await lowLevelBackupMarks(healthy, 'nightly base backup');
    await switchWal(healthy, 1);
    await switchWal(failing, 1, { wait: false });
    failedWal = await eventually(async () => {
      const [r] = await failing.query<{ n: string; w: string | null }>(
        'SELECT failed_count::text AS n, last_failed_wal AS w FROM pg_stat_archiver',
      );
      assert.ok(Number(r.n) > 0 && r.w, "archive_command = 'false' was never counted as failed");
      return r.w;
    });
    timings.serversMs = Date.now() - t;

    t = Date.now();
    const ext = vscode.extensions.getExtension<{ servers?: ServersTestApi }>('pg-pitr.pg-pitr')!;
    const exports = ext.isActive ? ext.exports : await ext.activate();
    api = await waitFor('the Servers feature (trusted workspace)', () => exports.servers);
    await vscode.workspace
      .getConfiguration('pgPitr')
      .update('refreshIntervalSeconds', 0, vscode.ConfigurationTarget.Global);
    configured = {
      'orders-db': { name: 'orders-db', host: '127.0.0.1', port: healthy.port, user: 'postgres', database: 'postgres' },
      'billing-db': {
        name: 'billing-db',
        host: '127.0.0.1',
        port: failing.port,
        user: 'postgres',
        database: 'postgres',
      },
      'reports-db': {
        name: 'reports-db',
        host: '127.0.0.1',
        port: await closedPort(),
        user: 'postgres',
        database: 'postgres',
      },
    };
    await setServers(Object.values(configured));
    await waitFor('three rows', () => api.rootItems().length === 3);
    timings.setupEditorMs = Date.now() - t;
  });

  after(async () => {
    await setServers([]).catch(() => undefined);
    await vscode.workspace
      .getConfiguration('pgPitr')
      .update('refreshIntervalSeconds', undefined, vscode.ConfigurationTarget.Global);
    await Promise.all([healthy?.destroy(), failing?.destroy()]);
    if (archiveDir && fs.existsSync(archiveDir)) fs.chmodSync(archiveDir, 0o755);
    if (archiveDir) fs.rmSync(archiveDir, { recursive: true, force: true });
    // the runner's output folder (.test-output/e2e in the repository the extension runs from)
    const out = path.join(vscode.extensions.getExtension('pg-pitr.pg-pitr')!.extensionPath, '.test-output', 'e2e');
    if (fs.existsSync(out)) fs.writeFileSync(path.join(out, 'servers-timings.json'), JSON.stringify(timings, null, 2));
  });

  it('Refresh shows each server with its health icon and description, and the summary in the status bar', async () => {
    const t = Date.now();
    await api.refresh();
    timings.refreshMs = Date.now() - t;
    const rows = api.rootItems();
    assert.deepEqual(
      rows.map((r) => [r.label, r.icon?.id, r.description]),
      [
        ['orders-db', 'pass', 'PG 17 · primary · ok'],
        ['billing-db', 'error', 'PG 16 · primary · failing'],
        ['reports-db', 'question', 'unknown'],
      ],
    );
    assert.equal(api.statusText(), '$(error) PITR: 1 ok · 1 failing · 1 unknown');
    // what the workbench renders (codicons become icons, the text stays)
    const shown = await pageText('[id="pg-pitr.pg-pitr.pgPitr.serversStatus"]');
    assert.match(shown, /PITR: 1 ok · 1 failing · 1 unknown/);
  });

  it("the failing server's reason, naming the failing WAL, is in its children", () => {
    const billing = api.rootItems()[1]!;
    const lastFailed = child(child(billing, 'Archiving'), 'Last failed');
    assert.ok(lastFailed.description?.startsWith(`${failedWal} · `), lastFailed.description);
    const problems = child(billing, 'Problems');
    assert.equal(problems.state, 'expanded');
    const first = problems.children[0]!;
    assert.equal(first.description, 'archiving-failing');
    assert.ok(first.label.startsWith(`archive_command is failing: ${failedWal} failed at `), first.label);
    const reports = api.rootItems()[2]!;
    assert.match(
      child(reports, 'Problems').children[0]!.label,
      /^cannot connect: 127\.0\.0\.1:\d+: connection refused/,
    );
    const orders = api.rootItems()[0]!;
    assert.equal(child(orders, 'Backups').description, '1 in the archive');
    assert.equal(child(orders, 'Archive').description, archiveDir);
  });

  it('Test Server Connection answers with the version and health, or why it cannot connect', async () => {
    const billing = await vscode.commands.executeCommand<{
      health: string;
      version: string;
      reasons: { id: string }[];
    }>('pgPitr.testServerConnection', { kind: 'server', name: 'billing-db' });
    assert.equal(billing.health, 'failing');
    assert.match(billing.version, /^16\.\d+$/);
    assert.equal(billing.reasons[0]!.id, 'archiving-failing');
    const reports = await vscode.commands.executeCommand<{ health: string; reasons: { id: string }[] }>(
      'pgPitr.testServerConnection',
      { kind: 'server', name: 'reports-db' },
    );
    assert.deepEqual([reports.health, reports.reasons[0]!.id], ['unknown', 'connection-failed']);
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('the view shows the rows; screenshots of the sidebar', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await vscode.commands.executeCommand('pgPitr.showServersView');
    // a wider sidebar, so that the screenshot reads without ellipses
    // (the headless page has no focus, so the resize commands act on the editor part: shrinking it widens the sidebar)
    for (let i = 0; i < 8; i++) await vscode.commands.executeCommand('workbench.action.decreaseViewWidth');
    await api.reveal('orders-db', 'archive');
    await api.reveal('billing-db', 'archiving');
    await api.reveal('reports-db', 'problems');
    await eventually(async () => {
      assert.equal(
        await pageText('.monaco-list-row[aria-label^="billing-db"]'),
        'billing-db, PG 16 · primary · failing',
      );
    });
    await screenshot('servers-sidebar');
  });

  it('one server that never answers does not hold up the others; it ends unknown after the timeout', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((sock) => {
      sockets.add(sock);
      sock.on('error', () => undefined);
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    try {
      await vscode.workspace
        .getConfiguration('pgPitr')
        .update('connectTimeoutSeconds', SILENT_TIMEOUT_S, vscode.ConfigurationTarget.Global);
      const before = api.rootItems();
      await setServers([
        ...before.map((r) => ({ ...configured[r.label] })),
        {
          name: 'silent-db',
          host: '127.0.0.1',
          port: (silent.address() as net.AddressInfo).port,
          user: 'postgres',
          database: 'postgres',
        },
      ]);
      await waitFor('four rows', () => api.rootItems().length === 4);
      const t = Date.now();
      const refresh = api.refresh();
      // the others answer while silent-db still waits for its connect timeout (a condition, not a
      // time: whichever comes first decides)
      const rows = await waitFor('the three answering rows', () => {
        const r = api.rootItems();
        return r.slice(0, 3).every((x) => !x.description?.endsWith('checking…')) ? r : undefined;
      });
      timings.othersAnsweredMs = Date.now() - t;
      assert.ok(rows[3]!.description?.endsWith('checking…'), `silent-db: ${rows[3]!.description}`);
      assert.deepEqual(rows.map((r) => r.icon?.id).slice(0, 3), ['pass', 'error', 'question']);
      await refresh;
      timings.silentAnsweredMs = Date.now() - t;
      const silentRow = api.rootItems()[3]!;
      assert.deepEqual([silentRow.icon?.id, silentRow.description], ['question', 'unknown']);
      assert.match(child(silentRow, 'Problems').children[0]!.label, /^cannot connect: .*time/);
      assert.ok(
        timings.silentAnsweredMs >= SILENT_TIMEOUT_S * 1000 - 100,
        `silent-db answered after ${timings.silentAnsweredMs} ms`,
      );
      assert.equal(api.statusText(), '$(error) PITR: 1 ok · 1 failing · 2 unknown');
    } finally {
      for (const sock of sockets) sock.destroy();
      silent.close();
      await vscode.workspace
        .getConfiguration('pgPitr')
        .update('connectTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
      await setServers(Object.values(configured));
      await waitFor('three rows again', () => api.rootItems().length === 3);
    }
  });

  it('warns once when a server goes from ok to failing', async () => {
    await api.refresh();
    assert.equal(api.rootItems()[0]!.icon?.id, 'pass');
    const before = api.notifications().length;
    // the archive folder becomes read-only: the copy fails from now on
    fs.chmodSync(archiveDir, 0o555);
    const [{ n }] = await healthy.query<{ n: string }>('SELECT failed_count::text AS n FROM pg_stat_archiver');
    await switchWal(healthy, 1, { wait: false });
    await eventually(async () => {
      const [r] = await healthy.query<{ n: string }>('SELECT failed_count::text AS n FROM pg_stat_archiver');
      assert.ok(Number(r.n) > Number(n), `failed_count still ${r.n}`);
    });
    await api.refresh();
    assert.equal(api.rootItems()[0]!.icon?.id, 'error');
    const after = api.notifications().slice(before);
    assert.equal(after.length, 1, after.join('\n'));
    assert.match(
      after[0]!,
      /^PostgreSQL server "orders-db" is failing: archive_command is failing: 0000000100000000000000\w\w failed at /,
    );
    // the toast is on the page before the screenshot is taken
    await eventually(async () => assert.match(await pageText('.notification-toast'), /orders-db/));
    await screenshot('servers-notification');
    await api.refresh();
    assert.equal(api.notifications().length, before + 1, 'not again while it keeps failing');
    assert.equal(api.statusText(), '$(error) PITR: 2 failing · 1 unknown');
  });

  it('Add Server: a password typed into a connection string goes to secret storage, never to settings (also with ? and #, split as libpq splits it); Edit renames both; a TLS downgrade in settings withholds it; Remove deletes both', async function () {
    this.timeout(60000);
    const uri = `postgresql://postgres:s3cret?x#y@127.0.0.1:${healthy.port}/postgres`;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const adding = vscode.commands.executeCommand('pgPitr.addServer');
    const seen: string[] = [];
    /** waits until the quick input shows the step (its prompt, or a pick's placeholder) before typing */
    const step = async (shows: RegExp) => {
      const now = await quickInputStep(String(shows), (q) => shows.test(`${q.message} | ${q.placeholder}`));
      seen.push(`${now.message} | ${now.placeholder}`);
    };
    try {
      await step(/Name shown in the Servers view|A name is required/);
      await typeText('added-db');
      await pressKeys(['Enter']);
      await step(/How to connect/);
      await typeText('Connection string');
      await pressKeys(['Enter']);
      await step(/libpq connection string or URI|Required/);
      await typeText(uri);
      await pressKeys(['Enter']);
      await step(/Archive location/);
      await pressKeys(['Enter']); // archive location: inferred
      await within(`the end of the input flow (seen: ${JSON.stringify(seen)})`, adding);
    } finally {
      await pressKeys(['Escape']);
    }
    const stored =
      vscode.workspace.getConfiguration('pgPitr').inspect<Record<string, unknown>[]>('servers')?.globalValue ?? [];
    assert.deepEqual(
      stored.find((x) => x.name === 'added-db'),
      { name: 'added-db', connectionString: `postgresql://postgres@127.0.0.1:${healthy.port}/postgres` },
    );
    assert.doesNotMatch(JSON.stringify(stored), /s3cret|x#y/);
    assert.equal(await api.hasStoredPassword('added-db'), true);
    const row = await waitFor('the new row checked', () =>
      api
        .rootItems()
        .find((r) => r.label === 'added-db' && r.icon?.id !== 'loading~spin' && !r.description?.endsWith('checking…')),
    );
    assert.match(row.description!, /^PG 17 · primary · /);

    // Edit: rename it, keep the rest (Enter keeps each prefilled value and the stored password)
    const editing = vscode.commands.executeCommand('pgPitr.editServer', { kind: 'server', name: 'added-db' });
    try {
      await step(/Name shown in the Servers view/);
      await pressKeys(['Control+a']);
      await typeText('renamed-db');
      await pressKeys(['Enter']);
      // how to connect (the current way first), connection string, archive, password: Enter keeps each
      for (const shows of [
        /How to connect/,
        /libpq connection string or URI/,
        /Archive location/,
        /Password \(empty: keep/,
      ]) {
        await step(shows);
        await pressKeys(['Enter']);
      }
      await within(`the end of the edit flow (seen: ${JSON.stringify(seen)})`, editing);
    } finally {
      await pressKeys(['Escape']);
    }
    const edited =
      vscode.workspace.getConfiguration('pgPitr').inspect<Record<string, unknown>[]>('servers')?.globalValue ?? [];
    assert.deepEqual(
      edited.find((x) => x.name === 'renamed-db'),
      { name: 'renamed-db', connectionString: `postgresql://postgres@127.0.0.1:${healthy.port}/postgres` },
    );
    assert.deepEqual(
      [await api.hasStoredPassword('renamed-db'), await api.hasStoredPassword('added-db')],
      [true, false],
    );

    // security 9: settings.json edited to switch TLS off for the same server: the stored password is withheld
    await setServers(edited.map((x) => (x.name === 'renamed-db' ? { ...x, sslmode: 'disable' } : x)));
    await api.refresh();
    const withheld = await waitFor('the downgraded server checked without its password', () =>
      api
        .rootItems()
        .find((r) => r.label === 'renamed-db')
        ?.children.find((c) => c.label === 'Problems')
        ?.children.find((c) => /TLS settings \(sslmode, sslrootcert\)/.test(c.label)),
    );
    assert.match(withheld.label, /^the stored password of "renamed-db" was saved for another .* so it is not sent/);

    // (VS Code refuses modal dialogs under test: the confirmation is given as an argument)
    await vscode.commands.executeCommand(
      'pgPitr.removeServer',
      { kind: 'server', name: 'renamed-db' },
      { confirm: true },
    );
    const after =
      vscode.workspace.getConfiguration('pgPitr').inspect<Record<string, unknown>[]>('servers')?.globalValue ?? [];
    assert.deepEqual(
      after.map((x) => x.name),
      ['orders-db', 'billing-db', 'reports-db'],
    );
    assert.equal(await api.hasStoredPassword('renamed-db'), false);
  });

  it('with no server configured the view offers Add Server (welcome content)', async () => {
    await setServers([]);
    await vscode.commands.executeCommand('pgPitr.showServersView');
    await waitFor('no rows', () => api.rootItems().length === 0);
    await eventually(async () => {
      assert.match(await pageText('.welcome-view-content'), /No PostgreSQL server is configured yet/);
    });
    await screenshot('servers-welcome');
  });
});
