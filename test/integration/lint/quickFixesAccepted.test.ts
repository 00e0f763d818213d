// Every quick fix the linter offers on the rule examples, on every major where it offers one, gives
// a file the real server accepts: `postgres -C` on the fixed file reports no error that the original
// file did not already have (and none at all when the original was accepted). "Fix all" too.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';

import { getCatalog } from '../../../src/core/catalog/catalogs';
import { memoryFileSystem } from '../../../src/core/conf/fileSystem';
import { applyEdits, compatibleFixes } from '../../../src/core/lint/fixEdits';
import { lintConfiguration } from '../../../src/core/lint/lintEngine';
import type { Finding, Fix } from '../../../src/core/lint/types';
import { CASES } from '../../fixtures/ruleExamples';
import { parseServerLog, writeScenario } from '../../support/parityOracle';
import { binDir, type Cluster, createCluster, MAJORS, requireServer, runAsUser } from '../../support/postgresServers';

const MAIN = '/d/postgresql.conf';

interface Example {
  title: string;
  conf: string;
  extra: Record<string, string>;
}

/** every configuration of the examples that should make a rule fire */
function examples(): Example[] {
  const out: Example[] = [];
  for (const c of CASES) {
    out.push({ title: `${c.rule} example`, conf: c.fires, extra: c.extra ?? {} });
    for (const [i, more] of (c.alsoFires ?? []).entries())
      out.push({ title: `${c.rule} example ${i + 2}`, conf: more, extra: c.extra ?? {} });
  }
  return out;
}

function lint(conf: string, extra: Record<string, string>, major: number): Finding[] {
  const files = { [MAIN]: conf, ...extra };
  return lintConfiguration({
    configFile: MAIN,
    dataDir: '/d',
    catalog: getCatalog(major),
    fs: memoryFileSystem(files),
  });
}

/** the server's complaints about a postgresql.conf (LOG/FATAL lines other than the final "contains errors") */
async function serverErrors(cluster: Cluster, conf: string): Promise<string[]> {
  writeScenario(cluster.dataDir, { main: Buffer.from(conf, 'utf8').toString('latin1'), auto: null, files: {} });
  const r = await runAsUser(
    path.join(binDir(cluster.major), 'postgres'),
    ['-D', cluster.dataDir, '-c', 'log_line_prefix=@@@', '-C', 'data_directory'],
    {
      timeoutMs: 20_000,
    },
  );
  const lines = parseServerLog(r.stderr)
    .filter((l) => l.level !== 'HINT' && l.level !== 'DETAIL' && !/contains errors$/.test(l.text))
    .map((l) => `${l.level}: ${l.text.replace(/ in file "[^"]*" line \d+/, '').replace(/line \d+/, 'line N')}`);
  if (r.code !== 0 && lines.length === 0) lines.push(`exit ${String(r.code)}: ${r.stderr.trim()}`);
  return lines;
}

function applyFix(conf: string, fix: Fix): string {
  return applyEdits(
    conf,
    fix.edits.filter((e) => e.file === MAIN),
  );
}

for (const major of MAJORS) {
  describe(`quick fixes give files PostgreSQL ${major} accepts`, function () {
    this.timeout(20 * 60 * 1000);
    let cluster: Cluster | undefined;
    before(async function () {
      if (!requireServer(major, this)) return;
      cluster = await createCluster(major);
    });
    after(async () => {
      await cluster?.destroy();
    });

    it('every fix of every rule example, one at a time and all together', async () => {
      const failures: string[] = [];
      let tried = 0;
      for (const ex of examples()) {
        const fixes = lint(ex.conf, ex.extra, major)
          .filter((f) => f.fix)
          .map((f) => ({ rule: f.rule, fix: f.fix! }));
        if (fixes.length === 0) continue;
        const before = await serverErrors(cluster!, ex.conf);
        const variants = fixes.map((f) => ({ what: `${f.rule}: ${f.fix.title}`, conf: applyFix(ex.conf, f.fix) }));
        if (fixes.length > 1) {
          const all = compatibleFixes(fixes.map((f) => f.fix));
          // compatible fixes are applied together, against the original positions
          variants.push({
            what: 'fix all',
            conf: applyEdits(
              ex.conf,
              all.flatMap((fix) => fix.edits).filter((e) => e.file === MAIN),
            ),
          });
        }
        for (const v of variants) {
          tried++;
          const after = await serverErrors(cluster!, v.conf);
          const added = after.filter((l) => !before.includes(l));
          if (added.length > 0)
            failures.push(
              `[${ex.title}] ${v.what}\n--- fixed file ---\n${v.conf}--- new server errors ---\n${added.join('\n')}`,
            );
        }
      }
      assert.equal(failures.length, 0, failures.join('\n\n'));
      assert.ok(tried > 0, 'no quick fix was tried');
    });
  });
}
