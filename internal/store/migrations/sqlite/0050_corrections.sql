-- Corrections (ralat, koreksi) and right of reply (hak jawab), as the
-- Dewan Pers cyber-media guideline asks: records of their own, attached to
-- the article they correct, each with its text and its publication time.
-- The article's text as it was stays in its revisions.
CREATE TABLE corrections (
    id              INTEGER PRIMARY KEY,
    article_id      INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('ralat','koreksi','hak_jawab')),
    body            TEXT NOT NULL,
    body_html       TEXT NOT NULL,
    link_article_id INTEGER REFERENCES articles (id) ON DELETE SET NULL,
    author_id       INTEGER REFERENCES users (id) ON DELETE SET NULL,
    published_at    TIMESTAMP NOT NULL
);
CREATE INDEX corrections_article ON corrections (article_id, published_at DESC, id DESC);
CREATE INDEX corrections_link ON corrections (link_article_id);
CREATE INDEX corrections_published ON corrections (published_at DESC, id DESC);
