-- Search ranks its hits by how many of the query's clauses the title
-- holds. Asking each hit's doc (weight A) decompresses every doc once per
-- clause; SQLite answers from a small index of titles (article_title_fts),
-- and this is PostgreSQL's: the titles' own tsvectors, which hold exactly
-- doc's weight-A lexemes at the same positions, so a clause matches the
-- title here exactly when it matches doc's weight A.
CREATE INDEX article_search_title ON article_search USING gin (warta_tsvector(title));

-- Fresh statistics for the planner after the new index; autovacuum keeps
-- them current from here on.
ANALYZE articles;
ANALYZE article_categories;
ANALYZE article_tags;
ANALYZE article_search;
