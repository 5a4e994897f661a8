-- SQLite's 0040 lists the words of its search index for typo correction.
-- PostgreSQL needs nothing new: the store asks the GIN index on
-- article_search.doc how many articles hold each candidate word.
SELECT 1;
