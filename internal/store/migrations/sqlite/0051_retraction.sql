-- Retraction (pencabutan) of a published story, as the Dewan Pers
-- cyber-media guideline allows for reasons it names: the story leaves
-- every list, feed, sitemap and search, and its address shows a notice
-- with the public reason and date instead of the text. The text itself
-- stays, in the row and in its revisions, for the record.
ALTER TABLE articles ADD COLUMN retracted_at TIMESTAMP;
ALTER TABLE articles ADD COLUMN retraction_reason TEXT NOT NULL DEFAULT '';

-- Search filters the candidates it finds on this index alone (status,
-- date, and now retraction), without reading the rows behind the bodies.
DROP INDEX articles_search_filter;
CREATE INDEX articles_search_filter ON articles (id, status, published_at, retracted_at);
