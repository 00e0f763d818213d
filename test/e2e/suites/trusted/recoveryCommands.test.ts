// Issue 7's commands in the real editor, against a real PostgreSQL server that archives with cp:
// restore point, archiving proof, the SQL CodeLens, the recovery configuration wizard (driven by
// its argument object) and pg_basebackup / pg_verifybackup in integrated terminals (through stub
// programs that record their argv and password file: the real clients are not installed in CI).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import * as vscode from 'vscode';

import { DataDirServer, readRows, switchWalAndWait, takeLowLevelBaseBackup } from '../../../support/pitrDrill';
import {
  type Cluster,
  createCluster,
  MAJORS,
  makeTempDir,
  requireServer,
  serverAvailable,
} from '../../../support/postgresServers';
import { fixture, pressKeys, quickInputStep, screenshot, typeText, waitFor } from '../../harness';

const MAJOR = 17;
const SERVER = 'e2e-recovery';
const SERVER_PW = 'e2e-recovery-pw';
// trust authentication ignores it; it proves where a password goes (never argv), and that the
// password file escapes ':' and '\\'
const PASSWORD = 'Pw:e2e\\never-on-argv';
const Global = vscode.ConfigurationTarget.Global;

interface RestorePointResult {
  server: string;
  name: string;
  lsn: string;
  wal: string;
  timeline: number;
  time: string;
  log: string | null;
}

/** Remembers the user settings a suite changes and puts them back afterwards (other suites share the window). */
function userSettings(...names: string[]): { restore(): Promise<void> } {
  const config = () => vscode.workspace.getConfiguration('pgPitr');
  const saved = names.map((n) => [n, config().inspect(n)?.globalValue] as const);
  return {
    async restore() {
      for (const [n, v] of saved) await config().update(n, v, Global);
    },
  };
}

function writeStub(dir: string, name: string, version: string, out: string): void {
  const file = path.join(dir, name);
  fs.writeFileSync(
    file,
    [
      '#!/bin/sh',
      `if [ "$1" = "--version" ]; then echo "${name} (PostgreSQL) ${version}"; exit 0; fi`,
      `printf '%s\\n' "$@" > "${out}/${name}.args.tmp"`,
      `if [ -n "$PGPASSFILE" ]; then cat "$PGPASSFILE" > "${out}/${name}.passfile"; else : > "${out}/${name}.passfile"; fi`,
      `mv "${out}/${name}.args.tmp" "${out}/${name}.args"`,
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
}

describe('recovery commands in the real editor', function () {
  this.timeout(120_000);
  let cluster: Cluster;
  let archive: string;
  let scratch: string;
  let restorePointLog = '';
  let settings: { restore(): Promise<void> } | undefined;

  before(async function () {
    this.timeout(180_000);
    requireServer(MAJOR, this);
    settings = userSettings('servers', 'pgBinDir');
    archive = makeTempDir('pg-pitr-e2e-archive-');
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-e2e-recovery-'));
    cluster = await createCluster(MAJOR);
    await cluster.start([
      'wal_level=replica',
      'archive_mode=on',
      `archive_command=test ! -f ${archive}/%f && cp %p ${archive}/%f`,
      'max_wal_senders=5',
    ]);
    await cluster.query('select 1');
    await vscode.workspace.getConfiguration('pgPitr').update(
      'servers',
      [
        { name: SERVER, host: '127.0.0.1', port: cluster.port, user: 'postgres', database: 'postgres' },
        {
          name: SERVER_PW,
          connectionString: `postgresql://postgres:${encodeURIComponent(PASSWORD)}@127.0.0.1:${cluster.port}/postgres`,
        },
      ],
      Global,
    );
  });

  after(async function () {
    this.timeout(60_000);
    for (const t of vscode.window.terminals)
      if (t.name.startsWith('pg_basebackup') || t.name.startsWith('pg_verifybackup')) t.dispose();
    await settings?.restore();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await cluster?.destroy();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
    if (archive) fs.rmSync(archive, { recursive: true, force: true });
  });

  it('the commands exist in a trusted workspace', async () => {
    const ours = (await vscode.commands.getCommands(true)).filter((c) => c.startsWith('pgPitr.'));
    for (const c of [
      'pgPitr.generateRecoveryConfig',
      'pgPitr.launchBaseBackup',
      'pgPitr.verifyBackup',
      'pgPitr.createRestorePoint',
      'pgPitr.checkArchiving',
    ])
      assert.ok(ours.includes(c), `${c} is registered`);
  });

  it('createRestorePoint creates the point on the server, returns its LSN and WAL, and records it', async () => {
    const r = await vscode.commands.executeCommand<RestorePointResult>('pgPitr.createRestorePoint', {
      server: SERVER,
      name: 'e2e_before_drop',
    });
    assert.ok(r, 'the command returned the restore point');
    assert.equal(r.server, SERVER);
    assert.equal(r.name, 'e2e_before_drop');
    assert.match(r.lsn, /^[0-9A-F]+\/[0-9A-F]+$/);
    const [row] = await cluster.query<{ wal: string; behind: boolean; tli: number }>(
      'select pg_walfile_name($1::pg_lsn) as wal, $1::pg_lsn <= pg_current_wal_insert_lsn() as behind, ' +
        '(select timeline_id from pg_control_checkpoint()) as tli',
      [r.lsn],
    );
    assert.equal(r.wal, row!.wal);
    assert.equal(row!.behind, true);
    assert.equal(r.timeline, row!.tli);
    assert.ok(r.log, 'recorded in the restore point log');
    restorePointLog = r.log;
    const logged = fs.readFileSync(r.log, 'utf8');
    assert.ok(logged.includes('e2e_before_drop') && logged.includes(r.lsn), `the log holds the point: ${logged}`);
  });

  it('createRestorePoint from a Servers view row: the row names the server, the user gives the reason and confirms the name', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // what the view passes to a view/item/context command: its element for the row
    const running = vscode.commands.executeCommand<RestorePointResult>('pgPitr.createRestorePoint', {
      kind: 'server',
      name: SERVER,
    });
    await quickInputStep('the reason prompt', (q) => q.title === 'pg-pitr: restore point');
    await typeText('menu test');
    await pressKeys(['Enter']);
    await quickInputStep('the name prompt', (q) => q.title === 'pg-pitr: restore point name');
    await pressKeys(['Enter']);
    const r = await running;
    assert.ok(r, 'created');
    assert.equal(r.server, SERVER);
    assert.match(r.name, /^pg-pitr-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z-menu-test$/);
  });

  it('createRestorePoint refuses a name longer than 63 bytes and records nothing', async () => {
    assert.ok(restorePointLog, 'the previous test recorded a point');
    const before = fs.readFileSync(restorePointLog, 'utf8');
    const r = await vscode.commands.executeCommand('pgPitr.createRestorePoint', {
      server: SERVER,
      name: 'x'.repeat(64),
    });
    assert.equal(r, undefined);
    assert.equal(fs.readFileSync(restorePointLog, 'utf8'), before);
  });

  it('checkArchiving switches WAL and finds the segment in the cp archive', async () => {
    const r = await vscode.commands.executeCommand<{
      ok: boolean;
      segment: string | null;
      failure: string | null;
      archivedAfterMs: number | null;
    }>('pgPitr.checkArchiving', { server: SERVER, timeoutMs: 30_000 });
    assert.ok(r, 'the command returned its result');
    assert.equal(r.failure, null);
    assert.equal(r.ok, true);
    assert.match(r.segment ?? '', /^[0-9A-F]{24}$/);
    assert.ok(fs.existsSync(path.join(archive, r.segment!)), `${r.segment} is in ${archive}`);
    const [a] = await cluster.query<{ last: string }>('select last_archived_wal as last from pg_stat_archiver');
    assert.ok(a!.last >= r.segment!, `the archiver reports ${a!.last} >= ${r.segment}`);
  });

  it('generateRecoveryConfig on a real restored copy: the archive gives the reachable range, targets outside it are refused, a named point is reached', async () => {
    await cluster.query('create table t (i int)');
    await cluster.query('insert into t values (1), (2)');
    await vscode.commands.executeCommand('pgPitr.createRestorePoint', { server: SERVER, name: 'e2e_before_backup' });
    const work = makeTempDir('pg-pitr-e2e-restore-');
    const copy = path.join(work, 'data');
    const backup = await takeLowLevelBaseBackup(cluster, MAJOR, cluster.dataDir, copy);
    await cluster.query('insert into t values (3)');
    const point = await vscode.commands.executeCommand<RestorePointResult>('pgPitr.createRestorePoint', {
      server: SERVER,
      name: 'e2e_after_3',
    });
    await cluster.query('insert into t values (4)');
    await cluster.query('drop table t');
    await switchWalAndWait(cluster, archive);
    const pristine = fs.readFileSync(path.join(copy, 'postgresql.auto.conf'), 'utf8');
    const ask = (target: unknown) =>
      vscode.commands.executeCommand<{ outcome: string; reason?: string; written?: string[]; warnings?: string[] }>(
        'pgPitr.generateRecoveryConfig',
        { dataDir: copy, target, action: 'promote', server: SERVER, confirm: true, preview: false },
      );

    // before the end of the copy's backup, by LSN and by a restore point recorded before it
    let r = await ask({ kind: 'lsn', lsn: '0/1000000' });
    assert.equal(r.outcome, 'refused', JSON.stringify(r));
    assert.match(
      r.reason ?? '',
      new RegExp(`^recovery target 0/1000000 is before the end of the base backup \\(${backup.stopLsn}`),
    );
    r = await ask({ kind: 'name', name: 'e2e_before_backup' });
    assert.equal(r.outcome, 'refused', JSON.stringify(r));
    assert.match(
      r.reason ?? '',
      /^restore point "e2e_before_backup" \([0-9A-F/]+\) is before the end of this copy's base backup/,
    );
    // beyond the last archived WAL
    r = await ask({ kind: 'lsn', lsn: 'FF/0' });
    assert.equal(r.outcome, 'refused');
    assert.match(r.reason ?? '', /^recovery target FF\/0 is beyond the last archived WAL/);
    assert.equal(
      fs.readFileSync(path.join(copy, 'postgresql.auto.conf'), 'utf8'),
      pristine,
      'nothing written while refusing',
    );

    r = await ask({ kind: 'name', name: 'e2e_after_3' });
    assert.equal(r.reason, undefined);
    assert.equal(r.outcome, 'written');
    const auto = fs.readFileSync(path.join(copy, 'postgresql.auto.conf'), 'utf8');
    assert.match(auto, /^archive_mode = 'off'$/m);
    assert.match(auto, /^recovery_target_name = 'e2e_after_3'$/m);
    const server = new DataDirServer(MAJOR, copy, work);
    try {
      await server.start();
      await server.waitPromoted();
      assert.deepEqual(await readRows(server), [1, 2, 3]);
      assert.match(server.log(), new RegExp(`recovery stopping at restore point "e2e_after_3", time`));
    } finally {
      await server.stop();
      fs.rmSync(work, { recursive: true, force: true });
    }
    assert.ok(point.lsn);
  });

  it('checkArchiving says exactly why when archive_command fails', async () => {
    // cp into a folder the server may not write to: the archiver counts failures
    fs.chmodSync(archive, 0o555);
    try {
      const r = await vscode.commands.executeCommand<{ ok: boolean; segment: string; failure: string | null }>(
        'pgPitr.checkArchiving',
        { server: SERVER, timeoutMs: 30_000 },
      );
      assert.ok(r);
      assert.equal(r.ok, false);
      assert.match(r.segment, /^[0-9A-F]{24}$/);
      const [a] = await cluster.query<{ wal: string; failed: string }>(
        'select last_failed_wal as wal, failed_count::text as failed from pg_stat_archiver',
      );
      assert.ok(Number(a!.failed) >= 3, `failed_count ${a!.failed}`);
      assert.match(
        r.failure ?? '',
        new RegExp(
          `failed for ${a!.wal} at .*\\(failed_count \\d+, last archived [0-9A-F]{24}\\): ${r.segment} cannot be archived before it`,
        ),
      );
      assert.equal(fs.existsSync(path.join(archive, r.segment)), false);
    } finally {
      fs.chmodSync(archive, 0o755);
    }
  });

  it('SQL CodeLens: one "Create restore point before this" above each destructive statement', async () => {
    const uri = fixture('migrations/001_drop.sql');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'sql');
    const got = await lensRows(uri);
    assert.deepEqual(got, [
      {
        line: 2,
        title: 'Create restore point before this',
        command: 'pgPitr.createRestorePoint',
        reason: 'DROP TABLE old_orders',
      },
      {
        line: 3,
        title: 'Create restore point before this',
        command: 'pgPitr.createRestorePoint',
        reason: 'DELETE FROM sessions without WHERE',
      },
      {
        line: 5,
        title: 'Create restore point before this',
        command: 'pgPitr.createRestorePoint',
        reason: 'UPDATE accounts without WHERE',
      },
      {
        line: 7,
        title: 'Create restore point before this',
        command: 'pgPitr.createRestorePoint',
        reason: 'ALTER TABLE customers DROP COLUMN legacy_code',
      },
      {
        line: 8,
        title: 'Create restore point before this',
        command: 'pgPitr.createRestorePoint',
        reason: 'TRUNCATE audit_log',
      },
      {
        line: 9,
        title: 'Create restore point before this',
        command: 'pgPitr.createRestorePoint',
        reason: 'DELETE FROM wishlist without WHERE',
      },
      {
        line: 11,
        title: 'Create restore point before this',
        command: 'pgPitr.createRestorePoint',
        reason: 'DROP SCHEMA staging CASCADE',
      },
    ]);
    await screenshot('sql-codelens');
  });

  it('the CodeLens command asks for the name, suggested from the statement, and creates the point', async () => {
    const uri = fixture('migrations/001_drop.sql');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const lens = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)).find(
      (l) => l.range.start.line === 2,
    )!;
    // one server configured for this test, so no server question; the name prompt is the only one
    const servers = vscode.workspace.getConfiguration('pgPitr').inspect('servers')?.globalValue;
    await vscode.workspace
      .getConfiguration('pgPitr')
      .update(
        'servers',
        [{ name: SERVER, host: '127.0.0.1', port: cluster.port, user: 'postgres', database: 'postgres' }],
        Global,
      );
    try {
      const running = vscode.commands.executeCommand<RestorePointResult>(
        lens.command!.command,
        ...(lens.command!.arguments ?? []),
      );
      await quickInputStep('the name prompt', (q) => q.title === 'pg-pitr: restore point name');
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      const r = await running;
      assert.ok(r, 'created after accepting the suggested name');
      assert.match(r.name, /^pg-pitr-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z-drop-table-old-orders$/);
      const logged = JSON.parse(fs.readFileSync(r.log!, 'utf8')) as {
        restorePoints: { name: string; reason?: string }[];
      };
      assert.deepEqual(logged.restorePoints.find((p) => p.name === r.name)?.reason, 'DROP TABLE old_orders');
    } finally {
      await vscode.workspace.getConfiguration('pgPitr').update('servers', servers, Global);
    }
  });

  it('SQL CodeLens: SQL that does not parse gets no lens', async () => {
    const uri = fixture('migrations/002_unparsable.sql');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    assert.deepEqual(await lensRows(uri), []);
  });

  it('generateRecoveryConfig previews, writes the configuration with backups, and comments out old targets', async () => {
    const dir = path.join(scratch, 'restored');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'PG_VERSION'), `${MAJOR}\n`);
    const conf = "shared_buffers = 128MB\nrecovery_target_time = '2020-01-01 00:00:00+00'\n";
    const auto =
      "# Do not edit this file manually!\n# It will be overwritten by the ALTER SYSTEM command.\nwork_mem = '8MB'\n";
    fs.writeFileSync(path.join(dir, 'postgresql.conf'), conf);
    fs.writeFileSync(path.join(dir, 'postgresql.auto.conf'), auto);
    const r = await vscode.commands.executeCommand<{
      outcome: string;
      written: string[];
      backups: string[];
      reason?: string;
    }>('pgPitr.generateRecoveryConfig', {
      dataDir: dir,
      target: { kind: 'name', name: 'e2e_before_drop' },
      action: 'promote',
      timeline: 'current',
      restoreCommand: `cp ${archive}/%f %p`,
      confirm: true,
    });
    assert.equal(r.reason, undefined);
    assert.equal(r.outcome, 'written');
    assert.deepEqual(
      [...r.written].sort(),
      [
        path.join(dir, 'postgresql.auto.conf'),
        path.join(dir, 'postgresql.conf'),
        path.join(dir, 'recovery.signal'),
      ].sort(),
    );
    assert.equal(r.backups.length, 2);
    const backedUp = r.backups.map((b) => fs.readFileSync(b, 'utf8')).sort();
    assert.deepEqual(backedUp, [conf, auto].sort());
    assert.ok(fs.existsSync(path.join(dir, 'recovery.signal')));
    const newAuto = fs.readFileSync(path.join(dir, 'postgresql.auto.conf'), 'utf8');
    assert.match(newAuto, /^recovery_target_name = 'e2e_before_drop'$/m);
    assert.match(newAuto, /^recovery_target_action = 'promote'$/m);
    assert.match(newAuto, /^recovery_target_timeline = 'current'$/m);
    assert.ok(newAuto.includes(`restore_command = 'cp ${archive}/%f %p'`), newAuto);
    assert.match(newAuto, /^work_mem = '8MB'$/m);
    const newConf = fs.readFileSync(path.join(dir, 'postgresql.conf'), 'utf8');
    assert.match(newConf, /^#.*recovery_target_time = '2020-01-01 00:00:00\+00'/m);
    assert.match(newConf, /^shared_buffers = 128MB$/m);
    // every planned file was previewed: a diff for each update, a document for the new file
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.input));
    const diffs = tabs
      .filter(
        (t): t is vscode.TabInputTextDiff =>
          t instanceof vscode.TabInputTextDiff && t.modified.scheme === 'pg-pitr-plan',
      )
      .map((t) => path.basename(t.modified.path));
    const docs = tabs
      .filter((t): t is vscode.TabInputText => t instanceof vscode.TabInputText && t.uri.scheme === 'pg-pitr-plan')
      .map((t) => path.basename(t.uri.path));
    assert.deepEqual(diffs.sort(), ['postgresql.auto.conf', 'postgresql.conf']);
    assert.deepEqual(docs, ['recovery.signal']);
  });

  it('generateRecoveryConfig asks its questions in order (driven from the keyboard)', async () => {
    const dir = path.join(scratch, 'restored-by-hand');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'PG_VERSION'), `${MAJOR}\n`);
    fs.writeFileSync(path.join(dir, 'postgresql.conf'), 'shared_buffers = 128MB\n');
    // an editor (the welcome walkthrough) can take the focus back between two questions
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const running = vscode.commands.executeCommand<{ outcome: string; reason?: string; written?: string[] }>(
      'pgPitr.generateRecoveryConfig',
      { dataDir: dir, confirm: true, preview: false },
    );
    const step = async (title: string, keys: string[], text?: string) => {
      try {
        await quickInputStep(`the question "${title}"`, (q) => q.title === `pg-pitr recovery: ${title}`);
      } catch (e) {
        await screenshot(`wizard-stuck-${title.replace(/\W+/g, '-')}`);
        throw e;
      }
      if (text !== undefined) await typeText(text);
      await pressKeys(keys);
    };
    await step('target', ['Enter']); // a point in time
    await step('target time', ['Enter'], '2026-11-24 10:00:00');
    await step('time zone', ['ArrowUp', 'Enter']); // another zone… (the last item)
    await step('time zone name', ['Enter'], 'America/New_York');
    await step('inclusive', ['ArrowDown', 'Enter']); // stop just before
    await step('action at the target', ['ArrowDown', 'Enter']); // promote
    await step('timeline', ['ArrowDown', 'Enter']); // current
    await step('archiving of the recovered copy', ['Enter']); // off
    await step('restore_command', ['ArrowUp', 'Enter']); // type one (the last item)
    await step('restore_command to use', ['Enter'], `cp ${archive}/%f %p`);
    const r = await running;
    assert.equal(r.reason, undefined);
    assert.equal(r.outcome, 'written');
    const auto = fs.readFileSync(path.join(dir, 'postgresql.auto.conf'), 'utf8');
    const block = auto.split('\n').filter((l) => /^[a-z_]+ = /.test(l));
    assert.deepEqual(block, [
      `restore_command = 'cp ${archive}/%f %p'`,
      "recovery_target_time = '2026-11-24 10:00:00-05:00'", // New York is on EST (UTC-5) in November
      "recovery_target_inclusive = 'off'",
      "recovery_target_action = 'promote'",
      "recovery_target_timeline = 'current'",
      "archive_mode = 'off'",
    ]);
    assert.ok(fs.existsSync(path.join(dir, 'recovery.signal')));
  });

  it('generateRecoveryConfig writes nothing when its modal confirmation is not accepted', async () => {
    const dir = path.join(scratch, 'restored-modal');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'PG_VERSION'), `${MAJOR}\n`);
    const conf = 'shared_buffers = 128MB\n';
    fs.writeFileSync(path.join(dir, 'postgresql.conf'), conf);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // VS Code refuses to show a dialog in an extension test run (its dialog service throws when
    // extensionTestsPath is set): the command takes that as no, like Cancel or Escape
    const r = await vscode.commands.executeCommand<{ outcome: string }>('pgPitr.generateRecoveryConfig', {
      dataDir: dir,
      target: { kind: 'immediate' },
      restoreCommand: `cp ${archive}/%f %p`,
    });
    assert.deepEqual(r, { outcome: 'cancelled' });
    assert.deepEqual(fs.readdirSync(dir).sort(), ['PG_VERSION', 'postgresql.conf']);
    assert.equal(fs.readFileSync(path.join(dir, 'postgresql.conf'), 'utf8'), conf);
    // the previews were shown before the question: the two files that would be created
    const previews = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs.map((t) => t.input))
      .filter((t): t is vscode.TabInputText => t instanceof vscode.TabInputText && t.uri.scheme === 'pg-pitr-plan');
    assert.deepEqual(previews.map((t) => path.basename(t.uri.path)).sort(), [
      'postgresql.auto.conf',
      'recovery.signal',
    ]);
    const planned = await vscode.workspace.openTextDocument(
      previews.find((t) => t.uri.path.endsWith('postgresql.auto.conf'))!.uri,
    );
    assert.match(planned.getText(), /^recovery_target = 'immediate'$/m);
  });

  it('generateRecoveryConfig refuses the data directory of a running server', async () => {
    const before = fs.readFileSync(path.join(cluster.dataDir, 'postgresql.auto.conf'), 'utf8');
    const r = await vscode.commands.executeCommand<{ outcome: string; reason?: string }>(
      'pgPitr.generateRecoveryConfig',
      {
        dataDir: cluster.dataDir,
        target: { kind: 'immediate' },
        restoreCommand: `cp ${archive}/%f %p`,
        confirm: true,
        preview: false,
      },
    );
    assert.equal(r.outcome, 'refused');
    assert.match(r.reason ?? '', /running/);
    assert.equal(fs.readFileSync(path.join(cluster.dataDir, 'postgresql.auto.conf'), 'utf8'), before);
    assert.equal(fs.existsSync(path.join(cluster.dataDir, 'recovery.signal')), false);
  });

  it('generateRecoveryConfig refuses a restore_command the lint rules reject (no %p), writing nothing', async () => {
    const dir = path.join(scratch, 'restored-bad-command');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'PG_VERSION'), `${MAJOR}\n`);
    const r = await vscode.commands.executeCommand<{ outcome: string; reason?: string }>(
      'pgPitr.generateRecoveryConfig',
      { dataDir: dir, target: { kind: 'latest' }, restoreCommand: `cp ${archive}/%f`, confirm: true, preview: false },
    );
    assert.equal(r.outcome, 'refused');
    assert.ok((r.reason ?? '').startsWith(`restore_command "cp ${archive}/%f" would not work: `), r.reason);
    assert.deepEqual(fs.readdirSync(dir), ['PG_VERSION']);
  });

  it('launchBaseBackup runs pg_basebackup in a terminal from an argument list; the password goes through a private PGPASSFILE', async () => {
    const bin = path.join(scratch, 'bin');
    const out = path.join(scratch, 'out');
    fs.mkdirSync(bin);
    fs.mkdirSync(out);
    writeStub(bin, 'pg_basebackup', '17.6', out);
    await vscode.workspace.getConfiguration('pgPitr').update('pgBinDir', bin, Global);
    const occupied = path.join(scratch, 'occupied');
    fs.mkdirSync(occupied);
    fs.writeFileSync(path.join(occupied, 'PG_VERSION'), '17\n');
    const refused = await vscode.commands.executeCommand<{ outcome: string; errors: string[] }>(
      'pgPitr.launchBaseBackup',
      { server: SERVER, targetDir: occupied, confirm: true },
    );
    assert.deepEqual(refused, {
      outcome: 'refused',
      errors: [`${occupied} exists and is not empty: pg_basebackup needs a new or empty folder`],
    });
    const target = path.join(scratch, 'backup one');
    const r = await vscode.commands.executeCommand<{
      outcome: string;
      terminalName: string;
      file: string;
      args: string[];
      envKeys: string[];
      warnings: string[];
    }>('pgPitr.launchBaseBackup', {
      server: SERVER_PW,
      targetDir: target,
      format: 'tar',
      compression: 'gzip',
      walMethod: 'stream',
      writeRecoveryConf: false,
      checkpoint: 'fast',
      progress: true,
      label: 'e2e label',
      maxRate: '',
      manifestChecksums: 'SHA256',
      confirm: true,
    });
    assert.ok(r, 'the command returned what it launched');
    assert.equal(r.outcome, 'launched');
    assert.deepEqual(r.args, [
      '--host',
      '127.0.0.1',
      '--port',
      String(cluster.port),
      '--username',
      'postgres',
      '--pgdata',
      target,
      '--format',
      'tar',
      '--compress=gzip',
      '--wal-method',
      'stream',
      '--checkpoint',
      'fast',
      '--label',
      'e2e label',
      '--manifest-checksums',
      'SHA256',
      '--progress',
    ]);
    assert.equal(r.terminalName, `pg_basebackup: ${SERVER_PW}`);
    assert.equal(r.file, path.join(bin, 'pg_basebackup'));
    assert.deepEqual(r.warnings, []);
    const terminal = vscode.window.terminals.find((t) => t.name === r.terminalName);
    assert.ok(terminal, 'the terminal exists');
    const opts = terminal.creationOptions as vscode.TerminalOptions;
    const shellArgs = Array.isArray(opts.shellArgs) ? opts.shellArgs : [String(opts.shellArgs)];
    for (const a of [opts.shellPath ?? '', ...shellArgs])
      assert.ok(!a.includes('never-on-argv'), `no password (or part of it) in ${a}`);
    assert.deepEqual(shellArgs.slice(-r.args.length), r.args);
    assert.ok(r.envKeys.includes('PGPASSFILE'));
    // what the program really received
    const argsFile = path.join(out, 'pg_basebackup.args');
    await waitFor('the stub to run', () => fs.existsSync(argsFile));
    assert.deepEqual(fs.readFileSync(argsFile, 'utf8').split('\n').slice(0, -1), r.args);
    assert.equal(
      fs.readFileSync(path.join(out, 'pg_basebackup.passfile'), 'utf8'),
      `*:${cluster.port}:*:postgres:Pw\\:e2e\\\\never-on-argv\n`,
    );
    const passFile = (opts.env ?? {}).PGPASSFILE;
    assert.ok(passFile && fs.existsSync(passFile), 'the private password file exists while the terminal is open');
    assert.equal(fs.statSync(passFile).mode & 0o777, 0o600);
    terminal.dispose();
    await waitFor('the password file to be removed', () => !fs.existsSync(passFile));
  });

  it('launchBaseBackup refuses, before running anything, a local pg_basebackup older than the server', async () => {
    const bin = path.join(scratch, 'bin-old');
    const out = path.join(scratch, 'out-old');
    fs.mkdirSync(bin);
    fs.mkdirSync(out);
    writeStub(bin, 'pg_basebackup', '15.4', out);
    await vscode.workspace.getConfiguration('pgPitr').update('pgBinDir', bin, Global);
    const terminalsBefore = vscode.window.terminals.length;
    const r = await vscode.commands.executeCommand<{ outcome: string; errors: string[] }>('pgPitr.launchBaseBackup', {
      server: SERVER,
      targetDir: path.join(scratch, 'backup-old'),
      confirm: true,
    });
    assert.equal(r.outcome, 'refused');
    assert.equal(r.errors.length, 1, r.errors.join('\n'));
    assert.match(r.errors[0]!, /^pg_basebackup 15 cannot back up a PostgreSQL 17 server/);
    // nothing was launched: no terminal opened, so the stub never ran (it runs only in one)
    assert.equal(vscode.window.terminals.length, terminalsBefore);
    assert.equal(fs.existsSync(path.join(out, 'pg_basebackup.args')), false);
  });

  it('verifyBackup runs pg_verifybackup on the folder in a terminal', async () => {
    const bin = path.join(scratch, 'bin-verify');
    const out = path.join(scratch, 'out-verify');
    fs.mkdirSync(bin);
    fs.mkdirSync(out);
    writeStub(bin, 'pg_verifybackup', '17.6', out);
    await vscode.workspace.getConfiguration('pgPitr').update('pgBinDir', bin, Global);
    const dir = path.join(scratch, 'a backup');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'backup_manifest'), '{}');
    const r = await vscode.commands.executeCommand<{ terminalName: string; args: string[] }>('pgPitr.verifyBackup', {
      dir,
    });
    assert.ok(r);
    const argsFile = path.join(out, 'pg_verifybackup.args');
    await waitFor('the stub to run', () => fs.existsSync(argsFile));
    assert.deepEqual(fs.readFileSync(argsFile, 'utf8').split('\n').slice(0, -1), r.args);
    assert.deepEqual(r.args, [dir]);
    assert.equal(r.terminalName, 'pg_verifybackup: a backup');
    const terminal = vscode.window.terminals.find((t) => t.name === r.terminalName);
    terminal?.dispose();
    await waitFor('the terminal to close', () => !vscode.window.terminals.some((t) => t === terminal));
  });
});

/** The newest distribution-installed client folder (Debian's layout) whose major has a server package here. */
function localClientDir(): { major: number; dir: string } | null {
  let best: { major: number; dir: string } | null = null;
  let entries: string[] = [];
  try {
    entries = fs.readdirSync('/usr/lib/postgresql');
  } catch {
    return null;
  }
  for (const e of entries) {
    const major = Number(e);
    const dir = path.join('/usr/lib/postgresql', e, 'bin');
    if (!(MAJORS as readonly number[]).includes(major) || major < 13 || !serverAvailable(major)) continue;
    if (!fs.existsSync(path.join(dir, 'pg_basebackup')) || !fs.existsSync(path.join(dir, 'pg_verifybackup'))) continue;
    if (!best || major > best.major) best = { major, dir };
  }
  return best;
}

describe('recovery commands with the real pg_basebackup and pg_verifybackup', function () {
  this.timeout(120_000);
  const client = localClientDir();
  let cluster: Cluster;
  let scratch: string;
  let settings: { restore(): Promise<void> } | undefined;

  before(async function () {
    if (!client) {
      // .ci/run installs Debian's postgresql-client: in CI a missing client is a failure, not a skip
      if (process.env.CI === 'true')
        throw new Error(
          'CI=true and no pg_basebackup/pg_verifybackup 13+ in /usr/lib/postgresql/N/bin (install postgresql-client)',
        );
      process.stderr.write(
        '\n!!! SKIPPING the real pg_basebackup run: no /usr/lib/postgresql/N/bin (13+) with pg_basebackup ' +
          'and pg_verifybackup for a major that has a server package here\n',
      );
      this.skip();
    }
    settings = userSettings('servers', 'pgBinDir');
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-e2e-basebackup-'));
    cluster = await createCluster(client!.major);
    await cluster.start();
    await cluster.query('create table t as select generate_series(1, 1000) as i');
    await vscode.workspace
      .getConfiguration('pgPitr')
      .update(
        'servers',
        [{ name: 'e2e-real-backup', host: '127.0.0.1', port: cluster.port, user: 'postgres', database: 'postgres' }],
        Global,
      );
    await vscode.workspace.getConfiguration('pgPitr').update('pgBinDir', client!.dir, Global);
  });

  after(async function () {
    this.timeout(60_000);
    for (const t of vscode.window.terminals)
      if (t.name.startsWith('pg_basebackup') || t.name.startsWith('pg_verifybackup')) t.dispose();
    await settings?.restore();
    await cluster?.destroy();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  /** Presses Enter in the terminal (the wrapper waits for it) and returns the program's exit status. */
  async function exitCode(t: vscode.Terminal, timeoutMs = 20_000): Promise<number | undefined> {
    // typed ahead: the program does not read it, the wrapper's `read` does once the program ended
    t.sendText('', true);
    await waitFor('the terminal to exit', () => t.exitStatus !== undefined, timeoutMs);
    return t.exitStatus?.code;
  }

  it('launchBaseBackup takes a real backup that verifyBackup then verifies (exit status 0 both)', async () => {
    const target = path.join(scratch, 'base backup');
    const r = await vscode.commands.executeCommand<{ outcome: string; terminalName: string; args: string[] }>(
      'pgPitr.launchBaseBackup',
      {
        server: 'e2e-real-backup',
        targetDir: target,
        format: 'plain',
        walMethod: 'stream',
        checkpoint: 'fast',
        progress: true,
        writeRecoveryConf: false,
        label: 'e2e real',
        maxRate: '',
        manifestChecksums: 'SHA256',
        confirm: true,
      },
    );
    assert.equal(r.outcome, 'launched');
    const backup = vscode.window.terminals.find((t) => t.name === r.terminalName)!;
    assert.equal(await exitCode(backup, 60_000), 0);
    assert.match(fs.readFileSync(path.join(target, 'backup_label'), 'utf8'), /^LABEL: e2e real$/m);
    assert.match(fs.readFileSync(path.join(target, 'backup_manifest'), 'utf8'), /"Checksum-Algorithm": "SHA256"/);

    const v = await vscode.commands.executeCommand<{ terminalName: string; args: string[] }>('pgPitr.verifyBackup', {
      dir: target,
    });
    assert.deepEqual(v.args, [target]);
    const verify = vscode.window.terminals.find((t) => t.name === v.terminalName)!;
    assert.equal(await exitCode(verify), 0);
  });

  it('verifyBackup: pg_verifybackup fails (exit status 1) on a backup with a changed file', async () => {
    const target = path.join(scratch, 'base backup');
    fs.appendFileSync(path.join(target, 'PG_VERSION'), 'tampered\n');
    const v = await vscode.commands.executeCommand<{ terminalName: string }>('pgPitr.verifyBackup', { dir: target });
    const verify = vscode.window.terminals.find((t) => t.name === v.terminalName)!;
    assert.equal(await exitCode(verify), 1);
  });
});

async function lensRows(uri: vscode.Uri): Promise<{ line: number; title: string; command: string; reason: string }[]> {
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
  return lenses
    .map((l) => ({
      line: l.range.start.line,
      title: l.command?.title ?? '',
      command: l.command?.command ?? '',
      reason: String((l.command?.arguments?.[0] as { reason?: string } | undefined)?.reason),
    }))
    .sort((a, b) => a.line - b.line);
}
