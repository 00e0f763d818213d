// The linter on the real-world corpus (test/fixtures/real-world/: configuration files and
// archive/restore commands from public sources, each citing its source, annotated by hand with
// what an expert flags). Per entry: every warning/error is an expected (or tolerated) problem and
// every expected problem is found. Then precision and recall over the whole corpus.
import { strict as assert } from 'node:assert';

import { type CorpusScore, scoreCorpus } from '../../support/realWorldCorpus';

describe('real-world corpus (issue 12)', () => {
  let score: CorpusScore;
  before(function () {
    this.timeout(60_000);
    score = scoreCorpus();
  });

  it('covers at least 60 configuration files and 50 commands', () => {
    assert.ok(score.entries.filter((e) => e.kind === 'config').length >= 60);
    assert.ok(score.entries.filter((e) => e.kind === 'command').length >= 50);
  });

  it('every warning and error is one an expert flags, and every problem an expert flags is found', () => {
    const wrong: string[] = [];
    for (const e of score.entries) {
      for (const f of e.findings.filter((x) => x.verdict === 'false'))
        wrong.push(`${e.id}: false alarm ${f.rule} (${f.severity}) at line ${f.line}`);
      for (const m of e.missed) wrong.push(`${e.id}: missed ${m}`);
    }
    assert.deepEqual(wrong, []);
  });

  it('precision >= 97 % and recall >= 95 % on warnings and errors', () => {
    const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
    console.log(
      `      real-world corpus: ${score.truePositives} true, ${score.falsePositives} false, ${score.tolerated} tolerated; ` +
        `${score.found} of ${score.expected} expected problems found; precision ${pct(score.precision)}, recall ${pct(score.recall)}`,
    );
    assert.ok(score.precision >= 0.97, `precision ${pct(score.precision)}`);
    assert.ok(score.recall >= 0.95, `recall ${pct(score.recall)}`);
  });
});
