-- The words of the search index with the number of articles holding each
-- (stems and words as written): a query word that finds nothing is
-- corrected to the word one edit away that the most articles hold. The
-- table reads article_fts's own index; nothing is stored twice.
-- PostgreSQL asks its GIN index the same question (its 0040).
CREATE VIRTUAL TABLE article_fts_vocab USING fts5vocab (article_fts, row);
