// The editor commands' pure helpers: the private password file for pg_basebackup, and what the
// recovery wizard reads from a restored copy and from segment names.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import {
  passFileLine,
  privatePassFileWarnings,
  removeStalePassFiles,
  writePrivatePassFile,
} from '../../../../src/extension/backup/privatePassFile';
import { backupLabelStartWal, endLsnOfSegment } from '../../../../src/extension/recovery/archiveFacts';

describe('editor commands: helpers', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-helpers-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a password file line escapes : and \\ (libpq .pgpass format) and matches any host and database', () => {
    assert.equal(passFileLine(5432, 'post:gres', 'a:b\\c'), '*:5432:*:post\\:gres:a\\:b\\\\c\n');
  });

  it('-R with a private password file: warned that the primary_conninfo of the copy names a file that is removed (seen with the real pg_basebackup 15)', () => {
    assert.deepEqual(privatePassFileWarnings({ writeRecoveryConf: false, serverMajor: 15 }), []);
    assert.deepEqual(privatePassFileWarnings({ writeRecoveryConf: true, serverMajor: 15 }), [
      "-R with the password pg-pitr keeps: pg_basebackup writes passfile='<pg-pitr's private password " +
        "file>' into primary_conninfo (postgresql.auto.conf of the backup), and that file is removed when the " +
        "terminal closes; before starting the copy as a standby, put the password in its server user's ~/.pgpass " +
        'and remove passfile=... from primary_conninfo',
    ]);
    assert.match(
      privatePassFileWarnings({ writeRecoveryConf: true, serverMajor: 11 })[0]!,
      /into primary_conninfo \(recovery\.conf of the backup\)/,
    );
  });

  it('the private password file is 0600 in a 0700 folder, never reused, and stale ones are removed', () => {
    const file = writePrivatePassFile(dir, '*:5432:*:u:p\n');
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(fs.statSync(path.dirname(file)).mode & 0o777, 0o700);
    assert.equal(fs.readFileSync(file, 'utf8'), '*:5432:*:u:p\n');
    const second = writePrivatePassFile(dir, 'x\n');
    assert.notEqual(second, file);
    const old = new Date(Date.now() - 2 * 3_600_000);
    fs.utimesSync(file, old, old);
    removeStalePassFiles(dir);
    assert.equal(fs.existsSync(file), false, 'an hour-old file is removed');
    assert.equal(fs.existsSync(second), true, 'a fresh file (a running terminal may need it) stays');
  });

  it("the restored copy's base backup is the START WAL LOCATION file of its backup_label", () => {
    fs.writeFileSync(
      path.join(dir, 'backup_label'),
      'START WAL LOCATION: 0/2000028 (file 000000010000000000000002)\nCHECKPOINT LOCATION: 0/2000060\nBACKUP ' +
        'METHOD: streamed\nBACKUP FROM: primary\nSTART TIME: 2026-11-24 19:30:00 UTC\nLABEL: pg-pitr drill\nSTART TIMELINE: 1\n',
    );
    assert.equal(backupLabelStartWal(dir), '000000010000000000000002');
    fs.writeFileSync(path.join(dir, 'backup_label'), 'LABEL: nothing else\n');
    assert.equal(backupLabelStartWal(dir), null);
    assert.equal(backupLabelStartWal(path.join(dir, 'missing')), null);
  });

  it('the end of a segment is the start of the next one (16 MB and 1 MB segments, across a log id)', () => {
    assert.equal(endLsnOfSegment('000000010000000000000002', 16 * 1024 * 1024), '0/3000000');
    assert.equal(endLsnOfSegment('0000000100000000000000FF', 16 * 1024 * 1024), '1/0');
    assert.equal(endLsnOfSegment('000000010000000000000FFF', 1024 * 1024), '1/0');
    assert.equal(endLsnOfSegment('not a segment', 16 * 1024 * 1024), null);
  });
});
