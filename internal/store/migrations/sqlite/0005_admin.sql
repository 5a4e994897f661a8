-- The newsroom: sessions, login throttling and the old addresses of moved
-- articles.

-- A session is found by the SHA-256 of the cookie's random token, so a
-- copy of this table cannot be replayed as cookies. Any instance serves it.
CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf         TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    remember     BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- One row per failed login, under two keys: the client address and the
-- account. Old rows are pruned as new ones arrive.
CREATE TABLE login_failures (
    id        INTEGER PRIMARY KEY,
    key       TEXT NOT NULL,
    failed_at TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, failed_at);

-- Paths a published article had before its slug or month changed. The
-- public site consults this table only when a path is not found.
CREATE TABLE redirects (
    old_path   TEXT PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX redirects_article ON redirects (article_id);

-- A trigger writes the old path in the very transaction that moves the
-- article, whichever surface (newsroom, API, import) made the change.
-- Times are stored as RFC 3339 text in UTC, so characters 1-4 and 6-7 are
-- the year and month of the article's /YYYY/MM/slug path.
CREATE TRIGGER articles_moved AFTER UPDATE OF slug, published_at, status ON articles
WHEN OLD.status = 'published' AND NEW.status = 'published' AND OLD.published_at IS NOT NULL
    AND (OLD.slug <> NEW.slug OR substr(OLD.published_at, 1, 7) <> substr(NEW.published_at, 1, 7))
BEGIN
    DELETE FROM redirects WHERE old_path = '/' || substr(OLD.published_at, 1, 4) || '/' || substr(OLD.published_at, 6, 2) || '/' || OLD.slug;
    INSERT INTO redirects (old_path, article_id, created_at)
        VALUES ('/' || substr(OLD.published_at, 1, 4) || '/' || substr(OLD.published_at, 6, 2) || '/' || OLD.slug, NEW.id, NEW.updated_at);
END;
