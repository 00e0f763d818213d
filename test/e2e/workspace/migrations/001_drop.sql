-- Migration 001: tidy up before the new schema
CREATE TABLE keep_me (id int PRIMARY KEY);
DROP TABLE old_orders;
DELETE FROM sessions;
DELETE FROM carts WHERE created < now() - interval '30 days';
UPDATE accounts SET active = false;
UPDATE accounts SET active = true WHERE id = 1;
ALTER TABLE customers DROP COLUMN legacy_code;
TRUNCATE audit_log;
DELETE
  FROM wishlist;
DROP SCHEMA staging CASCADE;
SELECT 1;
