// Helpers for suites running inside the real extension host.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as vscode from 'vscode';

export const WORKSPACE = process.env.PG_PITR_E2E_WORKSPACE ?? '';
const CONTROL = process.env.PG_PITR_E2E_CONTROL ?? '';
let requestNo = 0;

export function fixture(rel: string): vscode.Uri {
  return vscode.Uri.file(path.join(WORKSPACE, rel));
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Asks the runner (outside the editor) to do something in the browser page. */
async function ask(req: Record<string, unknown>): Promise<{ ok: boolean; text?: string; error?: string }> {
  const id = `${++requestNo}-${String(req.name ?? req.kind).replace(/[^a-z0-9-]/gi, '_')}`;
  fs.writeFileSync(path.join(CONTROL, `${id}.request`), JSON.stringify(req));
  const answer = path.join(CONTROL, `${id}.answer`);
  for (let i = 0; i < 300; i++) {
    if (fs.existsSync(answer)) return JSON.parse(fs.readFileSync(answer, 'utf8'));
    await sleep(100);
  }
  throw new Error(`the runner did not answer ${JSON.stringify(req)}`);
}

/** A screenshot of the page, or of the first element matching `selector` (e.g. a webview's frame). */
export async function screenshot(name: string, selector?: string): Promise<void> {
  const a = await ask({ kind: 'screenshot', name, selector });
  assert.ok(a.ok, a.error);
}

/** The value of an input of the workbench page (a quick input's text box). */
export async function pageValue(selector: string): Promise<string> {
  const a = await ask({ kind: 'value', selector });
  assert.ok(a.ok, a.error);
  return a.text ?? '';
}

export interface WebviewRequest {
  action: 'count' | 'text' | 'attr' | 'click' | 'hover';
  /** CSS selector inside the webview's document */
  selector: string;
  /** which match (default the first) */
  index?: number;
  /** attribute name, for 'attr' */
  name?: string;
  /** where to click or hover: x as a fraction of the element's width, y in pixels from its top */
  fx?: number;
  y?: number;
}

/** Reads or clicks inside the webview that shows `selector`, with real pointer events (through the runner). */
export async function webview(req: WebviewRequest): Promise<string> {
  const a = await ask({ kind: 'webview', ...req });
  assert.ok(a.ok, a.error);
  return a.text ?? '';
}

/** Presses keys in the workbench page (Playwright key names: 'Enter', 'Escape', 'a', ...). */
export async function pressKeys(keys: string[]): Promise<void> {
  const a = await ask({ kind: 'keys', keys });
  assert.ok(a.ok, a.error);
}

/** Types text into whatever has the focus in the workbench page (a quick input, an editor). */
export async function typeText(text: string): Promise<void> {
  await pressKeys([...text].map((c) => (c === ' ' ? 'Space' : c)));
}

/** aria-label or text of the first element matching a CSS selector in the workbench page */
export async function pageText(selector: string): Promise<string> {
  const a = await ask({ kind: 'text', selector });
  assert.ok(a.ok, a.error);
  return a.text ?? '';
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 20000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

export interface DiagnosticRow {
  rule: string;
  severity: 'error' | 'warning' | 'information' | 'hint';
  range: [number, number, number, number];
}

export function rows(uri: vscode.Uri): DiagnosticRow[] {
  const sev = ['error', 'warning', 'information', 'hint'] as const;
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === 'pg-pitr')
    .map((d) => ({
      rule: typeof d.code === 'object' && d.code !== null ? String(d.code.value) : String(d.code),
      severity: sev[d.severity],
      range: [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character] as [
        number,
        number,
        number,
        number,
      ],
    }))
    .sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1] || a.rule.localeCompare(b.rule));
}

export async function open(rel: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(fixture(rel));
  return vscode.window.showTextDocument(doc);
}

export async function setMajor(value: string): Promise<void> {
  await vscode.workspace.getConfiguration('pgPitr').update('postgresVersion', value, vscode.ConfigurationTarget.Global);
  await sleep(300);
}
