-- Readers' reports of comments (PPMS, user-generated content): anyone may
-- report a published comment with a reason; the newsroom answers each
-- within two days (the queue shows the clock). ip is kept for the rate
-- limit and purged with commenters' addresses.
CREATE TABLE comment_reports (
    id          INTEGER PRIMARY KEY,
    comment_id  INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    reason      TEXT NOT NULL,
    ip          TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    resolved_at TIMESTAMP,
    resolved_by INTEGER REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX comment_reports_open ON comment_reports (resolved_at, created_at);
CREATE INDEX comment_reports_ip ON comment_reports (ip, created_at);
