// The Servers view's rows and sections, built from real CheckResults (recorded from PostgreSQL 17
// archiving with the idempotent cp command and a base backup, 16 with archive_command = 'false',
// and a closed port; paths renamed).
import { strict as assert } from 'node:assert';

import type { CheckResult } from '../../../../src/core/server/types';
import { connectionTestMessage } from '../../../../src/extension/servers/connectionTestMessage';
import {
  formatBytes,
  formatWhen,
  serverNameOfNodeId,
  serverNode,
  serverNodeId,
  type TreeNode,
} from '../../../../src/extension/servers/serverTreeModel';
import fixtures from './checkResults.fixture.json';

const [healthy, failing, unreachable] = fixtures as unknown as CheckResult[];
const NOW = new Date(Date.parse(healthy.checkedAt) + 5000);
const node = (r: CheckResult) => serverNode({ profile: { name: r.server }, result: r, checking: false }, NOW);
const child = (n: TreeNode, label: string) => {
  const c = n.children.find((x) => x.label === label);
  assert.ok(c, `${n.label} has ${label}: ${n.children.map((x) => x.label).join(', ')}`);
  return c;
};
function allIds(n: TreeNode): string[] {
  return [n.id, ...n.children.flatMap(allIds)];
}

describe('Servers view model', () => {
  it('a healthy primary: pass icon, "PG 17 · primary · ok", every section', () => {
    const n = node(healthy);
    assert.deepEqual(
      [n.label, n.description, n.icon, n.state],
      ['healthy', 'PG 17 · primary · ok', { id: 'pass', color: 'testing.iconPassed' }, 'collapsed'],
    );
    assert.deepEqual(
      n.children.map((c) => [c.label, c.description]),
      [
        ['Archiving', '5 archived · 0 failed · 0 waiting'],
        ['WAL', '000000010000000000000005'],
        ['Backups', '1 in the archive'],
        ['Archive', '/srv/wal-archive'],
        ['Problems', 'none'],
      ],
    );
    const archiving = child(n, 'Archiving');
    assert.equal(child(archiving, 'Last archived').description?.startsWith('000000010000000000000004 · '), true);
    assert.equal(child(archiving, 'Last failed').description, 'never');
    assert.equal(child(archiving, 'archive_timeout').description, '60 s');
    assert.deepEqual(
      child(n, 'WAL').children.map((c) => [c.label, c.description]),
      [
        ['Current LSN', '0/5000000'],
        ['Current file', '000000010000000000000005'],
        ['Timeline', '1'],
        ['Segment size', '16 MB'],
      ],
    );
    assert.deepEqual(
      child(n, 'Backups').children.map((c) => c.label),
      ['probe base backup'],
    );
    // the archive row carries the timeline button, and names its server
    assert.deepEqual(
      [child(n, 'Archive').contextValue, serverNameOfNodeId(child(n, 'Archive').id)],
      ['archive', n.label],
    );
    assert.equal(serverNameOfNodeId(serverNodeId('a/b c%')), 'a/b c%');
    assert.equal(serverNameOfNodeId('reason:x'), undefined);
    const archive = child(n, 'Archive').children.map((c) => [c.label, c.description]);
    assert.deepEqual(archive.slice(0, 3), [
      ['Location', '/srv/wal-archive (inferred)'],
      ['Layout', 'flat'],
      ['Timeline 1', '000000010000000000000001 … 000000010000000000000004 · 4 segments'],
    ]);
    assert.equal(archive[3]![0], 'Recoverable');
    assert.match(archive[3]![1]!, / → 000000010000000000000004 \(from 000000010000000000000003\)$/);
    assert.equal(child(n, 'Problems').state, 'none');
  });

  it('a failing server: error icon, the failing WAL in Archiving and first in the expanded Problems', () => {
    const n = node(failing);
    assert.deepEqual([n.label, n.description, n.icon?.id], ['failing', 'PG 16 · primary · failing', 'error']);
    const archiving = child(n, 'Archiving');
    assert.equal(archiving.icon?.id, 'error');
    assert.equal(archiving.description, '0 archived · 1 failed · 1 waiting');
    const lastFailed = child(archiving, 'Last failed');
    assert.match(lastFailed.description!, /^000000010000000000000001 · \d\d:\d\d:\d\d \(\d+ s ago\)$/);
    assert.equal(lastFailed.icon?.id, 'error');
    const problems = child(n, 'Problems');
    assert.equal(problems.state, 'expanded');
    assert.equal(problems.description, '1');
    assert.equal(problems.icon?.id, 'error');
    assert.deepEqual(
      problems.children.map((c) => [c.description, c.icon?.id, c.contextValue]),
      [
        ['archiving-failing', 'error', 'reason'],
        ['archive-unknown', 'info', 'reason'],
        ['archive-command-placeholders', 'warning', 'detail'],
        ['archive-timeout-disabled', 'info', 'detail'],
      ],
    );
    assert.match(problems.children[0]!.label, /^archive_command is failing: 000000010000000000000001 failed at /);
    assert.equal(child(n, 'Archive').description, 'location unknown');
    assert.equal(child(n, 'Backups').description, 'archive not read');
  });

  it('an unreachable server: question icon, "unknown", only Problems with the connection error', () => {
    const n = node(unreachable);
    assert.deepEqual([n.label, n.description, n.icon?.id], ['unreachable', 'unknown', 'question']);
    assert.deepEqual(
      n.children.map((c) => c.label),
      ['Problems'],
    );
    assert.match(n.children[0]!.children[0]!.label, /^cannot connect: 127\.0\.0\.1:\d+: connection refused/);
    assert.match(n.tooltip!, /^unreachable — postgres@127\.0\.0\.1:\d+\/postgres\nHealth: unknown\n• cannot connect: /);
  });

  it('ids are unique in the whole tree and stable across refreshes', () => {
    const ids = [healthy, failing, unreachable].flatMap((r) => allIds(node(r)));
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual(allIds(node(healthy)), allIds(node({ ...healthy, durationMs: 9 })));
    assert.equal(node(healthy).children[0]!.id, 'server:healthy/archiving');
  });

  it('a server not checked yet, and one whose check runs', () => {
    const fresh = serverNode({ profile: { name: 'db/1' }, result: null, checking: false }, NOW);
    assert.deepEqual(
      [fresh.id, fresh.description, fresh.icon?.id, fresh.state],
      ['server:db%2F1', 'not checked yet', 'circle-outline', 'none'],
    );
    assert.equal(serverNode({ profile: { name: 'x' }, result: null, checking: true }, NOW).icon?.id, 'loading~spin');
    assert.equal(
      serverNode({ profile: { name: 'healthy' }, result: healthy, checking: true }, NOW).description,
      'PG 17 · primary · ok · checking…',
    );
  });

  it('a standby shows received and replayed positions; an inactive slot holding WAL is flagged', () => {
    const standby: CheckResult = {
      ...healthy,
      inRecovery: true,
      wal: { ...healthy.wal!, receiveLsn: '0/6000060', replayLsn: '0/6000028' },
      slots: [
        {
          name: 'old_replica',
          type: 'physical',
          active: false,
          restartLsn: '0/1000000',
          walStatus: 'reserved',
          retainedBytes: 48 * 1024 * 1024,
        },
      ],
    };
    const n = node(standby);
    assert.equal(n.description, 'PG 17 · standby · ok');
    assert.deepEqual(
      child(n, 'WAL').children.map((c) => [c.label, c.description, c.icon?.id]),
      [
        ['Received', '0/6000060', undefined],
        ['Replayed', '0/6000028', undefined],
        ['Current file', '000000010000000000000005', undefined],
        ['Timeline', '1', undefined],
        ['Segment size', '16 MB', undefined],
        ['Slot old_replica', 'physical · inactive · holds 48 MB · reserved', 'warning'],
      ],
    );
  });

  it('Recoverability: the RPO and each objective, with the violated ones flagged as configured', () => {
    const r: CheckResult = {
      ...healthy,
      rpo: { seconds: 0, bytes: 96, worstCaseSeconds: 60, idle: true, applicable: true, note: null },
      objectives: [
        {
          id: 'minWindow',
          reason: 'window-too-short',
          objective: '7d',
          limit: 604800,
          unit: 'seconds',
          status: 'violated',
          measured: 93600,
          severity: 'failing',
          message: 'the recoverable window is 1.1 d',
        },
        {
          id: 'minBackups',
          reason: 'too-few-backups',
          objective: '1',
          limit: 1,
          unit: 'count',
          status: 'met',
          measured: 1,
          severity: 'warning',
          message: 'm',
        },
        {
          id: 'maxRpo',
          reason: 'rpo-exceeded',
          objective: '16MB',
          limit: 16777216,
          unit: 'bytes',
          status: 'met',
          measured: 96,
          severity: 'warning',
          message: 'm',
        },
      ],
    };
    const section = child(node(r), 'Recoverability');
    assert.deepEqual(
      [section.description, section.icon],
      ['RPO 0 s · 2/3 objectives met', { id: 'error', color: 'problemsErrorIcon.foreground' }],
    );
    assert.deepEqual(
      section.children.map((c) => [c.label, c.description, c.icon?.id, c.tooltip]),
      [
        [
          'RPO',
          '0 s · 96 B not archived (idle) · worst case 1 min',
          'history',
          'RPO: 0 s · 96 B not archived (idle) · worst case 1 min',
        ],
        ['minWindow 7d', 'violated · 1.1 d', 'error', 'the recoverable window is 1.1 d'],
        ['minBackups 1', 'met · 1', 'pass', 'minBackups 1: met · 1'],
        ['maxRpo 16MB', 'met · 96 B', 'pass', 'maxRpo 16MB: met · 96 B'],
      ],
    );
    const standby = child(
      node({
        ...healthy,
        rpo: {
          seconds: null,
          bytes: null,
          worstCaseSeconds: null,
          idle: false,
          applicable: false,
          note: 'standby with archive_mode = on',
        },
        objectives: [],
      }),
      'Recoverability',
    );
    assert.deepEqual(
      standby.children.map((c) => c.description),
      ['not applicable: standby with archive_mode = on'],
    );
  });

  it('formats times and sizes', () => {
    const t = new Date(2026, 10, 24, 14, 3, 5);
    assert.equal(formatWhen(t.toISOString(), new Date(t.getTime() + 125_000)), '14:03:05 (2 min ago)');
    assert.equal(formatWhen(t.toISOString(), new Date(t.getTime() + 2 * 86_400_000)), '2026-11-24 14:03 (2 d ago)');
    assert.equal(formatWhen(null, t), 'never');
    assert.equal(formatWhen('not a time', t), 'not a time');
    assert.equal(formatBytes(16 * 1024 * 1024), '16 MB');
    assert.equal(formatBytes(1536), '1.5 kB');
  });
});

describe('Test Server Connection message', () => {
  it('version, role and health, with the reasons that matter; or why it could not connect', () => {
    assert.equal(connectionTestMessage(healthy), 'healthy: PostgreSQL 17.10 · primary · ok');
    assert.match(
      connectionTestMessage(failing),
      /^failing: PostgreSQL 16\.\d+ · primary · failing — archive_command is failing: 000000010000000000000001 failed at .* since the statistics were reset\)$/,
    );
    assert.match(
      connectionTestMessage(unreachable),
      /^unreachable: cannot connect: 127\.0\.0\.1:\d+: connection refused/,
    );
  });

  it('names, settings, archive files and server messages are escaped: no line break, escape or bidi control', () => {
    const hostile = 'x\n• OK\u001b]0;t\u0007\u202eevil';
    const r: CheckResult = JSON.parse(JSON.stringify(healthy));
    r.health = 'failing';
    r.server = hostile;
    r.reasons = [{ id: 'connection-failed', severity: 'failing', message: `FATAL: ${hostile}` }];
    r.archive = { ...r.archive!, location: `/srv/${hostile}` };
    r.archive.backups[0]!.label = hostile;
    const n = serverNode({ profile: { name: hostile }, result: r, checking: false }, NOW);
    const texts = (x: TreeNode): string[] => [
      x.label,
      x.description ?? '',
      x.tooltip ?? '',
      ...x.children.flatMap(texts),
    ];
    const unsafe = texts(n).filter((t) =>
      /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(t),
    );
    assert.deepEqual(unsafe, []);
    assert.equal(n.label, 'x\\n• OK\\u001b]0;t\\u0007\\u202eevil');
    // the tooltip keeps one line per fact: the name's newline does not start a new one
    assert.equal(n.tooltip!.split('\n')[0], `${n.label} — ${r.connection}`);
    assert.equal(
      connectionTestMessage(r),
      'x\\n• OK\\u001b]0;t\\u0007\\u202eevil: PostgreSQL 17.10 · primary · failing — FATAL: x\\n• OK\\u001b]0;t\\u0007\\u202eevil',
    );
  });
});
