// The Recoverability Timeline in Restricted Mode: a local archive folder is shown (reading a folder
// runs nothing, as linting); a server or an S3 archive is refused, and a click in a band says that
// the recovery wizard needs a trusted workspace instead of opening it.
import { strict as assert } from 'node:assert';

import * as vscode from 'vscode';

import type { TimelineModel } from '../../../src/core/timeline/timelineTypes';
import type { PgPitrApi } from '../../../src/extension/extension';
import { requireServer } from '../../support/postgresServers';
import { demoArchive, type TimelineArchive } from '../../support/timelineArchives';
import { eventually, waitFor, webview } from '../harness';

describe('Recoverability timeline in Restricted Mode', function () {
  this.timeout(180_000);
  let demo: TimelineArchive;

  before(async function () {
    this.timeout(180_000);
    requireServer(17, this);
    demo = await demoArchive(17, 200);
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await demo?.destroy();
  });

  it('shows a local archive folder; refuses a server and an S3 archive', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const shown = await vscode.commands.executeCommand<{ model: TimelineModel }>(
      'pgPitr.showTimeline',
      vscode.Uri.file(demo.archive),
    );
    assert.ok(shown, 'a local folder is shown');
    assert.deepEqual(
      shown.model.lanes.map((l) => [l.timeline, l.bands.length]),
      [[1, 1]],
    );
    assert.deepEqual(shown.model.restorePoints, [], 'the restore point log is not read in Restricted Mode');
    for (const arg of [{ server: 'anything' }, { location: 's3://bucket/prefix' }]) {
      assert.equal(await vscode.commands.executeCommand('pgPitr.showTimeline', arg), undefined, JSON.stringify(arg));
    }
  });

  it('a click in the band explains that the wizard needs a trusted workspace', async () => {
    const api = await vscode.extensions.getExtension<PgPitrApi>('pg-pitr.pg-pitr')!.activate();
    await eventually(async () =>
      assert.ok(Number(await webview({ action: 'count', selector: '#tl-chart [data-kind="band"]' })) > 0, 'a band'),
    );
    const before = api.timeline!.picks().length;
    await webview({ action: 'click', selector: '#tl-chart [data-kind="band"]', fx: 0.5, y: 3 });
    await waitFor('the pick', () => api.timeline!.picks().length > before);
    const pick = api.timeline!.picks()[before]!;
    assert.deepEqual([pick.kind, pick.kind === 'explained' && pick.reason], ['explained', 'untrusted']);
    assert.match(
      await webview({ action: 'text', selector: '#tl-explain' }),
      /can be recovered: restore base backup pg-pitr demo .* needs a trusted workspace/,
    );
  });
});
