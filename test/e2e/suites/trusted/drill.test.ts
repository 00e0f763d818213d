// pgPitr.runDrill in the real editor against a real PostgreSQL 17 that archives with cp: the
// command (driven by its argument object, which skips the pickers) restores a real base backup,
// mirrors the server's archive_command, replays, checks the rows, shows the report in a document
// and records the drill; the Servers view then shows the server's "Last drill" row.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as vscode from 'vscode';

import type { TreeNode } from '../../../../src/extension/servers/serverTreeModel';
import { commitRow, switchWalAndWait, takeLowLevelBaseBackup } from '../../../support/pitrDrill';
import {
  binDir,
  type Cluster,
  createCluster,
  makeTempDir,
  osUser,
  requireServer,
} from '../../../support/postgresServers';
import { screenshot, waitFor } from '../../harness';

const MAJOR = 17;
const SERVER = 'e2e-drill';
const ROWS_SQL = "SELECT string_agg(i::text, ',' ORDER BY i) FROM t";
const Global = vscode.ConfigurationTarget.Global;

interface ServersTestApi {
  refresh(): Promise<void>;
  rootItems(): TreeNode[];
}

function child(n: TreeNode, label: string): TreeNode {
  const c = n.children.find((x) => x.label === label);
  assert.ok(c, `${n.label} has no child "${label}" (${n.children.map((x) => x.label).join(', ')})`);
  return c;
}

describe('restore drill in the real editor', function () {
  this.timeout(180_000);
  let cluster: Cluster;
  let archive: string;
  let work: string;
  let backupDir: string;
  const saved: [string, unknown][] = [];
  const savedState = process.env.XDG_STATE_HOME;

  before(async function () {
    requireServer(MAJOR, this);
    const config = vscode.workspace.getConfiguration('pgPitr');
    for (const n of ['servers', 'drillOsUser', 'drillMaxAgeDays']) saved.push([n, config.inspect(n)?.globalValue]);
    // the drill history (the command's and the Servers view's) goes to a folder of this test
    // the scratch folder goes in here: the server user must be able to open it (makeTempDir: 0755, its owner)
    work = makeTempDir('pg-pitr-e2e-drill-');
    process.env.XDG_STATE_HOME = path.join(work, 'state');
    archive = makeTempDir('pg-pitr-e2e-drill-archive-');
    cluster = await createCluster(MAJOR);
    await cluster.start([
      'wal_level=replica',
      'archive_mode=on',
      `archive_command=test ! -f ${archive}/%f && cp %p ${archive}/%f`,
    ]);
    await cluster.query('CREATE TABLE t (i int PRIMARY KEY)');
    await commitRow(cluster, 1);
    await commitRow(cluster, 2);
    backupDir = path.join(makeTempDir('pg-pitr-e2e-drill-backup-'), 'backup');
    await takeLowLevelBaseBackup(cluster, MAJOR, cluster.dataDir, backupDir);
    await commitRow(cluster, 3);
    await switchWalAndWait(cluster, archive);
    await config.update(
      'servers',
      [{ name: SERVER, host: '127.0.0.1', port: cluster.port, user: 'postgres', database: 'postgres' }],
      Global,
    );
    await config.update('drillOsUser', osUser().name, Global);
    await config.update('drillMaxAgeDays', 7, Global);
  });

  after(async () => {
    const config = vscode.workspace.getConfiguration('pgPitr');
    for (const [n, v] of saved) await config.update(n, v, Global);
    if (savedState === undefined) delete process.env.XDG_STATE_HOME;
    else process.env.XDG_STATE_HOME = savedState;
    await cluster?.destroy();
    for (const d of [archive, backupDir && path.dirname(backupDir), work])
      if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  it('Run Restore Drill: recovers the backup with the mirrored archive_command, shows the report, records it; the Servers view shows the last drill', async () => {
    const r = await vscode.commands.executeCommand<{
      outcome: string;
      report: { ok: boolean; failure: unknown; checks: { detail: string }[]; scratch: string };
      document: vscode.TextDocument;
    }>('pgPitr.runDrill', {
      backup: backupDir,
      target: { kind: 'latest' },
      server: SERVER,
      checkSql: [ROWS_SQL],
      pgBinDir: binDir(MAJOR),
      scratch: path.join(work, 'scratch'),
    });
    assert.equal(r?.outcome, 'done');
    assert.equal(r.report.ok, true, JSON.stringify(r.report.failure));
    assert.equal(r.report.checks[0]?.detail, '1,2,3');
    assert.equal(fs.existsSync(r.report.scratch), false);
    const text = r.document.getText();
    assert.match(
      text,
      /^# pg-pitr restore drill\n\n```text\npg-pitr drill: OK: recovered to latest; time to recover [\d.]+ s\n/,
    );
    assert.match(text, new RegExp(`  checks     ✓ ${ROWS_SQL.replace(/[()*.]/g, '\\$&')}: 1,2,3\n`));
    assert.equal(vscode.window.activeTextEditor?.document, r.document, 'the report is the active editor');
    await screenshot('drill-report');
    const history = fs
      .readFileSync(path.join(work, 'state', 'pg-pitr', 'drills.jsonl'), 'utf8')
      .trim()
      .split('\n');
    assert.equal(history.length, 1);

    const ext = vscode.extensions.getExtension<{ servers?: ServersTestApi }>('pg-pitr.pg-pitr')!;
    const api = await waitFor('the Servers feature', () => ext.exports.servers);
    await api.refresh();
    const row = api.rootItems().find((n) => n.label === SERVER)!;
    const last = child(child(row, 'Backups'), 'Last drill');
    assert.match(last.description ?? '', /^ok \d+ s ago · [\d.]+ s to recover$/);
    assert.ok(
      !child(row, 'Problems').children.some((c) => c.description === 'no-recent-drill'),
      'a fresh drill is recent',
    );
  });
});
