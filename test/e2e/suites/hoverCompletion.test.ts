import { strict as assert } from 'node:assert';

import * as vscode from 'vscode';

import { eventually, fixture, openPristine, rows, setMajor, waitFor } from '../harness';

async function hoverText(uri: vscode.Uri, pos: vscode.Position): Promise<string> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, pos)) ?? [];
  return hovers
    .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value)))
    .join('\n');
}

async function completionLabels(uri: vscode.Uri, pos: vscode.Position): Promise<string[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>(
    'vscode.executeCompletionItemProvider',
    uri,
    pos,
  );
  return list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
}

describe('hover and completion follow the chosen major', () => {
  const uri = fixture('other/postgresql.conf');
  after(() => setMajor('auto'));

  it('PostgreSQL 18 (auto: no PG_VERSION beside the file)', async () => {
    await setMajor('auto');
    await openPristine('other/postgresql.conf');
    await eventually(async () => {
      const hover = await hoverText(uri, new vscode.Position(1, 3));
      assert.match(hover, /not a parameter of PostgreSQL 18/);
      assert.match(hover, /Replaced by `wal_keep_size` \(13\+\)/);
    });
    const names = await completionLabels(uri, new vscode.Position(3, 0));
    assert.ok(names.includes('wal_keep_size') && !names.includes('wal_keep_segments'));
    const values = await completionLabels(uri, new vscode.Position(0, 12));
    assert.deepEqual(values.filter((v) => ['minimal', 'replica', 'logical'].includes(v)).sort(), [
      'logical',
      'minimal',
      'replica',
    ]);
  });

  it('changing the major to 12 changes hover, completion and diagnostics', async () => {
    await openPristine('other/postgresql.conf');
    await setMajor('12');
    await eventually(async () => {
      const hover = await hoverText(uri, new vscode.Position(1, 3));
      assert.match(hover, /\*\*wal_keep_segments\*\* \(integer\) — PostgreSQL 12/);
      const names = await completionLabels(uri, new vscode.Position(3, 0));
      assert.ok(names.includes('wal_keep_segments') && !names.includes('wal_keep_size'), names.join(', '));
    });
    await waitFor('removed-parameter to go away on 12', () => !rows(uri).some((r) => r.rule === 'removed-parameter'));
  });
});
