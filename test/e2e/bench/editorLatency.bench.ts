// Editor benchmark (npm run bench, not part of npm test): keystroke-to-diagnostics latency for a
// 1,000 and a 10,000-line postgresql.conf in the real editor, and the extension's activation time.
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as vscode from 'vscode';

import { WORKSPACE } from '../harness';

const ROUNDS = 15;

function configOf(lines: number): string {
  const out: string[] = [
    '# generated for the latency benchmark',
    'wal_level = replica',
    'archive_mode = on',
    "archive_command = '/usr/local/bin/archive-wal %p %f'",
  ];
  for (let i = out.length; i < lines; i++)
    out.push(i % 5 === 0 ? `# comment ${i}` : i % 2 ? `work_mem = '${(i % 64) + 1}MB'` : `statement_timeout = ${i}`);
  return out.join('\n') + '\n';
}

async function keystrokeToDiagnostics(uri: vscode.Uri, editor: vscode.TextEditor): Promise<number> {
  const line = editor.document.lineCount - 1;
  editor.selection = new vscode.Selection(line, 0, line, 0);
  const changed = new Promise<number>((resolve) => {
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) {
        sub.dispose();
        resolve(performance.now());
      }
    });
  });
  const t0 = performance.now();
  // a real keystroke through the editor's typing path; alternating so every round changes the findings
  await vscode.commands.executeCommand('type', { text: editor.document.lineAt(line).text === '' ? 'fsync = off' : '' });
  if (editor.document.lineAt(line).text !== '') {
    const t = await changed;
    await editor.edit((b) => b.delete(editor.document.lineAt(line).range));
    return t - t0;
  }
  return (await changed) - t0;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

describe('editor benchmark', () => {
  it('measures', async function () {
    this.timeout(300000);
    const ext = vscode.extensions.getExtension<{ activationMs: number }>('pg-pitr.pg-pitr')!;
    const api = ext.isActive ? ext.exports : await ext.activate();
    const results: Record<string, number> = { activationMs: api.activationMs };
    for (const lines of [10, 1000, 10000]) {
      const file = path.join(WORKSPACE, `bench-${lines}`, 'postgresql.conf');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, configOf(lines));
      const uri = vscode.Uri.file(file);
      const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      await new Promise((r) => setTimeout(r, 1500));
      const samples: number[] = [];
      for (let i = 0; i < ROUNDS; i++) samples.push(await keystrokeToDiagnostics(uri, editor));
      results[`latency${lines}Ms`] = median(samples);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    fs.writeFileSync(process.env.PG_PITR_E2E_BENCH_OUT!, JSON.stringify(results, null, 2));
  });
});
