-- Every edit of an article or a page raises its version; an edit made on
-- an older version is refused (409) instead of overwriting a colleague's.
ALTER TABLE articles ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE pages ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
