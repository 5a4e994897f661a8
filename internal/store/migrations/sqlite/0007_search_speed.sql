-- Search ranks its hits by how many of the query's clauses the title
-- holds; here article_title_fts (0003) answers that, and PostgreSQL gets
-- the same index of titles in its 0007.
--
-- A database filled article by article leaves each full-text index in many
-- segments, and every term a query looks up is looked up in each of them.
-- Merge them once; FTS5's automerge keeps their number low afterwards.
INSERT INTO article_fts (article_fts) VALUES ('optimize');
INSERT INTO article_title_fts (article_title_fts) VALUES ('optimize');
