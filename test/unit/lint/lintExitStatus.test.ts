// issue 15 (wrong answers 4): a lint that could not do its whole job never exits 0, even with
// "0 errors" and no warning limit.
import { strict as assert } from 'node:assert';

import { lintExitStatus } from '../../../src/core/lint/lintExitStatus';
import type { Finding } from '../../../src/core/lint/types';

const finding = (rule: string, severity: Finding['severity']): Finding => ({
  rule,
  severity,
  file: '/etc/pg/postgresql.conf',
  range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
  message: rule,
  fix: null,
});

describe('lint exit status (issue 15)', () => {
  it('0 with no error and warnings within the limit, 1 with an error or too many warnings', () => {
    assert.equal(lintExitStatus([]), 0);
    assert.equal(lintExitStatus([finding('duplicate-setting', 'information'), finding('wal-level', 'warning')]), 0);
    assert.equal(lintExitStatus([finding('unknown-parameter', 'error')]), 1);
    assert.equal(lintExitStatus([finding('wal-level', 'warning')], 0), 1);
    assert.equal(lintExitStatus([finding('wal-level', 'warning')], 1), 0);
  });

  it('1 when a rule failed (internal-error) or the reading stopped at a limit (lint-incomplete), whatever their severity', () => {
    for (const rule of ['internal-error', 'lint-incomplete']) {
      assert.equal(lintExitStatus([finding(rule, 'warning')]), 1, rule);
      assert.equal(lintExitStatus([finding(rule, 'information')]), 1, rule);
    }
  });
});
