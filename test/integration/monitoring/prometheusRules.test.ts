// The shipped alert rules, checked by Prometheus' own promtool: `check rules` (syntax, templates)
// and `test rules` (prometheus/tests: every rule fires after its `for` and resolves when its
// condition clears; an idle primary and a healthy standby fire nothing).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { requirePrometheus } from '../../support/prometheusTools';

const ROOT = path.resolve(__dirname, '../../..');

function promtool(args: string[]) {
  return spawnSync('promtool', args, { cwd: ROOT, encoding: 'utf8', timeout: 60000 });
}

describe('shipped Prometheus rules (promtool)', function () {
  this.timeout(60000);
  before(function () {
    requirePrometheus(this);
  });

  it('promtool check rules: 11 rules, valid', () => {
    const r = promtool(['check', 'rules', 'prometheus/pg-pitr.rules.yml']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /SUCCESS: 11 rules found/);
  });

  it('promtool test rules: every rule fires and resolves; idle and standby stay quiet', () => {
    const r = promtool(['test', 'rules', 'prometheus/tests/pg-pitr.rules.test.yml']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /SUCCESS/);
  });

  it('the unit tests can fail: a rule without its `for` fails them', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-rules-'));
    try {
      fs.mkdirSync(path.join(dir, 'tests'));
      const rules = fs.readFileSync(path.join(ROOT, 'prometheus/pg-pitr.rules.yml'), 'utf8');
      fs.writeFileSync(
        path.join(dir, 'pg-pitr.rules.yml'),
        rules.replace(/(alert: PgPitrArchivingFailing[\s\S]*?for:) 2m/, '$1 0s'),
      );
      fs.copyFileSync(path.join(ROOT, 'prometheus/tests/pg-pitr.rules.test.yml'), path.join(dir, 'tests/t.yml'));
      const r = spawnSync('promtool', ['test', 'rules', path.join(dir, 'tests/t.yml')], {
        encoding: 'utf8',
        timeout: 60000,
      });
      assert.equal(r.status, 1);
      assert.match(r.stdout + r.stderr, /FAILED[\s\S]*alertname: PgPitrArchivingFailing, time: 3m/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
