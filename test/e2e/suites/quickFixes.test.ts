import { strict as assert } from 'node:assert';

import * as vscode from 'vscode';

import { fixture, open, rows, screenshot, setMajor, sleep, waitFor } from '../harness';

async function actions(uri: vscode.Uri, range: vscode.Range, kind?: string): Promise<vscode.CodeAction[]> {
  return (
    (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, kind)) ??
    []
  );
}

describe('quick fixes in the real editor', () => {
  before(() => setMajor('auto'));
  const uri = fixture('other/postgresql.conf');

  it('applying a quick fix changes the document to the expected text (and can be undone)', async () => {
    const editor = await open('other/postgresql.conf');
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
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), 'wal_level = replica\nwal_keep_segments = 8\nfull_page_writes = off\n');
  });

  it('"fix all" leaves no fixable diagnostic', async () => {
    const editor = await open('other/postgresql.conf');
    const all = (await actions(uri, new vscode.Range(0, 0, 3, 0), 'source.fixAll.pgPitr')).find(
      (a) => a.kind?.value === 'source.fixAll.pgPitr',
    );
    assert.ok(all?.edit, 'fix-all action offered');
    assert.ok(await vscode.workspace.applyEdit(all.edit));
    assert.equal(editor.document.getText(), "wal_level = replica\nwal_keep_size = '128MB'\nfull_page_writes = 'on'\n");
    await sleep(600);
    const left = await actions(uri, new vscode.Range(0, 0, 3, 0), vscode.CodeActionKind.QuickFix.value);
    assert.deepEqual(
      left.map((a) => a.title),
      [],
    );
    assert.deepEqual(
      rows(uri).filter((r) => r.severity !== 'information' && r.severity !== 'hint'),
      [],
    );
    await screenshot('after-fix-all');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
