-- Scheduled backups: one row per scheduled time (slot, the site's local
-- date and time). An instance claims a slot by taking its lease; the
-- others see it held or finished, so each slot is backed up once however
-- many instances run. A failed run keeps finished_at NULL and lets the
-- lease lapse for a retry.
CREATE TABLE backup_runs (
    slot        TEXT PRIMARY KEY,
    instance    TEXT NOT NULL,
    started_at  TIMESTAMP NOT NULL,
    lease_until TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    file        TEXT NOT NULL DEFAULT '',
    bytes       INTEGER NOT NULL DEFAULT 0,
    error       TEXT NOT NULL DEFAULT ''
);
