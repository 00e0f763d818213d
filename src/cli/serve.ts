// pg-pitr serve --config FILE [--listen 127.0.0.1:PORT] [--notify-url URL] [--notify-format json|slack]
// A long-running exporter: checks every configured server on its own schedule and serves the last
// results as OpenMetrics on /metrics (the older Prometheus text to scrapers that do not ask for
// OpenMetrics) and a liveness answer on /healthz. A scrape never waits for a check.
import * as fs from 'node:fs';
import * as http from 'node:http';

import { checkMetrics, type CheckRecord } from '../core/monitoring/checkMetrics';
import { CheckScheduler } from '../core/monitoring/checkScheduler';
import { HealthTransitions } from '../core/monitoring/healthTransitions';
import {
  negotiateFormat,
  OPENMETRICS_CONTENT_TYPE,
  PROMETHEUS_CONTENT_TYPE,
  renderOpenMetrics,
  renderPrometheusText,
} from '../core/monitoring/openMetrics';
import { WebhookNotifier } from '../core/monitoring/webhookNotifier';
import { line } from '../core/text/safeText';
import { parseCliArgs } from './parseCliArgs';
import { readServeConfig } from './serveConfig';
import { UsageError } from './usageError';

export const SERVE_USAGE =
  'usage: pg-pitr serve --config FILE [--listen 127.0.0.1:PORT] [--notify-url URL] [--notify-format json|slack]';

const DEFAULT_LISTEN = '127.0.0.1:9871';

function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:]+)):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new UsageError(`--listen takes HOST:PORT, e.g. 127.0.0.1:9871 (got "${text}")`);
  return { host: m[1] ?? m[2]!, port };
}

/** A running exporter (returned for tests and the benchmark; the CLI waits for a signal). */
export interface Exporter {
  url: string;
  scheduler: CheckScheduler;
  notifier: WebhookNotifier | null;
  close(): Promise<void>;
}

export async function startExporter(
  configText: string,
  file: string,
  listen: string,
  flags: { notifyUrl?: string; notifyFormat?: 'json' | 'slack' },
  log: (s: string) => void,
): Promise<Exporter> {
  const { config, errors, problems } = readServeConfig(configText, file);
  for (const p of problems) log(`pg-pitr: warning: ${p}`);
  if (!config) throw new UsageError(errors.join('\n'));
  const { host, port } = parseListen(listen);
  const notifyUrl = flags.notifyUrl ?? config.notifyUrl;
  const notifier = notifyUrl
    ? new WebhookNotifier(notifyUrl, { format: flags.notifyFormat ?? config.notifyFormat ?? 'json', log })
    : null;
  const transitions = new HealthTransitions();
  const scheduler = new CheckScheduler(
    config.servers.map((s) => ({
      profile: s.profile,
      objectives: s.objectives,
      env: s.passfile ? { ...process.env, PGPASSFILE: s.passfile } : process.env,
    })),
    {
      intervalMs: config.intervalMs,
      deadlineMs: config.deadlineMs,
      connectTimeoutMs: config.connectTimeoutMs,
      statementTimeoutMs: config.statementTimeoutMs,
      archiveTimeoutMs: config.archiveTimeoutMs,
      concurrency: config.concurrency,
      stallSeconds: config.stallMs / 1000,
      onResult: (record: CheckRecord) => {
        const t = transitions.record(record.result);
        if (!t) return;
        log(`pg-pitr: ${t.server}: ${t.from ?? 'new'} -> ${t.to}${t.reasons[0] ? ` (${t.reasons[0].id})` : ''}`);
        notifier?.notify(t);
      },
    },
  );
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/metrics') {
      const format = negotiateFormat(req.headers.accept);
      const families = checkMetrics(scheduler.records());
      const body = format === 'openmetrics' ? renderOpenMetrics(families) : renderPrometheusText(families);
      res.writeHead(200, {
        'content-type': format === 'openmetrics' ? OPENMETRICS_CONTENT_TYPE : PROMETHEUS_CONTENT_TYPE,
        'cache-control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } else if (path === '/healthz') {
      const records = scheduler.records();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok', servers: config.servers.length, checked: records.length }) + '\n');
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('pg-pitr exporter: /metrics, /healthz\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as import('node:net').AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  scheduler.start();
  return {
    url,
    scheduler,
    notifier,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await scheduler.stop();
      await notifier?.stop();
    },
  };
}

export async function runServe(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  let exporter: Exporter;
  try {
    const { values: v, positionals } = parseCliArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        listen: { type: 'string', default: DEFAULT_LISTEN },
        'notify-url': { type: 'string' },
        'notify-format': { type: 'string' },
      },
    });
    if (positionals.length) throw new UsageError(`serve takes no positional argument (got "${positionals[0]}")`);
    if (!v.config) throw new UsageError('serve needs --config FILE (the servers to check)');
    const format = v['notify-format'];
    if (format !== undefined && format !== 'json' && format !== 'slack')
      throw new UsageError(`--notify-format must be json or slack (got "${format}")`);
    if (v['notify-url'] !== undefined && !/^https?:\/\//.test(v['notify-url']))
      throw new UsageError('--notify-url must be an http:// or https:// URL');
    let text: string;
    try {
      text = fs.readFileSync(v.config, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read ${v.config}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    exporter = await startExporter(
      text,
      v.config,
      v.listen ?? DEFAULT_LISTEN,
      { notifyUrl: v['notify-url'], notifyFormat: format as 'json' | 'slack' | undefined },
      err,
    );
  } catch (e) {
    if (e instanceof UsageError) {
      err(line`pg-pitr: serve failed: ${e.message}`);
      err(SERVE_USAGE);
      return 2;
    }
    err(line`pg-pitr: serve failed: ${(e as Error).message}`);
    return 2;
  }
  // stdout carries the address (with --listen HOST:0 the port is chosen here); the log goes to stderr
  out(line`listening on ${exporter.url}`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await exporter.close();
  return 0;
}
