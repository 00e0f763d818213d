import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { fixture, rows, waitFor } from '../harness';

describe('Restricted Mode (untrusted workspace)', () => {
  it('the workspace is untrusted and the extension still lints', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    await vscode.workspace.openTextDocument(fixture('data/postgresql.conf'));
    await waitFor('diagnostics', () => rows(fixture('data/postgresql.conf')).length > 0);
  });

  it('registers no command that runs programs or connects to servers', async () => {
    const ours = (await vscode.commands.getCommands(true)).filter((c) => c.startsWith('pgPitr.'));
    // only editor-local commands exist; server and backup commands arrive with their own trust gate
    assert.deepEqual(ours.sort(), ['pgPitr.selectPostgresVersion']);
  });
});
