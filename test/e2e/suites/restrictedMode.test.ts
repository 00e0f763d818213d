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
    // VS Code itself adds show/hide commands for every contributed view (pgPitr.servers.focus, ...): they run nothing
    const viewCommand = /^pgPitr\.servers\.(focus|open|removeView|resetViewLocation|toggleVisibility)$/;
    const ours = (await vscode.commands.getCommands(true)).filter(
      (c) => c.startsWith('pgPitr.') && !viewCommand.test(c),
    );
    // only editor-local commands exist: server, backup and recovery commands register only in a trusted workspace;
    // the timeline reads a local folder (runs nothing) and refuses servers and S3 here (timelineRestricted.test.ts)
    assert.deepEqual(ours.sort(), ['pgPitr.selectPostgresVersion', 'pgPitr.showTimeline']);
  });
});
