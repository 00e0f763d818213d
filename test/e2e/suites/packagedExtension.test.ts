import { strict as assert } from 'node:assert';

import * as vscode from 'vscode';

describe('packaged extension', () => {
  it('runs the extension the runner meant: the installed .vsix, or the development folder', () => {
    const ext = vscode.extensions.getExtension('pg-pitr.pg-pitr');
    assert.ok(ext, 'pg-pitr is loaded');
    assert.equal(ext.isActive, true);
    const installed = ext.extensionPath.includes('/extensions/pg-pitr.pg-pitr-');
    assert.equal(installed, process.env.PG_PITR_E2E_MODE === 'vsix', `extension path ${ext.extensionPath}`);
    assert.equal(ext.packageJSON.contributes.languages[0].id, 'postgresql-conf');
  });
});
