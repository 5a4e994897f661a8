-- Full-text search. article_search keeps what is indexed: the title and the
-- body as plain text (the store writes it with every article save; the
-- Markdown source would index link targets and markup). article_fts indexes
-- it with the Go tokenizer "warta_id" (stems plus the words as written, so
-- prefixes work; registered on every connection by the store) and reads the
-- text back from article_search, so no text is stored twice. The triggers
-- keep the index in step, including when an article's deletion cascades.
-- doc is where PostgreSQL keeps its tsvector; here it stays empty (FTS5
-- keeps its index in article_fts), so that both databases have the same
-- tables and columns.
CREATE TABLE article_search (
    article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    doc        TEXT NOT NULL DEFAULT ''
);

CREATE VIRTUAL TABLE article_fts USING fts5 (
    title, body,
    content = 'article_search', content_rowid = 'article_id',
    tokenize = 'warta_id', columnsize = 0
);

-- Titles alone, again: ranking asks which clauses match in the title, and
-- this small index answers that without looking at every hit.
CREATE VIRTUAL TABLE article_title_fts USING fts5 (
    title,
    content = 'article_search', content_rowid = 'article_id',
    tokenize = 'warta_id', columnsize = 0
);

CREATE TRIGGER article_search_insert AFTER INSERT ON article_search BEGIN
    INSERT INTO article_fts (rowid, title, body) VALUES (new.article_id, new.title, new.body);
    INSERT INTO article_title_fts (rowid, title) VALUES (new.article_id, new.title);
END;

CREATE TRIGGER article_search_delete AFTER DELETE ON article_search BEGIN
    INSERT INTO article_fts (article_fts, rowid, title, body) VALUES ('delete', old.article_id, old.title, old.body);
    INSERT INTO article_title_fts (article_title_fts, rowid, title) VALUES ('delete', old.article_id, old.title);
END;

CREATE TRIGGER article_search_update AFTER UPDATE ON article_search BEGIN
    INSERT INTO article_fts (article_fts, rowid, title, body) VALUES ('delete', old.article_id, old.title, old.body);
    INSERT INTO article_fts (rowid, title, body) VALUES (new.article_id, new.title, new.body);
    INSERT INTO article_title_fts (article_title_fts, rowid, title) VALUES ('delete', old.article_id, old.title);
    INSERT INTO article_title_fts (rowid, title) VALUES (new.article_id, new.title);
END;

-- Search joins every hit to its article for the public and date filters;
-- status and published_at sit behind the (long) body in the row, so reading
-- them from the table walks the body's overflow pages. This index answers
-- those lookups by id on its own.
CREATE INDEX articles_search_filter ON articles (id, status, published_at);

-- Articles written before this migration are indexed from their Markdown
-- until they are next saved (or Store.RebuildSearchIndex runs).
INSERT INTO article_search (article_id, title, body) SELECT id, title, body FROM articles;
