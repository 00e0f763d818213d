import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { RestorePointLog, type RestorePointRecord } from '../../../src/core/recovery/restorePointLog';

const A: RestorePointRecord = {
  systemId: '7311411139837446720',
  name: 'pg-pitr-2026-11-24T19-30-00Z-drop-orders',
  lsn: '0/3000090',
  wal: '000000010000000000000003',
  timeline: 1,
  time: '2026-11-24T19:30:00.123456+00:00',
  reason: 'DROP TABLE orders',
  server: 'prod',
};
const B: RestorePointRecord = {
  systemId: '7311411139837446999',
  name: 'other',
  lsn: '1/A0',
  wal: '0000000200000001000000A0',
  timeline: 2,
  time: '2026-11-25T08:00:00.000000+00:00',
};

describe('restore point log', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pitr-rplog-'));
    file = path.join(dir, 'sub', 'restore-points.json');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('starts empty, records in order, filters by system identifier', () => {
    const log = new RestorePointLog(file);
    assert.deepEqual(log.list(), []);
    log.add(A);
    log.add(B);
    assert.deepEqual(new RestorePointLog(file).list(), [A, B]);
    assert.deepEqual(log.list('7311411139837446999'), [B]);
    assert.deepEqual(log.list('0'), []);
    const onDisk = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.deepEqual(onDisk, { version: 1, restorePoints: [A, B] });
    // written whole through a temporary file: nothing else left in the folder
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['restore-points.json']);
  });

  it('keeps only the known fields of what it is given', () => {
    const log = new RestorePointLog(file);
    log.add({ ...B, password: 'x', extra: 1 } as RestorePointRecord);
    assert.deepEqual(log.list(), [B]);
    assert.ok(!fs.readFileSync(file, 'utf8').includes('password'));
  });

  it('refuses a record without its required fields', () => {
    const log = new RestorePointLog(file);
    assert.throws(() => log.add({ ...A, lsn: 'nope' }), /not a restore point record/);
    assert.throws(() => log.add({ name: 'x' } as RestorePointRecord), /not a restore point record/);
    assert.ok(!fs.existsSync(file));
  });

  it('sets a corrupt file aside as .corrupt and starts fresh, without throwing', () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '{"version": 1, "restorePoints": [ {"half');
    const log = new RestorePointLog(file);
    assert.deepEqual(log.list(), []);
    assert.equal(fs.readFileSync(`${file}.corrupt`, 'utf8'), '{"version": 1, "restorePoints": [ {"half');
    assert.ok(!fs.existsSync(file));
    log.add(A);
    assert.deepEqual(log.list(), [A]);
    // a JSON file of the wrong shape is corrupt too
    fs.writeFileSync(file, '[1, 2]');
    assert.deepEqual(new RestorePointLog(file).list(), []);
    assert.equal(fs.readFileSync(`${file}.corrupt`, 'utf8'), '[1, 2]');
  });

  it('skips entries it does not understand but keeps them in the file', () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ version: 1, restorePoints: [{ future: true }, A] }));
    const log = new RestorePointLog(file);
    assert.deepEqual(log.list(), [A]);
    log.add(B);
    assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')).restorePoints, [{ future: true }, A, B]);
  });

  it('an unreadable path lists nothing; writing there throws with the path', () => {
    const blocker = path.join(dir, 'blocker');
    fs.writeFileSync(blocker, '');
    const log = new RestorePointLog(path.join(blocker, 'restore-points.json'));
    assert.deepEqual(log.list(), []);
    assert.throws(() => log.add(A), /EEXIST|ENOTDIR|cannot write the restore point log/);
  });
});
