import { strict as assert } from 'node:assert';

import { suggestRestorePointName, validateRestorePointName } from '../../../src/core/server/restorePoints';

const at = new Date('2026-11-24T19:30:00.789Z');

describe('restore point names', () => {
  it('suggests pg-pitr-<UTC time>-<reason>', () => {
    assert.equal(suggestRestorePointName('drop orders', at), 'pg-pitr-2026-11-24T19-30-00Z-drop-orders');
    assert.equal(
      suggestRestorePointName('  DROP TABLE public.Orders;  ', at),
      'pg-pitr-2026-11-24T19-30-00Z-drop-table-public-orders',
    );
    assert.equal(
      suggestRestorePointName('Migration 042: événements', at),
      'pg-pitr-2026-11-24T19-30-00Z-migration-042-evenements',
    );
    assert.equal(suggestRestorePointName('', at), 'pg-pitr-2026-11-24T19-30-00Z');
    assert.equal(suggestRestorePointName('日本語', at), 'pg-pitr-2026-11-24T19-30-00Z');
  });

  it('cuts the reason to stay within 63 bytes, never ending on a dash', () => {
    const long = suggestRestorePointName('ALTER TABLE customer_accounts DROP COLUMN legacy_identifier', at);
    assert.equal(long, 'pg-pitr-2026-11-24T19-30-00Z-alter-table-customer-accounts-drop');
    assert.equal(Buffer.byteLength(long), 63);
    assert.equal(suggestRestorePointName('x'.repeat(34) + ' y', at), `pg-pitr-2026-11-24T19-30-00Z-${'x'.repeat(34)}`);
    assert.equal(suggestRestorePointName('x'.repeat(33) + ' y', at), `pg-pitr-2026-11-24T19-30-00Z-${'x'.repeat(33)}`);
    for (const reason of ['a'.repeat(500), 'é'.repeat(200), '😀'.repeat(100)]) {
      const name = suggestRestorePointName(reason, at);
      assert.ok(Buffer.byteLength(name) <= 63, name);
      assert.match(name, /^[\x21-\x7e]+$/);
      assert.equal(validateRestorePointName(name), null);
    }
  });

  it('never throws on bad input', () => {
    assert.equal(suggestRestorePointName('x', new Date(NaN)), 'pg-pitr-x');
    assert.equal(suggestRestorePointName(undefined as unknown as string, at), 'pg-pitr-2026-11-24T19-30-00Z');
  });

  it("validates in bytes, with the server's own message", () => {
    assert.equal(validateRestorePointName('a'.repeat(63)), null);
    assert.equal(
      validateRestorePointName('a'.repeat(64)),
      'value too long for restore point (maximum 63 characters): this name is 64 bytes in UTF-8',
    );
    // 32 characters, 64 bytes: PostgreSQL refuses it too (checked on real servers)
    assert.equal(
      validateRestorePointName('é'.repeat(32)),
      'value too long for restore point (maximum 63 characters): this name is 64 bytes in UTF-8 (32 characters)',
    );
    assert.equal(validateRestorePointName('é'.repeat(31) + 'a'), null);
    assert.equal(validateRestorePointName(''), 'the restore point name is empty');
    assert.equal(validateRestorePointName('   '), 'the restore point name is only blanks');
    assert.equal(validateRestorePointName('a\0b'), 'the restore point name contains a NUL character');
    assert.equal(
      validateRestorePointName('before\nmigration'),
      'the restore point name contains a line break or control character: recovery_target_name could not be written in a configuration file',
    );
    assert.equal(validateRestorePointName("it's fine"), null);
    assert.equal(validateRestorePointName(42 as unknown as string), 'the restore point name is empty');
  });
});
