CREATE TABLE comments (
    id           INTEGER PRIMARY KEY,
    article_id   INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    parent_id    INTEGER REFERENCES comments (id) ON DELETE SET NULL,
    author_name  TEXT NOT NULL,
    author_email TEXT NOT NULL,
    author_url   TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('pending','approved','spam','trash')),
    created_at   TIMESTAMP NOT NULL,
    ip           TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT '',
    spam_score   REAL NOT NULL DEFAULT 0,
    reasons      TEXT NOT NULL DEFAULT '',
    user_id      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    body_hash    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX comments_article ON comments (article_id, status, created_at, id);
CREATE INDEX comments_status ON comments (status, id DESC);
CREATE INDEX comments_ip ON comments (ip, created_at);
CREATE INDEX comments_author ON comments (lower(author_email), status);
CREATE INDEX comments_hash ON comments (article_id, body_hash);

CREATE TABLE kv (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
