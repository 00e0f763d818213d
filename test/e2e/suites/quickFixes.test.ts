import { strict as assert } from 'node:assert';

import * as vscode from 'vscode';

import { eventually, openCopy, revert, rows, screenshot, setMajor, waitFor } from '../harness';

async function actions(uri: vscode.Uri, range: vscode.Range, kind?: string): Promise<vscode.CodeAction[]> {
  return (
    (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, kind)) ??
    []
  );
}

// Each test edits its own copy of other/postgresql.conf (no PG_VERSION beside it: PostgreSQL 18).
describe('quick fixes in the real editor', () => {
  before(() => setMajor('auto'));

  it('applying a quick fix changes the document to the expected text (and can be undone)', async () => {
    const editor = await openCopy('other/postgresql.conf');
    const uri = editor.document.uri;
    await waitFor('diagnostics', () => rows(uri).some((r) => r.rule === 'full-page-writes-off'));
    const line = new vscode.Range(2, 0, 2, 22);
    const fix = (await actions(uri, line, vscode.CodeActionKind.QuickFix.value)).find(
      (a) => a.title === "Set full_page_writes = 'on'",
    );
    assert.ok(fix?.edit, 'quick fix offered');
    assert.equal(fix.isPreferred, true);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(editor.document.getText(), "wal_level = replica\nwal_keep_segments = 8\nfull_page_writes = 'on'\n");
    assert.equal(editor.document.isDirty, true, 'an edit of the document, nothing written to disk');
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('undo');
    await waitFor('the undo', () => !editor.document.isDirty);
    assert.equal(editor.document.getText(), 'wal_level = replica\nwal_keep_segments = 8\nfull_page_writes = off\n');
  });

  it('"fix all" leaves no fixable diagnostic', async () => {
    const editor = await openCopy('other/postgresql.conf');
    const uri = editor.document.uri;
    await waitFor('diagnostics', () => rows(uri).some((r) => r.rule === 'full-page-writes-off'));
    const all = (await actions(uri, new vscode.Range(0, 0, 3, 0), 'source.fixAll.pgPitr')).find(
      (a) => a.kind?.value === 'source.fixAll.pgPitr',
    );
    assert.ok(all?.edit, 'fix-all action offered');
    assert.ok(await vscode.workspace.applyEdit(all.edit));
    assert.equal(editor.document.getText(), "wal_level = replica\nwal_keep_size = '128MB'\nfull_page_writes = 'on'\n");
    // the diagnostics follow the edit asynchronously: wait until they have
    await eventually(async () => {
      const left = await actions(uri, new vscode.Range(0, 0, 3, 0), vscode.CodeActionKind.QuickFix.value);
      assert.deepEqual(
        left.map((a) => a.title),
        [],
      );
      assert.deepEqual(
        rows(uri).filter((r) => r.severity !== 'information' && r.severity !== 'hint'),
        [],
      );
    });
    await screenshot('after-fix-all');
    await revert(editor);
  });
});
