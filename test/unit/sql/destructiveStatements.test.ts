import { strict as assert } from 'node:assert';

import { findDestructiveStatements, splitStatements } from '../../../src/core/sql/destructiveStatements';

const kinds = (sql: string) => findDestructiveStatements(sql).map((s) => s.kind);

describe('destructive SQL statements', () => {
  it('finds each kind with its description and 0-based position', () => {
    const sql = [
      '-- migration 042',
      'BEGIN;',
      'DROP TABLE IF EXISTS public.orders, order_lines CASCADE;',
      '/* keep */ DELETE FROM audit;',
      'DELETE FROM audit WHERE ts < now();',
      'UPDATE t SET a = 1;',
      '  update t set a=2 where id=3;',
      'ALTER TABLE t DROP COLUMN c, ADD COLUMN d int, DROP COLUMN "E";',
      'TRUNCATE t, u;',
      'DROP SCHEMA IF EXISTS s1, "S 2" CASCADE;',
      'DROP DATABASE shop WITH (FORCE);',
      'COMMIT;',
      'DROP TABLE "Odd;Name"',
    ].join('\n');
    assert.deepEqual(findDestructiveStatements(sql), [
      {
        kind: 'drop-table',
        description: 'DROP TABLE IF EXISTS public.orders, order_lines CASCADE',
        line: 2,
        character: 0,
      },
      {
        kind: 'delete-without-where',
        description: 'DELETE FROM audit without WHERE: deletes every row',
        line: 3,
        character: 11,
      },
      { kind: 'update-without-where', description: 'UPDATE t without WHERE: changes every row', line: 5, character: 0 },
      { kind: 'drop-column', description: 'ALTER TABLE t DROP COLUMN c, "E"', line: 7, character: 0 },
      { kind: 'truncate', description: 'TRUNCATE t, u: removes every row', line: 8, character: 0 },
      { kind: 'drop-schema', description: 'DROP SCHEMA IF EXISTS s1, "S 2" CASCADE', line: 9, character: 0 },
      { kind: 'drop-database', description: 'DROP DATABASE shop (FORCE)', line: 10, character: 0 },
      { kind: 'drop-table', description: 'DROP TABLE "Odd;Name"', line: 12, character: 0 },
    ]);
  });

  it('DELETE / UPDATE with a WHERE, and harmless statements, are not destructive', () => {
    assert.deepEqual(
      kinds(
        'DELETE FROM t WHERE id = 1; UPDATE t SET a = 1 FROM u WHERE t.id = u.id; SELECT 1; INSERT INTO ' +
          't VALUES (1); ALTER TABLE t DROP CONSTRAINT k; DROP INDEX i',
      ),
      [],
    );
  });

  it('ALTER TABLE ... DROP without COLUMN drops a column too', () => {
    assert.deepEqual(findDestructiveStatements('ALTER TABLE IF EXISTS ONLY t DROP c;'), [
      { kind: 'drop-column', description: 'ALTER TABLE t DROP COLUMN c', line: 0, character: 0 },
    ]);
  });

  it('statements the parser lacks: DELETE ... USING, DELETE FROM ONLY, UPDATE ONLY', () => {
    assert.deepEqual(
      findDestructiveStatements(
        'DELETE FROM t USING u;\nDELETE FROM ONLY s.t;\nUPDATE ONLY t AS x SET a = 1;\nDELETE FROM t USING u WHERE t.id = u.id;',
      ),
      [
        {
          kind: 'delete-without-where',
          description: 'DELETE FROM t without WHERE: deletes every row',
          line: 0,
          character: 0,
        },
        {
          kind: 'delete-without-where',
          description: 'DELETE FROM s.t without WHERE: deletes every row',
          line: 1,
          character: 0,
        },
        {
          kind: 'update-without-where',
          description: 'UPDATE t without WHERE: changes every row',
          line: 2,
          character: 0,
        },
      ],
    );
  });

  it('TRUNCATE forms the parser lacks: ONLY, a trailing *, ONLY in a list', () => {
    // PostgreSQL accepts all of these (TRUNCATE [TABLE] [ONLY] name [*] [, ...] [RESTART|CONTINUE IDENTITY] [CASCADE|RESTRICT])
    assert.deepEqual(
      findDestructiveStatements(
        'TRUNCATE ONLY measurements;\nTRUNCATE TABLE ONLY s.a RESTART IDENTITY CASCADE;\nTRUNCATE public.a, ONLY "B" *;\nTRUNCATE;',
      ),
      [
        { kind: 'truncate', description: 'TRUNCATE ONLY measurements: removes every row', line: 0, character: 0 },
        { kind: 'truncate', description: 'TRUNCATE ONLY s.a CASCADE: removes every row', line: 1, character: 0 },
        { kind: 'truncate', description: 'TRUNCATE public.a, ONLY "B": removes every row', line: 2, character: 0 },
      ],
    );
  });

  it('a data-modifying WITH counts', () => {
    assert.deepEqual(kinds('WITH gone AS (DELETE FROM old RETURNING *) SELECT count(*) FROM gone;'), [
      'delete-without-where',
    ]);
  });

  it('one statement that does not parse does not hide the others', () => {
    const sql = 'this is not sql;\nSELECT * FROM WHERE;\nTRUNCATE orders;';
    assert.deepEqual(findDestructiveStatements(sql), [
      { kind: 'truncate', description: 'TRUNCATE orders: removes every row', line: 2, character: 0 },
    ]);
  });

  it('SQL that does not parse gives nothing and never throws', () => {
    for (const bad of [
      '',
      ';;;',
      'DROP',
      'DROP SCHEMA',
      'DROP SCHEMA s garbage',
      'DROP DATABASE a, b',
      'DELETE',
      'DELETE FROM',
      "'unterminated",
      '$$ never closed',
      '/* never closed',
      'UPDATE t',
      '\u0000\uffff',
    ]) {
      assert.deepEqual(findDestructiveStatements(bad), [], bad);
    }
    assert.deepEqual(findDestructiveStatements(undefined as unknown as string), []);
  });

  it('semicolons in strings, quoted identifiers, dollar quotes, comments and BEGIN ATOMIC bodies do not split', () => {
    const sql = [
      "SELECT 'a;b', E'it\\'s; x', \"we;ird\" FROM t; -- a ; comment",
      '/* nested /* ; */ still comment ; */ SELECT 1;',
      'CREATE FUNCTION g() RETURNS void AS $body$ delete from t; $body$ LANGUAGE sql;',
      'CREATE OR REPLACE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC DELETE FROM x; SELECT CASE WHEN true THEN 1 END; END;',
      'SELECT $1, a$b$ FROM t',
    ].join('\n');
    assert.deepEqual(
      splitStatements(sql).map((p) => p.text),
      [
        "SELECT 'a;b', E'it\\'s; x', \"we;ird\" FROM t",
        'SELECT 1',
        'CREATE FUNCTION g() RETURNS void AS $body$ delete from t; $body$ LANGUAGE sql',
        'CREATE OR REPLACE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC DELETE FROM x; SELECT CASE WHEN true THEN 1 END; END',
        'SELECT $1, a$b$ FROM t',
      ],
    );
    // a DELETE inside a function body runs when the function is called, not here
    assert.deepEqual(findDestructiveStatements(sql), []);
  });

  it('psql meta-commands are not part of the next statement', () => {
    assert.deepEqual(findDestructiveStatements('\\set ON_ERROR_STOP on\n\\c shop\nDROP TABLE t;\nSELECT 1; \\x\n'), [
      { kind: 'drop-table', description: 'DROP TABLE t', line: 2, character: 0 },
    ]);
  });

  it('positions count UTF-16 columns on the statement line', () => {
    assert.deepEqual(findDestructiveStatements("SELECT 'é😀'; TRUNCATE t"), [
      { kind: 'truncate', description: 'TRUNCATE t: removes every row', line: 0, character: 14 },
    ]);
  });

  // speed is the benchmark's business; a quadratic parse of this file would run into the lane's 5 s timeout
  it('handles a large file (6,000 statements)', () => {
    const sql =
      'INSERT INTO t VALUES (1);\nDELETE FROM t WHERE a = 1;\nUPDATE t SET a = 2 WHERE b = 3;\n'.repeat(2000) +
      'DROP TABLE t;\nDELETE FROM t;';
    const found = findDestructiveStatements(sql);
    assert.deepEqual(
      found.map((f) => [f.kind, f.line]),
      [
        ['drop-table', 6000],
        ['delete-without-where', 6001],
      ],
    );
  });
});
