-- The mail queue: every mail Warta sends is first a row here, written in
-- the transaction of the change that causes it (a reset asked for, a
-- comment held), so a mail is never sent for a change that did not happen
-- nor lost for one that did. A worker claims due rows with a lease
-- (lease_owner, lease_until), so with several instances each row is sent
-- by one; a failure waits next_at (exponential backoff) and last_error
-- keeps the server's answer for the newsroom.
CREATE TABLE mail_queue (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    to_addr     TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body_text   TEXT NOT NULL,
    body_html   TEXT NOT NULL DEFAULT '',
    headers     TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'pending',
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_at     TIMESTAMP NOT NULL,
    lease_owner TEXT NOT NULL DEFAULT '',
    lease_until TIMESTAMP,
    last_error  TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    sent_at     TIMESTAMP
);
CREATE INDEX mail_queue_due ON mail_queue (status, next_at);

-- One-time links that let a staff member choose a password: a reset
-- asked for on the login page, or an invitation to a new account. Only
-- the SHA-256 of the token is kept.
CREATE TABLE password_tokens (
    hash       TEXT PRIMARY KEY,
    purpose    TEXT NOT NULL,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP
);
CREATE INDEX password_tokens_user ON password_tokens (user_id);
