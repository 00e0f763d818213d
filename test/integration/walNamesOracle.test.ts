// PostgreSQL as the oracle for src/core/wal: segment names and offsets of LSNs under several
// segment sizes, LSN text, real backup history and timeline history files written by the
// server, and which hand-made timeline history files the server accepts.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

import fc from 'fast-check';

import {
  classifyArchiveName,
  formatLsn,
  formatSegmentName,
  type Lsn,
  MAX_LSN,
  parseBackupHistory,
  parseLsn,
  parseTimelineHistory,
  segmentOfEndLsn,
  segmentOffsetOfLsn,
  segmentOfLsn,
  timelineOfLsn,
} from '../../src/core/wal';
import { binDir, type Cluster, createCluster, makeTempDir, requireServer, runAsUser } from '../support/postgresServers';

const MB = 1024 * 1024;

/** Writes a file into the cluster's data directory, owned by the server's OS user. */
function writeServerFile(c: Cluster, rel: string, content: string | Uint8Array): void {
  const p = path.join(c.dataDir, rel);
  fs.writeFileSync(p, content, { mode: 0o600 });
  const { uid, gid } = fs.statSync(c.dataDir);
  fs.chownSync(p, uid, gid);
}

/** 160 random LSNs (reproducible) plus segment and 4 GB boundaries, 0 and the maximum. */
function sampleLsns(segSize: number): Lsn[] {
  const random = fc.sample(fc.oneof(fc.bigInt({ min: 0n, max: MAX_LSN }), fc.bigInt({ min: 0n, max: 1n << 40n })), {
    numRuns: 160,
    seed: 20261124,
  });
  const size = BigInt(segSize);
  const edges: Lsn[] = [0n, 1n, MAX_LSN, MAX_LSN - 1n];
  for (const segno of [
    1n,
    2n,
    3n,
    255n,
    256n,
    257n,
    (1n << 32n) / size,
    (1n << 36n) / size + 1n,
    (MAX_LSN + 1n) / size - 1n,
  ]) {
    const start = segno * size;
    edges.push(start - 1n, start, start + 1n);
  }
  return [...random, ...edges];
}

// pg_walfile_name(): the segment holding the byte before the LSN on 10-16 (XLByteToPrevSeg),
// the segment holding the LSN from 17 on (XLByteToSeg). The offset is lsn % size everywhere.
const walfileSegno = (major: number, lsn: Lsn, size: number) =>
  major >= 17 ? segmentOfLsn(lsn, size) : segmentOfEndLsn(lsn, size);

/** Compares pg_walfile_name, pg_walfile_name_offset and the pg_lsn text of every LSN with ours. */
async function checkWalfileNames(c: Cluster, major: number, size: number, lsns: Lsn[]): Promise<void> {
  const rows = await c.query<{ t: string; name: string; file_name: string; file_offset: number }>(
    'SELECT x::pg_lsn::text AS t, pg_walfile_name(x::pg_lsn) AS name, o.file_name, o.file_offset ' +
      'FROM unnest($1::text[]) WITH ORDINALITY AS u(x, i), LATERAL pg_walfile_name_offset(x::pg_lsn) AS o ORDER BY i',
    [lsns.map(formatLsn)],
  );
  assert.equal(rows.length, lsns.length);
  lsns.forEach((lsn, i) => {
    const r = rows[i]!;
    const want = formatSegmentName(1, walfileSegno(major, lsn, size), size);
    assert.equal(r.t, formatLsn(lsn), 'pg_lsn output');
    assert.equal(r.name, want, `pg_walfile_name('${formatLsn(lsn)}') on ${major}`);
    assert.equal(r.file_name, want, `pg_walfile_name_offset('${formatLsn(lsn)}').file_name on ${major}`);
    assert.equal(
      r.file_offset,
      segmentOffsetOfLsn(lsn, size),
      `pg_walfile_name_offset('${formatLsn(lsn)}').file_offset on ${major}`,
    );
  });
}

/** The LSNs at and around segment boundaries that tell the two pg_walfile_name rules apart. */
const BOUNDARY_LSNS: Lsn[] = [0n, 1n, 0xffffffn, 0x1000000n, 0x1000001n, 0xffffffffn, 0x1_00000000n, MAX_LSN];

const LSN_INPUTS = [
  '0/0',
  '0/3000060',
  '16/b374d848',
  'FFFFFFFF/FFFFFFFF',
  '00000000/00000001',
  '1/0A',
  'G/0',
  '-1/0',
  ' 0/1',
  '0/1 ',
  'ABCD/',
  '/ABCD',
  '123456789/0',
  '0/123456789',
  '0x1/0',
  '0/+1',
  '0//1',
  '0/1/2',
  '1',
  '',
];

/** The server accepts exactly the LSN texts parseLsn accepts, and prints them as formatLsn does. */
async function checkLsnInput(c: Cluster): Promise<void> {
  for (const text of LSN_INPUTS) {
    let server: string | null;
    try {
      server = (await c.query<{ t: string }>('SELECT $1::pg_lsn::text AS t', [text]))[0]!.t;
    } catch {
      server = null;
    }
    const mine = parseLsn(text);
    assert.equal(mine === null ? null : formatLsn(mine), server, JSON.stringify(text));
  }
}

const sizeText = (mb: number) => (mb >= 1024 ? `${mb / 1024}GB` : `${mb}MB`);

describe('WAL names against PostgreSQL', function () {
  this.timeout(180_000);

  for (const [major, sizes] of [
    [11, [1, 16, 64]],
    [18, [1, 16, 64, 1024]],
  ] as const) {
    for (const mb of sizes) {
      describe(`PostgreSQL ${major}, ${mb} MB segments`, () => {
        let c: Cluster;
        before(async function () {
          requireServer(major, this);
          c = await createCluster(major, { walSegmentSizeMB: mb });
          await c.start();
        });
        after(async () => {
          await c?.destroy();
        });

        it('SHOW wal_segment_size', async () => {
          const [r] = await c.query<{ wal_segment_size: string }>('SHOW wal_segment_size');
          assert.equal(r!.wal_segment_size, sizeText(mb));
        });

        it('pg_walfile_name / pg_walfile_name_offset / pg_lsn text for ~200 LSNs', async () => {
          await checkWalfileNames(c, major, mb * MB, sampleLsns(mb * MB));
        });

        it('the segment being written is named by segmentOfLsn of the insert position', async () => {
          await c.query('CREATE TABLE IF NOT EXISTS t AS SELECT generate_series(1, 1000) AS i');
          const [r] = await c.query<{ lsn: string; files: string[] }>(
            "SELECT pg_current_wal_insert_lsn()::text AS lsn, array(SELECT name FROM pg_ls_dir('pg_wal') AS name ORDER BY 1) AS files",
          );
          const lsn = parseLsn(r!.lsn)!;
          assert.ok(
            r!.files.includes(formatSegmentName(1, segmentOfLsn(lsn, mb * MB), mb * MB)),
            `${r!.lsn} in ${r!.files.join(' ')}`,
          );
        });
      });
    }
  }

  // 11 and 18 are covered above, 10, 14 and 18 below: 16 and 17 pin the change of rule.
  describe('pg_walfile_name at a segment boundary: PostgreSQL 16 and 17', () => {
    for (const major of [16, 17]) {
      it(`PostgreSQL ${major}: ${major >= 17 ? 'the segment that starts there' : 'the previous segment (0/0 wraps around)'}`, async function () {
        requireServer(major, this);
        const c = await createCluster(major);
        try {
          await c.start();
          await checkWalfileNames(c, major, 16 * MB, BOUNDARY_LSNS);
        } finally {
          await c.destroy();
        }
      });
    }
  });

  for (const major of [10, 14, 18]) {
    describe(`files the server writes into the archive: PostgreSQL ${major}`, () => {
      let c: Cluster;
      let archive: string;
      let conf: string[];
      before(async function () {
        requireServer(major, this);
        archive = makeTempDir('pg-pitr-walnames-');
        conf = ['wal_level=replica', 'archive_mode=on', `archive_command=cp %p ${archive}/%f`];
        c = await createCluster(major);
        await c.start(conf);
      });
      after(async () => {
        await c?.destroy();
        if (archive) fs.rmSync(archive, { recursive: true, force: true });
      });

      it('SHOW wal_segment_size, pg_walfile_name at boundaries, pg_lsn input and output', async () => {
        const [r] = await c.query<{ wal_segment_size: string }>('SHOW wal_segment_size');
        assert.equal(r!.wal_segment_size, '16MB');
        await checkWalfileNames(c, major, 16 * MB, BOUNDARY_LSNS);
        await checkLsnInput(c);
      });

      it('a backup history file (non-exclusive pg_backup_start / pg_backup_stop) parses to what the server returned', async () => {
        const label = 'pg-pitr oracle: label\nwith a second line';
        const startSql =
          major >= 15
            ? 'SELECT pg_backup_start($1, true)::text AS lsn'
            : 'SELECT pg_start_backup($1, true, false)::text AS lsn';
        const stopSql =
          major >= 15
            ? 'SELECT lsn::text, labelfile FROM pg_backup_stop()'
            : 'SELECT lsn::text, labelfile FROM pg_stop_backup(false)';
        const [started] = await c.query<{ lsn: string }>(startSql, [label]);
        const [stopped] = await c.query<{ lsn: string; labelfile: string }>(stopSql);
        const startLsn = parseLsn(started!.lsn)!;
        const stopLsn = parseLsn(stopped!.lsn)!;
        const size = 16 * MB;
        const startWal = formatSegmentName(1, segmentOfLsn(startLsn, size), size);

        // pg_backup_stop waited for the archiving of the history file
        const names = fs.readdirSync(archive);
        const backups = names.filter((n) => n.endsWith('.backup'));
        assert.equal(backups.length, 1, names.join(' '));
        assert.deepEqual(classifyArchiveName(backups[0]!), {
          kind: 'backup-history',
          timeline: 1,
          hex24: startWal,
          offset: segmentOffsetOfLsn(startLsn, size),
          compression: null,
        });
        for (const n of names) assert.notEqual(classifyArchiveName(n).kind, 'unexpected', n);

        const h = parseBackupHistory(fs.readFileSync(path.join(archive, backups[0]!), 'utf8'), { segSize: size });
        assert.deepEqual(h.errors, []);
        assert.equal(h.startLsn, startLsn);
        assert.equal(h.startWal, startWal);
        assert.equal(h.stopLsn, stopLsn);
        assert.equal(h.stopWal, formatSegmentName(1, segmentOfLsn(stopLsn, size), size));
        assert.equal(h.label, label);
        assert.equal(h.method, 'streamed');
        assert.equal(h.from, major >= 14 ? 'primary' : 'master');
        assert.equal(h.startTimeline, major >= 11 ? 1 : null);
        assert.equal(h.stopTimeline, major >= 11 ? 1 : null);
        assert.ok(
          h.startTimeParsed && h.stopTimeParsed && h.startTimeParsed <= h.stopTimeParsed,
          `${h.startTime} .. ${h.stopTime}`,
        );
        assert.ok(Math.abs(h.stopTimeParsed.getTime() - Date.now()) < 10 * 60_000, 'the server clock, read as UTC');
        // the label file the server returned has the same start and checkpoint lines
        const checkpoint = /^CHECKPOINT LOCATION: (\S+)$/m.exec(stopped!.labelfile)?.[1];
        assert.equal(h.checkpointLsn, parseLsn(checkpoint ?? ''));
        assert.match(
          stopped!.labelfile,
          new RegExp(`^START WAL LOCATION: ${formatLsn(startLsn)} \\(file ${startWal}\\)$`, 'm'),
        );
      });

      it('promotion: the timeline history file, the .partial segment and the new timeline', async () => {
        await c.stop();
        if (major >= 12) writeServerFile(c, 'standby.signal', '');
        else writeServerFile(c, 'recovery.conf', "standby_mode = 'on'\n");
        await c.start(conf);
        const [{ replayed }] = (await c.query<{ replayed: string }>(
          'SELECT pg_last_wal_replay_lsn()::text AS replayed',
        )) as [{ replayed: string }];
        if (major >= 12) {
          await c.query('SELECT pg_promote()');
        } else {
          const r = await runAsUser(path.join(binDir(major), 'pg_ctl'), ['promote', '-D', c.dataDir, '-w', '-t', '30']);
          assert.equal(r.code, 0, r.stderr);
        }
        for (let i = 0; (await c.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r'))[0]!.r; i++) {
          assert.ok(i < 100, 'promotion did not finish');
          await new Promise((res) => setTimeout(res, 100));
        }
        const historyPath = path.join(archive, '00000002.history');
        for (let i = 0; !fs.existsSync(historyPath); i++) {
          assert.ok(i < 200, `00000002.history not archived: ${fs.readdirSync(archive).join(' ')}`);
          await new Promise((res) => setTimeout(res, 100));
        }
        const h = parseTimelineHistory(fs.readFileSync(historyPath), 2);
        assert.deepEqual(h.errors, []);
        assert.deepEqual(h.warnings, []);
        assert.equal(h.entries.length, 1);
        const e = h.entries[0]!;
        assert.equal(e.parent, 1);
        assert.equal(e.reason, 'no recovery target specified');
        assert.equal(formatLsn(e.switchLsn), replayed, 'the switch point is the end of the last replayed record');
        assert.equal(timelineOfLsn(h, e.switchLsn - 1n), 1);
        assert.equal(timelineOfLsn(h, e.switchLsn), 2);

        const size = 16 * MB;
        const segno = segmentOfLsn(e.switchLsn, size);
        // the new timeline starts in a segment with the same number as the switch point's
        const [{ files }] = (await c.query<{ files: string[] }>(
          "SELECT array(SELECT name FROM pg_ls_dir('pg_wal') AS name) AS files",
        )) as [{ files: string[] }];
        assert.ok(files.includes(formatSegmentName(2, segno, size)), files.join(' '));
        const [{ current }] = (await c.query<{ current: string }>(
          'SELECT pg_walfile_name(pg_current_wal_lsn()) AS current',
        )) as [{ current: string }];
        assert.match(current, /^00000002/);
        // the old timeline's last, incomplete segment is archived as .partial
        if (segmentOffsetOfLsn(e.switchLsn, size) !== 0) {
          const partial = `${formatSegmentName(1, segno, size)}.partial`;
          for (let i = 0; !fs.existsSync(path.join(archive, partial)); i++) {
            assert.ok(i < 200, `${partial} not archived: ${fs.readdirSync(archive).join(' ')}`);
            await new Promise((res) => setTimeout(res, 100));
          }
          assert.equal(classifyArchiveName(partial).kind, 'partial');
        }
        for (const n of fs.readdirSync(archive)) assert.notEqual(classifyArchiveName(n).kind, 'unexpected', n);
      });
    });
  }

  describe('hand-made timeline history files: accepted or refused like PostgreSQL 18 does', () => {
    // Each file is 00000002.history of a standby started with recovery_target_timeline=2. The
    // cluster's checkpoint is on timeline 1 near 0/1xxxxxx: a file that leaves timeline 1 after it
    // (10/0) lets the server start as a standby; one that leaves it before (0/10) is refused with
    // "the server forked off from that timeline at X/X", which shows the switch point the server
    // read, so those cases check the value too (truncation, 0x prefixes, signs).
    const cases: Array<[string, string | Uint8Array]> = [
      ['value: plain', '1\t0/10\tx\n'],
      ['value: 0x prefixes', '1\t0x0/0x10\n'],
      ['value: "0x" without digits', '1\t0x/10\n'],
      ['value: 9 hex digits, truncated to 32 bits', '1\t1000000000/10\n'],
      ['value: a timeline ID over 32 bits, truncated', '4294967297\t0/10\n'],
      ['value: signs', '+1\t-0/+10\n'],
      ['value: blanks instead of a tab, and after the slash', '1   0/ 10\n'],
      ['value: text glued to the switch point', '1\t0/10xyz\n'],
      ['a negative low half wraps around', '1\t0/-10\n'],
      ['as PostgreSQL writes it', '1\t10/0\tno recovery target specified\n'],
      ['spaces instead of tabs', '1 10/0 spaces\n'],
      ['leading blanks, no reason', '  1\t10/0\n'],
      ['comments and blank lines', '# made by hand\n\n   # indented\n1\t10/0\tx\n'],
      ['a sign and 0x prefixes', '+1\t0x10/0x0\n'],
      ['"0x" without digits reads as 0', '1\t10/0x\n'],
      ['a blank after the slash', '1\t10/ 0\n'],
      ['text glued after the switch point', '1\t10/0/7\n'],
      ['no final newline', '1\t10/0'],
      ['a 9-digit high half is truncated to 32 bits', '1\t1000000010/0\n'],
      ['a timeline ID over 32 bits is truncated', '4294967297\t10/0\n'],
      ['a blank 1023-byte piece after a long line', `1\t10/0\t${'x'.repeat(1000)}${' '.repeat(100)}\n`],
      ['not a number', 'abc\t10/0\n'],
      ['a dash instead of a slash', '1\t10-0\n'],
      ['a blank before the slash', '1\t10 /0\n'],
      ['no separator before the switch point', '10/0\n'],
      ['parents not increasing', '1\t10/0\ta\n1\t20/0\tb\n'],
      ['a parent not below the file own timeline', '2\t10/0\n'],
      ['-1 wraps to 4294967295', '-1\t10/0\n'],
      ['a line longer than 1023 bytes', `1\t10/0\t${'x'.repeat(1100)}\n`],
    ];

    /** Starts `c` as a standby following timeline 2 with `content` as 00000002.history. A refused
     * file stops the startup process before it changes anything, and an accepted one leaves a
     * standby that is stopped again, so one cluster serves every case. */
    const checkpoints = new Set<string>();

    /** The verdict in the server log of the last start attempt. */
    function verdictFromLog(log: string): string {
      const last = log.slice(log.lastIndexOf('starting PostgreSQL'));
      if (/syntax error in history file/.test(last)) return 'syntax error';
      if (/invalid data in history file/.test(last)) return 'invalid data';
      const at = /forked off from that timeline at ([0-9A-F]+\/[0-9A-F]+)/.exec(last)?.[1];
      return at ? `forked at ${at}` : `unexplained: ${last}`;
    }

    /** Starts `c` as a standby following timeline 2 with `content` as 00000002.history. A refused
     * file stops the startup process before it changes anything, and an accepted one leaves a
     * standby that is stopped again, so one cluster serves every case. */
    async function serverVerdict(c: Cluster, content: string | Uint8Array): Promise<string> {
      writeServerFile(c, 'pg_wal/00000002.history', content);
      const log = () => fs.readFileSync(path.join(c.root, 'server.log'), 'utf8');
      try {
        await c.start(['recovery_target_timeline=2']);
      } catch {
        return verdictFromLog(log());
      }
      // pg_ctl start -w was seen to report success on a data directory "shut down in recovery"
      // although the startup process had already failed: only a query proves the server is up.
      try {
        // the checkpoint the standby started from (the same in every run: nothing is replayed)
        const [r] = await c.query<{ lsn: string }>('SELECT checkpoint_lsn::text AS lsn FROM pg_control_checkpoint()');
        checkpoints.add(r!.lsn);
        return 'accepted';
      } catch {
        return verdictFromLog(log());
      } finally {
        await c.stop();
      }
    }

    it(`${cases.length} files`, async function () {
      requireServer(18, this);
      // two clusters working through the list: the machine has two cores
      const clusters = await Promise.all([createCluster(18), createCluster(18)]);
      const verdicts: string[] = new Array(cases.length);
      try {
        for (const c of clusters) writeServerFile(c, 'standby.signal', '');
        let next = 0;
        await Promise.all(
          clusters.map(async (c) => {
            while (next < cases.length) {
              const i = next++;
              verdicts[i] = await serverVerdict(c, cases[i]![1]);
            }
            // still a sound standby after all those starts: the first case is accepted again
            assert.equal(await serverVerdict(c, '1\t10/0\tno recovery target specified\n'), 'accepted');
          }),
        );
      } finally {
        await Promise.all(clusters.map((c) => c.destroy()));
      }
      assert.equal(checkpoints.size, 1, [...checkpoints].join(' '));
      const checkpoint = parseLsn([...checkpoints][0]!)!;
      assert.ok(checkpoint > 0x10n && checkpoint < 0x10_00000000n, formatLsn(checkpoint));
      const mismatches: string[] = [];
      cases.forEach(([what, content], i) => {
        const h = parseTimelineHistory(content, 2);
        const e = h.entries[0];
        const mine =
          h.errors.length > 0
            ? /invalid data/.test(h.errors[0]!)
              ? 'invalid data'
              : 'syntax error'
            : e && e.parent === 1 && e.switchLsn < checkpoint
              ? `forked at ${formatLsn(e.switchLsn)}`
              : 'accepted';
        if (mine !== verdicts[i])
          mismatches.push(`${what}: server ${verdicts[i]}, parser ${mine} (${h.errors.join('; ')})`);
      });
      assert.deepEqual(mismatches, []);
    });
  });
});
