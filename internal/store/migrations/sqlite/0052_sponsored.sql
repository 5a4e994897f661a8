-- Sponsored content (advertorial): the Dewan Pers cyber-media guideline
-- asks that paid content be told apart from news. A sponsored article is
-- labelled on its cards, its page, in feeds and in structured data, and
-- is never offered to the Google News sitemap.
ALTER TABLE articles ADD COLUMN sponsored BOOLEAN NOT NULL DEFAULT FALSE;
