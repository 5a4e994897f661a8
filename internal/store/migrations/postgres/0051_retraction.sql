-- Retraction (pencabutan) of a published story, as the Dewan Pers
-- cyber-media guideline allows for reasons it names: the story leaves
-- every list, feed, sitemap and search, and its address shows a notice
-- with the public reason and date instead of the text. The text itself
-- stays, in the row and in its revisions, for the record.
ALTER TABLE articles ADD COLUMN retracted_at TIMESTAMPTZ;
ALTER TABLE articles ADD COLUMN retraction_reason TEXT NOT NULL DEFAULT '';
