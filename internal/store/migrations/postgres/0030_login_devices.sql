-- Login throttling that no stranger can turn into a lockout.
--
-- Each login attempt is recorded before its password is checked, under
-- the keys it counts against, with the attempt's random id: a login that
-- succeeds, or one the server was too busy to check, takes its rows back.
ALTER TABLE login_failures ADD COLUMN attempt TEXT NOT NULL DEFAULT '';
CREATE INDEX login_failures_attempt ON login_failures (attempt);

-- A browser that signed in to an account before carries a device cookie;
-- only the SHA-256 of its random token is kept. Attempts from a known
-- device count against that device alone, so failures from elsewhere
-- never lock its owner out.
CREATE TABLE login_devices (
    id           TEXT PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_devices_user ON login_devices (user_id);
CREATE INDEX login_devices_used ON login_devices (last_used_at);
