// issue 15: files that froze the extension host (in Restricted Mode too, where pg-pitr only
// lints): an include of /dev/zero or of a FIFO, two files including each other, a long line of
// escaped quotes, a 30 MB configuration. Each gets its diagnostics, and the editor keeps answering
// while a lint runs: linting happens on a worker thread.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as vscode from 'vscode';

import { fixture, rows, setMajor, waitFor, WORKSPACE } from '../harness';

/** Writes a configuration under hostile/<name>/ and returns its URI. */
function write(rel: string, text: string): vscode.Uri {
  const p = path.join(WORKSPACE, 'hostile', rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return vscode.Uri.file(p);
}

async function diagnosticsOf(uri: vscode.Uri, timeoutMs = 60_000) {
  await vscode.workspace.openTextDocument(uri);
  return waitFor(`diagnostics of ${uri.fsPath}`, () => (rows(uri).length > 0 ? rows(uri) : undefined), timeoutMs);
}

function message(uri: vscode.Uri, rule: string): string {
  const d = vscode.languages
    .getDiagnostics(uri)
    .find((x) => typeof x.code === 'object' && x.code !== null && String(x.code.value) === rule);
  assert.ok(d, `no ${rule} on ${uri.fsPath}`);
  return d.message;
}

describe('hostile configurations in the real editor (issue 15)', function () {
  this.timeout(180_000);
  before(() => setMajor('17'));
  after(() => setMajor('auto'));

  it("include '/dev/zero': an include error, the extension host is not stuck reading it", async () => {
    const uri = write('zero/postgresql.conf', "include '/dev/zero'\n");
    assert.deepEqual(await diagnosticsOf(uri), [{ rule: 'include-error', severity: 'error', range: [0, 0, 0, 19] }]);
    assert.match(message(uri, 'include-error'), /"\/dev\/zero": it is a character device, not a regular file/);
  });

  it('an included FIFO: an include error, nothing waits for a writer', async () => {
    fs.mkdirSync(path.join(WORKSPACE, 'hostile', 'fifo'), { recursive: true });
    execFileSync('mkfifo', [path.join(WORKSPACE, 'hostile', 'fifo', 'pipe.conf')]);
    const uri = write('fifo/postgresql.conf', "include 'pipe.conf'\n");
    assert.deepEqual(await diagnosticsOf(uri), [{ rule: 'include-error', severity: 'error', range: [0, 0, 0, 19] }]);
    assert.match(message(uri, 'include-error'), /pipe\.conf": it is a FIFO, not a regular file/);
  });

  it('two files including each other 4 times each: the depth error and a lint-incomplete warning', async () => {
    write('cycle/a.conf', "include 'b.conf'\n".repeat(4));
    write('cycle/b.conf', "include 'a.conf'\n".repeat(4));
    const uri = write('cycle/postgresql.conf', "include 'a.conf'\n");
    await diagnosticsOf(uri);
    const b = vscode.Uri.file(path.join(WORKSPACE, 'hostile', 'cycle', 'b.conf'));
    const a = vscode.Uri.file(path.join(WORKSPACE, 'hostile', 'cycle', 'a.conf'));
    const all = [...rows(a), ...rows(b)];
    assert.ok(all.some((r) => r.rule === 'include-error' && r.severity === 'error'));
    assert.deepEqual(
      all.filter((r) => r.rule === 'lint-incomplete').map((r) => r.severity),
      ['warning'],
    );
  });

  it('a 1 MB line of escaped quotes: one syntax error, at once', async () => {
    const uri = write('quotes/postgresql.conf', "archive_command = '" + "\\'".repeat(500_000) + '\n');
    assert.deepEqual(await diagnosticsOf(uri), [{ rule: 'syntax-error', severity: 'error', range: [0, 18, 0, 19] }]);
  });

  it('a 30 MB configuration lints on the worker while the editor answers other requests', async () => {
    const lines: string[] = [];
    let size = 0;
    for (let i = 0; size < 30 * 1024 * 1024; i++) {
      const l =
        i % 50 === 0
          ? `myapp.setting_${i} = 'value ${i}'\n`
          : `# ${i}: a comment line, as most of a long postgresql.conf is, padded to a realistic width\n`;
      lines.push(l);
      size += l.length;
    }
    const uri = write('big/postgresql.conf', lines.join('') + 'wal_level = minimal\n');
    const other = fixture('data/postgresql.conf');
    await vscode.workspace.openTextDocument(other);
    await vscode.workspace.openTextDocument(uri);
    // the hover provider runs on the extension host's main thread: its answer arriving before the
    // 30 MB lint is done shows the lint does not hold that thread
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      other,
      new vscode.Position(1, 3),
    );
    const lintDoneAtHover = rows(uri).length > 0;
    assert.ok(hovers.length > 0, 'the hover answered');
    assert.equal(lintDoneAtHover, false, 'the 30 MB lint had already finished when the hover answered');
    const got = await waitFor('the 30 MB lint', () => (rows(uri).length > 0 ? rows(uri) : undefined), 150_000);
    assert.deepEqual(
      got.filter((r) => r.severity === 'error').map((r) => r.rule),
      ['wal-level-minimal-senders'],
    );
  });
});
