// Every lint rule whose message says "the server will not start" (or that the archiver fails) is
// proven here on real servers of the affected majors: the same file makes pg-pitr report the rule
// and makes PostgreSQL refuse to start with the quoted message.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { getCatalog } from '../../src/core/catalog/catalogs';
import { nodeFileSystem } from '../../src/core/conf/fileSystem';
import { lintConfiguration } from '../../src/core/lint/lintEngine';
import { createCluster, MAJORS, requireServer } from '../support/postgresServers';

interface Refusal {
  rule: string;
  majors: [number, number];
  conf: string;
  files?: Record<string, string>;
  /** what the server log says */
  log: RegExp;
}

const REFUSALS: Refusal[] = [
  {
    rule: 'wal-level-minimal-archive',
    majors: [10, 18],
    conf: "wal_level = minimal\nmax_wal_senders = 0\narchive_mode = on\narchive_command = 'true'\n",
    log: /WAL archival cannot be enabled when "?wal_level"? is "minimal"/,
  },
  {
    rule: 'wal-level-minimal-senders',
    majors: [10, 18],
    conf: 'wal_level = minimal\n',
    log: /WAL streaming \("?max_wal_senders"? > 0\) requires "?wal_level"? (to be )?"replica" or "logical"/,
  },
  {
    rule: 'wal-level-minimal-summarize',
    majors: [17, 18],
    conf: 'wal_level = minimal\nmax_wal_senders = 0\nsummarize_wal = on\n',
    log: /WAL cannot be summarized when "wal_level" is "minimal"/,
  },
  {
    rule: 'removed-parameter',
    majors: [13, 18],
    conf: 'wal_keep_segments = 8\n',
    log: /unrecognized configuration parameter "wal_keep_segments"/,
  },
  {
    rule: 'removed-parameter',
    majors: [12, 18],
    conf: 'standby_mode = on\n',
    log: /unrecognized configuration parameter "standby_mode"/,
  },
  {
    rule: 'recovery-settings-on-old-version',
    majors: [10, 11],
    conf: "restore_command = 'cp /a/%f %p'\n",
    log: /unrecognized configuration parameter "restore_command"/,
  },
  {
    rule: 'recovery-conf-present',
    majors: [12, 18],
    conf: '',
    files: { 'recovery.conf': "restore_command = 'cp /a/%f %p'\n" },
    log: /using recovery command file "recovery.conf" is not supported/,
  },
  {
    rule: 'restore-command-missing',
    majors: [12, 18],
    conf: '',
    files: { 'recovery.signal': '' },
    log: /must specify "?restore_command"? when standby mode is not enabled/,
  },
  {
    rule: 'multiple-recovery-targets',
    majors: [12, 18],
    conf: "recovery_target_name = 'a'\nrecovery_target_xid = '100'\n",
    log: /multiple recovery targets specified/,
  },
  {
    rule: 'recovery-target-value',
    majors: [12, 18],
    conf: "recovery_target = 'Immediate'\n",
    log: /invalid value for parameter "recovery_target": "Immediate"/,
  },
  {
    rule: 'internal-parameter',
    majors: [10, 18],
    conf: 'wal_segment_size = 32MB\n',
    log: /parameter "wal_segment_size" cannot be changed/,
  },
];

for (const major of MAJORS) {
  describe(`server refusals match error rules on PostgreSQL ${major}`, function () {
    this.timeout(120_000);
    before(function () {
      requireServer(major, this);
    });
    for (const r of REFUSALS.filter((x) => major >= x.majors[0] && major <= x.majors[1])) {
      it(`${r.rule}: ${JSON.stringify(r.conf || Object.keys(r.files ?? {}).join(' '))}`, async () => {
        const cluster = await createCluster(major);
        try {
          const conf = path.join(cluster.dataDir, 'postgresql.conf');
          fs.appendFileSync(conf, '\n' + r.conf);
          for (const [name, content] of Object.entries(r.files ?? {}))
            fs.writeFileSync(path.join(cluster.dataDir, name), content);
          const findings = lintConfiguration({
            configFile: conf,
            dataDir: cluster.dataDir,
            catalog: getCatalog(major),
            fs: nodeFileSystem(),
          });
          const mine = findings.filter((f) => f.rule === r.rule);
          assert.equal(
            mine.length,
            1,
            `pg-pitr should report ${r.rule} once; got ${JSON.stringify(findings.map((f) => f.rule))}`,
          );
          assert.equal(mine[0].severity, 'error');
          await assert.rejects(cluster.start(), (e: Error) => {
            assert.match(e.message, r.log);
            return true;
          });
        } finally {
          await cluster.destroy();
        }
      });
    }
  });
}
