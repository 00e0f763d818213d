// Helpers for suites running inside the real extension host. Every wait is for a condition (with a
// deadline that only turns a hang into a failure), never for a duration; a test that edits a
// document edits its own copy (openCopy), so no suite sees another's edits.
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

/** Pause between two looks at a condition (never a wait on its own). */
const POLL_MS = 100;
/** Deadline of a wait: generous, since a loaded machine is slow, and a wait ends as soon as its condition holds. */
export const WAIT_MS = 30_000;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Answer {
  ok: boolean;
  text?: string;
  state?: QuickInputState;
  error?: string;
}

/** The quick input as the page shows it (scripts/e2e/run.mjs reads it). */
export interface QuickInputState {
  visible: boolean;
  title: string;
  /** the prompt of an input box (or its validation message) */
  message: string;
  placeholder: string;
  value: string;
  /** rows of a quick pick's list (0 for an input box) */
  rows: number;
  /** aria-label of the pick's active row: Enter selects it */
  activeRow: string | null;
  /** whether the input has the keyboard focus, so that typed keys reach it */
  inputFocused: boolean;
}

/** Asks the runner (outside the editor) to do something in the browser page. */
async function ask(req: Record<string, unknown>): Promise<Answer> {
  const id = `${++requestNo}-${String(req.name ?? req.kind).replace(/[^a-z0-9-]/gi, '_')}`;
  // written whole, then renamed: the runner never reads half a request
  fs.writeFileSync(path.join(CONTROL, `${id}.request.tmp`), JSON.stringify(req));
  fs.renameSync(path.join(CONTROL, `${id}.request.tmp`), path.join(CONTROL, `${id}.request`));
  const answer = path.join(CONTROL, `${id}.answer`);
  // the runner renames a complete answer into place, so an answer that exists is whole
  const end = Date.now() + 2 * WAIT_MS;
  while (!fs.existsSync(answer)) {
    if (Date.now() > end) throw new Error(`the runner did not answer ${JSON.stringify(req)}`);
    await pause(POLL_MS);
  }
  return JSON.parse(fs.readFileSync(answer, 'utf8')) as Answer;
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
  /** the webview is the one holding this selector (default: `selector`); needed for `body`, which every frame has */
  within?: string;
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

/**
 * aria-label or text (or, with `attribute`, that attribute) of the first element matching a
 * Playwright CSS selector in the workbench page; fails when there is none within a few seconds.
 */
export async function pageText(selector: string, attribute?: string): Promise<string> {
  const a = await ask({ kind: 'text', selector, attribute });
  assert.ok(a.ok, a.error);
  return a.text ?? '';
}

/** The first truthy value of `probe`, looked at every 100 ms; fails after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = WAIT_MS): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await pause(POLL_MS);
  }
}

/**
 * Runs `check` (assertions, async probes) until it passes; after `timeoutMs` its last failure is
 * the test's failure, so the message shows what was seen last.
 */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = WAIT_MS): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > end) throw e;
    }
    await pause(POLL_MS);
  }
}

/** Resolves when `promise` does; fails with `what` when it has not settled after `timeoutMs`. */
export async function within<T>(what: string, promise: Thenable<T>, timeoutMs = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
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

/** Sets pgPitr.postgresVersion; what depends on it is checked with waitFor / eventually. */
export async function setMajor(value: string): Promise<void> {
  await vscode.workspace.getConfiguration('pgPitr').update('postgresVersion', value, vscode.ConfigurationTarget.Global);
  await waitFor(`pgPitr.postgresVersion = ${value}`, () => {
    return vscode.workspace.getConfiguration('pgPitr').get('postgresVersion') === value;
  });
}

let copies = 0;

/**
 * Opens a fresh copy of a workspace file, in a folder of its own below copies/ (so the major
 * found beside it is the same as for a file without PG_VERSION): a test that edits it changes
 * no file another test reads.
 */
export async function openCopy(rel: string): Promise<vscode.TextEditor> {
  const dir = path.join(WORKSPACE, 'copies', `${++copies}`);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, path.basename(rel));
  fs.copyFileSync(path.join(WORKSPACE, rel), file);
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  return vscode.window.showTextDocument(doc);
}

/** Drops the unsaved edits of a document (back to the file on disk) and waits until that is done. */
export async function revert(editor: vscode.TextEditor): Promise<void> {
  await vscode.window.showTextDocument(editor.document);
  await vscode.commands.executeCommand('workbench.action.files.revert');
  const onDisk = fs.readFileSync(editor.document.uri.fsPath, 'utf8');
  await waitFor(`${editor.document.uri.fsPath} to be reverted`, () => {
    return !editor.document.isDirty && editor.document.getText() === onDisk;
  });
}

/** Opens a workspace file and checks that nothing changed it: it reads as on disk, with no unsaved edit. */
export async function openPristine(rel: string): Promise<vscode.TextEditor> {
  const editor = await open(rel);
  const onDisk = fs.readFileSync(fixture(rel).fsPath, 'utf8');
  assert.equal(editor.document.isDirty, false, `${rel} has unsaved edits of an earlier test`);
  assert.equal(editor.document.getText(), onDisk, `${rel} differs from the file on disk`);
  return editor;
}

/**
 * Waits until the quick input shows the step `shows` accepts and is ready for keys: visible, its
 * input focused and, for a pick, its active row rendered (Enter would otherwise select nothing).
 */
export async function quickInputStep(what: string, shows: (s: QuickInputState) => boolean): Promise<QuickInputState> {
  let last: QuickInputState | undefined;
  try {
    return await eventually(async () => {
      const a = await ask({ kind: 'quickInput' });
      assert.ok(a.ok && a.state, a.error);
      last = a.state;
      assert.ok(last.visible && last.inputFocused && (last.rows === 0 || last.activeRow !== null) && shows(last));
      return last;
    });
  } catch {
    throw new Error(`timed out waiting for the quick input to show ${what}; it shows ${JSON.stringify(last)}`);
  }
}
