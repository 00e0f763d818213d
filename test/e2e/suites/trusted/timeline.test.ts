// The Recoverability Timeline in the real editor, on real archives written by real PostgreSQL
// servers: the demo's (one base backup) and one with two timelines, a lost gap and two base backups.
// The webview's DOM is read and clicked with real pointer events (through the runner); a click in a
// band opens the recovery wizard prefilled, a click in the gap explains. Screenshots, light and dark,
// are the README's (npm run docs:screenshots copies them to docs/images/).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import * as vscode from 'vscode';

import type { TimelineModel } from '../../../../src/core/timeline/timelineTypes';
import type { PgPitrApi } from '../../../../src/extension/extension';
import { requireServer } from '../../../support/postgresServers';
import { demoArchive, type TimelineArchive, twoTimelineArchive } from '../../../support/timelineArchives';
import { eventually, pageText, pageValue, pressKeys, screenshot, waitFor, webview } from '../../harness';

const MAJOR = 17;
const Global = vscode.ConfigurationTarget.Global;
const DEMO = 'orders (demo)';
const TWO = 'two timelines';

interface Shown {
  key: string;
  title: string;
  model: TimelineModel;
}

async function waitForAsync(what: string, probe: () => Promise<boolean>): Promise<void> {
  await eventually(async () => assert.ok(await probe(), `waiting for ${what}`));
}

const count = async (selector: string) => Number(await webview({ action: 'count', selector }));

describe('Recoverability timeline in the real editor', function () {
  this.timeout(300_000);
  let demo: TimelineArchive;
  let two: TimelineArchive;
  let api: PgPitrApi;
  let state: string;
  let savedState: string | undefined;
  const config = () => vscode.workspace.getConfiguration('pgPitr');
  let savedServers: unknown;
  let pointLog = '';
  let savedTheme: unknown;

  before(async function () {
    this.timeout(300_000);
    requireServer(MAJOR, this);
    api = await vscode.extensions.getExtension<PgPitrApi>('pg-pitr.pg-pitr')!.activate();
    // the test clusters share one system identifier (one initdb, copied): restore points other suites
    // recorded would match these archives too, so this suite starts from an empty restore point log
    pointLog = api.timeline!.restorePointLogFile;
    if (fs.existsSync(pointLog)) fs.renameSync(pointLog, `${pointLog}.e2e-saved`);
    savedServers = config().inspect('servers')?.globalValue;
    savedTheme = vscode.workspace.getConfiguration('workbench').inspect('colorTheme')?.globalValue;
    [demo, two] = [await demoArchive(MAJOR), await twoTimelineArchive(MAJOR, 1200)];
    // a drill of backup B, as `pg-pitr drill` records it (its own state folder: the extension host is this process)
    state = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-e2e-state-'));
    savedState = process.env.XDG_STATE_HOME;
    process.env.XDG_STATE_HOME = state;
    const [{ sysid }] = await two.cluster.query<{ sysid: string }>(
      'SELECT system_identifier::text AS sysid FROM pg_control_system()',
    );
    const [{ now }] = await two.cluster.query<{ now: string }>(
      `SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS now`,
    );
    fs.mkdirSync(path.join(state, 'pg-pitr'));
    fs.writeFileSync(
      path.join(state, 'pg-pitr', 'drills.jsonl'),
      `${JSON.stringify({ startedAt: now, ok: true, backup: { systemIdentifier: sysid, timeline: 1, stopLsn: null }, reached: { time: now, timeline: 2, lsn: null }, durations: { totalSeconds: 4.2 } })}\n`,
    );
    const server = (name: string, a: TimelineArchive) => ({
      name,
      host: '127.0.0.1',
      port: a.cluster.port,
      user: 'postgres',
      database: 'postgres',
    });
    await config().update('servers', [server(DEMO, demo), server(TWO, two)], Global);
  });

  after(async function () {
    this.timeout(120_000);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await config().update('servers', savedServers, Global);
    await vscode.workspace.getConfiguration('workbench').update('colorTheme', savedTheme, Global);
    if (savedState === undefined) delete process.env.XDG_STATE_HOME;
    else process.env.XDG_STATE_HOME = savedState;
    await demo?.destroy();
    await two?.destroy();
    if (state) fs.rmSync(state, { recursive: true, force: true });
    if (pointLog && fs.existsSync(`${pointLog}.e2e-saved`)) fs.renameSync(`${pointLog}.e2e-saved`, pointLog);
  });

  afterEach(async function () {
    // what the editor showed when a test failed
    if (this.currentTest?.state === 'failed')
      await screenshot(`timeline-failed-${this.currentTest.title.slice(0, 30).replace(/\W+/g, '-')}`);
  });

  it('is a command, and a button on each server row of the Servers view', async () => {
    assert.ok((await vscode.commands.getCommands(true)).includes('pgPitr.showTimeline'));
    const menus = vscode.extensions.getExtension('pg-pitr.pg-pitr')!.packageJSON.contributes.menus[
      'view/item/context'
    ] as Array<{ command: string; when: string; group: string }>;
    assert.ok(
      menus.some(
        (m) =>
          m.command === 'pgPitr.showTimeline' && m.group.startsWith('inline') && m.when.includes('viewItem == server'),
      ),
    );
  });

  it('two timelines, a gap, two base backups: lanes, bands and the gap; screenshots light and dark', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await vscode.commands.executeCommand('workbench.action.closePanel');
    const rp = await vscode.commands.executeCommand<{ name: string }>('pgPitr.createRestorePoint', {
      server: TWO,
      name: 'before_drop_legacy',
    });
    assert.equal(rp?.name, 'before_drop_legacy');
    await vscode.commands.executeCommand('notifications.clearAll');
    const shown = await vscode.commands.executeCommand<Shown>('pgPitr.showTimeline', { server: TWO });
    const m = shown.model;
    assert.deepEqual(
      m.lanes.map((l) => [l.timeline, l.parent, l.bands.length]),
      [
        [1, null, 2],
        [2, 1, 1],
      ],
    );
    assert.deepEqual(
      m.lanes[0]!.gaps.map((g) => [g.kind, g.first, g.last]),
      [['lost', two.removed, two.removed]],
    );
    const label = (i: number) => m.backups[i]!.label;
    assert.deepEqual(
      m.lanes[0]!.reach.map((r) => [label(r.backup), r.endsAt]),
      [
        ['backup A', 'gap'],
        ['backup B', 'end'],
      ],
    );
    assert.deepEqual(
      m.lanes[1]!.reach.map((r) => [label(r.backup), r.endsAt, r.lastSegment]),
      [['backup B', 'end', two.last]],
    );
    assert.equal(m.drills.length, 1, 'the drill recorded for this cluster');
    assert.deepEqual(
      m.restorePoints.map((p) => [p.name, p.timeline]),
      [['before_drop_legacy', 2]],
    );
    await waitForAsync('the picture of two timelines', async () => (await count('#tl-chart svg g.tl-lane')) === 2);
    assert.equal(await count('#tl-chart [data-kind="band"][data-lane="1"]'), 2);
    assert.equal(await count('#tl-chart [data-kind="band"][data-lane="2"]'), 1);
    assert.equal(await count('#tl-chart [data-kind="gap"][data-class="lost"][data-lane="1"]'), 1);
    assert.equal(await count('#tl-chart [data-kind="fork"][data-lane="2"]'), 1);
    assert.equal(await count('#tl-chart [data-kind="drill"]'), 1);
    assert.equal(await webview({ action: 'text', selector: '#tl-chart .tl-gap-label' }), '1 missing');

    for (const [theme, name] of [
      ['Default Light Modern', 'timeline-light'],
      ['Default Dark Modern', 'timeline-dark'],
    ]) {
      await vscode.workspace.getConfiguration('workbench').update('colorTheme', theme, Global);
      // VS Code marks the webview's body with the theme kind once it has applied the theme
      const kind = theme.includes('Light') ? 'vscode-light' : 'vscode-dark';
      await waitForAsync(`the ${kind} theme in the webview`, async () =>
        (await webview({ action: 'attr', selector: 'body', within: '#tl-chart', name: 'class' })).includes(kind),
      );
      // hover the band of timeline 2: the picture shows what a click there would do
      await vscode.commands.executeCommand('notifications.clearAll');
      await webview({ action: 'hover', selector: '#tl-chart [data-kind="band"][data-lane="2"]', fx: 0.4, y: 3 });
      await waitForAsync('the hover tip', async () =>
        /Timeline 2/.test(await webview({ action: 'text', selector: '#tl-tip' })),
      );
      await screenshot(name, '.part.editor');
    }
  });

  it('a click inside the band of timeline 2 opens the recovery wizard with that time, timeline 2 and backup B', async () => {
    await waitForAsync(
      'the band of timeline 2',
      async () => (await count('#tl-chart [data-kind="band"][data-lane="2"]')) === 1,
    );
    const before = api.timeline!.picks().length;
    await webview({ action: 'click', selector: '#tl-chart [data-kind="band"][data-lane="2"]', fx: 0.5, y: 3 });
    await waitFor('the pick', () => api.timeline!.picks().length > before);
    const pick = api.timeline!.picks()[before]!;
    assert.equal(pick.kind, 'wizard', JSON.stringify(pick));
    if (pick.kind !== 'wizard') return;
    const arg = pick.argument;
    assert.equal(arg.timeline, 2);
    assert.equal(arg.backup.label, 'backup B');
    assert.equal(arg.server, TWO);
    assert.match(arg.time, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
    const shown = (await vscode.commands.executeCommand<Shown>('pgPitr.showTimeline', { server: TWO })).model;
    const band = shown.lanes[1]!.bands[0]!;
    const at = Date.parse(arg.time.replace(' ', 'T'));
    assert.ok(at >= band.from - 1000 && at <= band.to + 1000, `${arg.time} lies in the band`);
    // the wizard's first question: the restored copy, of the backup the timeline chose
    await waitForAsync('the wizard', async () =>
      /backup B/.test(await pageText('.quick-input-widget .quick-input-title')),
    );
    assert.match(
      await pageText('.quick-input-widget .quick-input-title'),
      /^Data directory of the restored copy of base backup “backup B”/,
    );
    await pressKeys(['Escape']);
    assert.match(
      await webview({ action: 'text', selector: '#tl-explain' }),
      /can be recovered: restore base backup backup B/,
    );
  });

  it('the wizard asks the picked time prefilled, to adjust to the second', async () => {
    const pick = api.timeline!.picks().find((p) => p.kind === 'wizard');
    assert.ok(pick && pick.kind === 'wizard');
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-e2e-copy-'));
    try {
      fs.writeFileSync(path.join(copy, 'PG_VERSION'), `${MAJOR}\n`);
      const running = vscode.commands.executeCommand<{ outcome: string }>('pgPitr.generateRecoveryConfig', {
        ...pick.argument,
        dataDir: copy,
        preview: false,
      });
      await waitForAsync(
        'the target time question',
        async () => (await pageText('.quick-input-widget .quick-input-title')) === 'pg-pitr recovery: target time',
      );
      await eventually(async () =>
        assert.equal(await pageValue('.quick-input-widget .quick-input-box input'), pick.argument.time),
      );
      await pressKeys(['Escape']);
      assert.deepEqual(await running, { outcome: 'cancelled' });
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  it('a click in the gap explains why that moment cannot be reached', async () => {
    await waitForAsync('the gap', async () => (await count('#tl-chart [data-kind="gap"][data-class="lost"]')) === 1);
    const before = api.timeline!.picks().length;
    await webview({ action: 'click', selector: '#tl-chart [data-kind="gap"][data-class="lost"]', fx: 0.5, y: 2 });
    await waitFor('the pick', () => api.timeline!.picks().length > before);
    const pick = api.timeline!.picks()[before]!;
    assert.deepEqual([pick.kind, pick.kind === 'explained' && pick.reason], ['explained', 'gap']);
    assert.match(
      pick.kind === 'explained' ? pick.text : '',
      new RegExp(`falls in a gap on timeline 1: 1 segment \\(${two.removed}\\) is missing from the archive`),
    );
    const shown = await webview({ action: 'text', selector: '#tl-explain' });
    assert.match(shown, new RegExp(`falls in a gap on timeline 1: 1 segment \\(${two.removed}\\)`));
    assert.match(shown, /The next recoverable moment on timeline 1 is .*, when base backup backup B ended\./);
  });

  it('the demo archive: one timeline, the band from the base backup’s end, no gap, the restore point', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const rp = await vscode.commands.executeCommand<{ name: string }>('pgPitr.createRestorePoint', {
      server: DEMO,
      name: 'before_demo_cleanup',
    });
    assert.equal(rp?.name, 'before_demo_cleanup');
    const shown = await vscode.commands.executeCommand<Shown>('pgPitr.showTimeline', { kind: 'server', name: DEMO });
    assert.ok(shown, 'the command returned what it shows');
    const m = shown.model;
    assert.deepEqual(
      m.lanes.map((l) => [l.timeline, l.bands.length, l.gaps.length]),
      [[1, 1, 0]],
    );
    assert.deepEqual(
      m.backups.map((b) => [b.label, b.usable, b.stop?.quality]),
      [['pg-pitr demo', true, 'exact']],
    );
    assert.equal(m.lanes[0]!.bands[0]!.from, m.backups[0]!.stop!.ms, 'the band starts where the backup ended');
    assert.deepEqual(
      m.restorePoints.map((p) => p.name),
      ['before_demo_cleanup'],
    );
    await waitForAsync('the demo picture', async () => (await count('#tl-chart svg g.tl-lane')) === 1);
    assert.equal(await count('#tl-chart [data-kind="band"][data-lane="1"]'), 1);
    assert.equal(await count('#tl-chart [data-kind="gap"]'), 0);
    assert.equal(await count('#tl-chart [data-kind="restore-point"]'), 1);
    assert.equal(await count('#tl-chart [data-kind="backup"]'), 1);
    assert.equal(await count('#tl-tables table#tl-table-backups tbody tr'), 1);
  });
});
