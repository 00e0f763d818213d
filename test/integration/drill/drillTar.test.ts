// `pg-pitr drill` on tar-format base backups: base.tar.gz on a spread of majors (the real
// pg_basebackup -Ft where a local client can back that major up), and .lz4 / .zst on 13 (clients
// from 15 compress with them). The rows committed after the backup are back.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';

import { requireServer } from '../../support/postgresServers';
import {
  drill,
  type DrillFixture,
  explain,
  RESTORE_POINT,
  ROWS_SQL,
  rowsOf,
  sharedDrillFixture,
  type TarKind,
} from './drillFixture';

const CASES: [number, TarKind[]][] = [
  [10, ['gzip']],
  [13, ['gzip', 'lz4', 'zstd']],
  [16, ['gzip']],
  [18, ['gzip']],
];

describe('pg-pitr drill on tar-format backups', function () {
  for (const [major, kinds] of CASES) {
    describe(`PostgreSQL ${major}`, function () {
      this.timeout(180_000);
      let f: DrillFixture;
      before(async function () {
        if (!requireServer(major, this)) return;
        f = await sharedDrillFixture(major);
      });
      for (const kind of kinds) {
        it(`base.tar${kind === 'gzip' ? '.gz' : kind === 'lz4' ? '.lz4' : '.zst'}: latest brings back rows 1-6`, async () => {
          const t = f.tars[kind]!;
          const files = fs.readdirSync(t.dir).sort();
          assert.ok(
            files.some((n) => /^base\.tar\.(gz|lz4|zst)$/.test(n)),
            `${t.method}: ${files.join(' ')}`,
          );
          const r = await drill(f, ['--archive', f.archive, '--check-sql', ROWS_SQL], t.dir);
          assert.equal(r.code, 0, explain(r));
          assert.equal(r.report.backup.format, 'tar');
          assert.equal(rowsOf(r.report), '1,2,3,4,5,6');
        });
      }
      it('base.tar.gz to a time between two commits: rows 1-4', async () => {
        const r = await drill(
          f,
          ['--archive', f.archive, '--target-time', f.betweenTime, '--check-sql', ROWS_SQL],
          f.tars.gzip!.dir,
        );
        assert.equal(r.code, 0, explain(r));
        assert.equal(rowsOf(r.report), '1,2,3,4');
      });
      it('base.tar.gz to a restore point: rows 1-4, the reached LSN is the restore point', async () => {
        const args = ['--archive', f.archive, '--target-name', RESTORE_POINT, '--check-sql', ROWS_SQL];
        const r = await drill(f, args, f.tars.gzip!.dir);
        assert.equal(r.code, 0, explain(r));
        assert.equal(rowsOf(r.report), '1,2,3,4');
        assert.equal(r.report.reached?.lsn, f.restorePointLsn);
      });
    });
  }
});
