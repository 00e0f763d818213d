// `pg-pitr serve` in front of real PostgreSQL 16 servers, scraped by a real Prometheus 2.42 (Debian's
// package) that evaluates the shipped rules (a test copy with `for: 0s`, scrape and evaluation every
// second). archive_command = 'false' fires PgPitrArchivingFailing, fixing it resolves it; a command
// that is not found (exit 127, which PostgreSQL does not count) fires it too, as archiving-stalled;
// an idle primary and a streaming standby fire nothing, not even pending, over the whole run. A local
// receiver gets exactly one POST per health transition; a receiver that never answers delays no check.
import { strict as assert } from 'node:assert';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { lowLevelBackupMarks, setArchiveCommand, switchWal, waitArchived } from '../../support/archivingWorkload';
import {
  chownTreeToServerUser,
  DataDirServer,
  type DrillPrimary,
  makeDrillDir,
  removeDrillDir,
  startArchivingPrimary,
  takeLowLevelBaseBackup,
} from '../../support/pitrDrill';
import { type Cluster, createCluster, freePort, makeTempDir, requireServer } from '../../support/postgresServers';
import { requirePrometheus } from '../../support/prometheusTools';
import { waitFor } from '../../support/waitFor';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const MAJOR = 16;

interface Serve {
  proc: ChildProcess;
  url: string;
  log: () => string;
}

async function startServe(config: object, dir: string, extra: string[] = []): Promise<Serve> {
  const file = path.join(dir, `serve-${Date.now()}.json`);
  fs.writeFileSync(file, JSON.stringify(config));
  const proc = spawn(process.execPath, [CLI, 'serve', '--config', file, '--listen', '127.0.0.1:0', ...extra], {
    env: { PATH: process.env.PATH, HOME: '/nonexistent-home' },
  });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (b) => (out += b));
  proc.stderr!.on('data', (b) => (err += b));
  const url = await waitFor(
    'the exporter to listen',
    async () =>
      /listening on (\S+)/.exec(out)?.[1] ?? (proc.exitCode !== null ? `exit ${proc.exitCode}: ${err}` : null),
    15000,
  );
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/, err);
  return { proc, url, log: () => err };
}

async function stop(p: ChildProcess | undefined): Promise<void> {
  if (!p || p.exitCode !== null) return;
  const done = new Promise((r) => p.once('exit', r));
  p.kill('SIGTERM');
  await Promise.race([done, new Promise((r) => setTimeout(r, 5000))]);
  if (p.exitCode === null) p.kill('SIGKILL');
}

async function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; ms: number; type: string }> {
  const t0 = Date.now();
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(10000) });
  return {
    status: res.status,
    body: await res.text(),
    ms: Date.now() - t0,
    type: res.headers.get('content-type') ?? '',
  };
}

interface Alert {
  labels: Record<string, string>;
  state: string;
}

describe(`pg-pitr serve scraped by a real Prometheus, PostgreSQL ${MAJOR}`, function () {
  this.timeout(300000);
  let work: string;
  let failing: Cluster;
  let failingArchive: string;
  let idle: DrillPrimary;
  let standby: DataDirServer;
  let standbyWork: string;
  let serve: Serve;
  let prometheus: ChildProcess;
  let promUrl: string;
  let receiver: http.Server;
  const posts: { server: string; from: string | null; to: string; reasons: { id: string }[] }[] = [];
  const scrapeMs: number[] = [];

  const alerts = async (): Promise<Alert[]> => JSON.parse((await get(`${promUrl}/api/v1/alerts`)).body).data.alerts;
  const query = async (q: string) =>
    JSON.parse((await get(`${promUrl}/api/v1/query?query=${encodeURIComponent(q)}`)).body).data.result as {
      metric: Record<string, string>;
      value: [number, string];
    }[];
  const firing = async (server: string, reason: string) =>
    (await alerts()).find(
      (a) =>
        a.labels.alertname === 'PgPitrArchivingFailing' &&
        a.labels.server === server &&
        a.labels.reason === reason &&
        a.state === 'firing',
    );
  const scrape = async () => {
    const r = await get(`${serve.url}/metrics`, { accept: 'application/openmetrics-text; version=1.0.0' });
    scrapeMs.push(r.ms);
    return r;
  };

  before(async function () {
    if (!requireServer(MAJOR, this) || !requirePrometheus(this)) return;
    work = makeTempDir('pg-pitr-prometheus-');
    // a local webhook receiver
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (b) => (body += b));
      req.on('end', () => {
        posts.push(JSON.parse(body));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const receiverUrl = `http://127.0.0.1:${(receiver.address() as net.AddressInfo).port}/hook`;

    // the server whose archiving breaks, with a base backup in its archive
    failingArchive = makeTempDir('pg-pitr-prometheus-archive-');
    failing = await createCluster(MAJOR);
    await failing.start(['wal_level=replica', 'archive_mode=on']);
    await setArchiveCommand(failing, `cp %p ${failingArchive}/%f`);
    await switchWal(failing, 1);
    await lowLevelBackupMarks(failing, 'prometheus test');
    await switchWal(failing, 1);
    // an idle primary with a base backup, and a streaming standby made from that backup (archive_mode = on)
    idle = await startArchivingPrimary(MAJOR);
    await switchWal(idle.cluster, 1);
    const dest = path.join(idle.workRoot, 'standby');
    await takeLowLevelBaseBackup(idle.cluster, MAJOR, idle.cluster.dataDir, dest);
    fs.writeFileSync(path.join(dest, 'standby.signal'), '');
    fs.appendFileSync(
      path.join(dest, 'postgresql.auto.conf'),
      `primary_conninfo = 'host=127.0.0.1 port=${idle.cluster.port} user=postgres'\n`,
    );
    chownTreeToServerUser(dest);
    standbyWork = makeDrillDir('pg-pitr-prometheus-standby-');
    standby = new DataDirServer(MAJOR, dest, standbyWork);
    await standby.start();
    const seg = await switchWal(idle.cluster, 1);
    await waitArchived(idle.cluster, seg);

    const server = (name: string, port: number, archive: string, objectives?: object) => ({
      name,
      host: '127.0.0.1',
      port,
      user: 'postgres',
      database: 'postgres',
      sslmode: 'disable',
      archive,
      objectives,
    });
    serve = await startServe(
      {
        servers: [
          server('failing', failing.port!, failingArchive),
          server('idle', idle.cluster.port!, idle.archive, { minBackups: 1, maxBackupAge: '1h', minWindow: '1s' }),
          server('standby', standby.port!, idle.archive),
        ],
        interval: '1s',
        timeout: '10s',
        stallAfter: '3s',
      },
      work,
      ['--notify-url', receiverUrl],
    );

    // Prometheus on its own port, storage and config; the shipped rules with every `for:` at 0s
    const rules = fs
      .readFileSync(path.join(ROOT, 'prometheus/pg-pitr.rules.yml'), 'utf8')
      .replace(/^(\s+for:) \S+$/gm, '$1 0s');
    fs.writeFileSync(path.join(work, 'rules.yml'), rules);
    const promPort = await freePort();
    fs.writeFileSync(
      path.join(work, 'prometheus.yml'),
      [
        'global:',
        '  scrape_interval: 1s',
        '  evaluation_interval: 1s',
        'rule_files: [rules.yml]',
        'scrape_configs:',
        '  - job_name: pg-pitr',
        '    scrape_timeout: 1s',
        `    static_configs: [{ targets: ['${new URL(serve.url).host}'] }]`,
        '',
      ].join('\n'),
    );
    prometheus = spawn(
      'prometheus',
      [
        `--config.file=${path.join(work, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(work, 'data')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
        '--log.level=warn',
      ],
      { cwd: work, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let promLog = '';
    prometheus.stderr!.on('data', (b) => (promLog += b));
    promUrl = `http://127.0.0.1:${promPort}`;
    await waitFor(
      'Prometheus to be ready',
      async () =>
        (await get(`${promUrl}/-/ready`).catch(() => ({ status: 0 }))).status === 200 ||
        (prometheus.exitCode !== null && Promise.reject(new Error(promLog))),
      30000,
    );
    await waitFor('all three servers scraped and up', async () => (await query('pgpitr_up == 1')).length === 3, 60000);
  });

  after(async () => {
    await stop(serve?.proc);
    await stop(prometheus);
    await new Promise((r) => (receiver ? receiver.close(r) : r(undefined)));
    await standby?.stop();
    await failing?.destroy();
    await idle?.cluster.destroy();
    for (const d of [idle?.archive, idle?.workRoot, standbyWork]) if (d) removeDrillDir(d);
    for (const d of [work, failingArchive]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  it('Prometheus reads the OpenMetrics text (state sets and units in its metadata); promtool check metrics passes the Prometheus text', async () => {
    const meta = JSON.parse((await get(`${promUrl}/api/v1/metadata`)).body).data;
    assert.deepEqual(
      meta.pgpitr_health?.map((m: { type: string }) => m.type),
      ['stateset'],
    );
    assert.deepEqual(
      meta.pgpitr_rpo_seconds?.map((m: { unit: string }) => m.unit),
      ['seconds'],
    );
    const targets = JSON.parse((await get(`${promUrl}/api/v1/targets`)).body).data.activeTargets;
    assert.deepEqual(
      targets.map((t: { health: string; lastError: string }) => [t.health, t.lastError]),
      [['up', '']],
    );
    const om = await scrape();
    assert.equal(om.type, 'application/openmetrics-text; version=1.0.0; charset=utf-8');
    const text = await get(`${serve.url}/metrics`);
    assert.equal(text.type, 'text/plain; version=0.0.4; charset=utf-8');
    const lint = spawnSync('promtool', ['check', 'metrics'], { input: text.body, encoding: 'utf8' });
    assert.equal(lint.status, 0, lint.stdout + lint.stderr);
    assert.equal((await get(`${serve.url}/healthz`)).body, '{"status":"ok","servers":3,"checked":3}\n');
    const standbyUp = await query('pgpitr_standby{server="standby"}');
    assert.equal(standbyUp[0]?.value[1], '1');
  });

  it('a healthy state fires nothing', async () => {
    const start = Number((await query('pgpitr_checks_total{server="idle"}'))[0].value[1]);
    await waitFor(
      'five more checks evaluated',
      async () => Number((await query('pgpitr_checks_total{server="idle"}'))[0].value[1]) >= start + 5,
      30000,
    );
    assert.deepEqual(await alerts(), []);
  });

  it("archive_command = 'false' fires PgPitrArchivingFailing; fixing it resolves it", async () => {
    await setArchiveCommand(failing, 'false');
    await switchWal(failing, 1, { wait: false });
    await waitFor('the failing alert', () => firing('failing', 'archiving-failing'), 60000);
    await scrape();
    await setArchiveCommand(failing, `cp %p ${failingArchive}/%f`);
    await switchWal(failing, 1);
    await waitFor(
      'the alert resolved',
      async () => !(await alerts()).some((a) => a.labels.server === 'failing'),
      60000,
    );
  });

  it('a command that is not found (exit 127, not counted by PostgreSQL) fires it too, as archiving-stalled; fixing resolves it', async () => {
    const [{ failed }] = await failing.query<{ failed: string }>(
      'SELECT failed_count::text AS failed FROM pg_stat_archiver',
    );
    await setArchiveCommand(failing, '/nonexistent/pg-pitr-archive-command %p');
    await switchWal(failing, 1, { wait: false });
    await waitFor('the stalled alert', () => firing('failing', 'archiving-stalled'), 60000);
    await scrape();
    const [{ failed: after }] = await failing.query<{ failed: string }>(
      'SELECT failed_count::text AS failed FROM pg_stat_archiver',
    );
    assert.equal(after, failed, 'PostgreSQL counted no failure');
    await setArchiveCommand(failing, `cp %p ${failingArchive}/%f`);
    // PostgreSQL restarts the archiver it lost after a while (about 30 s on 16); then it archives
    await waitFor(
      'the alert resolved',
      async () => !(await alerts()).some((a) => a.labels.server === 'failing'),
      120000,
    );
  });

  it('the idle primary and the standby fired nothing, not even pending, over the whole run', async () => {
    assert.deepEqual(await query('max_over_time(ALERTS{server=~"idle|standby"}[1h])'), []);
    // the same query sees the failing server's alerts: it is not empty by construction
    assert.ok(
      (await query('max_over_time(ALERTS{server="failing",alertname="PgPitrArchivingFailing"}[1h])')).length > 0,
    );
    assert.deepEqual(
      (await query('pgpitr_objective_met{server="idle"}')).map((r) => [r.metric.objective, r.value[1]]).sort(),
      [
        ['max-backup-age', '1'],
        ['min-backups', '1'],
        ['min-window', '1'],
      ],
    );
  });

  it('the receiver got exactly one POST per transition of the failing server, none for the others', async () => {
    await waitFor('the last notification', async () => posts.filter((p) => p.to === 'ok').length >= 2, 60000);
    // one chain of transitions, each POSTed once: every one starts where the previous one ended
    assert.ok(
      posts.every((p, i) => p.server === 'failing' && p.from === (i === 0 ? 'ok' : posts[i - 1]!.to)),
      JSON.stringify(posts),
    );
    // a check can see the new archive_command (archive-command-always-fails, a warning) before the
    // archiver has failed: then ok -> warning -> failing, else ok -> failing
    assert.deepEqual(
      posts.filter((p) => p.to !== 'warning').map((p) => [p.to, p.reasons[0]?.id ?? null]),
      [
        ['failing', 'archiving-failing'],
        ['ok', null],
        ['failing', 'archiving-stalled'],
        ['ok', null],
      ],
    );
    // a warning on the way says why (e.g. config:archive-command-always-fails)
    assert.ok(
      posts.filter((p) => p.to === 'warning').every((p) => p.reasons.length > 0),
      JSON.stringify(posts),
    );
    assert.ok(!JSON.stringify(posts).includes('password'));
  });

  it('every scrape answered without waiting for a check (checks may take 10 s) while checks ran and failed', () => {
    assert.ok(scrapeMs.length >= 3);
    // a bound far below the checks' 10 s timeout, and above what a busy machine adds: the 100 ms target is
    // the benchmark's (npm run bench serve), not a test's
    assert.ok(Math.max(...scrapeMs) < 2000, `scrapes took ${scrapeMs.join(', ')} ms`);
  });
});

describe('pg-pitr serve with a webhook that never answers', function () {
  this.timeout(60000);
  const sockets: net.Socket[] = [];
  let blackhole: net.Server;
  let serve: Serve | undefined;
  let dir: string;

  after(async () => {
    await stop(serve?.proc);
    for (const s of sockets) s.destroy();
    blackhole?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('checks go on at their pace while the notification waits for an answer', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-blackhole-'));
    let connections = 0;
    blackhole = net.createServer((s) => {
      connections++;
      sockets.push(s);
    });
    await new Promise<void>((r) => blackhole.listen(0, '127.0.0.1', r));
    const closed = await freePort();
    serve = await startServe(
      {
        servers: [{ name: 'gone', host: '127.0.0.1', port: closed, user: 'postgres' }],
        interval: '0.2s',
        timeout: '5s',
      },
      dir,
      ['--notify-url', `http://127.0.0.1:${(blackhole.address() as net.AddressInfo).port}/hook`],
    );
    // the first check (new -> unknown) is a transition: its POST hangs
    await waitFor('the POST to reach the receiver', async () => connections > 0);
    const checks = async () =>
      Number(/^pgpitr_checks_total\{server="gone"\} (\d+)$/m.exec((await get(`${serve!.url}/metrics`)).body)?.[1] ?? 0);
    const first = await checks();
    await waitFor('ten more checks', async () => (await checks()) >= first + 10, 20000);
    assert.equal(connections, 1, 'the one POST is still waiting (no answer, no retry yet)');
  });
});
