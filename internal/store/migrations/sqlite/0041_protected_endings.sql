-- The Go stemmer protects two more words (nilai, ramai) and keeps a
-- protected word whole under the endings -ku, -mu, -nya, -kah, -lah and
-- -pun (menterinya → menteri). The full-text indexes are rebuilt from
-- article_search with the current tokenizer; PostgreSQL's 0041 does the
-- same for its tsvectors.
INSERT INTO article_fts (article_fts) VALUES ('rebuild');
INSERT INTO article_title_fts (article_title_fts) VALUES ('rebuild');
