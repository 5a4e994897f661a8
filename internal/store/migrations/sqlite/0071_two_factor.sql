-- Two-factor sign-in for staff (TOTP, RFC 6238). totp_secret is the
-- confirmed secret ('' when two-factor is off), totp_pending one shown on
-- the enrolment screen and not yet confirmed with a code, totp_last_step
-- the last 30-second step a code was accepted for, so that a code is
-- never accepted twice.
ALTER TABLE users ADD COLUMN totp_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN totp_pending TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;

-- One-time recovery codes, for when the phone is lost: only the SHA-256
-- of each is kept, and a used one is marked.
CREATE TABLE recovery_codes (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);
