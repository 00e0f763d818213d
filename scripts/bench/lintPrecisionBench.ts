// npm run bench lint-precision: the linter's precision and recall on the real-world corpus of
// test/fixtures/real-world/ (a figure, not a timing), with every false alarm and miss listed.
import { scoreCorpus } from '../../test/support/realWorldCorpus';
import type { Bench } from './index';

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

export const lintPrecisionBench: Bench = {
  name: 'lint-precision',
  title: 'Lint precision and recall on real-world configurations and commands (warnings and errors)',
  async run(ctx) {
    const s = scoreCorpus();
    const configs = s.entries.filter((e) => e.kind === 'config');
    const commands = s.entries.filter((e) => e.kind === 'command');
    ctx.log(
      `corpus: ${configs.length} configuration files, ${commands.length} archive/restore commands (test/fixtures/real-world/)`,
    );
    for (const [label, entries] of [
      ['configuration files', configs],
      ['commands', commands],
    ] as const) {
      const fs = entries.flatMap((e) => e.findings);
      const tp = fs.filter((f) => f.verdict === 'true').length;
      const fp = fs.filter((f) => f.verdict === 'false').length;
      const exp = entries.reduce((n, e) => n + e.expected, 0);
      const found = exp - entries.reduce((n, e) => n + e.missed.length, 0);
      ctx.log(
        `${label.padEnd(20)} true ${tp}, false ${fp}; found ${found} of ${exp}; precision ${pct(tp + fp ? tp / (tp + fp) : 1)}, recall ${pct(exp ? found / exp : 1)}`,
      );
    }
    ctx.log(
      `${'all'.padEnd(20)} true ${s.truePositives}, false ${s.falsePositives}, tolerated ${s.tolerated}; found ${s.found} of ${s.expected}; precision ${pct(s.precision)}, recall ${pct(s.recall)}`,
    );
    for (const e of s.entries) {
      for (const f of e.findings.filter((x) => x.verdict === 'false'))
        ctx.log(`  false alarm: ${e.id} line ${f.line} ${f.rule}`);
      for (const m of e.missed) ctx.log(`  missed: ${e.id} ${m}`);
    }
    await Promise.resolve();
    if (s.precision < 0.97 || s.recall < 0.95)
      throw new Error(
        `pg-pitr: lint precision check failed: precision ${pct(s.precision)}, recall ${pct(s.recall)} (goal 97 % / 95 %)`,
      );
  },
};
