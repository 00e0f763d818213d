-- Migration 002: half-written, nothing in it parses yet
DROP TABLE ;
DELETE FROM sessions WHERE (;
UPDATE SET active = ;
TRUNCATE
