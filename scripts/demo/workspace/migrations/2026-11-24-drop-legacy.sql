-- A risky migration: pg-pitr will offer to create a restore point before it (coming feature).
BEGIN;
ALTER TABLE orders DROP COLUMN legacy_status;
DROP TABLE audit_2019;
DELETE FROM sessions;
COMMIT;
