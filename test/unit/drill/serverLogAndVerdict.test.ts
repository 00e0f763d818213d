// The server's log as the drill reads it (lines as PostgreSQL 10, 13 and 18 wrote them in real
// recoveries), and the verdict drawn from it with an archive listing: success, a hole in the
// archive (named), a target beyond the archive (with and without the 13+ FATAL), a target before
// the backup's end, a backup whose first segment is gone, a server that does not start.
import { strict as assert } from 'node:assert';

import { analyseArchive, type ArchiveReport } from '../../../src/core/archive/archiveAnalysis';
import { emptyLogFacts, LogFollower, readLogLines, type ServerLogFacts } from '../../../src/core/drill/serverLog';
import { judgeRecovery, type VerdictInput } from '../../../src/core/drill/verdict';
import { memoryArchive, segmentNames } from '../../support/memoryArchive';

const MB = 1024 * 1024;

function facts(text: string): ServerLogFacts {
  const f = emptyLogFacts();
  readLogLines(f, text.split('\n'));
  return f;
}

// PostgreSQL 13, latest, a real recovery (1 MB segments)
const LATEST_13 = `2026-12-01 11:48:44.869 UTC [19838] LOG:  database system was interrupted; last known up at 2026-12-01 11:48:38 UTC
cp: cannot stat '/a/00000002.history': No such file or directory
2026-12-01 11:48:44.931 UTC [19838] LOG:  starting archive recovery
2026-12-01 11:48:44.976 UTC [19844] FATAL:  the database system is starting up
2026-12-01 11:48:44.987 UTC [19838] LOG:  restored log file "000000010000000000000007" from archive
2026-12-01 11:48:44.989 UTC [19838] LOG:  redo starts at 0/700028
2026-12-01 11:48:44.989 UTC [19838] LOG:  consistent recovery state reached at 0/700100
2026-12-01 11:48:45.040 UTC [19838] LOG:  restored log file "000000010000000000000008" from archive
2026-12-01 11:48:45.057 UTC [19835] LOG:  database system is ready to accept read only connections
2026-12-01 11:48:45.279 UTC [19838] LOG:  restored log file "00000001000000000000000D" from archive
cp: cannot stat '/a/00000001000000000000000E': No such file or directory
2026-12-01 11:48:45.311 UTC [19838] LOG:  redo done at 0/D000F8
2026-12-01 11:48:45.313 UTC [19838] LOG:  last completed transaction was at log time 2026-12-01 11:48:43.171922+00
2026-12-01 11:48:45.424 UTC [19838] LOG:  restored log file "00000001000000000000000D" from archive
2026-12-01 11:48:45.446 UTC [19838] LOG:  selected new timeline ID: 2
2026-12-01 11:48:45.447 UTC [19838] LOG:  archive recovery complete
2026-12-01 11:48:45.583 UTC [19835] LOG:  database system is ready to accept connections`;

// PostgreSQL 13, a restore point beyond the archive
const BEYOND_13 = `2026-12-01 11:48:47.187 UTC [19953] LOG:  starting point-in-time recovery to "nope"
2026-12-01 11:48:47.307 UTC [19953] LOG:  restored log file "000000010000000000000007" from archive
2026-12-01 11:48:47.311 UTC [19953] LOG:  consistent recovery state reached at 0/700100
2026-12-01 11:48:47.736 UTC [19953] LOG:  restored log file "00000001000000000000000D" from archive
2026-12-01 11:48:47.795 UTC [19953] LOG:  redo done at 0/D000F8
2026-12-01 11:48:47.795 UTC [19953] LOG:  last completed transaction was at log time 2026-12-01 11:48:43.171922+00
2026-12-01 11:48:47.795 UTC [19953] FATAL:  recovery ended before configured recovery target was reached
2026-12-01 11:48:47.814 UTC [19945] LOG:  startup process (PID 19953) exited with exit code 1`;

// PostgreSQL 10 (16 MB segments), a restore point reached
const NAME_10 = `2026-12-01 11:49:28.846 UTC [21790] LOG:  starting point-in-time recovery to "rp"
2026-12-01 11:49:28.949 UTC [21790] LOG:  consistent recovery state reached at 0/20000F8
2026-12-01 11:49:29.516 UTC [21790] LOG:  recovery stopping at restore point "rp", time 2026-12-01 11:49:19.994249+00
2026-12-01 11:49:29.516 UTC [21790] LOG:  redo done at 0/8000028
2026-12-01 11:49:29.573 UTC [21790] LOG:  selected new timeline ID: 2
2026-12-01 11:49:30.000 UTC [21700] LOG:  database system is ready to accept connections`;

async function archive(names: string[], segSize: number): Promise<ArchiveReport> {
  return analyseArchive(memoryArchive('/a', new Map(names.map((n) => [n, { size: segSize }]))), {
    segmentSize: segSize,
  });
}

function input(over: Partial<VerdictInput>): VerdictInput {
  return {
    major: 13,
    target: { kind: 'latest' },
    targetText: null,
    log: emptyLogFacts(),
    promoted: null,
    backupTimeline: 1,
    backupStartWal: '000000010000000000000007',
    archive: null,
    segmentSize: MB,
    ...over,
  };
}

describe('drill: server log', () => {
  it('reads restores, consistency, the end of redo, the new timeline and the promotion (13)', () => {
    const f = facts(LATEST_13);
    assert.deepEqual(f.restored, [
      '000000010000000000000007',
      '000000010000000000000008',
      '00000001000000000000000D',
      '00000001000000000000000D',
    ]);
    assert.equal(f.lastRestoredSegment, '00000001000000000000000D');
    assert.equal(f.consistentAt, '0/700100');
    assert.equal(f.redoDoneAt, '0/D000F8');
    assert.equal(f.lastCompletedTime, '2026-12-01 11:48:43.171922+00');
    assert.equal(f.newTimeline, 2);
    assert.deepEqual([f.readOnlyReady, f.promotedReady, f.stop], [true, true, null]);
    assert.deepEqual(f.fatal, [], 'client connection noise is not the server failing');
    assert.deepEqual(f.commandOutput, ["cp: cannot stat '/a/00000001000000000000000E': No such file or directory"]);
  });

  it('reads the stop line of a restore point (10) and a commit (18 style)', () => {
    assert.deepEqual(facts(NAME_10).stop, {
      text: 'recovery stopping at restore point "rp", time 2026-12-01 11:49:19.994249+00',
      kind: 'restore point',
      xid: null,
      time: '2026-12-01 11:49:19.994249+00',
      lsn: null,
    });
    const f = facts(
      '2026-12-01 11:50:30.624 UTC [24110] LOG:  recovery stopping before commit of transaction 754, time 2026-12-01 11:50:23.311709+00',
    );
    assert.deepEqual(f.stop, {
      text: 'recovery stopping before commit of transaction 754, time 2026-12-01 11:50:23.311709+00',
      kind: 'before',
      xid: '754',
      time: '2026-12-01 11:50:23.311709+00',
      lsn: null,
    });
    const g = facts('LOG:  recovery stopping after WAL location (LSN) "0/3000060"');
    assert.equal(g.stop?.lsn, '0/3000060');
  });

  it('keeps FATAL lines with their HINT, reads a log that grows in chunks', () => {
    let text = '';
    const follower = new LogFollower((offset) => Buffer.from(text).subarray(offset));
    text += '2026-12-01 11:48:56.501 UTC [20433] FATAL:  could not locate required check';
    follower.poll();
    assert.deepEqual(follower.facts.fatal, []);
    text +=
      'point record\n2026-12-01 11:48:56.501 UTC [20433] HINT:  If you are restoring from a backup, touch "/x/recovery.signal".\n';
    follower.poll();
    assert.deepEqual(follower.facts.fatal, [
      'FATAL:  could not locate required checkpoint record',
      'HINT:  If you are restoring from a backup, touch "/x/recovery.signal".',
    ]);
  });
});

describe('drill: verdict', () => {
  const all = segmentNames(1, 6, 13, MB); // 06 .. 0D
  it('latest, replayed to the last archived segment: success, reached = the promoted state', async () => {
    const v = judgeRecovery(
      input({
        log: facts(LATEST_13),
        promoted: { replayLsn: '0/E00000', lastXactTime: '2026-12-01 11:48:43.171922+00', timeline: 2 },
        archive: await archive(all, MB),
      }),
    );
    assert.deepEqual(v, {
      reached: { lsn: '0/E00000', time: '2026-12-01 11:48:43.171922+00', timeline: 2, stoppedBy: 'end of WAL' },
      failure: null,
      notes: [],
    });
  });

  it('latest, promoted in front of a hole: missing-wal naming the first missing and the last replayed segment', async () => {
    const log = facts(LATEST_13.replace(/0000000D/g, '0000000A').replace('0/D000F8', '0/A00090'));
    const holed = all.filter((n) => n !== '00000001000000000000000B');
    const v = judgeRecovery(
      input({
        log,
        promoted: { replayLsn: '0/B00000', lastXactTime: null, timeline: 2 },
        archive: await archive(holed, MB),
      }),
    );
    assert.equal(v.failure?.kind, 'missing-wal');
    assert.equal(v.failure?.segment, '00000001000000000000000B');
    assert.equal(
      v.failure?.message,
      'WAL segment 00000001000000000000000B is missing from the archive /a: replay stopped after 00000001000000000000000A, ' +
        'although the archive goes on to 00000001000000000000000D; everything after the hole is unreachable from this backup',
    );
  });

  it('a target beyond the archive: 13+ FATAL → target-not-reached; 10-12 silent promotion → target-not-reached too', async () => {
    const a = await archive(all, MB);
    const t = { target: { kind: 'name' as const, name: 'nope' }, targetText: 'nope' };
    const v13 = judgeRecovery(input({ ...t, log: facts(BEYOND_13), archive: a }));
    assert.equal(v13.failure?.kind, 'target-not-reached');
    assert.equal(
      v13.failure?.message,
      'recovery ended at 0/D000F8 (last transaction 2026-12-01 11:48:43.171922+00) before reaching restore ' +
        'point "nope": the target lies beyond the archived WAL (the last segment replayed is 00000001000000000000000D)',
    );
    const v12 = judgeRecovery(
      input({
        ...t,
        major: 12,
        log: facts(LATEST_13),
        promoted: { replayLsn: '0/E00000', lastXactTime: null, timeline: 2 },
        archive: a,
      }),
    );
    assert.equal(v12.failure?.kind, 'target-not-reached');
    assert.match(
      v12.failure!.message,
      /without reaching restore point "nope": the target lies beyond the archived WAL; PostgreSQL 12 ends recovery at the end of the WAL without an error/,
    );
  });

  it("a restore point reached (10): success, stoppedBy is the server's sentence", () => {
    const v = judgeRecovery(
      input({
        major: 10,
        target: { kind: 'name', name: 'rp' },
        targetText: 'rp',
        log: facts(NAME_10),
        promoted: { replayLsn: '0/8000090', lastXactTime: null, timeline: 2 },
        segmentSize: 16 * MB,
        backupStartWal: '000000010000000000000002',
      }),
    );
    assert.equal(v.failure, null);
    assert.equal(v.reached?.stoppedBy, 'recovery stopping at restore point "rp", time 2026-12-01 11:49:19.994249+00');
    assert.equal(v.reached?.time, '2026-12-01 11:49:19.994249+00');
    assert.deepEqual(v.notes, [
      'the archive was not listed: a hole in it cannot be told from its end (give --archive LOCATION)',
    ]);
  });

  it("the backup's first segment missing: missing-wal naming it; a server that does not start: startup-failed with the hint", () => {
    const v = judgeRecovery(
      input({
        log: facts(
          '2026-12-01 11:48:56.501 UTC [20433] LOG:  invalid checkpoint record\n2026-12-01 11:48:56.501 ' +
            'UTC [20433] FATAL:  could not locate required checkpoint record',
        ),
      }),
    );
    assert.equal(v.failure?.kind, 'missing-wal');
    assert.equal(v.failure?.segment, '000000010000000000000007');
    const s = judgeRecovery(
      input({
        log: facts('2026-12-01 12:00:00.000 UTC [1] FATAL:  could not access file "nolib": No such file or directory'),
      }),
    );
    assert.equal(s.failure?.kind, 'startup-failed');
    assert.match(
      s.failure!.message,
      /^the scratch server stopped before recovering: FATAL: {2}could not access file "nolib": No such file or directory\. HINT: --set NAME=VALUE changes a setting in the scratch copy only/,
    );
    const b = judgeRecovery(
      input({
        log: facts('LOG:  x\nFATAL:  requested recovery stop point is before consistent recovery point'),
        target: { kind: 'lsn', lsn: '0/700050' },
        targetText: '0/700050',
      }),
    );
    assert.equal(b.failure?.kind, 'target-before-backup-end');
  });
});
