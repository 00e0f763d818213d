import { strict as assert } from 'node:assert';

import * as vscode from 'vscode';

describe('trusted workspace', () => {
  it('the workspace is trusted', () => {
    assert.equal(vscode.workspace.isTrusted, true);
  });
});
