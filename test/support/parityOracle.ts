// Compares pg-pitr's reading of a configuration with a real server's: the errors a starting
// server prints (`postgres -C`) and the rows of pg_file_settings on a running server.
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { Catalog } from '../../src/core/catalog/types';
import { readConfiguration } from '../../src/core/conf/configReader';
import { nodeFileSystem } from '../../src/core/conf/fileSystem';
import { bytesToText } from '../../src/core/conf/settingsReport';
import type { Scenario } from './confGenerator';
import { binDir, type Cluster, runAsUser } from './postgresServers';

const PREFIX = '@@@';

/** Replaces the configuration files of a data directory with a scenario's. */
export function writeScenario(dataDir: string, sc: Scenario): void {
  for (const d of ['inc', 'conf.d']) fs.rmSync(path.join(dataDir, d), { recursive: true, force: true });
  fs.rmSync(path.join(dataDir, 'postgresql.auto.conf'), { force: true });
  fs.writeFileSync(path.join(dataDir, 'postgresql.conf'), Buffer.from(sc.main, 'latin1'));
  if (sc.auto !== null) fs.writeFileSync(path.join(dataDir, 'postgresql.auto.conf'), Buffer.from(sc.auto, 'latin1'));
  for (const [rel, content] of Object.entries(sc.files)) {
    const p = path.join(dataDir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true, mode: 0o755 });
    fs.writeFileSync(p, Buffer.from(content, 'latin1'));
  }
}

export interface LogLine {
  level: string;
  text: string;
}

/** The server's messages, one per LEVEL section, split on our log_line_prefix. */
export function parseServerLog(stderr: string): LogLine[] {
  const out: LogLine[] = [];
  for (const chunk of stderr.split(PREFIX)) {
    const m = /^(LOG|FATAL|HINT|DETAIL|WARNING|ERROR|PANIC):  ([\s\S]*?)\n?$/.exec(chunk);
    if (m) out.push({ level: m[1], text: m[2] });
    else if (chunk.trim() !== '') out.push({ level: '?', text: chunk.trim() });
  }
  return out;
}

const SKIPPING = /^skipping missing configuration file/;

function render(lines: LogLine[]): string {
  return lines.map((l) => `${l.level}: ${l.text}`).join('\n');
}

export interface Mismatch {
  what: string;
  ours: string;
  server: string;
}

/** `postgres -C` on the stopped cluster against readConfiguration in startup mode. */
export async function compareStartup(cluster: Cluster, catalog: Catalog): Promise<Mismatch | null> {
  const r = await runAsUser(
    path.join(binDir(cluster.major), 'postgres'),
    ['-D', cluster.dataDir, '-c', `log_line_prefix=${PREFIX}`, '-C', 'data_directory'],
    {
      timeoutMs: 20_000,
    },
  );
  const server = parseServerLog(r.stderr);
  const result = readConfiguration({
    configFile: path.join(cluster.dataDir, 'postgresql.conf'),
    dataDir: cluster.dataDir,
    catalog,
    fs: nodeFileSystem(),
    mode: 'startup',
  });
  const ours: LogLine[] = [];
  for (const e of result.errors) {
    const fatalNow = e.fatal === true;
    ours.push({ level: fatalNow ? 'FATAL' : 'LOG', text: bytesToText(e.message) });
    if (e.detail) ours.push({ level: 'DETAIL', text: e.detail });
    if (e.hint) ours.push({ level: 'HINT', text: e.hint });
  }
  if (result.fatal) ours.push({ level: 'FATAL', text: result.fatal });
  const serverMain = server.filter((l) => !SKIPPING.test(l.text)).map((l) => ({ ...l, text: l.text }));
  const a = render(ours);
  const b = render(serverMain.map((l) => ({ level: l.level, text: l.text })));
  // the server's text is bytes decoded as UTF-8 by Node; ours too
  if (a !== b) return { what: 'postgres -C messages', ours: a, server: b };
  const oursOk = result.errors.length === 0 && result.fatal === null;
  if (oursOk !== (r.code === 0))
    return { what: 'postgres -C exit code', ours: oursOk ? '0' : 'non-zero', server: String(r.code) };
  const ourSkips = new Set(result.log.filter((l) => SKIPPING.test(l.message)).map((l) => bytesToText(l.message)));
  const serverSkips = new Set(server.filter((l) => SKIPPING.test(l.text)).map((l) => l.text));
  if ([...ourSkips].sort().join('\n') !== [...serverSkips].sort().join('\n')) {
    return {
      what: 'skipped include_if_exists files',
      ours: [...ourSkips].join('\n'),
      server: [...serverSkips].join('\n'),
    };
  }
  return null;
}

interface FileSettingsRow {
  seqno: number;
  sourcefile: string | null;
  sourceline: number | null;
  name: string | null;
  setting: string | null;
  applied: boolean;
  error: string | null;
}

function rowText(r: Omit<FileSettingsRow, 'applied'> & { applied?: boolean }): string {
  return `${r.seqno} ${r.sourcefile}:${r.sourceline} ${JSON.stringify(r.name)}=${JSON.stringify(r.setting)} error=${JSON.stringify(r.error)}`;
}

/** pg_file_settings on the running cluster against readConfiguration in file-settings mode. */
export async function compareFileSettings(cluster: Cluster, catalog: Catalog): Promise<Mismatch | null> {
  const all = await cluster.query<FileSettingsRow>(
    'SELECT seqno, sourcefile, sourceline, name, setting, applied, error FROM pg_file_settings ORDER BY seqno',
  );
  // rows about the running server's own values, not about the files
  const rows = all.filter(
    (r) =>
      !(
        r.sourcefile === null &&
        r.name === null &&
        /cannot be changed without restarting the server$/.test(r.error ?? '')
      ),
  );
  const result = readConfiguration({
    configFile: path.join(cluster.dataDir, 'postgresql.conf'),
    dataDir: cluster.dataDir,
    catalog,
    fs: nodeFileSystem(),
    mode: 'file-settings',
  });
  const ours = result.items.map((it, i) => ({
    seqno: i + 1,
    sourcefile: it.file,
    sourceline: it.line,
    name: it.name === null ? null : bytesToText(it.name),
    setting: it.value === null ? null : bytesToText(it.value),
    error: it.errmsg,
    context: result.parameterOf.get(it)?.context ?? null,
  }));
  const a: string[] = [];
  const b: string[] = [];
  let differ = ours.length !== rows.length;
  for (let i = 0; i < Math.max(ours.length, rows.length); i++) {
    const o = ours[i];
    const s = rows[i];
    if (o && s) {
      // A running server cannot change postmaster-context parameters: a valid new value of one is
      // "setting could not be applied" there, which depends on the running value, not on the file.
      const errorOk =
        o.error === s.error ||
        (o.error === null && s.error === 'setting could not be applied' && o.context === 'postmaster');
      const same =
        o.seqno === s.seqno &&
        o.sourcefile === s.sourcefile &&
        o.sourceline === s.sourceline &&
        o.name === s.name &&
        o.setting === s.setting &&
        errorOk;
      if (!same) differ = true;
    }
    if (o) a.push(rowText({ ...o }));
    if (s) b.push(rowText(s));
  }
  if (differ) return { what: 'pg_file_settings rows', ours: a.join('\n'), server: b.join('\n') };
  return null;
}

export function describeScenario(sc: Scenario): string {
  const show = (s: string) => JSON.stringify(bytesToText(s));
  const parts = [`postgresql.conf = ${show(sc.main)}`];
  if (sc.auto !== null) parts.push(`postgresql.auto.conf = ${show(sc.auto)}`);
  for (const [k, v] of Object.entries(sc.files)) parts.push(`${k} = ${show(v)}`);
  return parts.join('\n');
}
