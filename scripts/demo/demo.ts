// npm run demo — everything on this machine only: an embedded PostgreSQL archiving to a local
// folder (with a base backup, so it is healthy), a second one whose archive_command fails, a sample
// workspace, and VS Code (server) with pg-pitr installed, both servers in its Servers view.
// Ctrl-C stops it all.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { idempotentArchiveCommand } from '../../src/core/lint/shellSettings';
import { lowLevelBackupMarks, switchWal } from '../../test/support/archivingWorkload';
import { createCluster, destroyAllClusters, freePort, makeTempDir } from '../../test/support/postgresServers';

const ROOT = path.resolve(__dirname, '..', '..');
const MAJOR = 17;
const FAILING_MAJOR = 16;

async function main(): Promise<void> {
  // the VS Code server comes from the same cache as the real-editor tests

  const { installServer, missingPrerequisites } = (await import(
    path.join(ROOT, 'scripts', 'e2e', 'vscodeServer.mjs')
  )) as {
    installServer: () => string;
    missingPrerequisites: () => string[];
  };
  const missing = missingPrerequisites().filter((m) => !m.startsWith('Chromium'));
  if (missing.length) throw new Error(`the demo needs: ${missing.join('; ')}`);

  const started: Array<() => Promise<void> | void> = [];
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping the demo ...');
    for (const s of started.reverse()) {
      try {
        await s();
      } catch {
        /* keep stopping */
      }
    }
    await destroyAllClusters();
    console.log('Everything the demo started is stopped and removed.');
    process.exit(code);
  };
  // the demo stops its own things in order (the test harness's handlers would exit first)
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    console.log('Packaging pg-pitr ...');
    const pkg = spawnSync('npm', ['run', 'package'], { cwd: ROOT, encoding: 'utf8' });
    if (pkg.status !== 0) throw new Error(`npm run package failed:\n${pkg.stdout}${pkg.stderr}`);
    const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version as string;
    const vsix = path.join(ROOT, `pg-pitr-${version}.vsix`);

    console.log(`Starting PostgreSQL ${MAJOR} with WAL archiving ...`);
    const archive = makeTempDir('pg-pitr-demo-archive-');
    const cluster = await createCluster(MAJOR);
    await cluster.start([
      'wal_level=replica',
      'archive_mode=on',
      `archive_command=${idempotentArchiveCommand(archive)}`,
      'archive_timeout=60',
    ]);
    started.push(() => fs.rmSync(archive, { recursive: true, force: true }));
    // a base backup's history file in the archive: the Servers view shows the recoverable window
    await switchWal(cluster, 1, { table: 'demo_orders' });
    await lowLevelBackupMarks(cluster, 'pg-pitr demo');
    await switchWal(cluster, 1, { table: 'demo_orders' });

    console.log(`Starting PostgreSQL ${FAILING_MAJOR} whose archive_command fails ...`);
    const failing = await createCluster(FAILING_MAJOR);
    await failing.start(['wal_level=replica', 'archive_mode=on', 'archive_command=false']);
    await switchWal(failing, 1, { wait: false, table: 'demo_billing' });

    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-demo-'));
    started.push(() => fs.rmSync(workDir, { recursive: true, force: true }));
    const workspace = path.join(workDir, 'workspace');
    fs.cpSync(path.join(__dirname, 'workspace'), workspace, { recursive: true });
    fs.writeFileSync(
      path.join(workspace, 'DEMO.md'),
      [
        '# pg-pitr demo',
        '',
        `A real PostgreSQL ${MAJOR} runs on 127.0.0.1:${cluster.port} (user postgres, no password) and archives WAL to:`,
        '',
        `    ${archive}`,
        '',
        'Open postgresql.conf and conf.d/10-recovery.conf to see the checks; the status bar shows the PostgreSQL version (click to change it).',
        '',
        `The Servers view (the PostgreSQL PITR icon in the activity bar) shows this server and a PostgreSQL ${FAILING_MAJOR} on port ${failing.port} ` +
          `whose archive_command fails.`,
        'Right-click a server: Create Restore Point, Check Archiving, Launch Base Backup. Open migrations/ for the "Create restore point before this" lens.',
        '',
      ].join('\n'),
    );

    const vscodeDir = installServer();
    const dirs = ['server', 'user', 'extensions'].map((d) => path.join(workDir, d));
    dirs.forEach((d) => fs.mkdirSync(d));
    // both servers in the Servers view; the demo folder is trusted (the view and its commands need that)
    const settings = JSON.stringify({
      'security.workspace.trust.enabled': false,
      'pgPitr.servers': [
        { name: `orders (PG ${MAJOR})`, host: '127.0.0.1', port: cluster.port, user: 'postgres', database: 'postgres' },
        {
          name: `billing (PG ${FAILING_MAJOR})`,
          host: '127.0.0.1',
          port: failing.port,
          user: 'postgres',
          database: 'postgres',
        },
      ],
    });
    for (const d of [path.join(dirs[0], 'data', 'User'), path.join(dirs[1], 'User')]) {
      fs.mkdirSync(d, { recursive: true });
      fs.writeFileSync(path.join(d, 'settings.json'), settings);
    }
    const base = [
      'out/server-main.js',
      '--accept-server-license-terms',
      '--disable-telemetry',
      '--server-data-dir',
      dirs[0],
      '--user-data-dir',
      dirs[1],
      '--extensions-dir',
      dirs[2],
    ];
    const inst = spawnSync(process.execPath, [...base, '--install-extension', vsix], {
      cwd: vscodeDir,
      encoding: 'utf8',
      timeout: 120000,
    });
    if (inst.status !== 0) throw new Error(`installing ${vsix} failed:\n${inst.stdout}${inst.stderr}`);

    const port = Number(process.env.PG_PITR_DEMO_PORT) || (await freePort());
    const server = spawn(
      process.execPath,
      [...base, '--host', '127.0.0.1', '--port', String(port), '--without-connection-token'],
      { cwd: vscodeDir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    started.push(() => {
      try {
        process.kill(-server.pid!, 'SIGTERM');
      } catch {
        /* already gone */
      }
    });
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('VS Code server did not start within 30 s')), 30000);
      server.stdout!.on('data', (b: Buffer) => {
        if (b.toString().includes('Extension host agent listening')) {
          clearTimeout(t);
          resolve();
        }
      });
      server.once('exit', (c) => reject(new Error(`VS Code server exited with ${c}`)));
    });
    server.stdout!.resume();
    server.stderr!.resume();

    console.log('\n  pg-pitr demo is running (this machine only):\n');
    console.log(`    VS Code:     http://127.0.0.1:${port}/?folder=${encodeURI(workspace)}`);
    console.log(`    PostgreSQL:  postgresql://postgres@127.0.0.1:${cluster.port}/postgres   (archive: ${archive})`);
    console.log(
      `    Failing:     postgresql://postgres@127.0.0.1:${failing.port}/postgres   (archive_command = 'false')`,
    );
    console.log(
      `\n  From another terminal:  node dist/cli.js check postgresql://postgres@127.0.0.1:${cluster.port}/postgres`,
    );
    console.log('\n  Press Ctrl-C to stop everything and remove what the demo created.\n');
    if (process.env.PG_PITR_DEMO_EXIT_AFTER)
      setTimeout(() => void stop(0), Number(process.env.PG_PITR_DEMO_EXIT_AFTER));
  } catch (e) {
    console.error(`demo failed: ${(e as Error).message}`);
    await stop(1);
  }
}

void main();
