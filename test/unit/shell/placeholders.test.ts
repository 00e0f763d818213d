// The server's left-to-right %-scan: %p %f %r %% and the invalid / incomplete leftovers.
import { strict as assert } from 'node:assert';

import { placeholders } from '../../../src/core/shell/placeholders';

function scan(text: string, letters?: string): string[] {
  return placeholders(text, letters).map((p) => `${p.kind}@${p.start}-${p.end}:${p.text}`);
}

describe('PostgreSQL placeholders', () => {
  const cases: Array<[string, string[]]> = [
    ['cp %p /a/%f', ['p@3-5:%p', 'f@9-11:%f']],
    ['pg_archivecleanup /a %r', ['r@21-23:%r']],
    ['echo 100%%', ['percent@8-10:%%']],
    ['%%p', ['percent@0-2:%%']],
    ['%%%p', ['percent@0-2:%%', 'p@2-4:%p']],
    ['cp %x', ['invalid@3-5:%x']],
    ['cp %P', ['invalid@3-5:%P']],
    ['cp %', ['incomplete@3-4:%']],
    ['cp %%%', ['percent@3-5:%%', 'incomplete@5-6:%']],
    ['% p', ['invalid@0-2:% ']],
    ["'%p'", ['p@1-3:%p']],
    ['no placeholders', []],
    ['', []],
  ];
  for (const [text, expected] of cases) {
    it(JSON.stringify(text), () => assert.deepEqual(scan(text), expected));
  }

  it('reports letters the setting does not accept as invalid', () => {
    // archive_command accepts p and f only; archive_cleanup_command only r
    assert.deepEqual(scan('cp %p /a/%f %r', 'pf'), ['p@3-5:%p', 'f@9-11:%f', 'invalid@12-14:%r']);
    assert.deepEqual(scan('pg_archivecleanup /a %r %p', 'r'), ['r@21-23:%r', 'invalid@24-26:%p']);
  });

  // a quadratic scan of 1 MB would run into the lane's 5 s timeout; no wall-clock assertion here
  it('is linear on long inputs', () => {
    const text = '%'.repeat(1_000_001);
    const r = placeholders(text);
    assert.equal(r.length, 500_001);
    assert.equal(r[r.length - 1].kind, 'incomplete');
  });
});
