// Entry point of `npm run bench` (package.json: `npm run build && tsx scripts/bench/index.ts`).
//
// Every benchmark is a module of its own in this directory exporting an object of the `Bench`
// shape below; add it to BENCHES to have it run. Benchmarks run one after another (never in
// parallel: they share two cores and would disturb each other's timings).
//
// Usage:  tsx scripts/bench/index.ts [name ...]     (default: every benchmark)
//
// Exit status: 0 when every benchmark ran and its checks passed; 1 otherwise (also when a
// benchmark needs a PostgreSQL server whose binaries are missing and CI=true).
import * as os from 'node:os';

import { destroyAllClusters } from '../../test/support/postgresServers';
import { archiveAnalysisBench } from './archiveAnalysisBench';
import { archiveListingBench } from './archiveListingBench';
import { confParsingBench } from './confParsingBench';
import { drillBench } from './drillBench';
import { editorBench } from './editorBench';
import { lintPrecisionBench } from './lintPrecisionBench';
import { serveBench } from './serveBench';
import { serverChecksBench } from './serverChecksBench';
import { timelineBench } from './timelineBench';

export interface BenchContext {
  /** true when CI=true: a missing PostgreSQL server is a failure, not a reason to skip */
  ci: boolean;
  /** prints one line of the report */
  log(line?: string): void;
}

export interface Bench {
  /** short name, used on the command line */
  name: string;
  /** one-line description, printed as the benchmark's title */
  title: string;
  /** runs the benchmark and prints its report; throws when a check fails */
  run(ctx: BenchContext): Promise<void>;
}

const BENCHES: Bench[] = [
  confParsingBench,
  archiveAnalysisBench,
  archiveListingBench,
  serverChecksBench,
  serveBench,
  editorBench,
  drillBench,
  timelineBench,
  lintPrecisionBench,
];

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

async function main(): Promise<number> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !BENCHES.some((b) => b.name === w));
  if (unknown.length > 0) {
    console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${BENCHES.map((b) => b.name).join(', ')}`);
    return 2;
  }
  const selected = wanted.length > 0 ? BENCHES.filter((b) => wanted.includes(b.name)) : BENCHES;
  const ctx: BenchContext = { ci: process.env.CI === 'true', log: (line = '') => console.log(line) };

  const cpus = os.cpus();
  console.log('pg-pitr benchmarks');
  console.log(
    `machine: ${cpus.length} x ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${os.platform()} ${os.release()}, Node ${process.version}`,
  );

  const failures: string[] = [];
  const started = performance.now();
  for (const bench of selected) {
    console.log('');
    console.log('='.repeat(100));
    console.log(`${bench.title}  [${bench.name}]`);
    console.log('='.repeat(100));
    const t0 = performance.now();
    try {
      await bench.run(ctx);
      console.log(`(${bench.name} took ${formatSeconds(performance.now() - t0)})`);
    } catch (e) {
      const msg = e instanceof Error ? (e.stack ?? e.message) : String(e);
      console.error(`\n*** BENCHMARK ${bench.name} FAILED ***\n${msg}\n`);
      failures.push(bench.name);
    } finally {
      // a benchmark that forgot a server (or threw before its own cleanup) must not leak it
      await destroyAllClusters();
    }
  }
  console.log('');
  console.log(
    `Total: ${formatSeconds(performance.now() - started)}; ${selected.length - failures.length} of ${selected.length} benchmark(s) passed.`,
  );
  if (failures.length > 0) console.error(`FAILED: ${failures.join(', ')}`);
  return failures.length > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  async (e: unknown) => {
    console.error(e);
    await destroyAllClusters();
    process.exitCode = 1;
  },
);
