-- The media library: the uploaded file name (for search) and the resized
-- copies of each item, as a JSON list of {path, width, height,
-- content_type, size}. A list in a column rather than a table, because
-- variants are always read and written together with their item.
ALTER TABLE media ADD COLUMN filename TEXT NOT NULL DEFAULT '';
ALTER TABLE media ADD COLUMN variants TEXT NOT NULL DEFAULT '[]';
CREATE INDEX media_created ON media (created_at DESC, id DESC);

-- Media bytes kept in the database, for several instances sharing one
-- database instead of one folder.
CREATE TABLE media_blobs (
    path     TEXT PRIMARY KEY,
    data     BLOB NOT NULL,
    mod_time TIMESTAMP NOT NULL
);

-- Every save of an article keeps a revision. user_id is whoever saved
-- (the author when the saver is not known).
CREATE TABLE article_revisions (
    id            INTEGER PRIMARY KEY,
    article_id    INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    number        INTEGER NOT NULL,
    title         TEXT NOT NULL,
    dateline      TEXT NOT NULL DEFAULT '',
    excerpt       TEXT NOT NULL DEFAULT '',
    body          TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL,
    image_url     TEXT NOT NULL DEFAULT '',
    image_alt     TEXT NOT NULL DEFAULT '',
    image_caption TEXT NOT NULL DEFAULT '',
    user_id       INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at    TIMESTAMP NOT NULL,
    UNIQUE (article_id, number)
);

-- Articles written before revisions existed start their history here.
INSERT INTO article_revisions (article_id, number, title, dateline, excerpt, body, status,
    image_url, image_alt, image_caption, user_id, created_at)
SELECT id, 1, title, dateline, excerpt, body, status, image_url, image_alt, image_caption, author_id, updated_at
FROM articles;
