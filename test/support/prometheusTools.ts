// Debian's `prometheus` package (prometheus and promtool 2.42) for the tests that need a real
// Prometheus: a failure under CI=true, a loud skip otherwise.
import { spawnSync } from 'node:child_process';

/** true when prometheus and promtool run; otherwise skips the suite (or throws under CI=true). */
export function requirePrometheus(ctx: Mocha.Context): boolean {
  const missing = ['prometheus', 'promtool'].filter(
    (b) => spawnSync(b, ['--version'], { encoding: 'utf8' }).status !== 0,
  );
  if (missing.length === 0) return true;
  const msg = `${missing.join(' and ')} not found: install Debian's prometheus package (apt-get install prometheus)`;
  if (process.env.CI === 'true') throw new Error(`${msg} (CI=true: a missing tool is a failure)`);
  console.warn(`\n!!! SKIPPING the real-Prometheus tests: ${msg}\n`);
  ctx.skip();
  return false;
}
