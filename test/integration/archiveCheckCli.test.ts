// `pg-pitr archive check` as a user runs it: JSON shape, exit codes 0 / 1 / 2.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { backupHistoryText, segmentNames } from '../support/memoryArchive';

const CLI = path.resolve(__dirname, '../../dist/cli.js');
const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, 'archive', 'check', ...args], { encoding: 'utf8', timeout: 60000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('pg-pitr archive check (CLI)', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-archive-cli-'));
    // 1 MB segments, so the files stay small; the size is read from the files
    for (const n of segmentNames(1, 1, 6, 1024 * 1024)) fs.writeFileSync(path.join(dir, n), Buffer.alloc(1024 * 1024));
    const start = segmentNames(1, 2, 2, 1024 * 1024)[0];
    fs.writeFileSync(
      path.join(dir, `${start}.00000028.backup`),
      backupHistoryText({
        startLsn: '0/200028',
        startWal: start,
        stopLsn: '0/200100',
        stopWal: start,
        label: 'nightly',
      }),
    );
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('exit 0 and the documented JSON when the newest backup reaches the newest segment', () => {
    const r = run([dir, '--format', 'json']);
    assert.equal(r.code, 0, r.out + r.err);
    const j = JSON.parse(r.out);
    assert.deepEqual(Object.keys(j), [
      'location',
      'layout',
      'segmentSize',
      'complete',
      'timelines',
      'backups',
      'windows',
      'anomalies',
      'problems',
    ]);
    assert.deepEqual([j.location, j.layout, j.segmentSize, j.complete], [dir, 'flat', 1048576, true]);
    assert.deepEqual(j.timelines, [
      { timeline: 1, first: '000000010000000000000001', last: '000000010000000000000006', segments: 6, gaps: [] },
    ]);
    assert.deepEqual(j.backups, [
      {
        label: 'nightly',
        timeline: 1,
        startWal: '000000010000000000000002',
        stopWal: '000000010000000000000002',
        startLsn: '0/200028',
        stopLsn: '0/200100',
        startTime: '2026-11-24T10:00:00.000Z',
        stopTime: '2026-11-24T10:05:00.000Z',
      },
    ]);
    assert.deepEqual(j.windows, [
      {
        backup: '000000010000000000000002',
        from: { lsn: '0/200100', time: '2026-11-24T10:05:00.000Z' },
        to: { wal: '000000010000000000000006', time: null },
      },
    ]);
  });

  it('exit 1 with the gap named when a segment is missing', () => {
    const victim = path.join(dir, '000000010000000000000004');
    const saved = fs.readFileSync(victim);
    fs.rmSync(victim);
    try {
      const r = run([dir]);
      assert.equal(r.code, 1);
      assert.match(r.out, /GAP: 1 missing, 000000010000000000000004 \.\. 000000010000000000000004/);
      assert.match(r.out, /PROBLEM: the newest base backup \(nightly\) recovers only to 000000010000000000000003/);
      const ack = run([dir, '--acknowledge', '000000010000000000000004:000000010000000000000004:lost in 2025']);
      assert.equal(ack.code, 0, 'an acknowledged gap no longer fails the check');
    } finally {
      fs.writeFileSync(victim, saved);
    }
  });

  it('exit 2 on usage and access errors, with a clear message', () => {
    assert.equal(run([]).code, 2);
    assert.equal(run([dir, '--wal-segment-size', '3MB']).code, 2);
    assert.equal(run([dir, '--since', 'nope']).code, 2);
    assert.equal(run(['ftp://x/y']).code, 2);
    const missing = run([path.join(dir, 'nope')]);
    assert.equal(missing.code, 2);
    assert.match(missing.out + missing.err, /no such folder/i);
  });
});
