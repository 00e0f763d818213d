// Scores the linter against the real-world corpus of test/fixtures/real-world/ (configuration files
// and archive/restore commands from public sources, annotated by hand with what an expert flags):
// lints every entry as `pg-pitr lint` would, classifies each warning/error as true, tolerated or
// false, and lists the expected problems no warning/error found. Used by the corpus test and the bench.
import * as fs from 'node:fs';
import * as path from 'node:path';

import { getCatalog } from '../../src/core/catalog/catalogs';
import { memoryFileSystem, nodeFileSystem } from '../../src/core/conf/fileSystem';
import { lintConfiguration } from '../../src/core/lint/lintEngine';
import type { Finding } from '../../src/core/lint/types';

export const CORPUS_DIR = path.resolve(__dirname, '../fixtures/real-world');

/** The annotations proposed names for rules that did not exist yet; these are the ids they got. */
export const RULE_RENAMES: Record<string, string> = {
  'restore-command-archive-mismatch': 'restore-archive-mismatch',
  'restored-copy-archives-to-production': 'restored-copy-archives-into-source',
  'recovery-conf-multiple-targets': 'multiple-recovery-targets',
  'recovery-conf-standby-with-target': 'recovery-target-on-standby',
};

interface Item {
  lines?: number[];
  file?: string;
  severity: string;
  problem?: string;
  rules: string[];
  reason?: string;
}

interface ConfigEntry {
  id: string;
  file: string;
  pgVersion: number;
  dataDir: string | null;
  expected: Item[];
  tolerated: Item[];
  nothingToFlag: boolean;
}

interface CommandEntry {
  id: string;
  expected: Item[];
  tolerated: Item[];
}

interface CommandSource {
  id: string;
  setting: string;
  value: string;
  major: number;
  source: string;
}

export type Verdict = 'true' | 'tolerated' | 'false';

export interface ScoredFinding {
  file: string;
  line: number;
  severity: Finding['severity'];
  rule: string;
  verdict: Verdict;
}

export interface EntryScore {
  id: string;
  kind: 'config' | 'command';
  /** warnings and errors, classified */
  findings: ScoredFinding[];
  /** expected problems no warning/error matched: "problem (rules)" */
  missed: string[];
  expected: number;
}

export interface CorpusScore {
  entries: EntryScore[];
  truePositives: number;
  falsePositives: number;
  tolerated: number;
  expected: number;
  found: number;
  precision: number;
  recall: number;
}

function rulesOf(item: Item): string[] {
  return item.rules.map((r) => RULE_RENAMES[r] ?? r);
}

function matches(f: ScoredFinding, item: Item, defaultFile: string, line: number | null): boolean {
  const lines = line === null ? (item.lines ?? []) : [line];
  return (
    path.basename(f.file) === (item.file ?? defaultFile) && lines.includes(f.line) && rulesOf(item).includes(f.rule)
  );
}

function score(
  id: string,
  kind: EntryScore['kind'],
  findings: Finding[],
  expected: Item[],
  tolerated: Item[],
  defaultFile: string,
  line: number | null,
): EntryScore {
  const hit = expected.map(() => false);
  const out: ScoredFinding[] = [];
  for (const f of findings) {
    if (f.severity !== 'error' && f.severity !== 'warning') continue;
    const s: ScoredFinding = {
      file: f.file ?? defaultFile,
      line: f.range.start.line + 1,
      severity: f.severity,
      rule: f.rule,
      verdict: 'false',
    };
    if (line !== null && s.line !== line) continue;
    expected.forEach((e, i) => {
      if (matches(s, e, defaultFile, line)) {
        s.verdict = 'true';
        hit[i] = true;
      }
    });
    if (s.verdict === 'false' && tolerated.some((t) => matches(s, t, defaultFile, line))) s.verdict = 'tolerated';
    out.push(s);
  }
  const missed = expected.filter((_, i) => !hit[i]).map((e) => `${e.problem ?? '?'} (${rulesOf(e).join(' / ')})`);
  return { id, kind, findings: out, missed, expected: expected.length };
}

/** `pg-pitr lint FILE --pg-version N [--data-dir DIR]`: the data directory is the given one, or the file's when PG_VERSION sits beside it. */
function lintFile(file: string, major: number, dataDir: string | null): Finding[] {
  const dir = dataDir ?? (fs.existsSync(path.join(path.dirname(file), 'PG_VERSION')) ? path.dirname(file) : null);
  return lintConfiguration({ configFile: file, dataDir: dir, catalog: getCatalog(major), fs: nodeFileSystem() });
}

/**
 * A command in the smallest file that makes it live (as the corpus' run_baseline.py does):
 * archive_command with archive_mode = on (line 2); on 12+ restore/cleanup commands in a data
 * directory with recovery.signal (cleanup: standby.signal and a restore_command); on 10-11 in recovery.conf.
 */
function lintCommand(src: CommandSource): { findings: Finding[]; file: string; line: number } {
  const { setting, value, major } = src;
  const files: Record<string, string> = {};
  let file = '/c/postgresql.conf';
  let line = 1;
  let dataDir: string | null = null;
  if (setting === 'archive_command') {
    files[file] = `archive_mode = on\narchive_command = '${value}'\n`;
    line = 2;
  } else if (major >= 12) {
    dataDir = '/c';
    files[file] =
      `${setting} = '${value}'\n` +
      (setting !== 'restore_command' ? "restore_command = 'cp /mnt/server/archivedir/%f %p'\n" : '');
    files['/c/PG_VERSION'] = `${major}\n`;
    files[setting === 'archive_cleanup_command' ? '/c/standby.signal' : '/c/recovery.signal'] = '';
  } else {
    file = '/c/recovery.conf';
    files[file] =
      `${setting} = '${value}'\n` +
      (setting !== 'restore_command'
        ? "restore_command = 'cp /mnt/server/archivedir/%f %p'\nstandby_mode = 'on'\n"
        : '');
  }
  const findings = lintConfiguration({
    configFile: file,
    dataDir,
    catalog: getCatalog(major),
    fs: memoryFileSystem(files),
  });
  return { findings, file, line };
}

/** Lints the whole corpus and scores it. */
export function scoreCorpus(dir = CORPUS_DIR): CorpusScore {
  const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')) as {
    configs: ConfigEntry[];
    commands: CommandEntry[];
  };
  const sources = new Map<string, CommandSource>();
  for (const l of fs.readFileSync(path.join(dir, 'commands', 'commands.jsonl'), 'utf8').split('\n')) {
    if (l.trim() === '') continue;
    const c = JSON.parse(l) as CommandSource;
    sources.set(c.id, c);
  }
  const entries: EntryScore[] = [];
  for (const c of expected.configs) {
    const file = path.join(dir, c.file);
    const findings = lintFile(file, c.pgVersion, c.dataDir ? path.join(dir, c.dataDir) : null);
    entries.push(score(c.id, 'config', findings, c.expected, c.tolerated, path.basename(file), null));
  }
  for (const c of expected.commands) {
    const src = sources.get(c.id);
    if (!src) throw new Error(`pg-pitr: corpus failed: command ${c.id} has annotations but no source line`);
    const { findings, file, line } = lintCommand(src);
    entries.push(score(c.id, 'command', findings, c.expected, c.tolerated, path.basename(file), line));
  }
  const all = entries.flatMap((e) => e.findings);
  const tp = all.filter((f) => f.verdict === 'true').length;
  const fp = all.filter((f) => f.verdict === 'false').length;
  const exp = entries.reduce((n, e) => n + e.expected, 0);
  const found = exp - entries.reduce((n, e) => n + e.missed.length, 0);
  return {
    entries,
    truePositives: tp,
    falsePositives: fp,
    tolerated: all.filter((f) => f.verdict === 'tolerated').length,
    expected: exp,
    found,
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: exp === 0 ? 1 : found / exp,
  };
}
