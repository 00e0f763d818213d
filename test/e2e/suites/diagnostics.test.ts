import { strict as assert } from 'node:assert';

import * as vscode from 'vscode';

import { eventually, fixture, open, pageText, rows, screenshot, setMajor, waitFor } from '../harness';

describe('diagnostics in the real editor', () => {
  before(() => setMajor('auto'));

  it('a faulty postgresql.conf gives exactly the expected diagnostics (PG_VERSION 16 beside it)', async () => {
    await open('data/postgresql.conf');
    const uri = fixture('data/postgresql.conf');
    const got = await waitFor('diagnostics', () => (rows(uri).length >= 7 ? rows(uri) : undefined));
    assert.deepEqual(got, [
      { rule: 'restart-required', severity: 'hint', range: [1, 0, 1, 9] },
      { rule: 'wal-level-minimal', severity: 'warning', range: [1, 12, 1, 19] },
      { rule: 'wal-level-minimal-archive', severity: 'error', range: [1, 12, 1, 19] },
      { rule: 'wal-level-minimal-senders', severity: 'error', range: [1, 12, 1, 19] },
      { rule: 'restart-required', severity: 'hint', range: [2, 0, 2, 12] },
      { rule: 'fsync-off', severity: 'warning', range: [4, 8, 4, 11] },
      { rule: 'removed-parameter', severity: 'error', range: [5, 0, 5, 17] },
    ]);
    const msg = vscode.languages
      .getDiagnostics(uri)
      .find((d) => String((d.code as { value: string }).value) === 'removed-parameter')!.message;
    assert.match(msg, /"wal_keep_segments" does not exist in PostgreSQL 16/);
  });

  it("an included file's problem is reported on the included file", async () => {
    await open('data/postgresql.conf');
    const included = fixture('data/conf.d/10-archive.conf');
    const got = await waitFor('diagnostics on the included file', () =>
      rows(included).length > 0 ? rows(included) : undefined,
    );
    assert.deepEqual(got, [{ rule: 'archive-timeout-too-small', severity: 'warning', range: [0, 18, 0, 20] }]);
  });

  it('the Problems panel and the status bar show them', async () => {
    await open('data/postgresql.conf');
    // the counter sums every file's problems: only these two files may have any (this suite runs first)
    await waitFor('diagnostics of data/postgresql.conf and its included file only', () => {
      const files = vscode.languages
        .getDiagnostics()
        .filter(([, ds]) => ds.some((d) => d.source === 'pg-pitr'))
        .map(([u]) => vscode.workspace.asRelativePath(u))
        .sort();
      return JSON.stringify(files) === JSON.stringify(['data/conf.d/10-archive.conf', 'data/postgresql.conf']);
    });
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    // read the page itself: the status bar's problem counter, once it has caught up
    await eventually(async () => {
      const label = await pageText('[id="status.problems"] a, [id="status.problems"]');
      // restart-required is a hint: shown in the editor, not counted in the Problems panel
      assert.match(label, /^Errors: 3, Warnings: 3$/, `status bar says ${JSON.stringify(label)}`);
    });
    await screenshot('problems-panel');
  });
});

describe('PostgreSQL version in the language status', () => {
  it('shows the major of the active file (a language status item, as ESLint shows its state)', async () => {
    await setMajor('auto');
    await open('data/postgresql.conf');
    // the status bar's language-status entry lists every item's label in its aria-label
    await eventually(async () =>
      assert.match(await pageText('[id="status.languageStatus"] a, [id="status.languageStatus"]'), /PostgreSQL 16/),
    );
  });
});
